"""Deleted posts leave the rollups by counts made in SQL
(``Rollups.remove_staged``): a week that keeps some posts loses exactly the
deleted posts' authors, whichever way they are counted (from the staged ids
when they are few, along the posts' time index when they are a month's
purge), and days and weeks whose posts all go are dropped whole."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from storage import Store
from storage.rollup_facts import OWN, PUBLIC, author_hash
from storage.rollup_write import DAY_TABLES, SAMPLED_TABLES
from tests.rollup_corpus import START, corpus

DAY_ROLLUPS = (*(t.name for t in DAY_TABLES), *SAMPLED_TABLES)


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
        any_store: Store, weeks_before: int) -> None:
    store = any_store
    corpus(store, n=1400)
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


def test_a_purge_of_whole_days_drops_their_rollups(any_store: Store) -> None:
    store = any_store
    corpus(store, n=1400)
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


def test_an_erasure_that_empties_one_week_and_touches_others(any_store: Store) -> None:
    """Counted from the staged ids (fewer than the touched weeks' posts):
    the emptied week's authors are dropped with it, the others' decremented."""
    store = any_store
    corpus(store, n=1400)
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
