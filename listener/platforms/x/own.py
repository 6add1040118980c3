"""The body's own X account (``engagement.channels.x``): its timeline
(``GET /2/users/:id/tweets``, its posts and its replies to residents) and its
mentions (``GET /2/users/:id/mentions``: residents' replies to its posts and
every post naming it), through tweepy, with the expansions of the search
source so that each page splits and normalises the same way. Replies are
linked by ``referenced_tweets`` (``replied_to``) and ``conversation_id``.

Each stream is walked like a search query (``XSource._walk``: newest down to
the saved ``since_id``, resumable at ``next_token``), under the cursor keys
``timeline`` and ``mentions``. The account's numeric id is looked up once
(``GET /2/users/by/username/:username``) unless configured, and kept in the
cursor. Every read counts against this channel's monthly read budget in the
``usage`` table (the lookup as one read), and the mentions page is marked
addressed to the body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from listener.platforms.x.config import XOwnConfig
from listener.platforms.x.source import XSource
from listener.sources.base import Page
from listener.sources.errors import SourceError
from storage.timefmt import month_period

API = "https://api.twitter.com/2"


class XOwnSource(XSource):
    """The timeline and the mentions of the body's X account."""

    def __init__(self, name: str, config: XOwnConfig) -> None:
        super().__init__(name, config)  # type: ignore[arg-type]
        self.own = config

    def _user_id(self, cursor: Mapping[str, str]) -> str:
        if self.own.user_id:
            return self.own.user_id
        if cursor.get("user_id"):
            return cursor["user_id"]
        if self._reads_left() <= 0:
            raise SourceError(f"source {self.name!r}: the monthly X read budget is spent")
        body = self._call(lambda: self.client.get_user(username=self.own.account.lstrip("@")),
                          f"X user lookup {self.own.account!r}")
        assert self.usage is not None
        self.usage.add_reads(self.name, 1, month_period())
        data = body.get("data")
        if not isinstance(data, dict) or not str(data.get("id", "")).isdigit():
            raise SourceError(f"source {self.name!r}: X has no user {self.own.account!r}")
        return str(data["id"])

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        user = self._user_id(cursor)
        streams: tuple[tuple[str, Callable[..., Any], bool], ...] = (
            ("tweets", self.client.get_users_tweets, False),  # its posts and its replies
            ("mentions", self.client.get_users_mentions, True),  # replies to it, mentions
        )
        for kind, method, addressed in streams:
            def fetch(params: dict[str, Any], method: Callable[..., Any] = method,
                      kind: str = kind) -> dict[str, Any]:
                return self._call(lambda: method(user, **params), f"X {kind} of {user}")

            key = "timeline" if kind == "tweets" else kind
            walk = self._walk(key, cursor, fetch, "pagination_token",
                              {"endpoint": f"GET {API}/users/{user}/{kind}"},
                              addressed=addressed)
            for page in walk:
                page.cursor["user_id"] = user  # the looked-up id, kept with every page
                yield page
            if self._reads_left() <= 0:
                return
