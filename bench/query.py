"""Latency of the policy-staff queries on a 1,000,000-post database.

Builds (once, cached under bench/out/) a database of realistic posts with
topic and sentiment labels through ``store.bulk``, then times
topic+week filters, full-text searches and a 12-week trend, several runs
each, and prints median and p95 in milliseconds. Targets: p95 < 200 ms for
filters, < 500 ms for full-text.

    .venv/bin/python bench/query.py [--posts 1000000] [--runs 40] [--rebuild]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from listener.query.filters import QueryFilters
from listener.query.search import simple_match
from listener.query.service import QueryContext
from listener.query.weeks import weeks_ending
from listener.web.page import compute
from storage import SENTIMENTS, LabelRecord, Post, Store
from storage import queries as q

LabelSpec = tuple[str, str, float | None]  # task, label, score

OUT = Path(__file__).resolve().parent / "out"
ZONE = "Europe/London"
END = datetime(2026, 11, 23, tzinfo=UTC)  # Monday: 52 full weeks end here
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
FILLER = [
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
]
PLATFORMS = ["x", "reddit", "mastodon", "bluesky", "rss"]
WEIGHTS = [45, 25, 12, 13, 5]


def generate(n: int, seed: int = 42) -> Iterator[tuple[Post, Sequence[LabelSpec]]]:
    rnd = random.Random(seed)
    slugs = list(TOPIC_WORDS)
    span = timedelta(weeks=52).total_seconds()
    start = END - timedelta(weeks=52)
    # posts arrive roughly in time order (collectors page forwards), a few late
    offsets = sorted(rnd.random() * span for _ in range(n))
    for i in range(n):
        k = rnd.choices((0, 1, 2), (30, 55, 15))[0]
        topics = rnd.sample(slugs, k)
        words = rnd.choices(FILLER, k=rnd.randint(10, 28))
        for slug in topics:
            for _ in range(rnd.randint(1, 2)):
                words.insert(rnd.randrange(len(words)), rnd.choice(TOPIC_WORDS[slug]))
        platform = rnd.choices(PLATFORMS, WEIGHTS)[0]
        late = rnd.random() * 6 * 3600 if rnd.random() < 0.1 else 0.0
        created = start + timedelta(seconds=max(0.0, offsets[i] - late))
        sentiment = rnd.choices(SENTIMENTS, (40, 40, 20))[0]
        labels: list[LabelSpec] = [("topic", s, 1.0) for s in topics]
        labels.append(("sentiment", sentiment, round(rnd.uniform(-1, 1), 3)))
        post = Post(platform=platform, native_id=f"b{i}", text=" ".join(words),
                    created_at=created, url=f"https://example.invalid/{platform}/{i}",
                    author_key=f"k{rnd.randrange(50_000):05d}", lang="en",
                    likes=rnd.randrange(50))
        yield post, labels


def build(path: Path, n: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for leftover in path.parent.glob(tmp.name + "*"):
        leftover.unlink()
    t0 = time.perf_counter()
    store = Store.open(tmp)
    done = store.bulk.load(
        ((post, [LabelRecord(0, task, label, score, "bulk", "1") for task, label, score in labels])
         for post, labels in generate(n)),
        looked_at={"topic": ("bulk", "1"), "sentiment": ("bulk", "1")}, source="bench")
    store.bulk.analyse()
    store.checkpoint()
    store.close()
    tmp.rename(path)
    print(f"built {done:,} posts in {time.perf_counter() - t0:.0f} s -> {path}")


def timed(runs: int, make: Callable[[int], Callable[[], object]]) -> tuple[float, float]:
    samples = []
    for i in range(runs):
        call = make(i)
        q.Planner.forget()  # measure the planning counts too, as on a first request
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path = OUT / f"query-{args.posts}.db"
    if args.rebuild or not path.exists():
        build(path, args.posts)
    store = Store.open(path, readonly=True)
    queries = store.queries
    total = store.count_posts()
    print(f"database: {path} ({total:,} posts)")
    rnd = random.Random(7)
    slugs = list(TOPIC_WORDS)
    weeks = weeks_ending(2026, 47, 52, ZONE)
    words = [w for ws in TOPIC_WORDS.values() for w in ws]

    def week_filter(i: int) -> q.PostFilter:
        _, since, until = weeks[rnd.randrange(len(weeks))]
        return q.PostFilter(topics=(rnd.choice(slugs),), since=since, until=until)

    def fts_filter(i: int) -> q.PostFilter:
        return q.PostFilter(match=simple_match(rnd.choice(words)))

    ctx = QueryContext(ZONE, {slug: slug for slug in slugs}, frozenset(), 10_000, 500)

    def web_page(filters: QueryFilters) -> object:
        data = compute(store, ctx, filters, 0, 50, 12, 10)
        assert data.error is None, data.error
        return data

    def page(f: q.PostFilter) -> Callable[[], object]:
        def run() -> object:
            with queries.time_limit(10_000):
                return queries.find_posts(f, limit=50), queries.count_posts(f)
        return run

    cases: list[tuple[str, Callable[[int], Callable[[], object]]]] = [
        ("topic+week: first 50 rows", lambda i: lambda: queries.find_posts(
            week_filter(i), limit=50)),
        ("topic+week: count", lambda i: lambda: queries.count_posts(week_filter(i))),
        ("topic+week: rows+count (page)", lambda i: page(week_filter(i))),
        ("topic+week+negative: page", lambda i: page(q.PostFilter(
            topics=week_filter(i).topics, sentiments=("negative",),
            since=weeks[-1][1], until=weeks[-1][2]))),
        ("full-text 1 word: rows+count", lambda i: page(fts_filter(i))),
        ("full-text 2 words: rows+count", lambda i: page(q.PostFilter(
            match=simple_match(f"{rnd.choice(words)} {rnd.choice(FILLER)}")))),
        ("full-text+topic+week: page", lambda i: page(q.PostFilter(
            match=simple_match("pothole"), topics=("roads_potholes",),
            since=weeks[-1][1], until=weeks[-1][2]))),
        ("trend: topic, 12 weeks", lambda i: lambda: queries.weekly_counts(
            q.PostFilter(topics=(rnd.choice(slugs),)), weeks[-12:])),
        ("trend: full-text, 12 weeks", lambda i: lambda: queries.weekly_counts(
            fts_filter(i), weeks[-12:])),
        ("web page: topic+week (all parts)", lambda i: lambda: web_page(QueryFilters(
            topics=[rnd.choice(slugs)], week=weeks[rnd.randrange(len(weeks))][0]))),
        ("web page: full-text (all parts)", lambda i: lambda: web_page(QueryFilters(
            text=rnd.choice(words)))),
        ("web page: no filter (all parts)", lambda i: lambda: web_page(QueryFilters())),
    ]
    print(f"{args.runs} runs each; milliseconds")
    print(f"{'query':38} {'median':>8} {'p95':>8}")
    for name, make in cases:
        make(0)()  # warm the page cache once
        median, p95 = timed(args.runs, make)
        print(f"{name:38} {median:8.1f} {p95:8.1f}")
    print("targets: p95 < 200 ms (filters), < 500 ms (full-text)")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
