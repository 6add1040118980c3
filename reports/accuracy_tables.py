"""The accuracy section's tables, suppression applied, as every renderer
prints them: measured precision and recall per class, and the shares as
labelled beside the corrected ones (only when a correction exists)."""

from __future__ import annotations

from reports.accuracy import CorrectedRow, Correction, audit_text
from reports.figures import Figures
from reports.stats import MIN_COUNT, count_shown, share_shown
from reports.tables import Table
from reports.text import FEWER, SUPPRESSED, fmt_count, fmt_interval, fmt_pct
from storage import SENTIMENTS

CORRECTED_TITLE = "Shares as labelled and corrected for measured error"


def _rate(value: float | None, low: float | None, high: float | None, n: int
          ) -> tuple[str, str]:
    if n == 0 or value is None:
        return "none audited", ""
    if n < MIN_COUNT:
        return f"{FEWER} audited", ""
    interval = (low, high) if low is not None and high is not None else None
    return fmt_pct(value), fmt_interval(interval)


def accuracy_table(fig: Figures) -> Table:
    rows = []
    for m in fig.accuracy.measured:
        for r in m.rows:
            p = _rate(r.precision.value, r.precision.low, r.precision.high, r.precision.n)
            q = _rate(r.recall.value, r.recall.low, r.recall.high, r.recall.n)
            rows.append((f"{m.version.classifier} {m.version.version}", m.version.task,
                         r.label, *p, *q, audit_text(m)))
    return Table("accuracy", "Measured accuracy per class (staff audit)", (
        "Classifier", "Task", "Class", "Precision", "95% interval (precision)", "Recall",
        "95% interval (recall)", "Audit"), tuple(rows))


def _shown(fig: Figures, c: Correction, r: CorrectedRow) -> bool:
    """Whether the row's count may be published (at least 10, from 10 authors)."""
    if c.task == "sentiment":
        ok = fig.sentiment_ok[SENTIMENTS.index(r.slug)] if r.slug in SENTIMENTS else True
        return ok and share_shown(r.raw, c.raw_base)
    authors = {t.slug: t.authors_ok for t in fig.topics}.get(r.slug, True)
    return count_shown(r.raw, authors)


def _corrected_cells(fig: Figures, c: Correction, r: CorrectedRow) -> tuple[str, str]:
    if r.share is None:
        return "not corrected", ""
    if not _shown(fig, c, r) and r.raw >= MIN_COUNT:
        return SUPPRESSED, ""
    estimate = r.share * c.base
    if estimate < MIN_COUNT:
        return FEWER, ""
    if c.task == "sentiment":
        return fmt_pct(r.share), fmt_interval(r.interval)
    low, high = r.interval or (r.share, r.share)
    return f"{estimate:,.0f}", f"{low * c.base:,.0f}–{high * c.base:,.0f}"


def _raw_cells(fig: Figures, c: Correction, r: CorrectedRow) -> tuple[str, str]:
    if c.task == "sentiment":
        if not _shown(fig, c, r):
            return (SUPPRESSED if r.raw >= MIN_COUNT else FEWER), ""
        return fmt_pct(r.raw_share), fmt_interval(r.raw_interval)
    authors = {t.slug: t.authors_ok for t in fig.topics}.get(r.slug, True)
    return fmt_count(r.raw, authors), ""


def corrected_table(fig: Figures) -> Table | None:
    """None when no share could be corrected (no audit of the version in use)."""
    done = [c for c in fig.accuracy.corrections if c.method]
    if not done:
        return None
    rows = []
    for c in done:
        what = "share" if c.task == "sentiment" else "posts"
        for r in c.rows:
            name = f"{r.label} {what}" if c.task == "sentiment" else f"Posts: {r.label}"
            rows.append((name, *_raw_cells(fig, c, r), *_corrected_cells(fig, c, r),
                         f"{c.method_name} (audit {c.audit_id}, {c.period})"))
    return Table("corrected", CORRECTED_TITLE, (
        "Measure", "As labelled", "95% interval (as labelled)", "Corrected",
        "95% interval (corrected)", "Correction"), tuple(rows))


def headline_lines(fig: Figures) -> list[str]:
    """The corrected sentiment shares in words, for beside the headline."""
    lines = []
    for c in fig.accuracy.corrections:
        if c.task != "sentiment" or not c.method:
            continue
        for r in c.rows:
            value, interval = _corrected_cells(fig, c, r)
            raw, _ = _raw_cells(fig, c, r)
            if interval:
                lines.append(f"{r.label} share corrected for measured error: {value} (95% "
                             f"interval {interval}), against {raw} as labelled; "
                             f"{c.method_name}.")
    return lines


def accuracy_tables(fig: Figures) -> list[Table]:
    corrected = corrected_table(fig)
    return [accuracy_table(fig), *([corrected] if corrected else [])]
