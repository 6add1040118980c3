"""What an audit is, as it crosses the storage boundary.

An audit is a sample of one period's posts that staff label by hand, so
that a report can say how accurate the classifiers' labels were and
correct its shares for their errors. It is drawn once (``AuditDraw``:
which posts, from which strata, out of how many) and labelled item by item
(``AuditItem.gold``). The labels the classifiers gave (``predicted``) are
copied into each item when it is drawn, so an audit's figures never change
after the fact, even when a post is later deleted (its item then keeps its
labels and loses its link to the post: ``post_id`` is None).

Labels per task: a tuple of strings, one for sentiment (``("negative",)``),
any number for topics; an empty tuple is "no label" (the class ``none``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

Labels = tuple[str, ...]
# task -> stratum -> class -> posts predicted that class in the period
PredictedCounts = dict[str, dict[str, dict[str, int]]]


@dataclass(frozen=True)
class DrawCandidate:
    """One post of the period as the draw sees it: no text, no author."""

    post_id: int
    topics: tuple[tuple[str, float], ...]  # (topic, score), best first
    sentiment: str | None  # None: the classifier gave no label


@dataclass(frozen=True)
class ClassifierVersion:
    task: str
    classifier: str
    version: str


@dataclass(frozen=True)
class DrawnItem:
    position: int  # 1.. in the order staff see them
    post_id: int
    stratum: str
    predicted: dict[str, Labels]  # task -> labels the classifier gave


@dataclass(frozen=True)
class AuditDraw:
    """Everything recorded when an audit is drawn."""

    period_start: str  # UTC ISO, half-open [start, end)
    period_end: str
    period_label: str  # e.g. "2026-W47" or "2026-W44 to 2026-W47"
    seed: int
    requested: int
    versions: tuple[ClassifierVersion, ...]
    sizes: dict[str, int]  # stratum -> posts in the period at draw time
    predicted_counts: PredictedCounts
    items: tuple[DrawnItem, ...]

    @property
    def drawn(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for item in self.items:
            out[item.stratum] = out.get(item.stratum, 0) + 1
        return out


@dataclass(frozen=True)
class AuditItem:
    audit_id: int
    position: int
    post_id: int | None  # None once the post has been deleted
    stratum: str
    predicted: dict[str, Labels]
    gold: dict[str, Labels] = field(default_factory=dict)  # task -> staff labels
    labeller: str | None = None
    labelled_at: str | None = None  # UTC ISO of the latest label


@dataclass(frozen=True)
class Audit:
    """A stored audit: its draw, and its items with the labels given so far."""

    id: int
    drawn_at: str  # UTC ISO
    period_start: str
    period_end: str
    period_label: str
    seed: int
    versions: tuple[ClassifierVersion, ...]
    sizes: dict[str, int]
    predicted_counts: PredictedCounts
    items: tuple[AuditItem, ...] = ()

    def version_of(self, task: str) -> ClassifierVersion | None:
        return next((v for v in self.versions if v.task == task), None)

    def labelled(self, task: str) -> list[AuditItem]:
        return [i for i in self.items if task in i.gold]

    @property
    def labelled_at(self) -> str | None:
        """When its latest label was given (the audit's date in reports)."""
        return max((i.labelled_at for i in self.items if i.labelled_at), default=None)


@dataclass(frozen=True)
class ItemToLabel:
    """An audited post as staff see it: no author, no predicted label."""

    audit_id: int
    position: int
    platform: str
    created_at: str  # UTC ISO
    text: str  # title and text
    gold: dict[str, Labels] = field(default_factory=dict)  # labels given so far
