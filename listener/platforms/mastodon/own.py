"""The body's own Mastodon account (``engagement.channels.mastodon``),
through Mastodon.py against its home instance:

- its statuses (``GET /api/v1/accounts/:id/statuses``, walked forward by
  ``min_id`` like a tag timeline); a status of the body that answers someone
  comes with the thread above it (``GET /api/v1/statuses/:id/context``);
- the replies to its statuses of the last ``replies_window_days``: the
  context of each (descendants), read again every run, so a reply that comes
  days later is found;
- with a token of the account, its mentions (``GET /api/v1/notifications``
  of type ``mention``), each marked addressed to the body.

A status's ``in_reply_to_id`` is the id of its parent on this instance, not
the parent's ``uri`` (the key posts are stored under), so each status is
given ``in_reply_to_uri`` where the parent is known: a status of the same
context, or one of the body's (whose uri is the account's uri and that id).
The account id and the body's recent statuses are kept in the cursor.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from listener.platforms.mastodon.config import MastodonOwnConfig
from listener.platforms.mastodon.source import MastodonSource, _Instance
from listener.platforms.mastodon.split import split_statuses
from listener.sources.base import Page
from listener.sources.errors import SourceError, rejected, require_env

log = logging.getLogger(__name__)


class MastodonOwnSource(MastodonSource):
    def __init__(self, name: str, config: MastodonOwnConfig) -> None:
        self.name = name
        self.config = config  # type: ignore[assignment]
        self.own = config
        self.sleep: Callable[[float], None] = time.sleep
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._token = (require_env(config.access_token_env, "access token", name)
                       if config.access_token_env else None)

    def _refused(self, host: str, status: int | None) -> Exception:
        if self.own.access_token_env:
            return rejected(self.own.access_token_env, "access token", self.name, status)
        return SourceError(f"source {self.name!r}: {host} refused a public read (HTTP "
                           f"{status}); set access_token_env to a token of the account")

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        host, user = self.own.host, self.own.account.split("@")[0]
        instance = _Instance(host, self._token, self.own.timeout_seconds)
        account = self._fetch(instance, lambda: instance.client.account_lookup(user),
                              "/accounts/lookup", "account lookup")
        if not isinstance(account, dict) or account.get("id") is None:
            raise SourceError(f"source {self.name!r}: {host} has no account {user!r}")
        me = _Me(str(account["id"]), str(account.get("uri") or f"https://{host}/users/{user}"))
        recent: dict[str, str] = json.loads(cursor.get("recent") or "{}")
        state = {"recent": ""}

        def remember(raw: list[Any]) -> list[Any]:
            statuses = self._with_threads(instance, me, raw)
            for status in raw:
                if isinstance(status, dict) and status.get("id") and status.get("created_at"):
                    recent[str(status["id"])] = str(status["created_at"])
            return statuses

        def saved(page: Page) -> Page:
            state["recent"] = json.dumps(self._window(recent), separators=(",", ":"))
            page.cursor["recent"] = state["recent"]
            return page

        statuses = f"/accounts/{me.id}/statuses"
        yield from map(saved, self._walk(
            instance, "statuses", cursor,
            lambda min_id: self._fetch(instance, lambda: instance.client.account_statuses(
                me.id, min_id=min_id, limit=self.own.page_size), statuses, "statuses"),
            f"@{self.own.account}", f"/api/v1{statuses}", statuses=remember))
        for status_id in self._window(recent):
            context = self._context(instance, status_id)
            replies = _annotated(me, context.get("descendants") or [], context, status_id)
            if replies:
                yield saved(Page(self.platform, split_statuses(replies),
                                 query=f"@{self.own.account} replies",
                                 request={"instance": host,
                                          "endpoint": f"/api/v1/statuses/{status_id}/context"}))
        if self._token is not None:
            yield from map(saved, self._walk(
                instance, "notifications", cursor,
                lambda min_id: self._fetch(instance, lambda: instance.client.notifications(
                    types=["mention"], min_id=min_id, limit=self.own.page_size),
                    "/notifications", "notifications"),
                f"@{self.own.account} mentions", "/api/v1/notifications",
                statuses=lambda raw: _annotated(me, [
                    n["status"] for n in raw if isinstance(n, dict)
                    and n.get("type") == "mention" and isinstance(n.get("status"), dict)]),
                addressed=True))

    def _window(self, recent: dict[str, str]) -> dict[str, str]:
        """The body's statuses recent enough to be read again for replies."""
        since = self.clock() - timedelta(days=self.own.replies_window_days)
        return {i: t for i, t in recent.items()
                if datetime.fromisoformat(t.replace("Z", "+00:00")) >= since}

    def _context(self, instance: _Instance, status_id: str) -> dict[str, Any]:
        body = self._fetch(instance, lambda: instance.client.status_context(status_id),
                           f"/statuses/{status_id}/context", "context")
        return body if isinstance(body, dict) else {}

    def _with_threads(self, instance: _Instance, me: _Me, raw: list[Any]) -> list[Any]:
        """The body's statuses, each answer preceded by the thread above it."""
        out: list[Any] = []
        for status in raw:
            if not isinstance(status, dict):
                out.append(status)
                continue
            parent = status.get("in_reply_to_id")
            if parent is not None and str(status.get("in_reply_to_account_id")) != me.id:
                context = self._context(instance, str(status["id"]))
                out += _annotated(me, context.get("ancestors") or [], context)
                status = _annotated(me, [status], context)[0]
            else:
                status = _annotated(me, [status])[0]
            out.append(status)
        return out


class _Me:
    def __init__(self, account_id: str, uri: str) -> None:
        self.id, self.uri = account_id, uri.rstrip("/")


def _annotated(me: _Me, statuses: list[Any], context: Mapping[str, Any] | None = None,
               focus: str | None = None) -> list[Any]:
    """The statuses, each with ``in_reply_to_uri`` where its parent is known."""
    uris: dict[str, str] = {}
    for status in [*(context or {}).get("ancestors", []), *(context or {}).get("descendants", []),
                   *statuses]:
        if isinstance(status, dict) and status.get("id") and status.get("uri"):
            uris[str(status["id"])] = str(status["uri"])
    if focus is not None:
        uris.setdefault(focus, f"{me.uri}/statuses/{focus}")
    out = []
    for status in statuses:
        if isinstance(status, dict) and status.get("in_reply_to_id") is not None:
            parent = str(status["in_reply_to_id"])
            known = uris.get(parent) or (f"{me.uri}/statuses/{parent}" if str(
                status.get("in_reply_to_account_id")) == me.id else None)
            if known:
                status = {**status, "in_reply_to_uri": known}
        out.append(status)
    return out
