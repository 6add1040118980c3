"""A canary value in every credential variable never reaches a log record,
a stored run, the quarantine (or any other table) or an exception message,
after collections that fail in several ways."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
import requests
import responses

from listener import pipeline
from listener.config import Settings, parse_settings
from listener.platforms.x.source import XSource
from listener.sources.errors import SourceError
from storage import Store
from tests.listener.platforms.recorded.reddit_bodies import (
    OAUTH,
    TOKEN_URL,
    listing,
    rate_headers,
    submission,
    token_body,
)
from tests.listener.platforms.recorded.x_bodies import SEARCH_URL, UNAUTHORIZED, page, tweet, user

CONFIG = """
storage:
  path: data/canary.db
sources:
  x_bins:
    type: x
    enabled: true
    queries: ["bins lang:en"]
    max_attempts: 2
  reddit_leeds:
    type: reddit
    enabled: true
    subreddits: [Leeds]
    max_attempts: 2
  mastodon_uk:
    type: mastodon
    instances: [mastodon.social]
    hashtags: [potholes]
    access_tokens: {mastodon.social: MASTODON_ACCESS_TOKEN}
  bluesky_search:
    type: bluesky
    queries: [pothole]
"""


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    return parse_settings(CONFIG, str(tmp_path / "config.yaml"), check_credentials=False)


@pytest.fixture
def canaries(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    names = {settings.privacy.key_env}
    for cfg in settings.sources.values():
        names |= set(cfg.credential_env().values())
    values = {name: f"CANARY{i}-{name}-c4n4ry-f00d{i:02d}" for i, name in enumerate(sorted(names))}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    assert {"X_BEARER_TOKEN", "REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "BLUESKY_HANDLE",
            "BLUESKY_APP_PASSWORD", "MASTODON_ACCESS_TOKEN",
            "CIVIC_LISTENER_PSEUDONYM_KEY"} <= set(values)
    return values


def every_text_in(store: Store) -> str:
    parts: list[str] = []
    tables = [r[0] for r in store.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    for table in tables:
        for row in store.db.execute(f"SELECT * FROM [{table}]").fetchall():
            parts += [str(v) for v in row if v is not None]
    return "\n".join(parts)


def test_canaries_appear_nowhere_after_failing_collections(
        settings: Settings, canaries: dict[str, str], store: Store,
        caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setattr(time, "sleep", lambda s: None)  # sources built inside collect()
    bearer = canaries["X_BEARER_TOKEN"]
    reddit_new = f"{OAUTH}/r/Leeds/new"
    summaries = []
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        # 1: both credentials rejected
        rsps.get(SEARCH_URL, status=401, json=UNAUTHORIZED)
        rsps.post(TOKEN_URL, status=401, json={"message": "Unauthorized", "error": 401})
        summaries += pipeline.collect(settings, store)
        # 2: a client library that puts the token into its exception text, and a
        # 5xx burst that outlasts every retry
        rsps.replace(responses.GET, SEARCH_URL, body=requests.ConnectionError(
            f"connection reset; request headers were {{'Authorization': 'Bearer {bearer}'}}"))
        rsps.replace(responses.POST, TOKEN_URL, json=token_body())
        rsps.get(reddit_new, status=500, body="internal error")
        summaries += pipeline.collect(settings, store)
        # 3: malformed items, quarantined while their pages are stored
        rsps.replace(responses.GET, SEARCH_URL, json=page(
            [tweet("1860000000000000005", "fine", "11"), tweet("1860000000000000006", "x", "7")],
            [user("11", "a")]))
        broken = submission("1p0bad", "no time", 1763900000.0)
        del broken["data"]["created_utc"]
        rsps.replace(responses.GET, reddit_new, headers=rate_headers(), json=listing(
            [submission("1p0c5a", "Bins", 1763900001.0), broken]))
        summaries += pipeline.collect(settings, store)

    statuses = [(s.source, s.status) for s in summaries]
    assert statuses == [("x_bins", "failed"), ("reddit_leeds", "failed")] * 2 + [
        ("x_bins", "ok"), ("reddit_leeds", "ok")]
    assert store.db.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 2
    assert "X_BEARER_TOKEN" in (summaries[0].error or "")
    assert "***" in (summaries[2].error or "")  # the token in the exception text was masked
    # tweepy logged the request headers at DEBUG: the record is there, masked
    assert any("Bearer ***" in r.getMessage() for r in caplog.records)

    texts = [every_text_in(store), caplog.text,
             *(r.getMessage() for r in caplog.records),
             *(s.error or "" for s in summaries)]
    with responses.RequestsMock() as rsps:
        rsps.get(SEARCH_URL, status=401, json=UNAUTHORIZED)
        with pytest.raises(SourceError) as caught:
            XSource("x_direct", settings.sources["x_bins"])._search("q", {})  # type: ignore[arg-type]
        texts.append(str(caught.value))
    for name, value in canaries.items():
        for text in texts:
            assert value not in text, f"{name} leaked"
