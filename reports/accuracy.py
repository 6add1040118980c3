"""How accurate this week's labels are, as measured by staff audits, and the
shares corrected for it: the report's "Accuracy of the labels" section.

For each classifier that labelled the week's topics or sentiment, the
latest audit of THAT version gives precision and recall per class (Wilson
intervals, design-weighted: ``nlp.estimate.audit_accuracy``). A classifier
version no audit has judged is named, near the headline, as not measured,
with what to run. Corrected shares: ``reports.corrected``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from nlp.estimate import NONE, Rate, audit_accuracy
from reports.audit_design import design_audit, pick
from storage.audit_records import Audit as StoredAudit
from storage.audit_records import ClassifierVersion

TASKS = ("sentiment", "topic")  # the tasks whose figures the report publishes
TASK_NAMES = {"sentiment": "sentiment", "topic": "topic"}

# The methods footer, in plain words (docs/nlp.md, "Measured accuracy and corrected shares").
METHODS = (
    "Classifiers make mistakes, and the usual 95% interval on a share covers only the luck "
    "of which posts were written, not those mistakes. So staff label a sample of posts by "
    "hand (an audit, usually 200 posts, drawn at random within groups of predicted topic and "
    "sentiment; each audited post counts for the posts of its group it stands for). "
    "Precision (of the posts labelled X, the share that truly were X) and recall (of the "
    "posts truly X, the share labelled X) come from the latest audit of each classifier "
    "version, with 95% Wilson intervals. "
    "With an audit drawn from the week reported, shares are corrected by prediction-powered "
    "inference (PPI++; Angelopoulos et al., Science 2023): every post's label, adjusted by "
    "the errors the audit found in its group. It is right on average, and its interval "
    "covers both sampling noise and the classifier's errors. "
    "With an audit of another period, shares are corrected with the audit's confusion "
    "matrix (how often each kind of post is mislabelled; Rogan and Gladen 1978), with "
    "intervals from 1,000 resamples of the week and of the audit; this assumes the "
    "classifier errs now as it did then. "
    "Of the corrections that can be made, the one with the narrower interval is shown and "
    "named, with the shares as labelled beside it.")
NOT_MEASURED = ("No staff audit has measured these labels' accuracy, so shares are shown as "
                "labelled only, and their intervals cover sampling noise, not labelling errors.")


@dataclass(frozen=True)
class ClassRow:
    label: str  # as shown
    precision: Rate
    recall: Rate


@dataclass(frozen=True)
class Measured:
    """One classifier version's accuracy on its latest audit."""

    version: ClassifierVersion
    audit_id: int
    period: str  # the audited period, e.g. "2026-W47"
    date: str  # local date of the audit's latest label
    n: int  # audited posts labelled for this task
    same_period: bool  # the audit was drawn from the week being reported
    rows: tuple[ClassRow, ...]


@dataclass(frozen=True)
class CorrectedRow:
    slug: str
    label: str
    raw: int  # posts labelled this class this week
    raw_share: float | None
    raw_interval: tuple[float, float] | None
    share: float | None  # corrected share of ``base``; None when not corrected
    interval: tuple[float, float] | None


@dataclass(frozen=True)
class Correction:
    """One task's shares, as labelled and corrected for measured error."""

    task: str
    method: str | None  # the estimator's name (None: no correction could be made)
    method_name: str  # in plain words
    audit_id: int
    period: str
    same_period: bool
    raw_base: int  # this week's posts labelled for the task
    base: int  # posts the corrected shares are shares of
    rows: tuple[CorrectedRow, ...]
    note: str = ""


@dataclass
class AccuracyFigures:
    measured: list[Measured] = field(default_factory=list)
    unmeasured: list[ClassifierVersion] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    statement: str = ""  # near the headline
    headline: list[str] = field(default_factory=list)  # corrected shares, in words


def audit_text(m: Measured) -> str:
    return f"audit {m.audit_id}: {m.n:,} posts of {m.period}, {m.date}"


def audit_of(fig: AccuracyFigures, task: str, classifier: str, version: str) -> str:
    """The audit behind a classifier version's measured accuracy, in words."""
    found = next((m for m in fig.measured
                  if m.version == ClassifierVersion(task, classifier, version)), None)
    if found is not None:
        return audit_text(found)
    return "not measured" if task in TASKS else "not audited"


def in_use(used: Sequence[tuple[str, str, str, int]]) -> list[ClassifierVersion]:
    """The topic and sentiment classifier versions that labelled the week."""
    return [ClassifierVersion(task, name, version) for task, name, version, _ in used
            if task in TASKS]


LabelOf = Callable[[str, str], str]  # (task, class) -> the name the report shows


def measured(version: ClassifierVersion, audits: Sequence[StoredAudit],
             bounds: tuple[str, str], label_of: LabelOf,
             local_date: Callable[[str], str]) -> Measured | None:
    latest, _ = pick(audits, version.task, bounds)
    audit = design_audit(latest, version.task) if latest else None
    if latest is None or audit is None:
        return None
    found = audit_accuracy(audit)  # by class key; shown by name, "none" last
    rows = tuple(sorted((ClassRow(label_of(version.task, k), acc.precision, acc.recall)
                         for k, acc in found.items()),
                        key=lambda r: (r.label == label_of(version.task, NONE), r.label)))
    return Measured(version, latest.id, latest.period_label,
                    local_date(latest.labelled_at or latest.drawn_at), len(audit),
                    (latest.period_start, latest.period_end) == bounds, rows)


def statement(fig: AccuracyFigures, week: str) -> str:
    """Near the headline: which labels were measured, which not, and what to run."""
    parts = []
    if fig.unmeasured:
        names = " or ".join(f"{v.classifier} {v.version} ({TASK_NAMES[v.task]})"
                            for v in fig.unmeasured)
        parts.append(
            f"Accuracy not measured: no staff audit has checked {names}, so these labels may "
            "be wrong more often than the intervals show. To measure it, run "
            f"`listener audit draw --week {week}`, label the sample (the CSV, or the "
            "labelling page of `listener serve`), then `listener audit load FILE`.")
    if fig.measured:
        audits = "; ".join(f"{m.version.classifier} {m.version.version} on {m.n} posts of "
                           f"{m.period} (audit {m.audit_id}, {m.date})" for m in fig.measured)
        corrected = " Shares are shown as labelled and corrected for the measured error." \
            if any(c.method for c in fig.corrections) else ""
        parts.append(f"Label accuracy measured by staff audit: {audits}.{corrected}")
    return " ".join(parts)


def accuracy_figures(used: Sequence[tuple[str, str, str, int]],
                     audits: Mapping[ClassifierVersion, Sequence[StoredAudit]],
                     bounds: tuple[str, str], label_of: LabelOf,
                     local_date: Callable[[str], str]) -> AccuracyFigures:
    """Accuracy per classifier version in use (``used``: the week's (task,
    classifier, version, posts)); ``audits`` holds each version's audits."""
    out = AccuracyFigures()
    for version in in_use(used):
        found = measured(version, audits.get(version, ()), bounds, label_of, local_date)
        if found is None:
            out.unmeasured.append(version)
        else:
            out.measured.append(found)
    return out
