"""The weekly report's reads give the same figures on PostgreSQL as on
SQLite for the same posts (the rollup corpus, stored and labelled through
the store on each): every read of the report window, from the rollups and
from the posts themselves, and the daily alerts.

Post ids are compared through the posts' native ids: PostgreSQL's identity
column need not hand out the same numbers as SQLite's rowid."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from reports import ReportSettings
from reports.alerts import find_alerts
from reports.weeks import day_spans, previous_weeks, week_span
from storage import Store
from storage.report_queries import PostRow
from storage.windows import Window
from tests.pg import PgDatabases, with_dbname
from tests.rollup_corpus import PLACES, TOPICS, corpus

LABELS = {slug: slug.replace("_", " ").capitalize() for slug in TOPICS}
TZ = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory,
         pg_databases: PgDatabases) -> Iterator[tuple[Store, Store]]:
    """The same corpus on SQLite and on PostgreSQL."""
    name = pg_databases.migrated()
    try:
        with Store.open(Path(tmp_path_factory.mktemp("pair")) / "lite.db") as lite, \
                Store.open_postgresql(with_dbname(pg_databases.dsn, name)) as pg:
            for store in (lite, pg):
                corpus(store, n=900, seed=11)
                assert store.rollups.queued() > 0  # some posts are read from their rows
            yield lite, pg
    finally:
        pg_databases.drop(name)


def _natives(store: Store, ids: Any) -> list[str]:
    found = {int(i): str(n) for i, n in store.sql.execute(
        "SELECT id, native_id FROM posts")}
    return sorted(found[int(i)] for i in ids)


def _shown(store: Store, rows: list[PostRow]) -> list[tuple[Any, ...]]:
    return [(r.native_id, r.platform, r.created_at, r.text, r.likes) for r in rows]


def _reads(store: Store, win: Window, last: int) -> dict[str, Any]:
    """Every read the report makes of a window, ids as native ids."""
    out: dict[str, Any] = {
        "totals": win.totals(), "authors": win.authors(0),
        "summary": [win.summary(w, platforms=True) for w in range(last + 1)],
        "topics": win.topic_counts(), "sentiment": win.topic_sentiment(last),
        "terms": win.term_counts(0), "sources": win.source_posts(last),
        "classifiers": win.classifiers_used(last), "places": sorted(win.places(last)),
        "place_topics": win.place_topics(last),
        "engaged": _shown(store, win.sample_posts(last, order="engagement", limit=5)),
        "any": _shown(store, win.sample_posts(last, limit=5)),
    }
    for topic in sorted(TOPICS):
        # a term some evidence spells in upper case, where there is one
        term = next((t for t in TOPICS[topic] if t != t.lower()), TOPICS[topic][0]).lower()
        out[topic] = (
            win.has_authors(last, 10, topic=topic), win.has_authors(last, 3, topic=topic,
                                                                   sentiment=0),
            win.has_authors(last, 10, topic=topic, term=term),
            win.topic_overlap(last, topic), win.topic_overlap(last, topic, term),
            _natives(store, win.topic_ids(last, topic)),
            _natives(store, win.topic_ids(last, topic, term)),
            _shown(store, win.sample_posts(last, topic=topic, limit=4)),
            _shown(store, win.sample_posts(last, topic=topic, term=term, limit=4)),
            _shown(store, win.sample_posts(last, topic=topic, limit=3,
                                           also=sorted(TOPICS)[0])))
    for place in PLACES:
        out[place] = (win.has_authors(last, 5, place=place),
                      win.has_authors(last, 2, platform="x", day=2))
    return out


@pytest.mark.parametrize("rollups", [True, False], ids=["rollups", "posts"])
@pytest.mark.parametrize("week", ["2026-W48", "2026-W45"])
def test_the_report_window_reads_the_same_on_both_backends(
        pair: tuple[Store, Store], week: str, rollups: bool,
        caplog: pytest.LogCaptureFixture) -> None:
    spans = [*previous_weeks(week, 5, TZ), week_span(week, TZ)]
    days = day_spans(week, TZ)
    got = []
    for store in pair:
        store.read_rollups = rollups
        caplog.clear()
        try:
            with caplog.at_level(logging.DEBUG, logger="storage"), \
                    store.report_window([s.utc for s in spans], [d.utc for d in days],
                                        "Europe/London") as win:
                got.append(_reads(store, win, len(spans) - 1))
        finally:
            store.read_rollups = True
        messages = [r.getMessage() for r in caplog.records]
        source = "report window from the rollups" if rollups else "report window from the posts"
        assert any(m.startswith(source) for m in messages), (store.backend, messages)
    lite, pg = got
    assert lite["totals"][-1] > 0 and lite["places"] and lite["terms"]
    for key, value in lite.items():
        assert pg[key] == value, key


def test_the_daily_alerts_are_the_same_on_both_backends(pair: tuple[Store, Store]) -> None:
    settings = ReportSettings()
    lite, pg = ([find_alerts(store, day, settings=settings, topic_labels=LABELS)
                 for day in (date(2026, 11, 23), date(2026, 11, 25), date(2026, 11, 28))]
                for store in pair)
    assert lite == pg


def test_the_report_reader_is_the_same_on_both_backends(pair: tuple[Store, Store]) -> None:
    lite, pg = (store.reports for store in pair)
    assert lite.first_post_at() == pg.first_post_at()
    assert lite.latest_post_before("2026-11-20") == pg.latest_post_before("2026-11-20")
    assert lite.last_ok_runs("2099-01-01").keys() == pg.last_ok_runs("2099-01-01").keys()
