"""``store.engagement`` on both backends (``any_store``): questions and
complaints addressed to the body with its first answer, its own posts with
the residents' replies they drew, and distinct authors counted without
reading one out (also past the bound-parameter batch, through a temporary
table)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage import LabelRecord, Post, Store, StoredItem
from storage.engagement import _MAX_BOUND

T = datetime(2026, 11, 17, 9, tzinfo=UTC)
WEEK = ("2026-11-16T00:00:00Z", "2026-11-23T00:00:00Z")


def own(native: str, at: datetime, **kw: Any) -> Post:
    return Post("x", native, f"council post {native}", at, author_handle="ExampleCouncil",
                author_official=True, author_key="k-own", **kw)


def resident(native: str, at: datetime, author: str, **kw: Any) -> Post:
    return Post("x", native, f"resident post {native}", at, author_key=f"k-{author}", **kw)


def put(store: Store, *posts: Post) -> None:
    run = store.runs.start("t")
    store.collect.save_page(source="t", run_id=run,
                            items=[StoredItem(p, {"id": p.native_id}) for p in posts])


def ids_by_native(store: Store) -> dict[str, int]:
    return {str(n): int(i) for i, n in store.sql.execute("SELECT id, native_id FROM posts")}


def test_requests_answers_own_posts_and_their_replies(any_store: Store) -> None:
    store = any_store
    put(store, own("o1", T))
    put(store, resident("q1", T + timedelta(hours=1), "a", in_reply_to="o1"),
        resident("q2", T + timedelta(hours=2), "b", addressed=True),
        resident("r1", T + timedelta(hours=3), "a", in_reply_to="o1"))
    put(store, own("o2", T + timedelta(hours=4), in_reply_to="q1"))  # the answer to q1
    ids = ids_by_native(store)
    store.labels.save("request", "request.rules", "v1", None, [ids["q1"], ids["q2"], ids["r1"]], [
        LabelRecord(ids["q1"], "request", "question", 1.0, "request.rules", "v1"),
        LabelRecord(ids["q1"], "request", "complaint", 1.0, "request.rules", "v1"),
        LabelRecord(ids["q2"], "request", "complaint", 1.0, "request.rules", "v1")])
    store.labels.save("topic", "t", "v1", None, [ids["q1"]], [
        LabelRecord(ids["q1"], "topic", "roads", 1.0, "t", "v1"),
        LabelRecord(ids["q1"], "topic", "bins", 1.0, "t", "v1")])
    store.labels.save("sentiment", "s", "v1", None, [ids["q1"]], [
        LabelRecord(ids["q1"], "sentiment", "negative", 1.0, "s", "v1")])
    reader = store.engagement
    requests = reader.requests(*WEEK)
    assert [(r.native_id, r.kinds, r.topics, r.answered_at is not None) for r in requests] == [
        ("q1", ("complaint", "question"), ("bins", "roads"), True),
        ("q2", ("complaint",), (), False)]
    assert [r.native_id for r in reader.unanswered(*WEEK)] == ["q2"]
    assert reader.classified(*WEEK)
    assert not reader.classified("2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z")
    posts = {p.native_id: p for p in reader.own_posts(*WEEK)}
    assert (posts["o1"].stored_replies, posts["o1"].replies_sentiment,
            posts["o1"].replies_authors) == (2, {"negative": 1, "": 1}, 1)
    replies = reader.reply_sentiment(*WEEK)
    assert (replies.counts, replies.authors) == ({"negative": 1, "": 1}, 1)


def test_distinct_authors_past_the_bound_batch(any_store: Store) -> None:
    store = any_store
    n = _MAX_BOUND + 50
    put(store, *[resident(f"p{k}", T + timedelta(seconds=k), f"a{k % 300}") for k in range(n)])
    ids = sorted(ids_by_native(store).values())
    assert store.engagement.authors(ids) == 300
    assert store.engagement.authors(ids[:10]) == 10
    assert store.engagement.authors(ids) == 300  # the staged ids are replaced each time
