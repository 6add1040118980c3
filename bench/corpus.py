"""Synthetic bench databases at scale, built once and cached: the one loader
the bench scripts share.

A *shape* says how many posts fall in each ISO week (oldest first; the last
week ends on ``END``). Posts are generated, never copied: text lengths
follow the lengths of the real texts in the shared eval CSVs (read at build
time), the words come from civic topic terms and filler. Authors are keyed
pseudonyms with realistic reuse (most post once or twice, some regulars,
a few heavy posters) plus ``HEAVY_AUTHORS`` X accounts with exactly
``HEAVY_POSTS`` posts each, for the erasure measure. Five platforms and six
sources; engagement counts are heavy-tailed; topic and sentiment labels and
``label_state`` are written as classification writes them.

Posts older than ``RAW_DAYS`` before ``END`` go through ``storage.bulk``;
the last ``RAW_DAYS`` go through ``save_page`` (with minimised raw payloads
in the platforms' shapes, some X retweets and quotes of earlier posts) and
``save_labels``, as collection and classification store them. Either way an
X post's reference (retweeted, quoted, replied_to) is kept in ``post_refs``.

Databases live in ``$BENCH_OUT`` (default ``bench/out/``), with a
``<name>.json`` beside each saying how it was built.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from storage import LabelRecord, Post, Store, StoredItem

ROOT = Path(__file__).resolve().parents[1]
END = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday: the last week is 2026-W47
RAW_DAYS = 30  # the default privacy.raw_retention_days
HEAVY_AUTHORS = 3
HEAVY_POSTS = 5_000
BENCH_KEY = b"bench-pseudonym-key-" * 2  # the key the heavy authors' pseudonyms use

TOPIC_WORDS = {
    "waste_recycling": ["bin", "recycling", "rubbish", "flytipping", "landfill"],
    "roads_potholes": ["pothole", "roadworks", "resurfacing", "tarmac", "gritting"],
    "housing_repairs": ["damp", "mould", "landlord", "eviction", "tenancy"],
    "council_tax": ["rates", "bill", "discount", "rebate", "band"],
    "adult_social_care": ["carer", "dementia", "homecare", "careworker", "respite"],
    "schools_send": ["school", "ehcp", "pupils", "ofsted", "senco"],
    "buses_trains": ["bus", "train", "timetable", "tram", "commute"],
    "parking": ["parking", "permit", "warden", "fine", "meter"],
    "libraries": ["library", "librarian", "books", "loan", "reading"],
    "planning": ["planning", "developer", "greenbelt", "housebuilding", "estate"],
    "gp_access": ["gp", "surgery", "receptionist", "appointment", "prescription"],
    "hospital_waiting": ["referral", "outpatient", "consultant", "operation", "waiting"],
    "a_and_e": ["ambulance", "paramedic", "corridor", "emergency", "triage"],
    "antisocial_behaviour": ["vandalism", "graffiti", "burglary", "noise", "drugs"],
    "parks": ["park", "playground", "allotment", "greenspace", "trees"],
    "street_lighting": ["streetlight", "lamppost", "dark", "bulb", "lighting"],
}
SLUGS = tuple(TOPIC_WORDS)
FILLER = (
    "the", "council", "again", "this", "week", "why", "does", "nobody", "answer", "still",
    "waiting", "for", "someone", "to", "sort", "out", "our", "street", "people", "are", "fed",
    "up", "really", "pleased", "thanks", "to", "the", "team", "would", "be", "good", "if",
    "anyone", "knows", "what", "happened", "yesterday", "morning", "evening", "near", "town",
    "centre", "road", "lane", "avenue", "close", "estate", "ward", "councillor", "mp",
    "local", "residents", "neighbours", "kids", "families", "elderly", "disabled", "cost",
    "money", "budget", "cuts", "staff", "service", "phone", "online", "form", "email",
    "reported", "twice", "three", "times", "months", "years", "absolutely", "shocking",
    "brilliant", "disappointing", "terrible", "great", "awful", "lovely", "quick", "slow",
    "broken", "fixed", "finally", "never", "always", "sometimes", "maybe", "probably",
)
PLATFORMS = ("x", "reddit", "mastodon", "bluesky", "rss")
PLATFORM_WEIGHTS = (45, 25, 12, 13, 5)
SOURCES = {"x": ("x-council", "x-nhs"), "reddit": ("reddit-local",),
           "mastodon": ("mastodon-tags",), "bluesky": ("bluesky-search",),
           "rss": ("rss-news",)}
SENTIMENTS = ("negative", "neutral", "positive")
SENTIMENT_WEIGHTS = (40, 40, 20)
TOPIC_COUNT_WEIGHTS = (30, 55, 15)  # posts with 0, 1, 2 topics
_BY_AUTHOR = [p for p, w in zip(PLATFORMS, PLATFORM_WEIGHTS, strict=True) for _ in range(w)]


def bench_out() -> Path:
    """Where cached databases live: ``$BENCH_OUT``, else ``bench/out/``."""
    return Path(os.environ.get("BENCH_OUT") or ROOT / "bench" / "out")


def eval_dir() -> Path:
    """The shared eval CSVs: ``$BENCH_EVAL_DIR``, else ``../shared/data/eval``
    beside the repository (or beside the worktrees' parent)."""
    if os.environ.get("BENCH_EVAL_DIR"):
        return Path(os.environ["BENCH_EVAL_DIR"])
    for base in (ROOT.parent, ROOT.parent.parent):
        if (base / "shared/data/eval").is_dir():
            return base / "shared/data/eval"
    raise FileNotFoundError("no shared/data/eval beside the repository; set BENCH_EVAL_DIR")


def text_lengths(folder: Path | None = None) -> list[int]:
    """The character lengths of every text in the eval CSVs (only the
    lengths are kept)."""
    lengths: list[int] = []
    for path in sorted((folder or eval_dir()).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            lengths += [len(row["text"]) for row in csv.DictReader(fh) if row.get("text")]
    if not lengths:
        raise FileNotFoundError(f"no texts in {folder or eval_dir()}")
    return lengths


def spread(total: int, weeks: int) -> tuple[int, ...]:
    """``total`` posts over ``weeks`` weeks, as evenly as whole numbers allow."""
    return tuple(total // weeks + (1 if w < total % weeks else 0) for w in range(weeks))


@dataclass(frozen=True)
class Shape:
    name: str
    weeks: tuple[int, ...]  # posts per ISO week, oldest first; the last ends at END
    seed: int = 42

    @property
    def posts(self) -> int:
        return sum(self.weeks)


SHAPES = {s.name: s for s in (
    # the report target: a 1,000,000-post week after 11 ordinary weeks (as bench/report.py)
    Shape("week-1m", (20_000,) * 11 + (1_000_000,), seed=47),
    Shape("year-1m", spread(1_000_000, 52)),  # 52 ordinary weeks, ~19k posts each
    Shape("year-10m", spread(10_000_000, 52)),  # a typical week: ~192k posts
    Shape("year-100k", spread(100_000, 52)),  # small, for trying the scripts
)}


def day_counts(week_total: int) -> list[int]:
    """A week's posts per day, Monday first: weekdays busier than weekends."""
    weights = (1.1, 1.1, 1.1, 1.1, 1.05, 0.8, 0.75)
    raw = [week_total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    for k in sorted(range(7), key=lambda k: raw[k] - counts[k], reverse=True)[
            :week_total - sum(counts)]:
        counts[k] += 1
    return counts


def heavy_handles() -> list[str]:
    return [f"bench_heavy_{k + 1}" for k in range(HEAVY_AUTHORS)]


def heavy_key(handle: str) -> str:
    """The pseudonym ``listener forget --platform x --author HANDLE`` computes
    under ``BENCH_KEY`` (the same HMAC as ``Pseudonymiser``)."""
    import hmac

    return hmac.new(BENCH_KEY, f"x:{handle.lower()}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass
class Generated:
    post: Post
    topics: list[tuple[str, tuple[str, ...]]]  # slug, matched terms
    sentiment: tuple[str, float]
    source: str
    referenced: tuple[str, str] | None = None  # X: (type, native id)
    raw: dict[str, Any] = field(default_factory=dict)


class Generator:
    """Posts of a shape in arrival order (roughly time order, a tenth late)."""

    def __init__(self, shape: Shape, lengths: Sequence[int], *, end: datetime = END,
                 first: int = 0, heavy: bool = True) -> None:
        self.shape = shape
        self.end = end
        self.rnd = random.Random(shape.seed)
        self.lengths = list(lengths)
        total = shape.posts
        self.pools = (max(1_000, total // 2), max(100, total // 100), max(10, total // 10_000))
        picks = self.rnd.sample(range(first, first + total), HEAVY_AUTHORS * HEAVY_POSTS) \
            if heavy else []
        self.heavy = {index: k // HEAVY_POSTS for k, index in enumerate(picks)}
        self.heavy_keys = [heavy_key(h) for h in heavy_handles()]
        self.heavy_ids: list[str] = []  # native ids of heavy posts seen so far
        self.x_ids: list[str] = []  # a reservoir of earlier X native ids
        self.index = first  # native ids count from here

    def days(self) -> Iterator[tuple[datetime, list[Generated]]]:
        start = self.end - timedelta(weeks=len(self.shape.weeks))
        last = len(self.shape.weeks) - 1
        for w, week_total in enumerate(self.shape.weeks):
            for d, n in enumerate(day_counts(week_total)):
                day = start + timedelta(weeks=w, days=d)
                yield day, [self.one(day, t, spike=w == last)
                            for t in sorted(self.rnd.random() * 86_400 for _ in range(n))]

    def author(self) -> tuple[str, str]:
        """(platform, pseudonym) of the next post's author."""
        if self.index in self.heavy:
            return "x", self.heavy_keys[self.heavy[self.index]]
        u = self.rnd.random()
        kind = 0 if u < 0.6 else 1 if u < 0.9 else 2
        who = self.rnd.randrange(self.pools[kind])
        key = hashlib.blake2b(f"{kind}:{who}".encode(), digest_size=16).hexdigest()
        return _BY_AUTHOR[who % len(_BY_AUTHOR)], key

    def text(self, topics: list[tuple[str, tuple[str, ...]]]) -> str:
        rnd = self.rnd
        target = rnd.choice(self.lengths)
        words = [term for _, terms in topics for term in terms]
        size = sum(len(w) + 1 for w in words)
        while size < target:
            word = rnd.choice(FILLER)
            words.insert(rnd.randrange(len(words) + 1), word)
            size += len(word) + 1
        if rnd.random() < 0.25:
            words.insert(0, f"@user{rnd.randrange(100_000)}")
        if rnd.random() < 0.15:
            words.append(f"https://t.co/{rnd.randrange(36 ** 10):x}")
        return " ".join(words)

    def engagement(self, scale: float) -> int:
        return min(int(self.rnd.paretovariate(scale)) - 1, 100_000)

    def one(self, day: datetime, second: float, *, spike: bool) -> Generated:
        rnd = self.rnd
        platform, key = self.author()
        k = rnd.choices((0, 1, 2), TOPIC_COUNT_WEIGHTS)[0]
        slugs = rnd.sample(SLUGS, k)
        if spike and rnd.random() < 0.1 and "waste_recycling" not in slugs:
            slugs = ["waste_recycling", *slugs[:1]]
        topics = [(s, tuple(dict.fromkeys(rnd.choices(TOPIC_WORDS[s], k=rnd.randint(1, 2)))))
                  for s in slugs]
        late = rnd.random() * 6 * 3600 if rnd.random() < 0.1 else 0.0
        created = day + timedelta(seconds=max(0.0, second - late))
        native = f"{self.index:012d}"
        given = platform != "rss"
        referenced = None
        if platform == "x" and self.x_ids and rnd.random() < 0.08:
            kind = rnd.choice(("retweeted", "quoted", "replied_to"))
            pool = self.heavy_ids if self.heavy_ids and rnd.random() < 0.02 else self.x_ids
            referenced = (kind, rnd.choice(pool))
        text = self.text(topics)
        post = Post(
            platform=platform, native_id=native, text=text, created_at=created,
            url=_url(platform, native), author_key=key, lang="en",
            title=" ".join(text.split()[:8]).capitalize() if platform in ("reddit", "rss")
            else None,
            replies=self.engagement(2.0) if given else None,
            reposts=self.engagement(1.6) if given else None,
            likes=self.engagement(1.2) if given else None,
            quotes=self.engagement(3.0) if platform in ("x", "bluesky") else None,
            in_reply_to=referenced[1] if referenced and referenced[0] == "replied_to" else None,
            refs=(referenced,) if referenced else ())
        sources = SOURCES[platform]
        gen = Generated(post, topics, (rnd.choices(SENTIMENTS, SENTIMENT_WEIGHTS)[0],
                                       round(rnd.uniform(-1, 1), 4)),
                        sources[self.index % len(sources)], referenced)
        if platform == "x":
            if self.index in self.heavy:
                self.heavy_ids.append(native)
            if len(self.x_ids) < 50_000:
                self.x_ids.append(native)
            else:
                self.x_ids[rnd.randrange(50_000)] = native
        self.index += 1
        return gen


def _url(platform: str, native: str) -> str:
    return {"x": f"https://x.com/i/status/{native}",
            "reddit": f"https://www.reddit.com/r/local/comments/{native}/",
            "mastodon": f"https://mastodon.example/@someone/{native}",
            "bluesky": f"https://bsky.app/profile/someone.bsky.social/post/{native}",
            "rss": f"https://news.example/{native}"}[platform]


def raw_payload(g: Generated) -> dict[str, Any]:
    """A minimised payload in the platform's shape (what ``save_page`` keeps
    for ``RAW_DAYS``)."""
    p = g.post
    when = p.created_at.isoformat().replace("+00:00", "Z")
    if p.platform == "x":
        tweet: dict[str, Any] = {
            "id": p.native_id, "text": p.text, "created_at": when, "author_id": p.author_key,
            "lang": "en", "public_metrics": {"reply_count": p.replies, "retweet_count":
                                             p.reposts, "like_count": p.likes,
                                             "quote_count": p.quotes}}
        payload: dict[str, Any] = {"tweet": tweet, "includes": {
            "users": [{"id": p.author_key, "username": f"user{p.author_key[:6]}"}]}}
        if g.referenced:
            tweet["referenced_tweets"] = [{"type": g.referenced[0], "id": g.referenced[1]}]
            payload["includes"]["tweets"] = [{"id": g.referenced[1], "text": p.text[:80]}]
        return payload
    if p.platform == "reddit":
        return {"kind": "t3", "data": {
            "name": f"t3_{p.native_id}", "id": p.native_id, "title": p.title,
            "selftext": p.text, "created_utc": p.created_at.timestamp(), "permalink": p.url,
            "subreddit": "local", "author": f"user{p.author_key and p.author_key[:6]}",
            "score": p.likes, "num_comments": p.replies}}
    if p.platform == "mastodon":
        return {"id": p.native_id, "uri": p.url, "url": p.url, "created_at": when,
                "content": f"<p>{p.text}</p>", "language": "en", "replies_count": p.replies,
                "reblogs_count": p.reposts, "favourites_count": p.likes,
                "account": {"acct": "someone", "url": "https://mastodon.example/@someone"}}
    if p.platform == "bluesky":
        return {"uri": f"at://did:plc:someone/app.bsky.feed.post/{p.native_id}",
                "indexedAt": when, "author": {"handle": "someone.bsky.social"},
                "record": {"text": p.text, "createdAt": when, "langs": ["en"]},
                "replyCount": p.replies, "repostCount": p.reposts, "likeCount": p.likes,
                "quoteCount": p.quotes}
    return {"feed": {"title": "Local news", "link": "https://news.example/",
                     "id": "https://news.example/feed"},
            "entry": {"id": p.url, "link": p.url, "title": p.title, "summary": p.text,
                      "published": when}}


@dataclass(frozen=True)
class Labelling:
    """The configured classifiers (task -> name, version, model id) and the
    topics' config hash, as ``listener classify`` would record them."""

    ids: dict[str, tuple[str, str, str | None]]
    config_hash: str

    @classmethod
    def configured(cls) -> Labelling:
        import nlp
        from listener.config import load_settings
        from listener.pipeline import topics_hash

        settings = load_settings(ROOT / "config.yaml", check_credentials=False)
        built = nlp.build_classifiers(settings.nlp, settings.topics, settings.data_dir)
        return cls({c.task: (c.name, c.version, c.model_id) for c in built},
                   topics_hash(settings))

    @property
    def looked_at(self) -> dict[str, tuple[str, str]]:
        return {task: (name, version) for task, (name, version, _) in self.ids.items()}

    def labels(self, g: Generated, post_id: int = 0) -> list[LabelRecord]:
        """Topic and sentiment labels as the configured classifiers write them."""
        out = [LabelRecord(post_id, "topic", slug, 1.0, *self.ids["topic"], terms)
               for slug, terms in g.topics]
        out.append(LabelRecord(post_id, "sentiment", g.sentiment[0], g.sentiment[1],
                               *self.ids["sentiment"]))
        return out
PAGE = 100  # posts per collected page (X's page size)


def _bulk(store: Store, day: list[Generated], how: Labelling) -> None:
    by_source: dict[str, list[Generated]] = {}
    for g in day:
        by_source.setdefault(g.source, []).append(g)
    for source, items in by_source.items():
        store.bulk.load(((g.post, how.labels(g)) for g in items), looked_at=how.looked_at,
                        source=source, config_hash=how.config_hash)


def _collected(store: Store, day: list[Generated], runs: dict[str, int],
               how: Labelling) -> None:
    """Store a day as collection and classification do: pages through
    ``save_page``, labels through ``save_labels`` per batch."""
    by_source: dict[str, list[Generated]] = {}
    for g in day:
        by_source.setdefault(g.source, []).append(g)
    for source, items in by_source.items():
        if source not in runs:
            runs[source] = store.runs.start(source)
        for start in range(0, len(items), PAGE):
            page = items[start:start + PAGE]
            result = store.collect.save_page(
                source=source, run_id=runs[source],
                items=[StoredItem(g.post, raw_payload(g)) for g in page],
                query="bench", cursor={"page": str(start)}, collector_version="bench")
            ids = result.new_ids
            labels = [lab for pid, g in zip(ids, page, strict=True)
                      for lab in how.labels(g, pid)]
            for task, (name, version) in how.looked_at.items():
                store.labels.save(task, name, version,
                                  how.config_hash if task == "topic" else None, ids,
                                  [lab for lab in labels if lab.task == task])


def append_unlabelled(store: Store, n: int, *, seed: int, first: int) -> int:
    """Add ``n`` new posts that no classifier has looked at (the week after
    ``END``; native ids from ``first``), as collection leaves them for
    ``classify``. Returns the number added."""
    gen = Generator(Shape("new", (n,), seed=seed), text_lengths(),
                    end=END + timedelta(weeks=1), first=first, heavy=False)
    added = 0
    for _, posts in gen.days():
        by_source: dict[str, list[Generated]] = {}
        for g in posts:
            by_source.setdefault(g.source, []).append(g)
        for source, items in by_source.items():
            added += store.bulk.load(((g.post, []) for g in items), looked_at={},
                                     source=source)
    return added


def build(shape: Shape, path: Path, *, log: bool = True) -> dict[str, Any]:
    """Build ``shape`` into ``path`` (through a temporary name) and write the
    ``.json`` beside it. Returns that description."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for leftover in path.parent.glob(tmp.name + "*"):
        leftover.unlink()
    t0 = time.perf_counter()
    gen = Generator(shape, text_lengths())
    how = Labelling.configured()
    store = Store.open(tmp)
    raw_from = END - timedelta(days=RAW_DAYS)
    runs: dict[str, int] = {}
    done = 0
    for day, posts in gen.days():
        if day < raw_from:
            _bulk(store, posts, how)
        else:
            _collected(store, posts, runs, how)
        done += len(posts)
        if log and day.weekday() == 6:
            print(f"  {day:%Y-%m-%d}: {done:,} posts, {time.perf_counter() - t0:.0f} s",
                  flush=True)
    for run in runs.values():
        store.runs.finish(run, "ok")
    store.bulk.analyse()
    store.checkpoint()
    store.close()
    tmp.rename(path)
    info = {"shape": shape.name, "posts": shape.posts, "weeks": len(shape.weeks),
            "end": END.isoformat(), "raw_days": RAW_DAYS, "seed": shape.seed,
            "build_seconds": round(time.perf_counter() - t0),
            "bytes": path.stat().st_size,
            "heavy_authors": {h: heavy_key(h) for h in heavy_handles()},
            "built_at": datetime.now(UTC).isoformat(timespec="seconds")}
    path.with_suffix(".json").write_text(json.dumps(info, indent=1) + "\n")
    return info


def cached(name: str, *, rebuild: bool = False) -> Path:
    """The database of shape ``name`` in ``bench_out()``, built if missing."""
    shape = SHAPES[name]
    path = bench_out() / f"{name}.db"
    if rebuild or not path.exists():
        print(f"building {name} ({shape.posts:,} posts) -> {path}", flush=True)
        info = build(shape, path)
        print(f"built {name} in {info['build_seconds']} s, {info['bytes'] / 2**30:.2f} GiB",
              flush=True)
    return path


def open_bench_store(path: Path, dsn_env: str | None = None) -> Any:
    """A read-only store over the bench database: the SQLite file ``path``
    (brought to the current schema first), or the PostgreSQL database whose
    DSN is in the variable ``dsn_env`` (bench/pg_scale.py copies it there),
    opened read-write: PostgreSQL refuses the report window's temporary
    tables in a read-only transaction (nothing here writes)."""
    from storage import Store

    if dsn_env:
        dsn = os.environ[dsn_env]
        return Store.open_postgresql(dsn, env_name=dsn_env)  # migrated, as a file would be
    Store.open(path).close()
    return Store.open(path, readonly=True)


def describe(path: Path) -> dict[str, Any]:
    side = path.with_suffix(".json")
    return json.loads(side.read_text()) if side.exists() else {}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Build (once) the cached bench databases.")
    parser.add_argument("shapes", nargs="+", choices=sorted(SHAPES))
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    for name in args.shapes:
        print(cached(name, rebuild=args.rebuild))
