"""The weekly report and the daily housekeeping, as the service runs them."""

from __future__ import annotations

import logging

from listener.config import Settings
from storage import Store

log = logging.getLogger(__name__)


def weekly_report(settings: Settings, store: Store) -> None:
    raise NotImplementedError("weekly report: waiting for reports.write_report")


def housekeeping(settings: Settings, store: Store) -> None:
    raise NotImplementedError("housekeeping: waiting for listener.privacy.retention.purge")
