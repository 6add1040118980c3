"""Hand-built stored audits for the report's accuracy tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.audit_records import Audit, AuditItem, ClassifierVersion

SENTIMENT_V1 = ClassifierVersion("sentiment", "sentiment.vader", "v1")
TOPICS_V1 = ClassifierVersion("topic", "topics.keywords", "v1")


@dataclass(frozen=True)
class Group:
    """``n`` audited posts of one stratum, predicted and truly labelled alike."""

    stratum: str
    topics: tuple[str, ...]
    sentiment: str
    gold_topics: tuple[str, ...]
    gold_sentiment: str
    n: int


def audit_of(groups: Sequence[Group], sizes: dict[str, int], bounds: tuple[str, str], *,
             audit_id: int = 1, label: str = "2026-W47",
             labelled_at: str = "2026-11-24T10:00:00+00:00",
             versions: tuple[ClassifierVersion, ...] = (SENTIMENT_V1, TOPICS_V1),
             predicted_counts: dict[str, dict[str, dict[str, int]]] | None = None) -> Audit:
    items = []
    for g in groups:
        for _ in range(g.n):
            items.append(AuditItem(audit_id, len(items) + 1, None, g.stratum,
                                   {"topic": g.topics, "sentiment": (g.sentiment,)},
                                   {"topic": g.gold_topics, "sentiment": (g.gold_sentiment,)},
                                   "alice", labelled_at))
    if predicted_counts is None:  # a census of its groups: every post of a stratum alike
        predicted_counts = {"topic": {}, "sentiment": {}}
        for g in groups:
            predicted_counts["sentiment"][g.stratum] = {g.sentiment: sizes[g.stratum]}
            predicted_counts["topic"][g.stratum] = {t: sizes[g.stratum]
                                                    for t in g.topics or ("none",)}
    return Audit(audit_id, "2026-11-23T09:00:00+00:00", bounds[0], bounds[1], label, 0,
                 versions, sizes, predicted_counts, tuple(items))
