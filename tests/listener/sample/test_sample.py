"""The embedded sample's promises: size, span, platforms, real payload shapes
that normalise, duplicates, a few malformed items, a spike, determinism and
resumable positions. Counts are derived from the generated data, not typed in."""

from __future__ import annotations

import contextlib
import re
import statistics
from collections import Counter, defaultdict
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from listener.normalise import NormaliseError
from listener.platforms.registry import normaliser
from listener.platforms.sample.config import SampleSourceConfig
from listener.sample import SAMPLE_END, SAMPLE_POSTS, SAMPLE_WEEKS, generate_pages
from listener.sample.plan import SPIKE_TOPIC, plan
from listener.sample.texts import templates
from listener.sources.base import Page
from storage.records import Post

LONDON = ZoneInfo("Europe/London")


# 0, and the default seed of SampleSourceConfig (what `listener demo` replays)
@pytest.fixture(scope="module", params=[0, SampleSourceConfig(type="sample").seed])
def pages(request: pytest.FixtureRequest) -> list[Page]:
    return list(generate_pages(SAMPLE_POSTS, seed=request.param))


@pytest.fixture(scope="module")
def normalised(pages: list[Page]) -> tuple[list[tuple[Page, Post]], list[tuple[Page, str]]]:
    good, bad = [], []
    for page in pages:
        normalise = normaliser(page.platform)
        for item in page.items:
            try:
                good.append((page, normalise(item.payload)))
            except NormaliseError as exc:
                bad.append((page, str(exc)))
    return good, bad


def unique(good: list[tuple[Page, Post]]) -> dict[tuple[str, str], Post]:
    return {(p.platform, p.native_id): p for _, p in good}


def week(post: Post) -> tuple[int, int]:
    year, number, _ = post.created_at.astimezone(LONDON).isocalendar()
    return year, number


def words_regex(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])",
                      re.IGNORECASE)


def test_size_span_and_platforms(normalised: tuple) -> None:
    posts = unique(normalised[0])
    assert len(posts) >= 1500
    weeks = Counter(week(p) for p in posts.values())
    assert len(weeks) >= 8
    assert min(weeks) == (2026, 38) and max(weeks) == (2026, 47)
    assert min(weeks.values()) > 0.5 * max(weeks.values()) / 4  # every week has a real volume
    assert {p.platform for p in posts.values()} == {"x", "reddit", "mastodon", "bluesky", "rss"}


def test_only_the_deliberate_malformed_items_fail(pages: list[Page], normalised: tuple) -> None:
    good, bad = normalised
    assert 3 <= len(bad) <= 5
    assert all("missing" in message for _, message in bad)
    assert len({page.platform for page, _ in bad}) == len(bad)  # one per platform
    assert len(good) + len(bad) == sum(len(p.items) for p in pages)
    # the malformed item's page still carries good items
    for page, _ in bad:
        assert sum(1 for p, _ in good if p is page) == len(page.items) - 1


def test_duplicates_across_streams_are_the_same_key(normalised: tuple) -> None:
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for page, post in normalised[0]:
        seen[(post.platform, post.native_id)].add(page.query)
    twice = [key for key, queries in seen.items() if len(queries) > 1]
    assert {platform for platform, _ in twice} >= {"x", "mastodon"}
    assert len(twice) >= 20


def test_mastodon_duplicates_come_from_two_instances_with_their_own_ids(pages: list[Page]) -> None:
    by_uri: dict[str, set[str]] = defaultdict(set)
    for page in pages:
        if page.platform == "mastodon":
            for item in page.items:
                if "uri" in item.payload:
                    by_uri[item.payload["uri"]].add(item.payload["id"])
    assert any(len(ids) == 2 for ids in by_uri.values())


def test_spike_in_the_last_week_for_one_topic(normalised: tuple) -> None:
    posts = unique(normalised[0]).values()
    last = (2026, 47)
    factors = {}
    for slug, spec in templates()["topics"].items():
        pattern = words_regex(spec["words"])
        weekly = Counter(week(p) for p in posts if pattern.search(p.text))
        before = statistics.median(n for w, n in weekly.items() if w != last)
        factors[slug] = weekly[last] / before
    assert factors[SPIKE_TOPIC] >= 3, factors
    assert all(f < 2.5 for slug, f in factors.items() if slug != SPIKE_TOPIC), factors


def test_texts_mix_topics_chatter_languages_and_officials(normalised: tuple) -> None:
    posts = list(unique(normalised[0]).values())
    every_word = words_regex([w for s in templates()["topics"].values() for w in s["words"]])
    no_topic = sum(1 for p in posts if not every_word.search(p.text)) / len(posts)
    assert 0.08 <= no_topic <= 0.25
    assert {"cy", "pl", "ur"} <= {p.lang for p in posts}
    handles = Counter(p.author_handle for p in posts)
    assert {"ExampleCouncil", "examplecouncil.bsky.social"} <= set(handles)
    assert any(re.search(r"[\U0001F300-\U0001FAFF]", p.text) for p in posts)
    assert any("#" in p.text for p in posts) and any("@" in p.text for p in posts)


