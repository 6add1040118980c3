"""Keyword topics: config.yaml term, phrase and hashtag lists through spaCy's
PhraseMatcher on lookup lemmas (so ``pothole``, ``Potholes!!`` and
``#potholes`` all match), with exclusions that veto a topic, multi-label
output and the matched terms as evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nlp import textprep
from nlp.config import TopicSpec
from nlp.registry import BuildContext, Registered, classifier
from nlp.types import Label

if TYPE_CHECKING:
    from spacy.matcher import PhraseMatcher

_SEP = "\x1f"


@dataclass(frozen=True)
class Matches:
    found: dict[str, list[str]]  # topic -> included terms matched, in order of first match
    vetoed: frozenset[str]  # topics an exclusion matched


@classifier("topics.keywords", "v1", task="topic")
class KeywordTopics(Registered):
    """Topic labels from keyword lists. Label value = the topic slug."""

    model_id: str | None = textprep.MODEL_ID
    keep_gerunds = False  # v1: the lookup table's lemma for -ing words too
    hashtags = "v1"  # how a hashtag is split into words (nlp.textprep.clean)

    def __init__(self, topics: Mapping[str, TopicSpec], batch_size: int = 256) -> None:
        from spacy.matcher import PhraseMatcher

        self.topics = dict(topics)
        self.batch_size = batch_size
        nlp = textprep.blank_english()
        self._matcher: PhraseMatcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._hashtags: dict[str, list[tuple[str, str, str]]] = {}  # lemma -> (slug, kind, shown)
        for slug, spec in self.topics.items():
            for kind, words in (("inc", [*spec.terms, *spec.phrases]), ("exc", spec.exclusions)):
                for word in words:
                    if word.strip().startswith("#"):
                        self._add_hashtag(slug, kind, word)
                        continue
                    pattern = list(textprep.docs([textprep.clean(word, self.hashtags).text],
                                                   keep_gerunds=self.keep_gerunds))
                    if len(pattern[0]):
                        self._matcher.add(_SEP.join((slug, kind, word)), pattern)
            for tag in spec.hashtags:
                self._add_hashtag(slug, "inc", tag)

    def _add_hashtag(self, slug: str, kind: str, tag: str) -> None:
        body = tag.strip().lstrip("#").lower()
        if body:
            shown = "#" + tag.strip().lstrip("#")
            self._hashtags.setdefault(textprep.lemma(body, self.keep_gerunds), []).append(
                (slug, kind, shown))

    def matches(self, texts: Sequence[str]) -> list[Matches]:
        """Per text: the included terms matched per topic (in order of first
        match) and the topics an exclusion vetoed."""
        prepared = [textprep.clean(t, self.hashtags) for t in texts]
        out: list[Matches] = []
        strings = textprep.blank_english().vocab.strings
        for prep, doc in zip(
            prepared,
            textprep.docs((p.text for p in prepared), self.batch_size, self.keep_gerunds),
            strict=True,
        ):
            found: dict[str, list[str]] = {}
            vetoed: set[str] = set()
            hits = [strings[m_id].split(_SEP) for m_id, _, _ in self._matcher(doc)]
            for body in prep.hashtags:
                hits.extend(list(h) for h in self._hashtags.get(
                    textprep.lemma(body, self.keep_gerunds), ()))
            for slug, kind, word in hits:
                if kind == "exc":
                    vetoed.add(slug)
                elif word not in found.setdefault(slug, []):
                    found[slug].append(word)
            out.append(Matches(found, frozenset(vetoed)))
        return out

    def labels(self, match: Matches) -> list[Label]:
        """The topic labels of one text's matches: every topic found and not vetoed."""
        return [Label("topic", slug, 1.0, self.name, self.version, self.model_id, tuple(words))
                for slug, words in match.found.items() if slug not in match.vetoed]

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        return [self.labels(m) for m in self.matches(texts)]

    @classmethod
    def from_context(cls, ctx: BuildContext) -> KeywordTopics:
        return cls(ctx.topics, batch_size=min(ctx.settings.batch_size, 1000))


@classifier("topics.keywords", "v2", task="topic")
class KeywordTopicsV2(KeywordTopics):
    """v2: an ``-ing`` word matches only itself (parking is not park,
    housing is not house, planning is not plan, lighting is not light)."""

    keep_gerunds = True


@classifier("topics.keywords", "v3", task="topic")
class KeywordTopicsV3(KeywordTopicsV2):
    """v3: hashtags split at the end of an acronym and keep road numbers whole
    (``#NHSWaitingTimes`` -> NHS Waiting Times, so "waiting times" matches;
    ``#A14Roadworks`` -> A14 Roadworks)."""

    hashtags = "v2"
