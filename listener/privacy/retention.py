"""Retention: what is past its period is deleted, from every table and the
full-text index, by the daily housekeeping job and ``listener purge``.

- posts (with their matches, labels, label state, raw payload, full-text
  entry and any cached row keyed by post id): ``privacy.retention_days``
  after the post was created;
- raw payloads and quarantined items: ``privacy.raw_retention_days`` after
  they were retrieved;
- written report files (they quote example posts): ``privacy.retention_days``
  after they were last written;
- the block lists are kept: an objection must outlive the posts it removed;
- posts dated more than ``FUTURE_TOLERANCE`` (24 hours) in the future, which
  would never reach their period (stored before such posts were quarantined
  on the way in), are moved to the quarantine with the reason.

A purge also finishes any report rewrite an erasure recorded but a crash
left unwritten (``report_files.finish_rewrites``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from listener.config import Settings
from listener.normalise.storable import FUTURE_TOLERANCE
from listener.privacy.report_files import finish_rewrites, purge_report_files
from storage import Store
from storage.timefmt import iso

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeReport:
    posts_before: str
    raw_before: str
    counts: dict[str, int]
    dry_run: bool

    def lines(self) -> list[str]:
        verb = "would delete" if self.dry_run else "deleted"
        head = (f"retention: {verb} posts created before {self.posts_before} and raw "
                f"payloads/quarantine received before {self.raw_before}")
        return [head] + [f"  {table}: {n}" for table, n in self.counts.items()
                         if table != "compacted"]


def cutoffs(settings: Settings, now: datetime | None = None) -> tuple[str, str]:
    moment = now or datetime.now(UTC)
    return (iso(moment - timedelta(days=settings.privacy.retention_days)),
            iso(moment - timedelta(days=settings.privacy.raw_retention_days)))


def purge(settings: Settings, store: Store, *, now: datetime | None = None,
          dry_run: bool = False) -> PurgeReport:
    """Delete (or, with ``dry_run``, count) everything past retention; log
    the counts per table. Called daily by the service's housekeeping job."""
    posts_before, raw_before = cutoffs(settings, now)
    counts = store.retention.purge_expired(posts_before=posts_before, raw_before=raw_before,
                                           dry_run=dry_run)
    counts["future_dated_quarantined"] = store.retention.quarantine_future(
        after=iso((now or datetime.now(UTC)) + FUTURE_TOLERANCE), dry_run=dry_run)
    counts["report_files"] = purge_report_files(
        settings, datetime.fromisoformat(posts_before), dry_run=dry_run)
    if not dry_run:  # an erasure's report rewrite that a crash left unfinished
        counts["report_weeks_rewritten"] = finish_rewrites(settings, store)
    report = PurgeReport(posts_before, raw_before, counts, dry_run)
    log.info("retention %s: %s", "dry run" if dry_run else "purge",
             ", ".join(f"{table}={n}" for table, n in counts.items()))
    return report
