"""Topics by keywords first, and a trained head for the posts they miss.

A learned label is stored only when its probability reaches
``nlp.learned_topic_threshold`` and its class is not a 'no topic' class
(``nlp.none_labels``). Each label keeps the classifier that made it, so
reports can tell keyword labels from learned ones."""

from __future__ import annotations

from collections.abc import Sequence

from nlp.keywords import KeywordTopics, KeywordTopicsV2
from nlp.registry import BuildContext, register
from nlp.trained import HeadClassifier, load_trained
from nlp.types import Label


class CombinedTopics:
    name = "topics.combined"
    version = "v1"
    task = "topic"

    def __init__(self, keywords: KeywordTopics, learned: HeadClassifier, threshold: float,
                 none_labels: Sequence[str]) -> None:
        self.keywords = keywords
        self.learned = learned
        self.threshold = threshold
        self.none_labels = {n.lower() for n in none_labels}
        self.model_id: str | None = (f"{keywords.model_id}|{learned.name}@{learned.version}"
                                     f"|t={threshold}")

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


@register("topics.combined", "v1", task="topic", needs_torch=True)
def make_combined(ctx: BuildContext) -> CombinedTopics:
    if not ctx.settings.learned_topic:
        raise ValueError("topics.combined needs nlp.learned_topic: the name of a trained"
                         " topic head (see `listener train --task topic`)")
    from nlp.registry import split_name

    name, version = split_name(ctx.settings.learned_topic)
    learned = load_trained(ctx.data_dir, name, version, threads=ctx.settings.torch_threads,
                        model_path=ctx.settings.embedding_model_path)
    keywords = KeywordTopicsV2(ctx.topics, batch_size=min(ctx.settings.batch_size, 1000))
    return CombinedTopics(keywords, learned, ctx.settings.learned_topic_threshold,
                          ctx.settings.none_labels)
