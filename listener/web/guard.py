"""Defence in depth for the web page, independent of Datasette's settings.

1. The SQLite authorizer installed on every connection the web server
   opens lives with the schema, in ``storage.page_access``: SQLite itself
   refuses any statement that reads a table or column outside what the
   page needs, and any statement that writes.
2. ``route_guard``: an ASGI wrapper that lets through only the paths the page
   needs (everything else, including Datasette's table, SQL, metadata,
   plugin-static and debug pages, is 404 with one log line), drops any
   ``Authorization`` header and any ``ds_actor`` cookie (a log-in is a
   server-side session only: ``listener.web.sessions``), and adds headers
   that keep the page out of frames and keep search words out of the
   Referer sent to the original sites.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


def allowed_paths(database: str) -> re.Pattern[str]:
    db = re.escape(database)
    return re.compile(
        r"^/(?:"
        r"|-/login|-/logout|-/export\.csv|favicon\.ico|-/unanswered|-/audit|-/audit/\d+"
        r"|-/actions|-/actions/\d+|-/post"
        r"|-/static/[\w.\-/]+"
        rf"|{db}|{db}/q_[a-z_]+(?:\.csv|\.json)?"
        r")$"
    )


_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]


_DROPPED_COOKIES = frozenset({"ds_actor"})


def _request_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The request's headers without ``Authorization`` and without the
    cookies in ``_DROPPED_COOKIES``."""
    out = []
    for key, value in headers:
        name = key.lower()
        if name == b"authorization":
            continue
        if name == b"cookie":
            kept = [part for part in value.split(b";")
                    if part.split(b"=", 1)[0].strip() not in
                    {c.encode() for c in _DROPPED_COOKIES}]
            if not any(part.strip() for part in kept):
                continue
            value = b";".join(kept).strip()
        out.append((key, value))
    return out


def route_guard(app: ASGIApp, database: Callable[[], str | None]) -> ASGIApp:
    """Guard ``app``; ``database`` names the served database (None: the
    instance is not ours, and the guard steps aside)."""

    async def guarded(scope: Scope, receive: Any, send: Any) -> None:
        name = database()
        if scope["type"] != "http" or name is None:
            await app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path.rstrip("/") == f"/{name}":
            # Datasette's database page lists tables the page may not open:
            # send people to the search page instead
            await send({"type": "http.response.start", "status": 302,
                        "headers": [(b"location", b"/"), *_HEADERS]})
            await send({"type": "http.response.body", "body": b""})
            return
        if not allowed_paths(name).match(path):
            log.info("404 %s %s: not a page of this site", scope.get("method", ""),
                     ascii(path[:200]))
            await send({"type": "http.response.start", "status": 404,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                    *_HEADERS]})
            await send({"type": "http.response.body", "body": b"Not found"})
            return
        scope = dict(scope)
        scope["headers"] = _request_headers(scope.get("headers", []))

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        await app(scope, receive, send_with_headers)

    return guarded
