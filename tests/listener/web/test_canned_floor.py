"""The aggregate-only queries the page serves apply the privacy floor
(issue 16: "q_topic_counts.json with a two-hour window returns counts of 1
and 2, below min_group_size"), and give the same rows on both backends
(Datasette runs them on SQLite, the page itself on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.listener.query.builders import PASSWORD
from tests.listener.web.conftest import PASSWORDS, Browser, on_postgresql, with_users


def test_canned_counts_under_the_floor_are_not_served(browsers: Any, web_db: Path) -> None:
    browser = browsers()
    browser.login("policy", PASSWORD)
    db = web_db.stem
    for window in ({"since": "2026-11-17T08:00", "until": "2026-11-17T10:00"},
                   {"since": "2026-01-01", "until": "2027-01-01"}):
        for name in ("q_topic_counts", "q_platform_counts"):
            answer = browser.get(f"/{db}/{name}.json?_shape=objects&since={window['since']}"
                                 f"&until={window['until']}")
            assert answer.status_code == 200, answer.text
            rows = answer.json()["rows"]
            counts = [v for r in rows for k, v in r.items() if k != "topic" and k != "platform"
                      and v is not None]
            assert all(c >= 10 for c in counts), (name, window, rows)
            assert rows == [], rows  # the fixture has fewer than 10 posts of anything
    # the floor cannot be lowered from the query string
    sneaky = browser.get(f"/{db}/q_topic_counts.json?_shape=objects&since=2026-01-01"
                         "&until=2027-01-01&floor=1&min_group=1")
    assert sneaky.status_code == 200 and sneaky.json()["rows"] == []


def test_the_floor_follows_a_larger_min_group_size(tmp_path: Path) -> None:
    from storage.page_access import canned

    ten, twenty = canned(10), canned(20)
    assert "10" in ten["q_topic_counts"][1] and ">= 20" in twenty["q_topic_counts"][1]


def test_the_canned_queries_give_the_same_rows_on_both_backends(
        config: Path, pg_dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the audit tests' week (a topic and a platform over the floor,
    some sentiments under it): the same rows, columns and empty (under the
    floor) counts from Datasette on SQLite as from the page's own route on
    PostgreSQL, in HTML, CSV and JSON."""
    import asyncio

    from listener.config import load_settings
    from listener.web import plugin
    from listener.web.app import build
    from storage import Store
    from tests.listener.audit.conftest import week_specs
    from tests.reports.builders import add

    for name, value in with_users(config).items():
        monkeypatch.setenv(name, value)
    answers = {}
    for backend in ("sqlite", "postgresql"):
        if backend == "postgresql":
            on_postgresql(config, pg_dsn, monkeypatch)
            with Store.open_postgresql(pg_dsn) as store:
                add(store, week_specs())
        settings = load_settings(config, check_credentials=False)
        ds = build(settings)
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(ds.invoke_startup())
            browser = Browser(ds, loop)
            assert browser.login("policy", PASSWORDS["policy"]).status_code == 302
            found = {}
            for name in ("q_topic_counts", "q_platform_counts"):
                url = f"/{settings.database_path.stem}/{name}"
                query = "since=2026-11-16&until=2026-11-23"
                body = browser.get(f"{url}.json?{query}&_shape=objects").json()
                page = browser.get(f"{url}?{query}")
                assert page.status_code == 200 and "groups of 10 or more" in page.text
                found[name] = (body["columns"], sorted(map(str, body["rows"])),
                               sorted(browser.get(f"{url}.csv?{query}").text.splitlines()),
                               body["query"]["params"])
            loop.run_until_complete(browser.client.aclose())
        finally:
            loop.close()
            plugin.CONTEXTS[ds].close()
        answers[backend] = found
    topics = answers["sqlite"]["q_topic_counts"]
    assert topics[1] and any("None" in row for row in topics[1])  # a count under the floor
    assert answers["sqlite"]["q_platform_counts"][1]
    assert answers["postgresql"] == answers["sqlite"], answers
