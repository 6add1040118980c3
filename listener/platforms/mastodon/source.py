"""Mastodon: hashtag timelines on several instances, with Mastodon.py.

Mastodon offers hashtag timelines, not keyword search. For each (instance,
hashtag) the source walks forward with ``min_id``: the server returns the
page of statuses just above ``min_id`` (contiguous, newest first), and the
highest id of that page is the next ``min_id``. That id is the cursor saved
with the page, so a kill between pages loses nothing and repeats nothing
(``since_id`` would return the *newest* page and skip what lies between).
The first run starts ``backfill_hours`` back (Mastodon ids are time-ordered
snowflakes, so Mastodon.py turns a datetime into an id). Later runs start
``lookback_minutes`` below the cursor: a status that federates late gets an
id from its publication time, below a cursor that already passed it.

Payloads are the status objects exactly as the server sent them (the JSON
of the response, captured with a requests hook): Mastodon.py's typed objects
turn timestamps into datetimes and silently null a malformed one, which would
hide the very error quarantine should keep. The normaliser keys statuses on
``uri``, so a status seen on several instances is stored once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonNetworkError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from listener import __version__
from listener.platforms.mastodon.config import MastodonSourceConfig
from listener.platforms.mastodon.split import split_statuses
from listener.sources.backoff import (
    Retry,
    RetryPolicy,
    call_with_retry,
    classify_http,
    server_now,
)
from listener.sources.base import Page
from listener.sources.errors import CredentialError, SourceError, rejected, require_env

log = logging.getLogger(__name__)


def _id_key(status_id: str) -> tuple[int, str]:
    """Mastodon ids are decimal snowflakes: compare by length, then text."""
    return (len(status_id), status_id)


class _Instance:
    """One instance's client, remembering the last response it received."""

    def __init__(self, host: str, token: str | None, timeout: float) -> None:
        self.host = host
        self.last: requests.Response | None = None
        session = requests.Session()
        session.hooks["response"].append(self._remember)
        self.client = Mastodon(
            api_base_url=host, access_token=token, request_timeout=timeout,
            ratelimit_method="throw", version_check_mode="none", session=session,
            user_agent=f"civic-listener/{__version__}",
        )

    def _remember(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.last = response

    def headers(self) -> Mapping[str, str]:
        return self.last.headers if self.last is not None else {}


class MastodonSource:
    platform = "mastodon"

    def __init__(self, name: str, config: MastodonSourceConfig) -> None:
        self.name = name
        self.config = config
        self.sleep: Callable[[float], None] = time.sleep
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._tokens = {
            host: require_env(var, f"access token for {host}", name)
            for host, var in config.access_tokens.items()
        }

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        failures: list[str] = []
        for host in self.config.instances:
            instance = _Instance(host, self._tokens.get(host), self.config.timeout_seconds)
            for tag in self.config.hashtags:
                def fetch(min_id: str | datetime, tag: str = tag,
                          instance: _Instance = instance) -> Any:
                    return self._fetch(instance, lambda: instance.client.timeline_hashtag(
                        tag, min_id=min_id, limit=self.config.page_size),
                        "/timelines/tag/", f"#{tag}")

                try:
                    yield from self._walk(instance, f"{host}#{tag}", cursor, fetch, f"#{tag}",
                                          f"/api/v1/timelines/tag/{tag}")
                except CredentialError:
                    raise
                except Exception as exc:  # one instance down must not hide the others
                    failures.append(f"{host} #{tag}: {type(exc).__name__}: {exc}")
                    log.warning("source %s: %s", self.name, failures[-1])
                    break  # the next tag on a failing instance would fail the same way
        if failures:
            raise SourceError(f"source {self.name!r}: " + "; ".join(failures))

    def _walk(self, instance: _Instance, key: str, cursor: Mapping[str, str],
              fetch: Callable[[str | datetime], list[Any]], query: str, endpoint: str,
              *, statuses: Callable[[list[Any]], list[Any]] = lambda raw: raw,
              addressed: bool = False) -> Iterator[Page]:
        """Walk one newest-first list (a tag timeline, an account's statuses,
        its notifications) forward from the saved ``min_id`` (cursor ``key``);
        ``statuses`` turns a page of the list into the statuses it carries."""
        saved = cursor.get(key) or None
        min_id: str | datetime = _looked_back(saved, self.config.lookback_minutes) if saved \
            else self.clock() - timedelta(hours=self.config.backfill_hours)
        for _ in range(self.config.max_pages):
            raw = fetch(min_id)
            if not raw:
                return
            ids = [str(s["id"]) for s in raw if isinstance(s, dict) and s.get("id") is not None]
            if not ids:
                raise SourceError(f"{instance.host} {query}: a page without ids")
            newest = max([*ids, saved] if saved else ids, key=_id_key)  # never moves back
            yield Page(
                platform=self.platform,
                items=split_statuses(statuses(raw)),
                query=query,
                cursor={key: newest},
                request={"instance": instance.host, "endpoint": endpoint,
                         "min_id": _show(min_id), "limit": self.config.page_size},
                addressed=addressed,
            )
            min_id = newest
        log.info("source %s: %s %s stopped at max_pages=%d; the next run continues",
                 self.name, instance.host, query, self.config.max_pages)

    def _fetch(self, instance: _Instance, request: Callable[[], Any], path: str,
               what: str) -> Any:
        """One call through Mastodon.py, returning the JSON exactly as the
        server sent it (the response whose URL holds ``path``)."""
        def call() -> Any:
            instance.last = None
            request()
            if instance.last is None or path not in (instance.last.url or ""):
                raise SourceError(f"{instance.host}: no {what} response was received")
            body = instance.last.json()
            if not isinstance(body, list | dict):
                raise SourceError(f"{instance.host}: {what} is not JSON")
            return body

        try:
            return call_with_retry(
                call, classify=lambda exc: self._classify(exc, instance),
                policy=RetryPolicy(max_attempts=self.config.max_attempts,
                                   max_wait_seconds=self.config.max_wait_seconds),
                sleep=self.sleep, describe=f"{self.name}: {instance.host} {what}",
            )
        except (MastodonUnauthorizedError, MastodonAPIError) as exc:
            status = _status(exc)
            if status in (401, 403):
                raise self._refused(instance.host, status) from None
            raise

    def _refused(self, host: str, status: int | None) -> Exception:
        """The plain error for a 401 or 403 from ``host``."""
        var = self.config.access_tokens.get(host)
        if var:
            return rejected(var, f"access token for {host}", self.name, status)
        return SourceError(
            f"source {self.name!r}: {host} refused its hashtag timeline without"
            f" a token (HTTP {status}); add it to access_tokens with a token variable")

    def _classify(self, exc: BaseException, instance: _Instance) -> Retry | None:
        headers = instance.headers()
        now = server_now(headers, time.time())
        if isinstance(exc, MastodonRatelimitError):
            return classify_http(429, headers, now)
        if isinstance(exc, MastodonNetworkError):  # connection errors and timeouts
            return Retry(reason=str(exc).split(":")[0] or "network error")
        if isinstance(exc, MastodonServerError | MastodonAPIError):
            return classify_http(_status(exc), headers, now)
        return None


def _looked_back(saved: str, minutes: int) -> str:
    """The saved id moved ``minutes`` back. Mastodon gives a status that
    arrives by federation an id from the time it was *published*, so one that
    arrives late lands below a cursor that already passed that time; each run
    re-reads this margin (what is already stored is not stored again). Ids
    that are not Mastodon snowflakes are left as they are."""
    if not saved.isdigit() or minutes <= 0 or len(saved) < 15:
        return saved
    return str(max(0, int(saved) - ((minutes * 60_000) << 16)))


def _status(exc: BaseException) -> int | None:
    """Mastodon.py's API errors carry (message, status, reason, error)."""
    args: tuple[Any, ...] = tuple(getattr(exc, "args", ()))
    return args[1] if len(args) > 1 and isinstance(args[1], int) else None


def _show(min_id: str | datetime) -> str:
    return min_id.isoformat() if isinstance(min_id, datetime) else min_id
