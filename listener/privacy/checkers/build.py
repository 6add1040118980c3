"""Which platforms can be asked, and with what credentials: the first
configured source of each type (enabled ones first) names the variables.
A platform whose client library is not installed (the ``live`` extra) or
whose credentials are not set gets no checker; its posts stay due."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from listener.config import Settings
from listener.privacy.checkers import Billing, Checker
from listener.sources.config import MastodonSourceConfig, RedditSourceConfig, XSourceConfig

log = logging.getLogger(__name__)


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def _factories(settings: Settings) -> dict[str, Callable[[], Checker | None]]:
    sources = sorted(settings.sources.items(), key=lambda item: not item[1].enabled)
    x = next(((n, c) for n, c in sources if isinstance(c, XSourceConfig)), None)
    reddit = next((c for _, c in sources if isinstance(c, RedditSourceConfig)), None)
    masto = next((c for _, c in sources if isinstance(c, MastodonSourceConfig)), None)

    def make_x() -> Checker | None:
        token = _env(x[1].bearer_token_env) if x else None
        if x is None or token is None:
            return None
        from listener.privacy.checkers.x import XChecker
        return XChecker(token, Billing(x[0], x[1].monthly_read_budget))

    def make_reddit() -> Checker | None:
        if reddit is None:
            return None
        cid, secret = _env(reddit.client_id_env), _env(reddit.client_secret_env)
        if not (cid and secret):
            return None
        from listener.privacy.checkers.reddit import RedditChecker
        return RedditChecker(cid, secret, reddit.user_agent, reddit.timeout_seconds)

    def make_mastodon() -> Checker | None:
        from listener.privacy.checkers.mastodon import MastodonChecker
        return MastodonChecker(masto.timeout_seconds if masto else 30.0)

    def make_bluesky() -> Checker | None:
        from listener.privacy.checkers.bluesky import BlueskyChecker
        return BlueskyChecker(settings.privacy.deletion_sync.bluesky_appview)

    return {"x": make_x, "reddit": make_reddit, "mastodon": make_mastodon,
            "bluesky": make_bluesky}


def build_checkers(settings: Settings, platforms: list[str]) -> dict[str, Checker]:
    """A checker for each platform in ``platforms`` that can be asked."""
    checkers: dict[str, Checker] = {}
    for platform, make in _factories(settings).items():
        if platform not in platforms:
            continue
        try:
            checker = make()
        except ImportError as exc:
            log.warning("deletion sync %s: client library not installed (%s); install the "
                        "'live' extra", platform, exc.name)
            continue
        if checker is not None:
            checkers[platform] = checker
    return checkers
