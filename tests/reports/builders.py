"""Hand-built report databases through the real storage API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from storage import LabelRecord, Post, Store, StoredItem


@dataclass(frozen=True)
class Spec:
    when: datetime  # aware
    text: str = "a post"
    author: str = "a0"
    platform: str = "x"
    topics: Sequence[tuple[str, Sequence[str]]] = ()  # (slug, matched terms)
    sentiment: str | None = "neutral"  # None: looked at, no label; "pending": not looked at
    topic_state: bool = True  # False: not yet classified for topic
    url: str | None = None
    replies: int | None = None
    reposts: int | None = None
    likes: int | None = None
    handle: str | None = None  # an official account's handle
    native_id: str | None = None  # the platform's id (default: a made-up one)


_counter = iter(range(1, 10**9))


def add(store: Store, specs: Sequence[Spec], source: str = "x-search",
        query: str = "q") -> list[int]:
    """Store ``specs`` as one page of one run, then their topic and sentiment
    labels as the classifiers would. Returns the post ids in order."""
    run = store.runs.start(source)
    items = []
    for spec in specs:
        n = next(_counter)
        items.append(StoredItem(Post(
            platform=spec.platform, native_id=spec.native_id or f"n{n}", text=spec.text,
            created_at=spec.when.astimezone(UTC), url=spec.url,
            author_key=f"key-{spec.author}", author_handle=spec.handle,
            author_official=spec.handle is not None, replies=spec.replies,
            reposts=spec.reposts, likes=spec.likes,
        ), {"id": n}))
    result = store.collect.save_page(source=source, run_id=run, items=items, query=query)
    store.runs.finish(run, "ok")
    ids = result.new_ids
    topic_ids = [i for i, s in zip(ids, specs, strict=True) if s.topic_state]
    topic_labels = [
        LabelRecord(i, "topic", slug, 1.0, "topics.keywords", "v1", None, tuple(terms))
        for i, s in zip(ids, specs, strict=True) if s.topic_state for slug, terms in s.topics
    ]
    store.labels.save("topic", "topics.keywords", "v1", "cfg", topic_ids, topic_labels)
    looked = [i for i, s in zip(ids, specs, strict=True) if s.sentiment != "pending"]
    sentiments = [
        LabelRecord(i, "sentiment", s.sentiment, 0.5, "sentiment.vader", "v1")
        for i, s in zip(ids, specs, strict=True) if s.sentiment not in (None, "pending")
    ]
    store.labels.save("sentiment", "sentiment.vader", "v1", "cfg", looked, sentiments)
    return ids


def at(day: str, hour: int = 12, minute: int = 0) -> datetime:
    """A UTC moment on an ISO date."""
    y, m, d = (int(x) for x in day.split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=UTC)
