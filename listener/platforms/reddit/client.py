"""The praw client for the Reddit source: built read-only with a timeout on
every HTTP call, and the mapping of prawcore's exceptions onto our retry
decisions and secret-free errors."""

from __future__ import annotations

from typing import Any

import praw
import prawcore

from listener.platforms.reddit.config import RedditSourceConfig
from listener.sources.backoff import Retry, classify_http
from listener.sources.errors import SourceError, rejected


class TimeoutRequestor(prawcore.Requestor):
    """prawcore's session passes its own default timeout (16 s) on every API
    call, which would override ``Requestor(timeout=...)``; this requestor
    applies the configured timeout to every call, the token POST included."""

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        return super().request(*args, timeout=self.timeout, **kwargs)


def build_reddit(config: RedditSourceConfig, client_id: str, client_secret: str) -> praw.Reddit:
    reddit = praw.Reddit(
        client_id=client_id, client_secret=client_secret, user_agent=config.user_agent,
        check_for_updates=False, check_for_async=False,
        requestor_class=TimeoutRequestor,
        requestor_kwargs={"timeout": config.timeout_seconds},
    )
    reddit.read_only = True
    return reddit


def classify_reddit(exc: BaseException) -> Retry | None:
    """429 (Reddit's ``x-ratelimit-reset`` seconds), 5xx, 408 and connection
    errors are retried. prawcore has already retried 5xx and connection
    errors twice inside one attempt, and its rate limiter delays the next
    request when ``x-ratelimit-remaining`` reaches 0."""
    if isinstance(exc, prawcore.exceptions.ResponseException):
        return classify_http(exc.response.status_code, dict(exc.response.headers))
    if isinstance(exc, prawcore.exceptions.RequestException):
        return Retry(reason=type(exc.original_exception).__name__)
    return None


def clear_error(exc: Exception, config: RedditSourceConfig, source: str,
                path: str) -> SourceError | None:
    """A plain, secret-free error for what retrying cannot fix, or None."""
    credential = f"{config.client_id_env}/{config.client_secret_env}"
    if isinstance(exc, prawcore.exceptions.OAuthException | prawcore.exceptions.InvalidToken):
        status = exc.response.status_code
        return rejected(credential, "client id or secret", source, status)
    if isinstance(exc, prawcore.exceptions.ResponseException):
        status = exc.response.status_code
        if "access_token" in (exc.response.url or "") and status in (400, 401, 403):
            return rejected(credential, "client id or secret", source, status)
        if isinstance(exc, prawcore.exceptions.Redirect | prawcore.exceptions.NotFound):
            return SourceError(f"source {source!r}: Reddit has no {path} (HTTP {status}); "
                               "check the subreddit name")
        if isinstance(exc, prawcore.exceptions.Forbidden):
            return SourceError(f"source {source!r}: Reddit refused {path} (HTTP 403): "
                               "the subreddit is private, quarantined or banned")
    return None

