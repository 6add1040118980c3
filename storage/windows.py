"""Which window a report reads: the rollups when they can serve its
periods (the same time zone, whole local days, few posts still queued),
otherwise the posts themselves (``ReportWindow``). Both give the same
answers; the rollups' cost does not grow with the week."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from storage.backend import Sql
from storage.report_queries import Bounds
from storage.report_window import ReportWindow
from storage.rollup_rows import WindowRows
from storage.rollup_window import RollupWindow
from storage.rollups import Rollups

log = logging.getLogger(__name__)

Window = ReportWindow | RollupWindow
QUEUE_LIMIT = 100_000  # queued posts counted from their rows at most; beyond, read the posts


def open_window(db: Sql, periods: Sequence[Bounds], days: Sequence[Bounds],
                zone: str | None, platforms: Callable[[], list[str]]) -> Window:
    """A window over ``periods`` (UTC bounds, oldest first, not overlapping)
    and the local ``days`` of the last, counted in ``zone``."""
    def raw() -> ReportWindow:
        return ReportWindow(db, periods, days, platforms())

    rollups = Rollups(db)
    if zone is None or not periods or rollups.zone() != zone:
        log.info("report window from the posts: rollups %s", "not asked for" if zone is None
                 else f"counted in {rollups.zone()}, not {zone}")
        return raw()
    local = rollups.days()
    spans: list[tuple[str, str]] = []
    for start, end in periods:
        first, after = local.day_at(start), local.day_at(end)
        if first is None or after is None or after <= first or (spans and first <= spans[-1][1]):
            log.info("report window from the posts: periods are not whole local days")
            return raw()
        spans.append((first, (date.fromisoformat(after) - timedelta(1)).isoformat()))
    day_list = [local.day_at(start) for start, _ in days]
    if any(d is None for d in day_list):
        log.info("report window from the posts: days are not whole local days")
        return raw()
    queued = int(db.execute("SELECT count(*) FROM (SELECT 1 FROM rollup_queue LIMIT ?) q",
                            [QUEUE_LIMIT + 1]).fetchone()[0])
    if queued > QUEUE_LIMIT:
        log.warning("more than %d posts are not rolled up yet (run listener classify, or"
                    " listener rollups rebuild): the report reads the posts", QUEUE_LIMIT)
        return raw()
    rows = WindowRows.read(db, local, spans[0][0], spans[-1][1])
    log.debug("report window from the rollups: %d periods, %d queued posts", len(spans),
              queued)
    def posts_from(first: int) -> ReportWindow:  # indices shift by ``first``; days stay the last's
        return ReportWindow(db, periods[first:], days, platforms())

    return RollupWindow(db, rows, spans, [str(d) for d in day_list], posts_from, periods)
