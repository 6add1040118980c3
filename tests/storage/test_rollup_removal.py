"""Deleted posts leave the rollups by counts made in SQL
(``Rollups.remove_staged``): a week that keeps some posts loses exactly the
deleted posts' authors, whichever way they are counted (from the staged ids
when they are few, along the posts' time index when they are a month's
purge), and days and weeks whose posts all go are dropped whole. On both
backends: the 1,400-post corpus is stored once per backend and each test
takes a copy of it (``corpus_store``; storing it took 11 to 60 s a test on
PostgreSQL)."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from storage import Store, rollup_write
from storage.rollup_facts import OWN, PUBLIC, author_hash
from storage.rollup_write import DAY_TABLES, SAMPLED_TABLES
from tests.pg import BACKENDS, PgDatabases, with_dbname
from tests.rollup_corpus import START, corpus

DAY_ROLLUPS = (*(t.name for t in DAY_TABLES), *SAMPLED_TABLES)


@pytest.fixture(scope="module", params=BACKENDS)
def stored_corpus(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``corpus(n=1400)`` stored once per backend and closed: SQLite's file,
    or a PostgreSQL database the tests' databases are copied from."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("removal") / "corpus.db"
        with Store.open(path) as store:
            corpus(store, n=1400)
        yield str(path)
        return
    databases: PgDatabases = request.getfixturevalue("pg_databases")
    name = databases.migrated()
    try:
        with Store.open_postgresql(with_dbname(databases.dsn, name)) as store:
            corpus(store, n=1400)
        yield name
    finally:
        databases.drop(name)


@pytest.fixture
def corpus_store(stored_corpus: str, request: pytest.FixtureRequest,
                 tmp_path: Path) -> Iterator[Store]:
    """A copy of the stored corpus of this test's own (its file copied, or a
    database made with the stored one as its template)."""
    if request.node.callspec.params["stored_corpus"] == "sqlite":
        shutil.copyfile(stored_corpus, tmp_path / "corpus.db")
        with Store.open(tmp_path / "corpus.db") as store:
            yield store
        return
    databases: PgDatabases = request.getfixturevalue("pg_databases")
    name = databases.create(template=stored_corpus)
    try:
        with Store.open_postgresql(with_dbname(databases.dsn, name)) as store:
            yield store
    finally:
        databases.drop(name)


def _fresh_week_authors(store: Store, week: str) -> Counter[tuple[int, str]]:
    """(author hash, voice) -> posts of the rolled posts of ``week``, counted
    here from the posts (not by ``rollups.check``)."""
    days = store.rollups.days()
    start, end = days.bounds(week, (date.fromisoformat(week) + timedelta(6)).isoformat())
    return Counter({(author_hash(key), OWN if own else PUBLIC): int(n)
                    for key, own, n in store.sql.execute(
        "SELECT author_key, author_handle IS NOT NULL, count(*) FROM posts"
        " WHERE created_at >= ? AND created_at < ?"
        " AND id NOT IN (SELECT post_id FROM rollup_queue) GROUP BY 1, 2", [start, end])})


def _stored_week_authors(store: Store, week: str) -> Counter[tuple[int, str]]:
    return Counter({(int(a), str(v)): int(n) for a, v, n in store.sql.execute(
        "SELECT author, voice, posts FROM rollup_week_authors WHERE week = ?", [week])})


# a cut in the corpus's first week (the deleted posts are fewer than the
# week's: counted from the staged ids) and one in its fourth (three weeks
# and a half go: counted along the time index, week by week)
@pytest.mark.parametrize("weeks_before", [0, 3])
def test_a_purge_that_cuts_a_week_in_half_leaves_its_authors_exact(
        corpus_store: Store, weeks_before: int) -> None:
    store = corpus_store
    cut_day = (START + timedelta(weeks=weeks_before, days=3)).date()  # a Thursday
    week = (cut_day - timedelta(days=cut_day.weekday())).isoformat()
    cut = (START + timedelta(weeks=weeks_before, days=3, hours=13)).isoformat()  # mid-day
    before = _stored_week_authors(store, week)
    counts = store.retention.purge_expired(posts_before=cut, raw_before=cut)
    assert counts["posts"] > 20
    after = _stored_week_authors(store, week)
    assert after == _fresh_week_authors(store, week)
    assert sum(after.values()) < sum(before.values())  # the week lost posts, not all of them
    assert 0 < len(after) < len(before) + 1
    assert store.rollups.check() == []


def test_a_purge_of_whole_days_drops_their_rollups(corpus_store: Store) -> None:
    store = corpus_store
    days = store.rollups.days()
    first_kept = (START + timedelta(weeks=2, days=2)).date().isoformat()  # a Wednesday
    cut = days.bounds(first_kept)[0]  # its local midnight: whole days go
    kept = {name: store.sql.execute(
        f"SELECT * FROM {name} WHERE day >= ? ORDER BY 1, 2, 3, 4", [first_kept]).fetchall()
        for name in DAY_ROLLUPS}
    counts = store.retention.purge_expired(posts_before=cut, raw_before=cut)
    assert counts["posts"] > 150
    for name in DAY_ROLLUPS:
        assert store.sql.execute(
            f"SELECT count(*) FROM {name} WHERE day < ?", [first_kept]).fetchone()[0] == 0, name
        assert store.sql.execute(
            f"SELECT * FROM {name} WHERE day >= ? ORDER BY 1, 2, 3, 4",
            [first_kept]).fetchall() == kept[name], name
    weeks = [str(r[0]) for r in store.sql.execute(
        "SELECT DISTINCT week FROM rollup_week_authors ORDER BY week")]
    monday = (START + timedelta(weeks=2)).date().isoformat()
    assert weeks[0] == monday  # the two weeks before went whole; the cut one stays
    assert _stored_week_authors(store, monday) == _fresh_week_authors(store, monday)
    assert store.rollups.check() == []


@pytest.mark.parametrize("whole_table", [False, True])
def test_an_erasure_that_empties_one_week_and_touches_others(
        corpus_store: Store, whole_table: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Counted from the staged ids (fewer than the touched weeks' posts):
    the emptied week's authors are dropped with it, the others' decremented.
    The samples and example lists read key by key and a day at a time, or
    (``whole_table``: as for an author's erasure at 10M posts) in one read of
    each table."""
    if whole_table:
        monkeypatch.setattr(rollup_write, "_WHOLE_TABLE", 0)
    store = corpus_store
    days = store.rollups.days()
    weeks = [(START + timedelta(weeks=k)).date().isoformat() for k in range(6)]
    spans = [days.bounds(w, (date.fromisoformat(w) + timedelta(6)).isoformat()) for w in weeks]
    rolled = ("SELECT id FROM posts WHERE created_at >= ? AND created_at < ?"
              " AND id NOT IN (SELECT post_id FROM rollup_queue) ORDER BY id")
    first = [int(r[0]) for r in store.sql.execute(rolled, spans[0])]
    some = [int(r[0]) for span in spans[1:] for r in store.sql.execute(rolled, span).fetchall()[:3]]
    before = {w: _stored_week_authors(store, w) for w in weeks[1:]}
    assert store.erasure.forget_posts(first + some, block=False)["posts"] == len(first) + 15
    assert _stored_week_authors(store, weeks[0]) == Counter()
    for w in weeks[1:]:
        assert _stored_week_authors(store, w) == _fresh_week_authors(store, w)
        assert sum(_stored_week_authors(store, w).values()) == sum(before[w].values()) - 3
    assert store.rollups.check() == []


