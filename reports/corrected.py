"""This week's sentiment shares and topic counts corrected for the error a
staff audit measured, beside the figures as labelled.

The audit must have judged the classifier version that labelled the week.
Which correction applies depends on where the audit came from
(``nlp.estimate.correct_shares``):

- drawn from this very week: prediction-powered inference (PPI++) and the
  confusion-matrix correction are both computed on the week as it was when
  the audit was drawn, and the one with the narrower intervals is shown;
- from another period: the confusion-matrix correction of this week's
  counts, which assumes the classifier errs now as it did then.

Raw is always shown beside the correction, with the correction's name.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.estimate import NONE, ShareEstimate, correct_shares, raw_shares
from reports.accuracy import CorrectedRow, Correction, LabelOf
from reports.audit_design import counts_period, design_audit, design_period, pick
from reports.figures import Figures
from storage import SENTIMENTS
from storage.audit_records import Audit as StoredAudit
from storage.audit_records import ClassifierVersion

METHOD_NAMES = {
    "ppi++": "prediction-powered inference (PPI++) with this week's audit",
    "confusion-matrix": "confusion-matrix correction with this week's audit",
    "confusion-matrix (earlier audit)": "confusion-matrix correction with an audit of "
                                        "another period",
}
NOT_CORRECTED = "not corrected"


def _interval(e: ShareEstimate | None) -> tuple[float, float] | None:
    return None if e is None or e.low is None or e.high is None else (e.low, e.high)


def week_counts(fig: Figures, task: str) -> tuple[dict[str, int], int, list[str]]:
    """(posts per class, posts labelled for the task, classes in report order)."""
    if task == "sentiment":
        return {k: fig.sentiment.get(k) for k in SENTIMENTS}, fig.sentiment.classified, \
            list(SENTIMENTS)
    counts = {row.slug: row.posts for row in fig.topics if row.posts}  # configured, unused: out
    counts[NONE] = fig.topic_unclassified
    return counts, fig.this.posts - fig.topic_pending, list(counts)


def correction(version: ClassifierVersion, audits: Sequence[StoredAudit], fig: Figures,
               bounds: tuple[str, str], label_of: LabelOf) -> Correction | None:
    """The task's corrected shares (None when no audit of the version has labels)."""
    task = version.task
    latest, same = pick(audits, task, bounds)
    stored = same or latest
    audit = design_audit(stored, task) if stored else None
    if stored is None or audit is None:
        return None
    counts, total, classes = week_counts(fig, task)
    classes = sorted(set(classes) | {k for i in audit.gold for k in i}, key=(
        lambda k: (k not in classes, classes.index(k) if k in classes else 0, k)))
    raw = raw_shares(counts_period(counts, total), classes)
    if same is not None:
        period = design_period(same, task)
        result = correct_shares(period, current=audit, classes=classes)
    else:
        period = counts_period(counts, total)
        result = correct_shares(period, earlier=audit, classes=classes)
    chosen = result.chosen.estimates if result.chosen else {}
    rows = [CorrectedRow(k, label_of(task, k), counts.get(k, 0), raw.estimates[k].share,
                         _interval(raw.estimates[k]),
                         chosen[k].share if k in chosen else None, _interval(chosen.get(k)))
            for k in classes]
    note = result.note
    if same is not None and period.total != total:
        note = (f"{note} " if note else "") + (
            f"The audit was drawn when the week had {period.total:,} labelled posts; it has "
            f"{total:,} now. The corrected figures describe the {period.total:,}.")
    method = result.method
    return Correction(task, method, METHOD_NAMES.get(method or "", NOT_CORRECTED), stored.id,
                      stored.period_label, same is not None, total, period.total,
                      tuple(rows), note)


def mixed_versions(task: str, versions: Sequence[ClassifierVersion], total: int
                   ) -> Correction:
    names = " and ".join(f"{v.classifier} {v.version}" for v in versions)
    return Correction(task, None, NOT_CORRECTED, 0, "", False, total, 0, (),
                      f"this week's {task} labels come from {names}: an audit judges one "
                      "version, so the shares are not corrected")
