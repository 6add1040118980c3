"""The rollups equal a fresh count of the posts after every operation that
changes posts or labels, run as the listener runs them: collect (the
embedded sample), classify, relabel under a changed config, purge, forget
(an author and one post) and the platform deletion sync (Bluesky's public
AppView, recorded with respx). ``listener rollups check`` says so, and
finds and repairs drift with ``listener rollups rebuild``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import respx

from listener import pipeline
from listener.config import Settings, load_settings
from listener.privacy.deletion_sync import sync_deletions
from listener.privacy.forget import forget_author, forget_url
from listener.privacy.retention import purge
from storage import Store
from tests.cli import Cli
from tests.listener.privacy.conftest import KEY, make_post, save
from tests.listener.test_pipeline_resume import write_config
from tests.paths import STORE_FILE

FIX = Path(__file__).parent / "privacy" / "fixtures"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SKEETS = [f"at://did:plc:4xq2example7n3k5m2ab/app.bsky.feed.post/3l7abc{k:05d}"
          for k in range(12)]


@pytest.fixture
def sample_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    return load_settings(write_config(tmp_path / "c"))


def _true(store: Store) -> None:
    drift = store.rollups.check()
    assert drift == [], [str(d) for d in drift[:5]]


def test_rollups_stay_true_through_every_operation(sample_settings: Settings,
                                                   any_store: Store) -> None:
    settings = sample_settings
    store = any_store  # both backends
    (collected,) = pipeline.collect(settings, store)
    assert collected.new > 1000 and store.rollups.queued() == collected.new
    _true(store)

    pipeline.classify(settings, store)
    assert store.rollups.queued() == 0
    _true(store)

    bins = settings.topics["waste_recycling"]  # a term less, a term more: labels change
    settings.topics["waste_recycling"] = bins.model_copy(
        update={"terms": [t for t in bins.terms if t != "bin"] + ["skip"]})
    assert pipeline.classify(settings, store, relabel=True)["topic"] == collected.new
    _true(store)

    report = purge(settings.model_copy(update={"privacy": settings.privacy.model_copy(
        update={"retention_days": 60})}), store, now=NOW)
    assert report.counts["posts"] > 100
    _true(store)

    save(store, [make_post(f"77{k}", f"Bin day missed again on Kettle Lane, week {k}",
                           handle="Kettle_Lane_Mum", created=NOW - timedelta(days=k))
                 for k in range(30)])
    _true(store)
    assert forget_author(settings, store, "x", "Kettle_Lane_Mum").counts["posts"] == 30
    _true(store)
    url = str(store.sql.execute("SELECT url FROM posts WHERE platform = 'x'"
                               " AND url IS NOT NULL LIMIT 1").fetchone()[0])
    assert forget_url(settings, store, url).counts["posts"] == 1
    _true(store)

    save(store, [make_post(u, f"skeet {k} about the park", platform="bluesky", handle="b",
                           created=NOW - timedelta(days=k % 9)) for k, u in enumerate(SKEETS)],
         source="bluesky_search")
    _true(store)
    (shape,) = json.loads((FIX / "bluesky_get_posts.json").read_text())["posts"]
    with respx.mock(assert_all_called=True) as bsky:  # half are still there
        bsky.get("https://public.api.bsky.app/xrpc/app.bsky.feed.getPosts").mock(
            return_value=httpx.Response(200, json={"posts": [
                {**shape, "uri": u} for u in SKEETS[::2]]}))
        result = sync_deletions(settings, store, now=NOW)["bluesky"]
    assert (result.asked, result.gone) == (len(SKEETS), len(SKEETS) // 2)
    _true(store)


def test_the_check_command_finds_drift_and_rebuild_repairs_it(
        store: Store, tmp_path: Path, cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"storage:\n  path: {STORE_FILE}\n")
    save(store, [make_post(f"9{k}", f"post {k} about bins", handle=f"h{k % 12}",
                           created=NOW - timedelta(days=k % 10, hours=k)) for k in range(40)])
    ok = cli("-c", config, "rollups", "check")
    assert ok.returncode == 0 and "0 difference(s)" in ok.stdout, ok.output
    day = str(store.db.execute("SELECT max(day) FROM rollup_posts").fetchone()[0])
    with store.db.conn:
        store.db.execute("UPDATE rollup_posts SET posts = posts + 1 WHERE day = ?", [day])
    bad = cli("-c", config, "rollups", "check", "--since", "2026-11-16")
    assert bad.returncode == 1 and f"rollup_posts ({day}" in bad.stdout, bad.output
    assert "listener rollups rebuild` --since 2026-11-16" in bad.stdout
    fixed = cli("-c", config, "rollups", "rebuild", "--since", day)
    assert fixed.returncode == 0 and f"from the week of {day}" in fixed.stdout, fixed.output
    assert store.rollups.check() == []
    assert cli("-c", config, "rollups", "check", "--since", "16/11").returncode == 2
