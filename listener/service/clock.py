"""Local-time rules for the calendar jobs (weekly report, housekeeping)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger

log = logging.getLogger(__name__)


class OncePerLocalDay:
    """Runs ``func`` at most once per local calendar day. APScheduler 3's
    CronTrigger fires twice when its time falls in the hour that repeats as
    the clocks go back (01:30 in Europe/London): the second is skipped."""

    def __init__(self, func: Callable[[], None], zone: ZoneInfo) -> None:
        self.func, self.zone = func, zone
        self.last: date | None = None

    def __call__(self) -> None:
        today = datetime.now(self.zone).date()
        if today == self.last:
            log.info("%s already ran today (%s, local); repeated clock hour skipped",
                     getattr(self.func, "__name__", "job"), today)
            return
        self.last = today
        self.func()


def previous_fire(trigger: BaseTrigger, now: datetime, lookback: timedelta) -> datetime | None:
    """The last time ``trigger`` fired at or before ``now`` (within ``lookback``)."""
    moment = trigger.get_next_fire_time(None, now - lookback)
    last = None
    while moment is not None and moment <= now:
        last = moment
        moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return last
