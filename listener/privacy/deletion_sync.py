"""Platform deletion sync: stored posts are re-checked against their source,
and those deleted or made private there are removed here too.

Schedule policy (``privacy.deletion_sync``): the service runs the sync once
a day, in its housekeeping job (``service.housekeeping_time``), after the
retention purge. Each run, per platform:

1. posts never re-checked come first, oldest collected first; then posts
   whose last check is older than ``recheck_days`` (default 30), least
   recently checked first; only posts collected within ``retention_days``;
2. at most ``max_posts_per_run`` (default 5000) are asked.

So a post collected at time t is first checked at the first daily run after
t unless more than ``max_posts_per_run`` unchecked posts of its platform are
ahead of it: the first-check delay is at most
``24 h * ceil((posts ahead + 1) / max_posts_per_run)``. With the defaults
that is within 24 hours (well inside the 7-day promise, ``first_check_days``)
as long as a platform brings fewer than 5000 new posts a day (for Mastodon,
also fewer than an instance's rate limit allows, about 300 lookups per 5
minutes: a rate-limited instance is left for the next run). Every run counts
the posts still never checked ``first_check_days`` after collection and logs
a warning naming the setting to raise.

Posts of the ``sample`` source (a type whose registry entry is
``synthetic``) are synthetic, in real platforms' shapes: they exist on no
platform and are never asked about.

A platform that cannot be asked (no credentials, an error, a rate limit)
is skipped for the run; its posts stay due. X re-checks are billed reads:
each tweet returned is added to the X source's monthly ``usage`` counter,
and a run asks no more than the budget has left (collection and re-checks
share the budget; ``skip_platforms: [x]`` turns X re-checks off). Platforms
whose registry entry has no checker (RSS, file imports) have no platform to
ask.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from listener.config import Settings
from listener.platforms.deletion import Checker, Due
from listener.platforms.registry import find
from listener.privacy.checkers import build_checkers
from listener.privacy.report_files import finish_rewrites, weeks_quoting
from listener.redact import redact
from storage import Store
from storage.timefmt import iso, month_period

log = logging.getLogger(__name__)


@dataclass
class PlatformSync:
    asked: int = 0
    present: int = 0
    gone: int = 0
    uncheckable: int = 0
    unknown: int = 0
    overdue: int = 0
    error: str | None = None
    removed: dict[str, int] = field(default_factory=dict)


def sync_deletions(settings: Settings, store: Store, *, now: datetime | None = None,
                   checkers: Mapping[str, Checker] | None = None) -> dict[str, PlatformSync]:
    """One run of the re-check over every platform with stored posts."""
    policy = settings.privacy.deletion_sync
    moment = now or datetime.now(UTC)
    stamp = iso(moment)
    platforms = [p for p in store.platforms()
                 if _checkable(p) and p not in policy.skip_platforms]
    active = dict(checkers) if checkers is not None else build_checkers(settings, platforms)
    synthetic = sorted({"sample"} | {n for n, c in settings.sources.items()
                                     if _synthetic(c.type)})
    results: dict[str, PlatformSync] = {}
    for platform in platforms:
        result = results[platform] = PlatformSync()
        checker = active.get(platform)
        if checker is None:
            result.error = "no checker (credentials of a configured source not set)"
        else:
            _run_platform(settings, store, checker, result, policy.max_posts_per_run, stamp,
                          synthetic,
                          collected_after=iso(moment - timedelta(days=settings.privacy
                                                                 .retention_days)),
                          checked_before=iso(moment - timedelta(days=policy.recheck_days)))
        result.overdue = store.deletion_checks.overdue_first_checks(
            platform, iso(moment - timedelta(days=policy.first_check_days)), synthetic)
        if result.overdue:
            log.warning("deletion sync %s: %d posts not re-checked within %d days of collection;"
                        " raise privacy.deletion_sync.max_posts_per_run",
                        platform, result.overdue, policy.first_check_days)
        log.info("deletion sync %s: asked %d, present %d, gone %d (removed), uncheckable %d,"
                 " unknown %d%s", platform, result.asked, result.present, result.gone,
                 result.uncheckable, result.unknown,
                 f"; {result.error}" if result.error else "")
    if any(r.gone for r in results.values()):
        store.compact()
        rewritten = finish_rewrites(settings, store)
        if rewritten:
            log.info("deletion sync: %d weekly reports quoting removed posts written again",
                     rewritten)
    return results


def _checkable(platform: str) -> bool:
    entry = find(platform)
    return entry is not None and entry.checker is not None


def _synthetic(kind: str) -> bool:
    entry = find(kind)
    return entry is not None and entry.synthetic


def _run_platform(settings: Settings, store: Store, checker: Checker, result: PlatformSync,
                  limit: int, stamp: str,
                  synthetic: list[str], *, collected_after: str, checked_before: str) -> None:
    period = month_period(datetime.fromisoformat(stamp))
    if checker.billing is not None:
        used = store.usage.reads_used(checker.billing.source, period)
        left = checker.billing.monthly_budget - used
        if left < limit:
            result.error = (f"read budget of {checker.billing.source}: {max(left, 0)} reads "
                            "left this month")
            limit = max(left, 0)
    due = [Due(*row) for row in store.deletion_checks.due(
        checker.platform, collected_after=collected_after,
        checked_before=checked_before, limit=limit, exclude_sources=synthetic)] if limit else []
    for start in range(0, len(due), checker.batch_size):
        batch = due[start:start + checker.batch_size]
        try:
            statuses = checker.check(batch)
        except Exception as exc:  # the platform cannot be asked now: its posts stay due
            result.error = "stopped: " + redact(f"{type(exc).__name__}: {exc}")[:300]
            log.warning("deletion sync %s %s", checker.platform, result.error)
            return
        result.asked += len(batch)
        gone = [d.post_id for d in batch if statuses.get(d.native_id) == "gone"]
        seen = [d.post_id for d in batch if statuses.get(d.native_id) in ("present",
                                                                         "uncheckable")]
        present = sum(statuses.get(d.native_id) == "present" for d in batch)
        if checker.billing is not None and present:
            store.usage.add_reads(checker.billing.source, present, period)
        result.gone += len(gone)
        result.present += present
        result.uncheckable += sum(statuses.get(d.native_id) == "uncheckable" for d in batch)
        result.unknown += len(batch) - len(gone) - len(seen)
        if gone:
            weeks = weeks_quoting(settings, store.erasure.post_refs(gone))
            removed = store.erasure.forget_posts(gone, block=False, compact_after=False,
                                                 rewrites=weeks)
            result.removed = {k: result.removed.get(k, 0) + v for k, v in removed.items()}
        store.deletion_checks.mark_checked(seen, stamp)
