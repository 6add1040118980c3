"""Which platforms can be asked, and with what credentials: the first
configured source of each type (enabled ones first) names the variables."""

from __future__ import annotations

import os

from listener.config import Settings
from listener.privacy.checkers import Billing, Checker
from listener.sources.config import MastodonSourceConfig, RedditSourceConfig, XSourceConfig


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def build_checkers(settings: Settings, platforms: list[str]) -> dict[str, Checker]:
    """A checker for each platform in ``platforms`` that can be asked, with
    credentials from the variables the first configured source of that type
    names (enabled sources first)."""
    checkers: dict[str, Checker] = {}
    sources = sorted(settings.sources.values(), key=lambda c: not c.enabled)
    x_cfg = next((c for c in sources if isinstance(c, XSourceConfig)), None)
    reddit_cfg = next((c for c in sources if isinstance(c, RedditSourceConfig)), None)
    masto_cfg = next((c for c in sources if isinstance(c, MastodonSourceConfig)), None)
    if "x" in platforms and x_cfg is not None and (token := _env(x_cfg.bearer_token_env)):
        from listener.privacy.checkers.x import XChecker
        x_name = next(n for n, c in settings.sources.items() if c is x_cfg)
        checkers["x"] = XChecker(token, Billing(x_name, x_cfg.monthly_read_budget))
    if "reddit" in platforms and reddit_cfg is not None:
        cid, secret = _env(reddit_cfg.client_id_env), _env(reddit_cfg.client_secret_env)
        if cid and secret:
            from listener.privacy.checkers.reddit import RedditChecker
            checkers["reddit"] = RedditChecker(cid, secret, reddit_cfg.user_agent,
                                               reddit_cfg.timeout_seconds)
    if "mastodon" in platforms:
        from listener.privacy.checkers.mastodon import MastodonChecker
        checkers["mastodon"] = MastodonChecker(masto_cfg.timeout_seconds if masto_cfg else 30.0)
    if "bluesky" in platforms:
        from listener.privacy.checkers.bluesky import BlueskyChecker
        checkers["bluesky"] = BlueskyChecker(settings.privacy.deletion_sync.bluesky_appview)
    return checkers
