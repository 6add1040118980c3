"""The rollups stay equal to a fresh count of the posts after every write
storage makes (the listener's operations end to end:
``tests/listener/test_rollup_operations.py``), ``check`` finds drift, and
``rebuild`` repairs it. On both backends (``any_store``), except where a
test goes through SQLite's own machinery (its statement trace, its
planner): ``store`` alone, marked ``sqlite_only`` with the reason."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from storage import LabelRecord, Post, Store, StoredItem
from storage.rollup_facts import QUEUED_BETWEEN, PostFacts, author_hash, read_facts, with_labels
from storage.rollup_sketch import SAMPLE_FLOOR, SAMPLE_SIZE
from tests.rollup_corpus import PLACES, START, TOPICS, WEEKS, corpus, draw


def _labelled_page(store: Store, posts: list[Post], topic: str | None = "parks",
                   source: str = "x-search") -> list[int]:
    run = store.runs.start(source)
    ids = store.collect.save_page(source=source, run_id=run, query="q",
                                  items=[StoredItem(p, {"id": p.native_id}) for p in posts]).new_ids
    store.runs.finish(run, "ok")
    if topic is not None:
        store.labels.save("topic", "topics.keywords", "v1", "cfg", ids, [
            LabelRecord(i, "topic", topic, 1.0, "topics.keywords", "v1", None, ("park",))
            for i in ids])
    return ids


def _post(n: int, author: str, when: datetime, likes: int | None = None) -> Post:
    return Post(platform="x", native_id=f"t{n}", text=f"the park {n}", created_at=when,
                author_key=f"key-{author}", likes=likes)


def test_a_new_post_waits_on_the_queue_until_it_is_labelled(any_store: Store) -> None:
    store = any_store
    when = datetime(2026, 11, 18, 12, tzinfo=UTC)
    (pid,) = _labelled_page(store, [_post(1, "a", when)], topic=None)
    assert store.rollups.queued() == 1
    assert store.sql.execute("SELECT count(*) FROM rollup_posts").fetchone()[0] == 0
    assert store.rollups.check() == []  # queued posts are not counted in the tables
    store.labels.save("topic", "topics.keywords", "v1", "cfg", [pid], [])
    assert store.rollups.queued() == 0
    row = store.sql.execute("SELECT day, voice, platform, sentiment, topic_state, posts"
                            " FROM rollup_posts").fetchall()
    assert [tuple(r) for r in row] == [("2026-11-18", "public", "x", "pending", "none", 1)]
    assert store.rollups.check() == []


def test_rollups_equal_a_fresh_count_after_every_storage_write(any_store: Store) -> None:
    store = any_store
    corpus(store, n=1200)
    assert store.rollups.queued() == 40  # stored, never labelled
    assert store.rollups.check() == []
    rng = random.Random(3)
    ids = [int(r[0]) for r in store.sql.execute("SELECT id FROM posts ORDER BY id")]

    chosen = rng.sample(ids, 300)  # a relabel with another topic version
    store.labels.save("topic", "topics.keywords", "v2", "cfg2", chosen, [
        LabelRecord(pid, "topic", rng.choice(sorted(TOPICS)), 1.0, "topics.keywords", "v2",
                    None, ("bin", "Park")) for pid in chosen if rng.random() < 0.7])
    assert store.rollups.check() == []

    rows = store.sql.execute(  # seen again: more likes, a new source, an edited time
        "SELECT platform, native_id, text, created_at, author_key, likes FROM posts"
        " ORDER BY id LIMIT 120").fetchall()
    run = store.runs.start("x-extra")
    store.collect.save_page(source="x-extra", run_id=run, query="z", items=[StoredItem(Post(
        platform=p, native_id=n, text=t, created_at=datetime.fromisoformat(c)
        + timedelta(days=k % 3), author_key=a, likes=(likes or 0) + 40), {"id": n})
        for k, (p, n, t, c, a, likes) in enumerate(rows)])
    assert store.rollups.check() == []

    store.erasure.forget_author("x", "key-heavy1")
    assert store.rollups.check() == []
    store.erasure.forget_posts(rng.sample(ids[:1000], 40), block=False)
    assert store.rollups.check() == []
    cut = (START + timedelta(weeks=3, days=2, hours=13)).isoformat()  # mid-week, mid-day
    counts = store.retention.purge_expired(posts_before=cut, raw_before=cut)
    assert counts["posts"] > 150
    assert store.rollups.check() == []


def test_a_day_whose_author_sample_runs_short_is_rebuilt_with_the_deletion(
        any_store: Store) -> None:
    """A topic's posts on one day by more authors than a sample lists; then
    the authors it lists are erased one by one: each erasure leaves the day
    true, including when the sample would list too few to say."""
    store = any_store
    when = datetime(2026, 11, 18, 9, tzinfo=UTC)
    authors = [f"a{k}" for k in range(SAMPLE_SIZE + 6)]
    _labelled_page(store, [_post(k, a, when + timedelta(minutes=k))
                           for k, a in enumerate(authors)])
    members, truncated = store.sql.execute(
        "SELECT members, truncated FROM rollup_author_samples WHERE dim = 'topic'").fetchone()
    assert truncated == 1 and members.count("],[") == SAMPLE_SIZE - 1
    listed = sorted(authors, key=lambda a: author_hash(f"key-{a}"))[:SAMPLE_SIZE]
    erased = SAMPLE_SIZE - SAMPLE_FLOOR + 3
    for author in listed[:erased]:
        store.erasure.forget_author("x", f"key-{author}")
        assert store.rollups.check() == []
    members, truncated = store.sql.execute(
        "SELECT members, truncated FROM rollup_author_samples WHERE dim = 'topic'").fetchone()
    left = len(authors) - erased
    assert left <= SAMPLE_SIZE and truncated == 0 and members.count("],[") == left - 1


def test_the_check_finds_drift_and_rebuild_repairs_it(any_store: Store) -> None:
    store = any_store
    corpus(store, n=600)
    assert store.rollups.check() == []
    with store.sql.transaction():
        store.sql.execute("UPDATE rollup_topics SET posts = posts + 1 WHERE day ="
                         " (SELECT min(day) FROM rollup_topics)")
        store.sql.execute("DELETE FROM rollup_author_samples WHERE dim = 'term'")
        store.sql.execute("UPDATE rollup_examples SET entries = '[]', truncated = 0"
                          " WHERE kind = 'engaged'")
        store.sql.execute("DELETE FROM rollup_week_authors WHERE week = (SELECT max(week)"
                          " FROM rollup_week_authors)")
    found = {d.table for d in store.rollups.check()}
    assert found == {"rollup_topics", "rollup_author_samples", "rollup_examples",
                     "rollup_week_authors"}
    assert store.rollups.rebuild() == 600 + 40
    assert store.rollups.check() == [] and store.rollups.queued() == 0


def test_rebuild_since_a_day_rewrites_its_week_onwards(any_store: Store) -> None:
    store = any_store
    corpus(store, n=600)
    with store.sql.transaction():
        store.sql.execute("UPDATE rollup_posts SET posts = posts + 5")
    since = (START + timedelta(weeks=10, days=3)).date()
    store.rollups.rebuild(since)
    drift = store.rollups.check()
    monday = since - timedelta(days=since.weekday())
    assert drift and all(d.key[0] < monday.isoformat() for d in drift)
    assert store.rollups.check(since) == []


def test_a_time_zone_change_rebuilds_the_days_in_the_new_zone(any_store: Store) -> None:
    store = any_store
    late = datetime(2026, 11, 18, 23, 30, tzinfo=UTC)  # 18th in London, 19th in Auckland
    _labelled_page(store, [_post(1, "a", late)])
    assert store.rollups.zone() == "Europe/London"
    assert store.rollups.use_zone("Pacific/Auckland") is True
    assert store.rollups.use_zone("Pacific/Auckland") is False
    days = [r[0] for r in store.sql.execute("SELECT day FROM rollup_posts")]
    assert days == ["2026-11-19"] and store.rollups.check() == []


def test_the_bulk_load_rolls_up_what_it_labels(any_store: Store) -> None:
    store = any_store
    when = datetime(2026, 11, 18, 9, tzinfo=UTC)
    posts = [(_post(k, f"b{k % 7}", when), [LabelRecord(0, "sentiment", "negative", 0.5,
                                                       "sentiment.vader", "v1")])
             for k in range(30)]
    store.bulk.load(posts, looked_at={"sentiment": ("sentiment.vader", "v1")})
    store.bulk.load([(_post(99, "c", when), [])], looked_at={})
    assert store.rollups.queued() == 1
    assert store.rollups.check() == []
    assert store.sql.execute("SELECT sum(posts) FROM rollup_posts WHERE sentiment = 'negative'"
                             ).fetchone()[0] == 30
    # the ids it gave by hand are taken: a collected post gets the next one
    [collected] = _labelled_page(store, [_post(100, "d", when)])
    assert collected == 32 and store.count_posts() == 32


def test_checking_an_empty_store_finds_nothing(any_store: Store) -> None:
    store = any_store
    assert store.rollups.check() == [] and store.rollups.check(date(2026, 1, 1)) == []


def test_the_places_table_reads_posts_sentiment_top_topic_and_authors(
        any_store: Store) -> None:
    store = any_store
    drawn = corpus(store, n=800)
    first, last = date(2026, 11, 16), date(2026, 11, 29)
    rows = {r.place: r for r in store.rollups.places(first, last)}
    lo, hi = (datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC))
    for place in ("hightown", "lowfield"):
        named = [d for d in drawn if place in d.places and lo <= d.post.created_at < hi]
        assert rows[place].posts == len(named) > 0
        assert rows[place].sentiment.get("negative", 0) == sum(
            1 for d in named if d.sentiment == "negative")
        topics = Counter(slug for d in named if not d.topic_pending for slug, _ in d.topics)
        assert rows[place].top_topic == min(topics, key=lambda t: (-topics[t], t))
        authors = {d.post.author_key for d in named}
        assert store.rollups.place_has_authors(place, first, last, 10) is (len(authors) >= 10)


def _facts_key(post: PostFacts) -> tuple[object, ...]:
    """A post's facts with their lists in a fixed order (the rollups count
    them, whatever the order)."""
    return (post.id, post.created_at, post.platform, post.voice, post.author, post.engagement,
            post.sentiment, post.topic_state, sorted(post.topics.items()), sorted(post.places),
            sorted(post.sources), sorted(post.looked))


def _label_saves(rng: random.Random, ids: list[int]
                 ) -> list[tuple[str, str, str, list[int], list[LabelRecord]]]:
    """Label saves of every shape classification makes: each task, labels
    with and without evidence, a label given twice, a sentiment beside one
    outside the three, posts left without a label, posts rolled and queued."""
    def some() -> list[int]:
        return sorted(rng.sample(ids, 150))

    topic = some()
    sentiment = some()
    place = some()
    request = some()
    return [
        ("topic", "topics.keywords", "v3", topic, [
            LabelRecord(pid, "topic", slug, 1.0, "topics.keywords", "v3", None,
                        () if k % 4 == 0 else ("Bin", "pothole"))
            for k, pid in enumerate(topic) if k % 5
            for slug in rng.sample(sorted(TOPICS), 1 + k % 2)]
         + [LabelRecord(topic[1], "topic", "parks", 1.0, "topics.keywords", "v3", None,
                        ("trees",))]),
        ("sentiment", "sentiment.model", "v2", sentiment, [
            LabelRecord(pid, "sentiment", label, 0.5, "sentiment.model", "v2")
            for k, pid in enumerate(sentiment) if k % 6
            for label in (("negative",) if k % 3 else ("mixed", "positive"))]),
        ("place", "places.gazetteer", "v2", place, [
            LabelRecord(pid, "place", p, 1.0, "places.gazetteer", "v2", None, (p,))
            for k, pid in enumerate(place) for p in rng.sample(PLACES, k % 3)]),
        ("request", "request.rules", "v1", request, [
            LabelRecord(pid, "request", "request", 1.0, "request.rules", "v1")
            for k, pid in enumerate(request) if k % 2]),
        ("request", "request.rules", "v2", request[::2], [  # looked at again, by a new version
            LabelRecord(pid, "request", "request", 1.0, "request.rules", "v2")
            for pid in request[::6]]),
    ]


def test_the_facts_a_label_save_derives_are_those_read_after_it(any_store: Store) -> None:
    store = any_store
    corpus(store, n=700)
    rng = random.Random(5)
    ids = [int(r[0]) for r in store.sql.execute("SELECT id FROM posts ORDER BY id")]
    for task, clf, version, chosen, labels in _label_saves(rng, ids):
        marks = ", ".join("?" * len(chosen))
        before = read_facts(store.sql, f"SELECT id FROM posts WHERE id IN ({marks})", chosen)
        given: dict[int, list[tuple[str, str | None]]] = {pid: [] for pid in chosen}
        for lab in labels:
            given[lab.post_id].append(
                (lab.label, json.dumps(list(lab.evidence)) if lab.evidence else None))
        derived = [with_labels(p, task, clf, version, given[p.id]) for p in before]
        store.labels.save(task, clf, version, None, chosen, labels)
        after = read_facts(store.sql, f"SELECT id FROM posts WHERE id IN ({marks})", chosen)
        assert [_facts_key(p) for p in derived] == [_facts_key(p) for p in after], task
        assert store.rollups.check() == []


@pytest.mark.sqlite_only("counts the statements with SQLite's trace callback")
def test_a_label_save_reads_each_post_once_and_keeps_the_rollups_true(store: Store) -> None:
    corpus(store, n=700)
    rng = random.Random(6)
    ids = [int(r[0]) for r in store.db.execute("SELECT id FROM posts ORDER BY id")]
    queued = [int(r[0]) for r in store.db.execute("SELECT post_id FROM rollup_queue")]
    assert len(queued) == 40
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    for task, clf, version, chosen, labels in _label_saves(rng, ids):
        joining, queued = queued[:10], queued[10:]
        chosen = sorted(set(chosen) | set(joining))  # a batch of rolled and queued posts
        statements.clear()
        store.labels.save(task, clf, version, None, chosen, labels)
        reads = [s for s in statements if " FROM posts p " in s]
        assert len(reads) == 1 + bool(joining), (task, reads)  # rolled posts once, queued once
        assert store.rollups.check() == []
    store.db.conn.set_trace_callback(None)
    assert store.rollups.queued() == 0


@pytest.mark.sqlite_only("counts the statements with SQLite's trace callback")
def test_classifying_new_posts_reads_each_once_per_task(store: Store) -> None:
    """New posts (on the queue) are read once by their first task's save and
    once by each later one, never twice in one save."""
    corpus(store, n=200)
    rng = random.Random(7)
    new = draw(rng, 60, start=START + timedelta(weeks=WEEKS - 1), weeks=1, prefix="new")
    run = store.runs.start("x-search")
    ids = store.collect.save_page(source="x-search", run_id=run, query="q", items=[
        StoredItem(d.post, {"id": d.post.native_id}) for d in new]).new_ids
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    for task, clf, version, _, labels in _label_saves(rng, ids * 3):
        statements.clear()
        store.labels.save(task, clf, version, None, ids,
                          [lab for lab in labels if lab.post_id in set(ids)])
        assert len([s for s in statements if " FROM posts p " in s]) == 1, task
        assert store.rollups.check() == []
    store.db.conn.set_trace_callback(None)


@pytest.mark.sqlite_only("SQLite's planner: its statistics (sqlite_stat1) and EXPLAIN QUERY PLAN")
def test_queued_posts_are_found_from_the_queue_not_by_walking_the_span(store: Store) -> None:
    """The query page and the report read queued posts between two times.
    In a large database analysed while every post was labelled (the queue
    empty), the plan must still start from the queue: a walk of the posts'
    time index costs a 12-week span of 1M posts a tenth of a second per chart."""
    when = datetime(2026, 11, 18, 12, tzinfo=UTC)
    _labelled_page(store, [_post(n, "a", when + timedelta(minutes=n)) for n in range(30)])
    assert store.rollups.queued() == 0
    store.db.execute("ANALYZE")  # then statistics as for a million posts
    store.db.execute("UPDATE sqlite_stat1 SET stat = '1000000' || substr(stat, instr(stat, ' '))"
                     " WHERE tbl = 'posts' AND stat LIKE '% %'")
    store.db.execute("ANALYZE sqlite_schema")  # reload them
    _labelled_page(store, [_post(100, "b", when)], topic=None)  # one post waits on the queue
    plan = [str(r[3]) for r in store.db.execute(f"EXPLAIN QUERY PLAN {QUEUED_BETWEEN}",
                                                ["2026-11-01", "2026-12-01"]).fetchall()]
    assert plan[0].startswith("SCAN q"), plan
    ids = [r[0] for r in store.db.execute(QUEUED_BETWEEN, ["2026-11-01", "2026-12-01"])]
    assert len(ids) == 1
