"""Topics by keywords first, and a trained head for the posts they miss.

A learned label is stored only when its probability reaches
``nlp.learned_topic_threshold`` and its class is not a 'no topic' class
(``nlp.none_labels``). Each label keeps the classifier that made it, so
reports can tell keyword labels from learned ones.

v1 uses ``topics.keywords`` v1, as it did when released; v2 uses
``topics.keywords`` v2 (an -ing word is its own lemma)."""

from __future__ import annotations

from collections.abc import Sequence

from nlp.keywords import KeywordTopics, KeywordTopicsV2
from nlp.registry import BuildContext, Registered, classifier, split_name
from nlp.trained import HeadClassifier, load_trained
from nlp.types import Label


@classifier("topics.combined", "v1", task="topic", needs_torch=True)
class CombinedTopics(Registered):
    keywords_class: type[KeywordTopics] = KeywordTopics

    def __init__(self, keywords: KeywordTopics, learned: HeadClassifier, threshold: float,
                 none_labels: Sequence[str]) -> None:
        self.keywords = keywords
        self.learned = learned
        self.threshold = threshold
        self.none_labels = {n.lower() for n in none_labels}
        self.model_id: str | None = (f"{keywords.model_id}|{learned.name}@{learned.version}"
                                     f"|t={threshold}")

    @classmethod
    def from_context(cls, ctx: BuildContext) -> CombinedTopics:
        if not ctx.settings.learned_topic:
            raise ValueError("topics.combined needs nlp.learned_topic: the name of a trained"
                             " topic head (see `listener train --task topic`)")
        name, version = split_name(ctx.settings.learned_topic)
        learned = load_trained(ctx.data_dir, name, version, threads=ctx.settings.torch_threads,
                               model_path=ctx.settings.embedding_model_path)
        keywords = cls.keywords_class(ctx.topics, batch_size=min(ctx.settings.batch_size, 1000))
        return cls(keywords, learned, ctx.settings.learned_topic_threshold,
                   ctx.settings.none_labels)

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        out = self.keywords.classify(texts)
        missed = [i for i, labels in enumerate(out) if not labels]
        if not missed:
            return out
        labels, probs = self.learned.predict([texts[i] for i in missed])
        for i, lab, p in zip(missed, labels, probs, strict=True):
            if p >= self.threshold and lab.lower() not in self.none_labels:
                out[i] = [Label("topic", lab, round(p, 4), self.learned.name,
                                self.learned.version, self.learned.model_id)]
        return out


@classifier("topics.combined", "v2", task="topic", needs_torch=True)
class CombinedTopicsV2(CombinedTopics):
    """v2: the keyword half is ``topics.keywords`` v2."""

    keywords_class = KeywordTopicsV2
