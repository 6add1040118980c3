"""``listener sources``: type, enabled, last run, cursor, credential status;
a credential's value is never printed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storage import Store
from tests.cli import Cli

SECRET = "bsky-app-password-never-printed-9876"
TOKEN = "mastodon-token-never-printed-5432"


@pytest.fixture
def config(tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEST_BSKY_HANDLE", "collector.example.bsky.social")
    monkeypatch.setenv("TEST_BSKY_PASSWORD", SECRET)
    monkeypatch.setenv("TEST_MASTO_TOKEN", TOKEN)
    monkeypatch.delenv("TEST_MISSING_TOKEN", raising=False)
    path = tmp_path / "config.yaml"
    path.write_text("""
storage:
  path: listener.db
sources:
  fedi:
    type: mastodon
    enabled: true
    instances: [mastodon.social, mastodon.online]
    hashtags: [potholes]
    access_tokens: {mastodon.social: TEST_MASTO_TOKEN, mastodon.online: TEST_MISSING_TOKEN}
  sky:
    type: bluesky
    enabled: false
    handle_env: TEST_BSKY_HANDLE
    app_password_env: TEST_BSKY_PASSWORD
    queries: [pothole]
  news:
    type: rss
    enabled: true
    feeds: [https://www.example.gov.uk/news.rss]
""", encoding="utf-8")
    run = store.runs.start("news")
    store.collect.save_page(source="news", run_id=run, items=[], cursor={
        "https://www.example.gov.uk/news.rss|etag": '"5f3a-19c2b7e1-a-rather-long-validator-value"',
        "https://www.example.gov.uk/news.rss|modified": "Wed, 25 Nov 2026 12:00:00 GMT"})
    store.runs.finish(run, "ok")
    failed = store.runs.start("sky")
    store.runs.finish(failed, "failed", f"CredentialError: rejected {SECRET}")
    return path


def sources(cli: Cli, config: Path, *args: str) -> str:
    done = cli("-c", config, "sources", *args)
    assert done.returncode == 0, done.output
    return done.output


def test_lists_every_source_with_state_run_cursor_and_credentials(config: Path, cli: Cli) -> None:
    out = sources(cli, config)
    lines = {line.split()[0]: line for line in out.splitlines() if line and line[0] != " "}
    assert lines["fedi"].split()[1:3] == ["mastodon", "yes"]
    assert "never" in lines["fedi"]
    assert "TEST_MASTO_TOKEN set" in lines["fedi"]
    assert "TEST_MISSING_TOKEN missing" in lines["fedi"]
    assert lines["sky"].split()[1:3] == ["bluesky", "no"] and "failed" in lines["sky"]
    assert "TEST_BSKY_PASSWORD set" in lines["sky"]
    assert lines["news"].split()[1:3] == ["rss", "yes"] and " ok " in lines["news"]
    assert "(none needed)" in lines["news"]
    assert "cursor https://www.example.gov.uk/news.rss|etag = \"5f3a-19c2b7e1-a-rather-l" in out
    assert "Wed, 25 Nov 2026 12:00:00 GMT" in out


def test_never_prints_a_credential_value(config: Path, cli: Cli) -> None:
    for out in (sources(cli, config), sources(cli, config, "--json")):
        assert SECRET not in out and TOKEN not in out
        assert "collector.example.bsky.social" not in out  # a handle is a credential too
    assert "***" in sources(cli, config)  # the stored error that quoted it is masked


def test_json_output(config: Path, cli: Cli) -> None:
    rows = {row["name"]: row for row in json.loads(sources(cli, config, "--json"))}
    assert rows["fedi"]["credentials"] == {"TEST_MASTO_TOKEN": "set",
                                           "TEST_MISSING_TOKEN": "missing"}
    assert rows["news"]["last_run"]["status"] == "ok"
    assert rows["news"]["cursor"]["https://www.example.gov.uk/news.rss|modified"] == \
        "Wed, 25 Nov 2026 12:00:00 GMT"
    assert rows["sky"]["enabled"] is False and rows["fedi"]["last_run"] is None