def test_authors_are_a_long_tail_of_a_few_hundred(normalised: tuple) -> None:
    counts = Counter(p.author_handle for p in unique(normalised[0]).values()
                     if p.author_handle and p.platform != "rss")
    assert 200 <= len(counts) <= 1000
    assert counts.most_common(1)[0][1] >= 5 * statistics.median(counts.values())


def test_templates_carry_their_topic_words_and_chatter_carries_none() -> None:
    import random

    from listener.sample.texts import fill

    rng = random.Random(0)
    data = templates()
    every_word = words_regex([w for s in data["topics"].values() for w in s["words"]])
    for slug, spec in data["topics"].items():
        own = words_regex(spec["words"])
        for kind in ("negative", "neutral", "positive", "spike", "headlines", "official",
                     "spike_official"):
            for template in spec.get(kind, []):
                for _ in range(5):
                    text = fill(template, rng)
                    assert own.search(text), (slug, kind, text)
    for template in data["general"]:
        for _ in range(5):
            text = fill(template, rng)
            assert not every_word.search(text), text


def test_pages_are_chronological_small_and_positioned(pages: list[Page]) -> None:
    assert [p.cursor["position"] for p in pages] == [str(i) for i in range(len(pages))]
    assert all(0 < len(p.items) <= 50 and p.query for p in pages)
    newest = []
    for page in pages:
        times = []
        for item in page.items:
            with contextlib.suppress(NormaliseError):
                times.append(normaliser(page.platform)(item.payload).created_at)
        newest.append(max(times))
    assert newest == sorted(newest)


def test_x_items_carry_their_own_includes_and_the_referenced_authors(
        pages: list[Page]) -> None:
    """Cut by the live X splitter from pages with the live expansions: a
    reply or retweet carries the tweet it references and that tweet's author,
    as a collected one does."""
    referencing = 0
    for page in pages:
        if page.platform != "x":
            continue
        for item in page.items:
            tweet, includes = item.payload["tweet"], item.payload["includes"]
            refs = [r["id"] for r in tweet.get("referenced_tweets", [])]
            assert [t["id"] for t in includes.get("tweets", [])] == refs
            authors = [tweet["author_id"], *(t["author_id"] for t in includes.get("tweets", []))]
            assert [u["id"] for u in includes["users"]] == list(dict.fromkeys(authors))
            referencing += bool(refs)
    assert referencing >= 20


def test_forged_bluesky_dates_fall_back_to_indexed_at(pages: list[Page]) -> None:
    forged = [i.payload for p in pages if p.platform == "bluesky" for i in p.items
              if i.payload["record"].get("createdAt", "").startswith("1970")]
    assert forged
    for view in forged:
        post = normaliser("bluesky")(view)
        assert post.created_at.isoformat().startswith(view["indexedAt"][:19])


def test_rss_pages_go_through_feedparser(pages: list[Page]) -> None:
    rss = [p for p in pages if p.platform == "rss"]
    assert {p.query for p in rss} == {"https://www.example-council.gov.uk/news.rss",
                                      "https://gazette.example/feed.atom"}
    entry = rss[0].items[0].payload["entry"]
    assert entry["link"] and entry["published"].endswith("+00:00")


def test_same_seed_same_pages_other_seed_other_pages() -> None:
    first = list(generate_pages(400, seed=7, weeks=4, end=date(2026, 11, 22)))
    again = list(generate_pages(400, seed=7, weeks=4, end=date(2026, 11, 22)))
    other = list(generate_pages(400, seed=8, weeks=4, end=date(2026, 11, 22)))
    assert first == again
    assert [p.items for p in first] != [p.items for p in other]


def test_after_position_k_yields_the_rest() -> None:
    every = list(generate_pages(400, seed=3, weeks=4, end=date(2026, 11, 22), page_size=20))
    k = len(every) // 2
    rest = list(generate_pages(400, seed=3, weeks=4, end=date(2026, 11, 22), page_size=20,
                               after=k))
    assert rest == every[k + 1:]
    assert list(generate_pages(400, seed=3, weeks=4, end=date(2026, 11, 22), page_size=20,
                               after=len(every) - 1)) == []


def test_generator_scales_to_other_sizes_and_windows() -> None:
    pages = list(generate_pages(3000, seed=1, weeks=1, end=SAMPLE_END))
    keys, failed = set(), 0
    for page in pages:
        for item in page.items:
            try:
                post = normaliser(page.platform)(item.payload)
            except NormaliseError:
                failed += 1
                continue
            keys.add((post.platform, post.native_id))
            assert week(post) == (2026, 47)
    assert len(keys) + failed == len(plan(3000, 1, 1, SAMPLE_END)) > 3000  # + its own channels
    assert SAMPLE_WEEKS == 10 and SAMPLE_END.isoweekday() == 7
