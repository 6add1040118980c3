"""What the server answers besides the page (issue 16: "/-/static-plugins/
<anything> answers anonymously with a 500", "The database page lists
alerts_sent, blocked_posts, service_jobs and service_state")."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from storage.driver import sqlite3
from tests.listener.query.builders import PASSWORD


def test_the_database_page_lists_no_table(browsers: Any, web_db: Path,
                                          web_backend: str) -> None:
    browser = browsers()
    assert browser.login("policy", PASSWORD).status_code == 302
    if web_backend == "sqlite":  # a table a later migration adds, the server running
        with sqlite3.connect(web_db) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS added_later (secret TEXT)")
    sent = browser.get(f"/{web_db.stem}")  # the database page sends people to the search
    assert sent.status_code == 302 and sent.headers["location"] == "/"
    page = browser.get("/")
    assert page.status_code == 200 and "matching posts" in page.text
    with sqlite3.connect(web_db) as conn:  # (the same tables on PostgreSQL)
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert {"alerts_sent", "blocked_posts", "service_jobs", "service_state"} <= set(tables)
    assert [t for t in tables if f'/{web_db.stem}/{t}"' in page.text] == []
    for name in ("alerts_sent", "blocked_posts", "service_jobs", "service_state",
                 "raw_payloads", "quarantine", "added_later"):
        assert name not in page.text


@pytest.mark.parametrize("path", ["/-/static-plugins/anything", "/-/static-plugins/x/y.js",
                                  "/-/static-plugins/datasette_auth_passwords/a.css"])
def test_plugin_static_paths_are_404_with_one_log_line(browsers: Any, path: str,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    anonymous, member = browsers(), browsers()
    member.login("policy", PASSWORD)
    for browser in (anonymous, member):
        caplog.clear()
        with caplog.at_level(logging.INFO):
            answer = browser.get(path)
        assert answer.status_code == 404, path
        lines = [r for r in caplog.records if r.levelno >= logging.INFO
                 and not r.name.startswith("httpx")]  # the test client's own line
        assert len(lines) == 1 and lines[0].exc_info is None
        assert "Traceback" not in caplog.text and len(caplog.text) < 400
