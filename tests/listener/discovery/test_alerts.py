"""The daily alert check fires on a new theme and on a bursting term above
their configured sizes (the seven days to yesterday), each at most once a
day; a theme alerted once is not new the next day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from listener.reporting import check_alerts
from storage import Store
from tests.listener.discovery.helpers import bins, build, closures, settings_for
from tests.nlp.discovery_texts import HEATING, random_posts
from tests.reports.builders import Spec

ALERTS = """  alerts:
    webhook_url_env: DISCOVERY_HOOK
    theme_posts: 20
    term_posts: 20
"""
NOW = datetime(2026, 11, 25, 8, tzinfo=UTC)  # the check covers Wed 18 to Tue 24 Nov


def seven_days(texts: list[str], author: str) -> list[Spec]:
    return [Spec(when=datetime(2026, 11, 18 + k % 7, 10, k % 60, tzinfo=UTC), text=t,
                 author=f"{author}{k}") for k, t in enumerate(texts)]


@pytest.fixture
def hook(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    httpserver.expect_request("/hook", method="POST").respond_with_data("1")
    monkeypatch.setenv("DISCOVERY_HOOK", httpserver.url_for("/hook"))
    return httpserver


def test_new_theme_and_bursting_term_alerted_once_a_day(store: Store, tmp_path: Path,
                                                        hook: HTTPServer) -> None:
    specs = seven_days(HEATING, "parent") + seven_days(closures(30), "driver")
    specs += seven_days(random_posts(60), "noise")
    for n in range(39, 47):
        specs += bins(f"2026-W{n}")
    build(store, specs)
    settings = settings_for(tmp_path, reports=ALERTS)
    results = {r.alert.topic: r for r in check_alerts(settings, store, NOW)}
    first = {key: r.alert for key, r in results.items()}
    themes = [a for key, a in first.items() if key.startswith("theme:")]
    assert {a.label.split(": ", 1)[1].split(", ")[0] for a in themes} == {"heating",
                                                                           "road closure"}
    assert all(r.states == {"webhook": "sent"} and r.alert.day == "2026-11-24"
               for r in results.values())
    term = first["term:road closure"]
    assert term.posts == 30 and term.baseline_mean == 0.0
    assert "Bursting term \"road closure\": 30 posts in the 7 days to Tue 24 Nov 2026" in term.text
    heating = next(a for a in themes if "heating" in a.label)
    assert heating.text.startswith("New theme not in your topic lists: heating")
    assert "30 posts from 30 people" in heating.text
    sent = len(hook.log)
    assert {"term:road closure", "term:heating"} <= set(first) and sent == len(first)
    again = check_alerts(settings, store, NOW + timedelta(hours=2))
    assert {r.alert.topic for r in again} == set(first)
    assert all(r.states == {"webhook": "already sent"} for r in again)
    assert len(hook.log) == sent  # nothing sent twice on one day
    tomorrow = check_alerts(settings, store, NOW + timedelta(days=1))
    # the themes continue yesterday's (not new); the terms are still unusual: once today
    assert {r.alert.topic for r in tomorrow} == {k for k in first if k.startswith("term:")}
    assert all(r.states == {"webhook": "sent"} for r in tomorrow)


def test_no_discovery_alerts_unless_configured(store: Store, tmp_path: Path,
                                               hook: HTTPServer) -> None:
    build(store, seven_days(HEATING, "parent") + seven_days(random_posts(60), "noise"))
    settings = settings_for(tmp_path, reports="  alerts:\n    webhook_url_env: DISCOVERY_HOOK\n")
    assert check_alerts(settings, store, NOW) == []
    assert store.themes.run("day", "2026-11-24") is None  # nothing was run
