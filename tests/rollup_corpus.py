"""A varied corpus for the rollup tests, stored through the real storage
API: 14 weeks of posts over several platforms and sources, authors who post
once and a few who post a lot (so author samples and example lists run
over their bounds), posts without an author, the body's own account,
one or two topics with matched terms (some upper case, some without
evidence), the three sentiments, posts looked at without a label, posts
not yet classified, places, and engagement that some platforms do not
give."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storage import LabelRecord, Post, Store, StoredItem

TOPICS = {"waste_recycling": ("bin", "Recycling", "flytipping"),
          "roads_potholes": ("pothole", "roadworks"),
          "parks": ("park", "playground", "trees")}
PLACES = ("hightown", "lowfield", "riverside")
PLATFORMS = ("x", "reddit", "mastodon", "rss")
SOURCES = {"x": ("x-search", "x-mentions"), "reddit": ("reddit-local",),
           "mastodon": ("mastodon-tags",), "rss": ("rss-news",)}
START = datetime(2026, 8, 24, tzinfo=UTC)  # Monday of 2026-W35; the corpus ends with W48
WEEKS = 14
OFFICIAL = "ExampleCouncil"


@dataclass
class Drawn:
    post: Post
    topics: list[tuple[str, tuple[str, ...] | None]]  # slug, matched terms (None: no evidence)
    sentiment: str | None  # a label; None: looked at without one; "pending": not looked at
    topic_pending: bool
    places: tuple[str, ...]
    source: str


def draw(rng: random.Random, n: int, *, start: datetime = START, weeks: int = WEEKS,
         prefix: str = "c") -> list[Drawn]:
    out = []
    for k in range(n):
        when = start + timedelta(seconds=rng.randrange(weeks * 7 * 86400))
        if rng.random() < 0.25:  # the last two weeks are busier
            when = start + timedelta(weeks=weeks - 2, seconds=rng.randrange(2 * 7 * 86400))
        platform = rng.choice(PLATFORMS)
        u = rng.random()
        author: str | None = (f"heavy{rng.randrange(3)}" if u < 0.15 else
                              None if u < 0.2 else f"p{rng.randrange(n // 2)}")
        own = platform == "x" and rng.random() < 0.03
        slugs = rng.sample(sorted(TOPICS), rng.choices((0, 1, 2), (25, 60, 15))[0])
        topics = [(s, None if rng.random() < 0.05 else
                   tuple(rng.sample(TOPICS[s], rng.randint(1, min(3, len(TOPICS[s]))))))
                  for s in slugs]
        given = platform != "rss"
        post = Post(platform=platform, native_id=f"{prefix}{k}",
                    text=f"post {k} about {' and '.join(slugs) or 'nothing'}",
                    created_at=when, url=f"https://{platform}.example/{prefix}{k}",
                    author_key=f"key-{OFFICIAL}" if own else (f"key-{author}" if author else None),
                    author_handle=OFFICIAL if own else None, author_official=own,
                    replies=rng.randrange(4) if given else None,
                    reposts=rng.randrange(3) if given else None,
                    likes=rng.randrange(30) if given and rng.random() < 0.8 else None,
                    quotes=rng.randrange(2) if platform == "x" else None)
        v = rng.random()
        sentiment = ("pending" if v < 0.04 else None if v < 0.08 else "mixed" if v < 0.09
                     else rng.choice(("negative", "negative", "neutral", "positive")))
        out.append(Drawn(post, topics, sentiment, rng.random() < 0.04,
                         tuple(rng.sample(PLACES, rng.choices((0, 1, 2), (70, 25, 5))[0])),
                         rng.choice(SOURCES[platform])))
    return out


def store_drawn(store: Store, drawn: Sequence[Drawn], *, page: int = 50) -> list[int]:
    """Collect ``drawn`` page by page per source, then label it as
    classification does (topic, sentiment, place; in batches)."""
    ids: dict[str, int] = {}
    by_source: dict[str, list[Drawn]] = {}
    for d in drawn:
        by_source.setdefault(d.source, []).append(d)
    for source, items in sorted(by_source.items()):
        run = store.runs.start(source)
        for begin in range(0, len(items), page):
            chunk = items[begin:begin + page]
            result = store.collect.save_page(
                source=source, run_id=run, query="q",
                items=[StoredItem(d.post, {"id": d.post.native_id}) for d in chunk])
            for d, pid in zip(chunk, result.new_ids, strict=True):
                ids[d.post.native_id] = pid
        store.runs.finish(run, "ok")
    label(store, drawn, ids)
    return [ids[d.post.native_id] for d in drawn]


def label(store: Store, drawn: Sequence[Drawn], ids: dict[str, int], *,
          batch: int = 120, version: str = "v1") -> None:
    looked = [(ids[d.post.native_id], d) for d in drawn]
    for begin in range(0, len(looked), batch):
        chunk = looked[begin:begin + batch]
        topic_ids = [pid for pid, d in chunk if not d.topic_pending]
        store.labels.save("topic", "topics.keywords", version, "cfg", topic_ids, [
            LabelRecord(pid, "topic", slug, 1.0, "topics.keywords", version, None, terms or ())
            for pid, d in chunk if not d.topic_pending for slug, terms in d.topics])
        sent_ids = [pid for pid, d in chunk if d.sentiment != "pending"]
        store.labels.save("sentiment", "sentiment.vader", "v1", None, sent_ids, [
            LabelRecord(pid, "sentiment", str(d.sentiment), 0.5, "sentiment.vader", "v1")
            for pid, d in chunk if d.sentiment not in (None, "pending")])
        store.labels.save("place", "places.gazetteer", "v1", None, [pid for pid, _ in chunk], [
            LabelRecord(pid, "place", place, 1.0, "places.gazetteer", "v1", None, (place,))
            for pid, d in chunk for place in d.places])


def corpus(store: Store, n: int = 2500, seed: int = 20) -> list[Drawn]:
    """Store and label ``n`` drawn posts; a few more are stored and left
    unlabelled (on the rollup queue). Returns what was drawn."""
    rng = random.Random(seed)
    drawn = draw(rng, n)
    store_drawn(store, drawn)
    late = draw(rng, 40, start=START + timedelta(weeks=WEEKS - 1), weeks=1, prefix="late")
    run = store.runs.start("x-search")
    store.collect.save_page(source="x-search", run_id=run, query="q",
                            items=[StoredItem(d.post, {"id": d.post.native_id}) for d in late])
    store.runs.finish(run, "ok")
    return drawn
