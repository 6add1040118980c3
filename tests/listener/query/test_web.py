"""The web page through Datasette's own test client: login, refusal,
hostile input, and nothing sensitive on any page or export."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from listener.config import load_settings
from listener.web import plugin
from listener.web.app import build
from listener.web.auth import hash_password
from storage import page_access
from storage.driver import sqlite3
from tests.listener.query.builders import PASSWORD, PSEUDONYM_MARK, QUARANTINE_MARK, RAW_MARK
from tests.listener.query.hostile import hostile_strings

MARKS = (PSEUDONYM_MARK, RAW_MARK, QUARANTINE_MARK, "author_key", "@bob_smith")


class Client:
    def __init__(self, ds: Any, backend: str = "sqlite") -> None:
        self.ds = ds
        self.backend = backend
        self.db = plugin.CONTEXTS[ds].database  # the database's name in the page's URLs
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(ds.invoke_startup())
        self.cookies = {"listener_session": self.log_in()}

    def log_in(self) -> str:
        """A real log-in through the form: the session token."""
        form = self.get("/-/login", anonymous=True)
        token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
        assert token is not None
        done = self.post("/-/login", {"username": "policy", "password": PASSWORD,
                                      "csrftoken": token[1]}, dict(form.cookies))
        return str(done.cookies["listener_session"])

    def get(self, path: str, *, anonymous: bool = False) -> Any:
        return self.loop.run_until_complete(
            self.ds.client.get(path, cookies=None if anonymous else self.cookies))

    def post(self, path: str, data: dict[str, str], cookies: dict[str, str]) -> Any:
        return self.loop.run_until_complete(self.ds.client.post(path, data=data,
                                                                cookies=cookies))


PG_CONFIG = ("storage:\n  backend: postgresql\n  dsn_env: CIVIC_LISTENER_DSN\n"
             "  data_dir: {data}\n")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request: pytest.FixtureRequest, query_config: Path,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The page over the hand-built posts: on SQLite (Datasette serves the
    file) and on PostgreSQL (the page reads through store.queries)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("TEST_WEB_HASH", hash_password(PASSWORD))
    config = query_config
    if request.param == "postgresql":
        mp.setenv("CIVIC_LISTENER_DSN", request.getfixturevalue("query_pg_dsn"))
        folder = tmp_path_factory.mktemp("pgweb")
        config = folder / "config.yaml"
        sqlite_storage = query_config.read_text().split("\n", 3)  # storage:, path:, data_dir:
        config.write_text(PG_CONFIG.format(data=folder / "data") + sqlite_storage[3])
    ds = build(load_settings(config, check_credentials=False))
    web = Client(ds, request.param)
    yield web
    web.loop.close()
    plugin.CONTEXTS[ds].close()
    mp.undo()


def urls_in(html: str) -> list[str]:
    """The link of each row shown ("" for a post whose platform has no link
    that names no account)."""
    rows = re.findall(r'<tr class="post">(.*?)</tr>', html, flags=re.S)
    return [(re.findall(r'<a href="([^"]+)"', row) or [""])[0] for row in rows]


def test_anonymous_requests_are_refused(client: Client) -> None:
    db = client.db
    for path in ("/", "/?q=pothole", "/-/export.csv?q=pothole", f"/{db}",
                 f"/{db}/q_topic_counts?since=2026-01-01&until=2027-01-01",
                 f"/{db}/q_topic_counts.csv?since=2026-01-01&until=2027-01-01",
                 f"/{db}/q_platform_counts.json?since=2026-01-01&until=2027-01-01",
                 "/-/audit", "/-/actions", "/-/post?url=https://x.com/i/status/1"):
        response = client.get(path, anonymous=True)
        assert response.status_code in (302, 401, 403), path
        assert "pothole" not in response.text.lower()
        if response.status_code == 302:  # to the login, or (the database page) to "/"
            assert response.headers["location"].endswith("/-/login") or (
                path == f"/{db}" and response.headers["location"] == "/")


def test_login_with_the_hashed_password(client: Client) -> None:
    form = client.get("/-/login", anonymous=True)
    token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
    assert token is not None
    cookies = dict(form.cookies)
    wrong = client.post("/-/login", {"username": "policy", "password": "guess",
                                     "csrftoken": token[1]}, cookies)
    assert "listener_session" not in wrong.cookies
    assert "Invalid username or password" in wrong.text
    right = client.post("/-/login", {"username": "policy", "password": PASSWORD,
                                     "csrftoken": token[1]}, cookies)
    assert right.status_code == 302 and "listener_session" in right.cookies
    page = client.loop.run_until_complete(client.ds.client.get(
        "/?q=pothole", cookies={"listener_session": right.cookies["listener_session"]}))
    assert page.status_code == 200 and "matching posts" in page.text


def test_page_filters_chart_and_rows(client: Client) -> None:
    page = client.get("/?" + urlencode({"q": "pothole", "sentiment": "negative"}))
    assert page.status_code == 200
    assert '<svg id="trend"' in page.text
    assert len(urls_in(page.text)) == 4
    assert "4 matching posts" in page.text
    assert "@[user]" in page.text
    either = client.get("/?" + urlencode({"q": "pothole OR bins", "advanced": "1"}))
    assert "8 matching posts" in either.text and len(urls_in(either.text)) == 8
    bad = client.get("/?" + urlencode({"q": "pothole AND (", "advanced": "1"}))
    assert bad.status_code == 400 and "could not be understood" in bad.text


def test_csv_export_is_exactly_the_rows_shown(client: Client) -> None:
    query = urlencode([("q", "pothole"), ("topic", "roads_potholes"), ("page", "0")])
    page = client.get("/?" + query)
    export = client.get("/-/export.csv?" + query)
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [r["url"] for r in rows] == urls_in(page.text)
    assert len(rows) == 7
    assert export.headers["content-disposition"] == (
        'attachment; filename="posts_roads_potholes_pothole.csv"')


def test_hostile_search_strings_never_cause_a_server_error(client: Client) -> None:
    statuses: dict[int, int] = {}
    for text in hostile_strings():
        for advanced in ("", "1"):
            response = client.get("/?" + urlencode({"q": text, "advanced": advanced}))
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code in (200, 400), (text, response.status_code)
            if response.status_code == 400:
                assert 'role="alert"' in response.text
        export = client.get("/-/export.csv?" + urlencode({"q": text}))
        assert export.status_code in (200, 400), text
    assert statuses[200] > 250


def test_bad_filter_values_are_plain_errors(client: Client) -> None:
    for query in ({"sentiment": "angry"}, {"topic": "nope"}, {"since": "yesterday"},
                  {"week": "W99"}, {"page": "-x"}, {"page": "999999"},
                  {"week": "2026-W47", "since": "2026-01-01"}):
        response = client.get("/?" + urlencode(query))
        assert response.status_code == 400, query
        assert 'role="alert"' in response.text and "Traceback" not in response.text


def test_nothing_sensitive_on_any_page_or_export(client: Client) -> None:
    db = client.db
    paths = ["/", "/?q=pothole", "/?platform=x", "/?week=2026-W47", "/-/export.csv",
             "/-/export.csv?platform=x", "/-/login", "/-/actions", "/-/unanswered",
             f"/{db}/q_topic_counts?since=2026-01-01&until=2027-01-01",
             f"/{db}/q_topic_counts.csv?since=2026-01-01&until=2027-01-01",
             f"/{db}/q_platform_counts.json?since=2026-01-01&until=2027-01-01",
             f"/{db}/q_platform_counts.json?_shape=objects"]
    assert client.get(f"/{db}").headers["location"] == "/"  # the database page: to search
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not any(mark in response.text for mark in MARKS), path


def test_datasette_generic_pages_are_not_served(client: Client) -> None:
    db = client.db
    for path in (f"/{db}/posts", f"/{db}/posts.json", f"/{db}/raw_payloads",
                 f"/{db}/quarantine.csv", f"/{db}.json?sql=select+1", f"/{db}/-/query?sql=1",
                 "/-/metadata", "/-/metadata.json", "/-/plugins", "/-/settings",
                 "/-/databases", "/-/actor", "/-/password-tool", "/-/permissions",
                 f"/{db}/posts/1", f"/{db}/q_nope", f"/{db}/q_nope.json",
                 f"/{db}/q_topic_counts.tsv",
                 "/_memory", "/_memory/q_topic_counts", "/other/q_topic_counts"):
        assert client.get(path).status_code == 404, path


@pytest.mark.sqlite_only("SQLite's authorizer (storage.page_access); on PostgreSQL the page runs "
                         "no SQL from the browser: docs/postgresql.md, The page")
def test_authorizer_denies_sensitive_reads_and_writes(query_db: Path) -> None:
    conn = sqlite3.connect(f"file:{query_db}?mode=ro", uri=True)
    page_access.guard(conn)
    assert conn.execute("SELECT count(*) FROM posts WHERE text LIKE '%pothole%'").fetchone()
    for sql in ("SELECT author_key FROM posts", "SELECT * FROM posts",
                "SELECT payload FROM raw_payloads", "SELECT count(*) FROM quarantine",
                "SELECT * FROM blocked_authors", "SELECT * FROM runs",
                "SELECT place FROM posts", "DELETE FROM posts",
                "PRAGMA journal_mode = DELETE"):
        with pytest.raises(sqlite3.DatabaseError, match=r"not authorized|prohibited"):
            conn.execute(sql).fetchall()


def test_every_page_is_served_on_both_backends(client: Client) -> None:
    """The record pages (action log, look-up by link; the labelling page for
    labellers only) and the canned queries answer alike on both backends."""
    assert client.get("/-/unanswered").status_code == 200
    assert client.get("/-/actions").status_code == 200
    assert client.get("/-/audit").status_code == 403  # a reader
    looked = client.get("/-/post?url=https://x.com/i/status/1")
    assert looked.status_code == 200 and looked.text.count('<tr class="post">') == 1
    for name, columns in (("q_topic_counts", ["topic", "posts", "negative", "neutral",
                                              "positive"]),
                          ("q_platform_counts", ["platform", "posts"])):
        page = client.get(f"/{client.db}/{name}?since=2026-01-01&until=2027-01-01")
        assert page.status_code == 200 and "groups of 10 or more" in page.text
        answer = client.get(f"/{client.db}/{name}.json?since=2026-01-01&until=2027-01-01")
        body = answer.json()
        assert (body["ok"], body["query_name"], body["columns"], body["rows"]) == (
            True, name, columns, [])
        assert body["query"]["params"] == {"since": "2026-01-01", "until": "2027-01-01"}
        text = client.get(f"/{client.db}/{name}.csv?since=2026-01-01&until=2027-01-01")
        assert text.text.splitlines() == [",".join(columns)]
        assert text.headers["content-type"].startswith("text/plain")
        download = client.get(f"/{client.db}/{name}.csv?since=2026-01-01&_dl=1")
        assert download.headers["content-disposition"] == f'attachment; filename="{name}.csv"'
        assert download.headers["content-type"].startswith("text/csv")


def test_serve_refuses_to_start_without_a_password_hash(query_config: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from listener.web.app import WebConfigError

    monkeypatch.delenv("TEST_WEB_HASH", raising=False)
    with pytest.raises(WebConfigError, match="no password hash for web user"):
        build(load_settings(query_config, check_credentials=False))
