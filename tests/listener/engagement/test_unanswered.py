""""Waiting for an answer" in ``listener query --unanswered`` and on the web
page: open questions and complaints to the body, handles masked, no
pseudonym, answered ones left out."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from listener.config import load_settings
from listener.web.app import build
from listener.web.auth import hash_password
from storage import LabelRecord, Post, Store, StoredItem
from tests.cli import Cli
from tests.listener.query.builders import PASSWORD
from tests.listener.query.test_web import Client

ASKED = datetime.now(UTC) - timedelta(days=6)  # at least three working days ago


def build_store(path: Path) -> None:
    with Store.open(path) as store:
        run = store.runs.start("own:x")
        posts = [
            Post("x", "1", "@ExampleCouncil when will the pothole on Mill Lane be fixed? "
                 "@bob_smith reported it", ASKED, url="https://x.com/mill_lane_mum/status/1",
                 author_key="PSEUDOKEY1", addressed=True),
            Post("x", "2", "@ExampleCouncil bins missed again", ASKED, author_key="PSEUDOKEY2",
                 url="https://x.com/i/status/2", addressed=True),
            Post("x", "3", "@resident Sorry, a crew is out today", ASKED + timedelta(hours=1),
                 author_handle="ExampleCouncil", author_official=True, author_key="own",
                 in_reply_to="2", url="https://x.com/i/status/3"),
        ]
        ids = store.collect.save_page(source="own:x", run_id=run, items=[
            StoredItem(p, {"id": p.native_id}) for p in posts]).new_ids
        store.labels.save("request", "request.rules", "v1", None, ids, [
            LabelRecord(ids[0], "request", "question", 1.0, "request.rules", "v1"),
            LabelRecord(ids[1], "request", "complaint", 1.0, "request.rules", "v1")])
        store.labels.save("topic", "topics.keywords", "v1", None, ids, [
            LabelRecord(ids[0], "topic", "roads_potholes", 1.0, "topics.keywords", "v1")])


@pytest.fixture
def config(tmp_path: Path) -> Path:
    db = tmp_path / "listener.db"
    build_store(db)
    path = tmp_path / "config.yaml"
    path.write_text(
        f"storage:\n  path: {db}\n  data_dir: {tmp_path / 'data'}\n"
        "topics:\n  roads_potholes:\n    label: Roads and potholes\n    terms: [pothole]\n"
        "privacy:\n  official_accounts: ['x:ExampleCouncil']\n"
        "web:\n  users:\n    policy:\n      password_hash_env: TEST_WEB_HASH\n",
        encoding="utf-8")
    return path


def test_query_unanswered_lists_open_questions_only(cli: Cli, config: Path) -> None:
    ran = cli("-c", config, "query", "--unanswered", "--format", "json")
    assert ran.returncode == 0, ran.output
    rows = json.loads(ran.stdout)["rows"]
    assert len(rows) == 1  # the complaint was answered within the hour
    row = rows[0]
    assert row["text"] == ("@ExampleCouncil when will the pothole on Mill Lane be fixed? "
                           "@[user] reported it")
    assert (row["kind"], row["topics"], row["url"]) == (
        "question", "Roads and potholes", "https://x.com/i/status/1")
    assert float(row["waiting_hours"]) >= 24
    assert "PSEUDOKEY" not in ran.output and "bob_smith" not in ran.output
    assert "mill_lane_mum" not in ran.output  # linked as x.com/i/status, not the stored URL
    table = cli("-c", config, "query", "--unanswered")
    assert "https://x.com/i/status/1" in table.stdout and "mill_lane_mum" not in table.stdout
    assert "1 questions and complaints to us waiting" in table.stderr
    assert "Roads and potholes" in table.stdout


def test_the_page_lists_them_after_login(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_WEB_HASH", hash_password(PASSWORD))
    web = Client(build(load_settings(config, check_credentials=False)))
    try:
        refused = web.get("/-/unanswered", anonymous=True)
        assert refused.status_code in (302, 403)
        page = web.get("/-/unanswered")
        assert page.status_code == 200
        assert "Mill Lane be fixed" in page.text and "@[user] reported it" in page.text
        assert "bins missed again" not in page.text
        assert "PSEUDOKEY" not in page.text and "bob_smith" not in page.text
        assert 'href="https://x.com/i/status/1"' in page.text  # the link names no account
        assert "mill_lane_mum" not in page.text
        assert "/-/unanswered" in web.get("/").text
    finally:
        web.loop.close()
