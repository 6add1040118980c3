"""Keywords first, semantic matching for the posts they miss.

A post any keyword list matches keeps exactly the keyword labels
(``topics.keywords`` v2: precision first, the matched terms as evidence);
a post no list matches gets the semantic topic, if any (``topics.semantic``
v1: the nearest prototype as evidence). Each label keeps the classifier that
made it, so a report can tell keyword labels from semantic ones. Keyword
exclusions veto both."""

from __future__ import annotations

from collections.abc import Sequence

from nlp.registry import BuildContext, Registered, classifier
from nlp.semantic import SemanticTopics
from nlp.types import Label


@classifier("topics.hybrid", "v1", task="topic")
class HybridTopics(Registered):
    def __init__(self, semantic: SemanticTopics) -> None:
        self.semantic = semantic
        self.keywords = semantic.keywords
        self.model_id: str | None = f"{self.keywords.model_id}|{semantic.model_id}"

    @classmethod
    def from_context(cls, ctx: BuildContext) -> HybridTopics:
        return cls(SemanticTopics.from_context(ctx))

    def classify(self, texts: Sequence[str]) -> list[list[Label]]:
        matches = self.keywords.matches(texts)
        out = [self.keywords.labels(m) for m in matches]
        missed = [i for i, labels in enumerate(out) if not labels]
        found = self.semantic.assign([texts[i] for i in missed], [matches[i] for i in missed])
        for i, labels in zip(missed, found, strict=True):
            out[i] = labels
        return out
