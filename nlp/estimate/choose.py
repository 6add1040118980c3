"""Raw shares, and the choice of a corrected figure to publish beside them.

Which corrections apply depends on where the audit came from:

- an audit drawn from the period being reported: PPI++ (``nlp.estimate.ppi``)
  and the confusion-matrix correction both apply;
- an audit from an earlier period: only the confusion-matrix correction
  (``nlp.estimate.confusion``), which assumes the classifier errs the same
  way now as then.

Of the corrections that gave figures, the one with the narrower intervals
(mean width over the classes) is published, named; raw is always shown
beside it. Raw is never "chosen": its interval covers sampling noise only,
not the classifier's errors. The confusion-matrix correction inverts a
matrix, which amplifies noise when the classifier is weak; comparing
widths is what keeps such a correction out of the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nlp.estimate.accuracy import wilson
from nlp.estimate.confusion import confusion_shares
from nlp.estimate.design import Audit, Period, classes_of
from nlp.estimate.ppi import ppi_shares
from nlp.estimate.results import ShareEstimate, Shares

RAW = "raw"
WIDE = 0.3  # a published correction whose intervals average wider than this is flagged


def raw_shares(period: Period, classes: Sequence[str] = (), *, level: float = 0.95,
               ) -> Shares:
    """Each class's predicted share with a Wilson interval (sampling noise only)."""
    counts = period.counts()
    total = period.total
    out: dict[str, ShareEstimate] = {}
    for k in sorted(set(counts) | set(classes)):
        part = counts.get(k, 0)
        interval = wilson(part, total, level)
        out[k] = ShareEstimate(k, part / total if total else None,
                               interval[0] if interval else None,
                               interval[1] if interval else None, RAW, 0, total)
    return Shares(RAW, out, total > 0, "" if total else "no posts in the period")


@dataclass(frozen=True)
class Corrected:
    """What a report shows: ``raw`` always; ``chosen`` (None when no
    correction could be made: ``note`` says why; ``note`` also warns when
    the chosen intervals average wider than ``WIDE``); every ``candidate``
    computed, for the methods footer."""

    raw: Shares
    chosen: Shares | None
    candidates: tuple[Shares, ...]
    note: str = ""

    @property
    def method(self) -> str | None:
        return self.chosen.method if self.chosen else None


def choose(raw: Shares, candidates: Sequence[Shares]) -> Corrected:
    """The candidate with the narrowest mean interval width, named."""
    usable = [c for c in candidates if c.ok and c.mean_width() is not None]
    if not usable:
        why = "; ".join(f"{c.method}: {c.note}" for c in candidates if c.note)
        return Corrected(raw, None, tuple(candidates),
                         why or "no audit, so the shares are not corrected")
    best = min(usable, key=lambda c: c.mean_width() or 0.0)
    width = best.mean_width() or 0.0
    note = "" if width <= WIDE else (
        f"the corrected shares are uncertain (intervals about {width * 100:.0f} points wide "
        "on average): an audit of this period would narrow them")
    return Corrected(raw, best, tuple(candidates), note)


def correct_shares(period: Period, *, current: Audit | None = None,
                   earlier: Audit | None = None, classes: Sequence[str] = (),
                   level: float = 0.95, n_boot: int = 1000, seed: int = 0) -> Corrected:
    """Raw and corrected shares of ``period``, with an audit drawn from it
    (``current``), one from an earlier period (``earlier``), both or neither."""
    names = set(classes)
    for audit in (current, earlier):
        if audit is not None:
            names |= set(classes_of(period, audit))
    wanted = sorted(names)
    candidates: list[Shares] = []
    if current is not None:
        candidates.append(ppi_shares(period, current, wanted, level=level))
        candidates.append(confusion_shares(period, current, wanted, level=level,
                                           n_boot=n_boot, seed=seed))
    if earlier is not None:
        shares = confusion_shares(period, earlier, wanted, level=level, n_boot=n_boot,
                                  seed=seed)
        candidates.append(Shares(f"{shares.method} (earlier audit)", shares.estimates,
                                 shares.ok, shares.note, shares.details))
    return choose(raw_shares(period, wanted, level=level), candidates)
