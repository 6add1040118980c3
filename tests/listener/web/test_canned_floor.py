"""The aggregate-only queries the page serves apply the privacy floor
(issue 16: "q_topic_counts.json with a two-hour window returns counts of 1
and 2, below min_group_size")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.listener.query.builders import PASSWORD


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
