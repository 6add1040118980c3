"""Written reports quote example posts, so they are personal data too.

- Retention: report files (``report-<week>…`` in ``reports.out_dir``) last
  written more than ``privacy.retention_days`` ago are deleted with the posts.
- Erasure: a report that may quote an erased post (the week the post was
  written in, whose report quotes only that week's posts, or any week whose
  HTML, Markdown, CSV or JSON links to it by its stored URL or its
  handle-free link; a PDF goes with its week) is written again from what is
  left, so the quote disappears; a week with nothing left to report loses
  its files. The weeks are found before the erasure and recorded in its
  transaction (``store.report_rewrites``); ``finish_rewrites`` writes every
  recorded week and clears it once its files are written, so a crash in
  between is finished by the next ``forget``, ``purge`` (and daily
  housekeeping) or service start.
- A temporary file left by a write that was killed (``reports.files``) is
  treated as a file of its week: erasure removes it, retention deletes it.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from listener.config import Settings
from listener.platforms.registry import post_link
from reports.files import stale_temporary
from storage import Store
from storage.erasure import PostRef
from storage.timefmt import format_week, week_of

log = logging.getLogger(__name__)

_NAME = re.compile(r"^report-(\d{4}-W\d{2})(?:-[\w-]+)?\.(html|md|csv|json|pdf)$")


def _files(settings: Settings) -> list[tuple[Path, str, str]]:
    """(path, week, format) of every report file in the output folder, and of
    every temporary file a killed write left for one."""
    folder = settings.resolve(settings.reports.out_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        match = _NAME.match(stale_temporary(path.name) or path.name)
        if match and path.is_file():
            found.append((path, match[1], match[2]))
    return found


def purge_report_files(settings: Settings, before: datetime, *, dry_run: bool = False) -> int:
    """Delete (or count) report files last written before ``before``."""
    old = [p for p, _, _ in _files(settings) if p.stat().st_mtime < before.timestamp()]
    if not dry_run:
        for path in old:
            path.unlink(missing_ok=True)
    return len(old)


def weeks_quoting(settings: Settings, refs: Iterable[PostRef]) -> dict[str, set[str]]:
    """Week -> formats written, for each week whose report may quote one of
    the posts ``refs``: the posts' own weeks, and weeks linking to them."""
    refs = list(refs)
    if not refs:
        return {}
    links = [ref.url for ref in refs] + [post_link(ref.platform, ref.native_id, ref.url)
                                         for ref in refs]
    needles = {form for url in links if url for form in (url, html.escape(url))}
    zone = settings.reports.timezone
    own = {format_week(*week_of(datetime.fromisoformat(ref.created_at), zone)) for ref in refs}
    files = _files(settings)
    hit = {week for path, week, fmt in files if week in own or (
        fmt != "pdf" and needles
        and _quotes(path.read_text(encoding="utf-8", errors="replace"), needles))}
    formats: dict[str, set[str]] = {}
    for _, week, fmt in files:
        if week in hit:
            formats.setdefault(week, set()).add(fmt)
    return formats


def _quotes(text: str, needles: set[str]) -> bool:
    return any(n in text for n in needles)  # the file is read once, not once per needle


def rewrite_weeks(settings: Settings, store: Store, weeks: dict[str, set[str]]) -> int:
    """Write each week's report again from what is stored now (atomically,
    over the old files), remove the week's other files (and any temporary
    ones), and clear the week from ``store.report_rewrites``. Returns the
    number of weeks rewritten or removed."""
    if not weeks:  # most erasures: nothing to write, and no report code to import (0.4 CPU s)
        return 0
    from listener.reporting import write_weekly_report
    from reports import NoDataError

    for week, formats in weeks.items():
        try:
            kept = set(write_weekly_report(settings, store, week, formats=sorted(formats)))
        except NoDataError:
            kept = set()
            log.info("report %s had nothing left after the erasure; its files were removed",
                     week)
        for path, file_week, _ in _files(settings):
            if file_week == week and path not in kept:
                path.unlink(missing_ok=True)
        store.report_rewrites.done(week)
    return len(weeks)


def finish_rewrites(settings: Settings, store: Store) -> int:
    """Write again every report week an erasure recorded and nothing has
    written yet (after a crash, or just now). Returns the weeks done."""
    return rewrite_weeks(settings, store, store.report_rewrites.pending())
