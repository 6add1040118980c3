"""A stored audit as the estimators take it (``nlp.estimate``): one task's
audited posts with their design, and the period it was drawn from.

Sentiment shares are shares of the posts the classifier labelled, as the
report prints them: audited posts and strata whose predicted sentiment is
``none`` are left out of the sentiment problem. Topics keep ``none`` (no
topic matched) as a class of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.estimate import ALL, NONE, Audit, Period
from storage.audit_records import Audit as StoredAudit
from storage.audit_records import AuditItem, ClassifierVersion

SENTIMENT = "sentiment"


def _items(audit: StoredAudit, task: str) -> list[AuditItem]:
    items = audit.labelled(task)
    if task == SENTIMENT:
        items = [i for i in items if i.predicted.get(task)]
    return items


def design_audit(audit: StoredAudit, task: str) -> Audit | None:
    """The audited posts of ``task`` with staff labels, weighted by the
    draw's strata (None when no post of the task has been labelled)."""
    items = _items(audit, task)
    if not items:
        return None
    return Audit.of([i.predicted.get(task, ()) for i in items], [i.gold[task] for i in items],
                    [i.stratum for i in items], audit.sizes)


def design_period(audit: StoredAudit, task: str) -> Period:
    """The period the audit was drawn from, per stratum, as it was at draw time."""
    counts = audit.predicted_counts.get(task, {})
    keep = {h: c for h, c in counts.items()
            if task != SENTIMENT or any(k != NONE for k in c)}
    return Period({h: audit.sizes[h] for h in keep},
                  {h: {k: n for k, n in c.items() if task != SENTIMENT or k != NONE}
                   for h, c in keep.items()})


def counts_period(counts: dict[str, int], total: int) -> Period:
    """This week's period as one stratum: ``total`` posts, ``counts`` per class
    (several classes per post allowed)."""
    return Period({ALL: total}, {ALL: dict(counts)})


def pick(audits: Sequence[StoredAudit], task: str, bounds: tuple[str, str]
         ) -> tuple[StoredAudit | None, StoredAudit | None]:
    """(latest audit with labels for ``task``, the latest one drawn from exactly
    ``bounds``): the first for the accuracy table, the second, when there is
    one, for the corrected shares."""
    usable = sorted((a for a in audits if _items(a, task)),
                    key=lambda a: (a.labelled_at or "", a.id), reverse=True)
    same = [a for a in usable if (a.period_start, a.period_end) == bounds]
    return (usable[0] if usable else None), (same[0] if same else None)


def judged(audit: StoredAudit, version: ClassifierVersion) -> bool:
    return audit.version_of(version.task) == version
