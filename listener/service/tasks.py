"""The weekly report and the daily housekeeping, as the service runs them."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from listener import deliveries
from listener.config import Settings
from listener.privacy.deletion_sync import sync_deletions
from listener.privacy.retention import purge
from listener.reporting import check_alerts, write_weekly_report
from listener.routing.digest import send_digests
from reports import NoDataError, latest_complete_week
from storage import Store

log = logging.getLogger(__name__)


class HousekeepingIncomplete(RuntimeError):
    """Housekeeping ran, but a platform's deletion re-check did not."""


def weekly_report(settings: Settings, store: Store) -> None:
    """Write the latest complete week's report in the configured formats, and
    e-mail it (a delivery recorded first: a failure is retried by the
    ``deliveries`` job, not lost until next week)."""
    week = latest_complete_week(store, ZoneInfo(settings.reports.timezone))
    if week is None:
        log.warning("weekly report: nothing to report (no complete week with posts)")
        return
    try:
        paths = write_weekly_report(settings, store, week)
    except NoDataError as exc:
        log.warning("weekly report: nothing to report (%s)", exc)
        return
    for path in paths:
        log.info("weekly report written: %s", path)
    if settings.reports.email.to:
        sent = deliveries.deliver_report(settings, store, week, paths)
        log.info("weekly report %s e-mail: %s", week, sent.state)


def daily_alerts(settings: Settings, store: Store) -> None:
    """The emerging-issue check for yesterday; each topic alerted at most once
    a day on each channel. Runs only when an alert channel is configured."""
    if not deliveries.alert_channels(settings):
        return
    for result in check_alerts(settings, store):
        states = "; ".join(f"{c}: {s}" for c, s in result.states.items())
        log.info("alert: %s [%s]", result.alert.text, states)


def deliver_due(settings: Settings, store: Store) -> None:
    """Send whatever delivery is pending or failed (the ``deliveries`` job)."""
    for outcome in deliveries.deliver_due(settings, store):
        d = outcome.delivery
        log.info("delivery %s %s by %s: %s", d.kind, d.key, d.channel,
                 "sent" if outcome.sent else f"failed again ({outcome.error})")


def team_digests(settings: Settings, store: Store, teams: list[str]) -> list[str]:
    """Send these teams their digests; what failed, in words (its posts
    wait for the next run)."""
    errors = []
    for r in send_digests(settings, store, teams=teams):
        if r.error:
            errors.append(f"digest for {r.team} by {r.channel}: {r.error}")
        elif r.sent:
            log.info("digest for %s by %s: %d posts", r.team, r.channel, r.posts)
    return errors


def housekeeping(settings: Settings, store: Store) -> None:
    """Delete what retention says is due (posts with everything keyed to
    them, raw payloads, quarantine, old report files), then re-check stored
    posts against their platforms so that deleted posts go here too.

    A platform whose re-check could not run makes the job fail visibly
    (``listener status --check``) after the rest is done: a post deleted
    on the platform and kept here is a privacy problem, not a detail."""
    purge(settings, store)
    if not settings.privacy.deletion_sync.enabled:
        return
    results = sync_deletions(settings, store)
    for platform, result in results.items():
        log.info("deletion sync %s: %d asked, %d gone and removed, %d unknown", platform,
                 result.asked, result.gone, result.unknown)
    failed = {p: r.error for p, r in results.items() if r.error}
    if failed:
        raise HousekeepingIncomplete("deletion re-check did not run for " + "; ".join(
            f"{platform}: {error}" for platform, error in failed.items()))
