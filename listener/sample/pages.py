"""The sample as a sequence of pages: each stream (an X query, a subreddit
listing, a Mastodon instance's tag timeline, a Bluesky search, a feed) is cut
into pages of real payloads, split into items by the live sources' own
splitters (``listener.platforms.registry.splitter``), and replayed oldest
page first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from listener.platforms.registry import splitter
from listener.sample import (
    bluesky_payload,
    mastodon_payload,
    own_payload,
    reddit_payload,
    rss_payload,
    x_payload,
)
from listener.sample.authors import OFFICIAL
from listener.sample.engagement import ADDRESSED_STREAMS
from listener.sample.own_payload import own_items
from listener.sample.plan import PlannedPost, plan
from listener.sources.base import Page

SAMPLE_END = date(2026, 11, 22)  # a Sunday: the sample covers ISO weeks 2026-W38..W47
SAMPLE_WEEKS = 10
SAMPLE_POSTS = 3000
PAGE_SIZE = 50
# The page sizes the live sources ask for by default (each platform's most):
# X's max_results, Reddit's limit and Bluesky's limit 100, Mastodon's limit 40;
# a feed is read whole (the sample's 50). ``generate_pages(page_size=REAL_PAGE_SIZES)``.
REAL_PAGE_SIZES: Mapping[str, int] = {"x": 100, "reddit": 100, "bluesky": 100, "mastodon": 40,
                                      "rss": PAGE_SIZE}

Builder = Callable[[list[int], list[PlannedPost], str, str | None], Any]
_BUILDERS: dict[str, Builder] = {
    "x": x_payload.page, "reddit": reddit_payload.page, "mastodon": mastodon_payload.page,
    "bluesky": bluesky_payload.page, "rss": rss_payload.page,
}
_ENDPOINTS = {
    "x": "https://api.x.com/2/tweets/search/recent",
    "reddit": "https://oauth.reddit.com/{query}",
    "mastodon": "https://{instance}/api/v1/timelines/tag/AshbyMarsh",
    "bluesky": "https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts",
    "rss": "{query}",
}


@dataclass(frozen=True)
class _Chunk:
    stream: str
    entries: list[int]
    newest: datetime
    number: int
    last: bool


def query_for(stream: str) -> str:
    platform, _, rest = stream.partition(":")
    if rest.startswith("own-"):
        return f"{OFFICIAL[platform]} {rest.removeprefix('own-')}"
    if platform == "mastodon":
        return f"#AshbyMarsh@{rest}"
    if platform == "rss":
        return rss_payload.FEEDS[stream][2]
    queries = {**x_payload.QUERIES, **reddit_payload.QUERIES, **bluesky_payload.QUERIES}
    return queries[stream]


def _chunks(posts: list[PlannedPost], page_size: int | Mapping[str, int]) -> list[_Chunk]:
    by_stream: dict[str, list[int]] = defaultdict(list)
    for i, post in enumerate(posts):
        by_stream[post.stream].append(i)
        for other in post.also_in:
            by_stream[other].append(i)
    chunks = []
    for stream, entries in sorted(by_stream.items()):
        size = page_size if isinstance(page_size, int) else \
            page_size.get(stream.split(":", 1)[0], PAGE_SIZE)
        starts = range(0, len(entries), size)
        for number, start in enumerate(starts):
            part = entries[start:start + size]
            chunks.append(_Chunk(stream, part, posts[part[-1]].created, number,
                                 number == len(starts) - 1))
    chunks.sort(key=lambda c: (c.newest, c.stream))
    return chunks


def _page(chunk: _Chunk, posts: list[PlannedPost], position: int, seed: int) -> Page:
    platform = chunk.stream.split(":", 1)[0]
    query = query_for(chunk.stream)
    token = None if chunk.last else f"{chunk.stream.replace(':', '-')}-{seed}-{chunk.number + 1}"
    if chunk.stream in own_payload.ENDPOINTS:  # the body's own channels
        items = own_items(chunk.entries, posts, chunk.stream, token)
        url = own_payload.ENDPOINTS[chunk.stream]
    else:
        payload = _BUILDERS[platform](chunk.entries, posts, chunk.stream, token)
        items = splitter(platform)(payload)
        url = _ENDPOINTS[platform].format(query=query, instance=chunk.stream.partition(":")[2])
    return Page(
        platform=platform,
        items=items,
        query=query,
        cursor={"position": str(position)},
        request={"method": "GET", "url": url, "query": query, "page": chunk.number,
                 "replayed_from": "embedded sample", "seed": seed},
        addressed=chunk.stream in ADDRESSED_STREAMS,
    )


def generate_pages(n_posts: int, seed: int = 0, weeks: int = SAMPLE_WEEKS,
                   end: date = SAMPLE_END, *, page_size: int | Mapping[str, int] = PAGE_SIZE,
                   after: int = -1) -> Iterator[Page]:
    """Pages holding ``n_posts`` planned posts (plus cross-stream duplicates;
    four of them deliberately malformed) over ``weeks`` ISO weeks ending on
    ``end``, oldest page first; ``page_size`` is one size for every stream or
    one per platform (e.g. ``REAL_PAGE_SIZES``). Each page's cursor is its
    position; pages at or before ``after`` are skipped without being built."""
    sizes = [page_size] if isinstance(page_size, int) else list(page_size.values())
    if n_posts < 1 or weeks < 1 or min(sizes, default=1) < 1:
        raise ValueError("n_posts, weeks and page_size must be positive")
    posts = plan(n_posts, seed, weeks, end)
    for position, chunk in enumerate(_chunks(posts, page_size)):
        if position > after:
            yield _page(chunk, posts, position, seed)
