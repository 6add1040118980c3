"""Mastodon: ``GET /api/v1/statuses/:id`` on the status's home instance
through Mastodon.py (one call a status, no token: what the public can see).
A deleted status answers 404 (``MastodonNotFoundError``) or 410 Gone
(a ``MastodonAPIError`` with that status); one made followers-only or private answers 404 too.
A stored post is keyed on its ActivityPub uri
``https://<instance>/users/<name>/statuses/<id>``; another uri form (other
server software) is ``uncheckable``. An instance that fails (down, rate
limit) is skipped for the rest of the run; its statuses stay due."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mastodon import Mastodon, MastodonAPIError, MastodonError, MastodonNotFoundError

from listener.platforms.deletion import Billing, Due, Status, configured

if TYPE_CHECKING:
    from listener.config import Settings

_URI = re.compile(r"^https://(?P<host>[^/]+)/users/[^/]+/statuses/(?P<id>\d+)$")


class MastodonChecker:
    platform = "mastodon"
    billing: Billing | None = None
    batch_size = 40

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._clients: dict[str, Mastodon] = {}

    def _client(self, host: str) -> Mastodon:
        if host not in self._clients:
            self._clients[host] = Mastodon(api_base_url=f"https://{host}",
                                           request_timeout=self._timeout,
                                           ratelimit_method="throw", version_check_mode="none")
        return self._clients[host]

    def check(self, batch: Sequence[Due]) -> dict[str, Status]:
        out: dict[str, Status] = {}
        failed: set[str] = set()  # an instance that errs is left for the next run
        for due in batch:
            found = _URI.match(due.native_id)
            if found is None:
                out[due.native_id] = "uncheckable"
                continue
            if found["host"] in failed:
                continue
            try:
                self._client(found["host"]).status(found["id"])
            except MastodonNotFoundError:
                out[due.native_id] = "gone"
            except MastodonAPIError as exc:
                if len(exc.args) > 1 and exc.args[1] == 410:
                    out[due.native_id] = "gone"
                else:
                    failed.add(found["host"])
            except MastodonError:
                failed.add(found["host"])
            else:
                out[due.native_id] = "present"
        return out


def make_checker(settings: Settings) -> MastodonChecker:
    """Public lookups need no token; the timeout of the first Mastodon source."""
    sources = configured(settings, "mastodon")
    return MastodonChecker(sources[0][1].timeout_seconds if sources else 30.0)
