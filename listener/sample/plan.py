"""What the sample says, before any payload exists: when each post was made,
on which platform and stream, about which topic, in what tone, by whom, and
which posts reply to, repost or duplicate others."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from listener.sample import texts
from listener.sample.authors import OFFICIAL, Author, AuthorPool
from listener.sample.draw import cumulative, pick, weighted

LONDON = ZoneInfo("Europe/London")
SPIKE_TOPIC = "waste_recycling"
SPIKE_FACTOR = 4.0  # the spike topic's volume in the last week, times its usual
GENERAL_SHARE = 0.15  # posts matching no topic
OFFICIAL_SHARE = 0.06  # topic posts that are council notices
DUPLICATE_SHARE = {"x": 0.06, "mastodon": 0.1}  # posts that a second stream returns too
PLATFORM_WEIGHTS = {"x": 0.37, "reddit": 0.21, "bluesky": 0.2, "mastodon": 0.14, "rss": 0.02}
STREAMS = {  # platform -> the streams (queries, instances, feeds) it is read through
    "x": ("x:area", "x:services"),
    "reddit": ("reddit:posts", "reddit:comments"),
    "mastodon": ("mastodon:mastodon.example.uk", "mastodon:social.example.org"),
    "bluesky": ("bluesky:search",),
    "rss": ("rss:council", "rss:gazette"),
}
_WEEKDAY = (1.15, 1.1, 1.05, 1.0, 0.9, 0.7, 0.75)
_HOURS = (0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.4, 1.8, 1.6, 1.3, 1.2,
          1.4, 1.3, 1.1, 1.1, 1.3, 1.6, 1.8, 1.9, 1.8, 1.5, 1.0, 0.6)
_CUM_HOURS = cumulative(_HOURS)
_HOUR_RANGE = range(24)
_CUM_TONES = cumulative(texts.TONE_WEIGHTS)
_CUM_SPIKE_TONES = cumulative(texts.SPIKE_TONE_WEIGHTS)


@dataclass
class PlannedPost:
    created: datetime  # aware UTC
    platform: str
    stream: str
    topic: str | None
    tone: str
    text: str
    lang: str
    author: Author
    kind: str = "post"  # post | reply | repost | comment
    parent: int | None = None  # index of the post replied to or reposted
    title: str | None = None
    also_in: list[str] = field(default_factory=list)  # further streams that return it
    broken: bool = False  # a deliberately malformed item


def _when(day: date, rng: random.Random) -> datetime:
    hour = weighted(_HOUR_RANGE, _CUM_HOURS, rng)
    minute, second = int(rng.random() * 60), int(rng.random() * 60)
    local = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=LONDON)
    return local.astimezone(UTC)


def _text(topic: str | None, tone: str, spike: bool, official: bool, platform: str,
          mention: str, rng: random.Random) -> tuple[str, str, str | None]:
    """(text, lang, headline) for one post."""
    data = texts.templates()
    council = {"x": "@ExampleCouncil", "bluesky": "@examplecouncil.bsky.social"}.get(
        platform, pick(("the council", "Example Council"), rng))
    if topic is None:
        return texts.fill(pick(data["general"], rng), rng, mention=mention), "en", None
    spec = data["topics"][topic]
    if official or platform == "rss":
        pool = spec.get("spike_official") if spike else None
        body = texts.fill(pick(pool or spec["official"], rng), rng, tone="neutral")
        return body, "en", texts.fill(pick(spec["headlines"], rng), rng)
    if rng.random() < 0.01:
        other = [o for o in data["other_languages"] if o["topic"] == topic]
        if other:
            choice = pick(other, rng)
            return texts.fill(choice["text"], rng, tone=tone), choice["lang"], None
    pool = spec["spike"] if spike and "spike" in spec and rng.random() < 0.7 else spec[tone]
    body = texts.fill(pick(pool, rng), rng, tone=tone, mention=mention, council=council)
    return texts.add_noise(body, rng, tone, spec["hashtags"]), "en", None


def plan(n_posts: int, seed: int, weeks: int, end: date) -> list[PlannedPost]:
    """``n_posts`` posts over ``weeks`` weeks ending on ``end`` (local days),
    oldest first, with the spike topic at SPIKE_FACTOR in the last week."""
    rng = random.Random(seed)
    topics = texts.topic_slugs()
    start = end - timedelta(days=7 * weeks - 1)
    days = [start + timedelta(days=i) for i in range(7 * weeks)]
    specs = texts.templates()["topics"]
    total = sum(specs[t]["weight"] for t in topics)
    base = [(1 - GENERAL_SHARE) * specs[t]["weight"] / total for t in topics] + [GENERAL_SHARE]
    categories: list[str | None] = [*topics, None]
    spiky = [w * (SPIKE_FACTOR if c == SPIKE_TOPIC else 1.0)
             for w, c in zip(base, categories, strict=True)]
    day_weights = [_WEEKDAY[d.weekday()] * (sum(spiky) if i >= len(days) - 7 else 1.0)
                   for i, d in enumerate(days)]
    pools = {p: AuthorPool(p, max(20, min(1200, int(n_posts * w / 3))), rng)
             for p, w in PLATFORM_WEIGHTS.items()}
    platforms = list(PLATFORM_WEIGHTS)
    cum_platforms = cumulative(list(PLATFORM_WEIGHTS.values()))
    cum_base, cum_spiky = cumulative(base), cumulative(spiky)
    posts: list[PlannedPost] = []
    spike_start = end - timedelta(days=6)
    for day in rng.choices(days, weights=day_weights, k=n_posts):
        spike = day >= spike_start
        topic = weighted(categories, cum_spiky if spike else cum_base, rng)
        platform = weighted(platforms, cum_platforms, rng)
        if topic is None and platform == "rss":
            platform = "bluesky"
        share = 0.5 if platform == "rss" else OFFICIAL_SHARE if platform in OFFICIAL else 0.0
        official = topic is not None and rng.random() < share
        pool = pools[platform]
        author = pool.official if official else pool.pick(rng)
        spiking = spike and topic == SPIKE_TOPIC
        tone = "neutral" if official else weighted(
            texts.TONES, _CUM_SPIKE_TONES if spiking else _CUM_TONES, rng)
        mention = "@" + pool.pick(rng).handle.split("@")[0]
        text, lang, headline = _text(topic, tone, spiking, official, platform, mention, rng)
        streams = STREAMS[platform]
        stream = streams[0 if official else -1 if platform == "rss" else
                         int(rng.random() * len(streams))]
        posts.append(PlannedPost(_when(day, rng), platform, stream, topic, tone, text, lang,
                                 author, title=headline))
    posts.sort(key=lambda p: p.created)
    _link(posts, rng)
    from listener.sample.engagement import plan_engagement

    first = len(posts)
    for planned, parent in plan_engagement(n_posts, seed, weeks, end, pools):
        planned.parent = None if parent is None else first + parent
        posts.append(planned)
    return posts


def _title(text: str) -> str:
    for stop in (". ", "! ", "? ", ", "):
        head = text.split(stop, 1)[0]
        if len(head) < len(text):
            text = head
    return text[:90]


def _link(posts: list[PlannedPost], rng: random.Random) -> None:
    """Replies, reposts, reddit comments, cross-stream duplicates, and a few
    deliberately malformed items, each pointing only at earlier posts."""
    recent: dict[str, list[int]] = {p: [] for p in STREAMS}
    submissions: list[int] = []
    for i, post in enumerate(posts):
        earlier = recent[post.platform][-50:]
        roll = rng.random()
        if post.platform == "reddit":
            if post.stream == "reddit:comments" and submissions:
                post.kind, post.parent = "comment", pick(submissions[-30:], rng)
            else:
                post.stream, post.title = "reddit:posts", _title(post.text)
                submissions.append(i)
        elif post.platform in ("x", "mastodon", "bluesky") and earlier and not post.author.official:
            j = pick(earlier, rng)
            original = posts[j].parent if posts[j].kind == "repost" else None
            j = j if original is None else original  # a retweet of a retweet is of the original
            if posts[j].author is post.author:
                pass  # nobody here replies to or reposts themselves
            elif post.platform == "x" and roll < 0.08:
                post.kind, post.parent = "repost", j
                post.text, post.topic, post.lang = posts[j].text, posts[j].topic, posts[j].lang
            elif roll < 0.18:
                post.kind, post.parent = "reply", j
                post.text = f"@{posts[j].author.handle.split('@')[0]} {post.text}"
        if rng.random() < DUPLICATE_SHARE.get(post.platform, 0.0):
            post.also_in = [s for s in STREAMS[post.platform] if s != post.stream]
        recent[post.platform].append(i)
    parents = {p.parent for p in posts if p.parent is not None}
    for platform in ("x", "reddit", "mastodon", "bluesky"):
        candidates = [i for i, p in enumerate(posts) if p.platform == platform
                      and i not in parents and not p.also_in and p.kind in ("post", "comment")]
        if candidates:
            posts[pick(candidates, rng)].broken = True