def test_a_removal_rewrites_only_the_samples_and_lists_it_changes(store: Store) -> None:
    """An erased author outside a group's sample, or a deleted post beyond a
    day's listed examples, leaves that row as it was: not written again
    (most of an erasure's groups); the rows it does change are written."""
    from storage.rollup_delta import Delta
    from storage.rollup_sketch import SAMPLE_SIZE, AuthorSample, ExampleList
    from storage.rollup_write import RollupWriter

    day = "2026-11-02"
    full = AuthorSample.fresh({a: 1 for a in range(SAMPLE_SIZE + 4)})  # truncated at 16
    listed = ExampleList.fresh([(-k, 0, 100 + k) for k in range(20)])  # truncated at 12
    with store.db.conn:
        for key in ("outside", "inside"):
            store.db.execute("INSERT INTO rollup_author_samples (dim, key, day, voice, truncated,"
                             " members) VALUES ('topic', ?, ?, 'public', 1, ?)",
                             [key, day, full.encode()])
            store.db.execute("INSERT INTO rollup_examples (kind, key, day, truncated, entries)"
                             " VALUES ('topic', ?, ?, 1, ?)", [key, day, listed.encode()])
    delta = Delta(None)  # type: ignore[arg-type]  # no posts: the local days are not asked
    delta.samples[("topic", "outside", day, "public")][SAMPLE_SIZE + 2] -= 1  # not listed
    delta.samples[("topic", "inside", day, "public")][3] -= 1
    delta.removed[("topic", "outside", day)][100] = (0, 0, 100)  # beyond the listed twelve
    delta.removed[("topic", "inside", day)][119] = (-19, 0, 119)  # the first listed
    written: list[str] = []
    store.db.conn.set_trace_callback(written.append)
    with store.db.conn:
        RollupWriter(store.sql).apply(delta)
    store.db.conn.set_trace_callback(None)

    puts = [s for s in written if s.startswith("INSERT INTO rollup_")]
    assert len(puts) == 2 and all("'inside'" in s[:140] for s in puts), [s[:140] for s in puts]
    members = dict(store.db.execute(
        "SELECT key, members FROM rollup_author_samples WHERE day = ?", [day]).fetchall())
    assert members["outside"] == full.encode()
    assert "[3," not in members["inside"]
    entries = dict(store.db.execute(
        "SELECT key, entries FROM rollup_examples WHERE day = ?", [day]).fetchall())
    assert entries["outside"] == listed.encode() and "119]" not in entries["inside"]
