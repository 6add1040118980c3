"""The tweepy client for the X source: a timeout on every HTTP call, and the
mapping of tweepy's exceptions onto retry decisions."""

from __future__ import annotations

from typing import Any

import requests
import tweepy

from listener.sources.backoff import Retry, classify_http


class TimeoutSession(requests.Session):
    """tweepy has no timeout option: every request through this session gets one."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, method: str, url: str,  # type: ignore[override]
                *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


def usage_capped(exc: BaseException) -> bool:
    """X's 429 for a plan's monthly cap (``UsageCapExceeded``), which waiting
    for the rate-limit window does not lift."""
    if not isinstance(exc, tweepy.TooManyRequests):
        return False
    try:
        body = exc.response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and (
        body.get("title") == "UsageCapExceeded" or "usage-capped" in str(body.get("type", "")))


def classify_x(exc: BaseException) -> Retry | None:
    """429 (with X's ``x-rate-limit-reset``), 5xx and connection errors retry;
    a monthly usage cap does not."""
    if usage_capped(exc):
        return None
    if isinstance(exc, tweepy.TooManyRequests | tweepy.TwitterServerError):
        response = exc.response
        return classify_http(response.status_code, dict(response.headers))
    if isinstance(exc, requests.ConnectionError | requests.Timeout):
        return Retry(reason=type(exc).__name__)
    return None
