"""Write one week's report in the requested formats."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from reports.changes import digest, regenerated
from reports.compute import compute_figures
from reports.config import FORMATS, ReportSettings
from reports.context import ReportContext
from reports.figures import Figures
from reports.files import atomic_write
from reports.posts import local_time
from reports.render_html import render_html
from reports.render_md import render_md
from reports.render_pdf import PdfUnavailable, write_pdf
from reports.render_tables import write_csv, write_json
from reports.weeks import last_complete_week, local_week_of, normal_week, week_span
from storage import Store
from storage.timefmt import iso

log = logging.getLogger(__name__)


class NoDataError(LookupError):
    """No complete week with posts to report on."""


def latest_complete_week(store: Store, tz: str | ZoneInfo,
                         now: datetime | None = None) -> str | None:
    """The latest ISO week (in ``tz``) that has ended by ``now`` and has posts."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    now = now or datetime.now(UTC)
    end = week_span(last_complete_week(now, zone), zone).end
    latest = store.reports.latest_post_before(iso(end))
    return None if latest is None else local_week_of(latest, zone)


def write_report(store: Store, week: str | None, *, settings: ReportSettings,
                 topic_labels: Mapping[str, str], formats: Sequence[str], out_dir: Path,
                 context: ReportContext, now: datetime | None = None) -> list[Path]:
    """Compute the week's figures once and write each format into ``out_dir``
    as ``report-<week>.<ext>`` (CSV: one file per table), each atomically
    (``reports.files``: a kill leaves the previous file whole). A PDF that cannot
    be made (WeasyPrint missing) is logged and skipped; the other formats
    are still written. A week reported before is compared with its last
    report (which numbers changed, and the recorded reasons), and this
    report's figures are recorded for the next. Returns the paths written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s) {unknown}; known: {list(FORMATS)}")
    if week is None:
        week = latest_complete_week(store, settings.timezone, now)
        if week is None:
            raise NoDataError("no complete week with posts to report on")
    week = normal_week(week)
    fig = compute_figures(store, week, settings=settings, topic_labels=topic_labels,
                          context=context, now=now)
    local = partial(local_time, tz=ZoneInfo(settings.timezone))
    relabels = store.relabels.history()
    fig.regenerated = regenerated(store.report_log.last(week), fig, topic_labels,
                                  store.config_versions.history(), relabels, local)
    paths = write_figures(fig, formats, out_dir, settings)
    store.report_log.record(week, context.config_hash, digest(fig, len(relabels)))
    return paths


def write_figures(fig: Figures, formats: Sequence[str], out_dir: Path,
                  settings: ReportSettings) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"report-{fig.week}"
    written: list[Path] = []
    html = render_html(fig, stale_hours=settings.stale_after_hours)
    for fmt in dict.fromkeys(formats):
        if fmt == "html":
            written.append(atomic_write(stem.with_suffix(".html"), html))
        elif fmt == "md":
            written.append(atomic_write(stem.with_suffix(".md"), render_md(fig)))
        elif fmt == "csv":
            written += write_csv(fig, out_dir)
        elif fmt == "json":
            written.append(write_json(fig, stem.with_suffix(".json")))
        elif fmt == "pdf":
            try:
                written.append(write_pdf(
                    render_html(fig, stale_hours=settings.stale_after_hours, for_pdf=True),
                    stem.with_suffix(".pdf")))
            except PdfUnavailable as exc:
                log.warning("PDF not written: %s", exc)
    return written

