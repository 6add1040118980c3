"""The weekly report and the daily housekeeping, as the service runs them."""

from __future__ import annotations

import importlib
import logging

from listener.config import Settings
from listener.reporting import write_weekly_report
from reports import NoDataError
from storage import Store

log = logging.getLogger(__name__)


class Unavailable(RuntimeError):
    """A housekeeping step whose code is not in this build."""


def weekly_report(settings: Settings, store: Store) -> None:
    """Write the latest complete week's report in the configured formats."""
    try:
        paths = write_weekly_report(settings, store, None)
    except NoDataError as exc:
        log.warning("weekly report: nothing to report (%s)", exc)
        return
    for path in paths:
        log.info("weekly report written: %s", path)


def housekeeping(settings: Settings, store: Store) -> None:
    """Delete what retention says is due (posts, raw payloads, quarantine,
    old report files), then re-check stored posts against their platforms
    and remove those deleted or made private there (privacy.deletion_sync)."""
    try:
        retention = importlib.import_module("listener.privacy.retention")
    except ImportError:
        raise Unavailable("retention purge is not in this build "
                          "(listener.privacy.retention missing)") from None
    retention.purge(settings, store)
    if settings.privacy.deletion_sync.enabled:
        from listener.privacy.deletion_sync import sync_deletions

        sync_deletions(settings, store)
