"""Figures of each report section on hand-built databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from reports import ReportSettings, compute_figures
from storage import LabelRecord, Post, Store, StoredItem
from tests.reports.builders import Spec, add, at
from tests.reports.conftest import CONTEXT, LABELS, NOW, week_posts


def figures(store: Store, week: str = "2026-W47", settings: ReportSettings | None = None):
    return compute_figures(store, week, settings=settings or ReportSettings(),
                           topic_labels=LABELS, context=CONTEXT, now=NOW)


def test_week_boundary_across_clock_change(store: Store) -> None:
    add(store, [
        Spec(when=datetime(2026, 10, 18, 22, 30, tzinfo=UTC), author="a"),  # Sun 23:30 BST: W42
        Spec(when=datetime(2026, 10, 18, 23, 30, tzinfo=UTC), author="b"),  # Mon 00:30 BST: W43
        Spec(when=datetime(2026, 10, 25, 23, 30, tzinfo=UTC), author="c"),  # Sun 23:30 GMT: W43
        Spec(when=datetime(2026, 10, 26, 0, 30, tzinfo=UTC), author="d"),  # Mon 00:30 GMT: W44
    ])
    fig = figures(store, "2026-W43")
    assert fig.this.posts == 2 and fig.previous.posts == 1
    assert [n for _, n, _ in fig.days] == [1, 0, 0, 0, 0, 0, 1]
    assert fig.days[-1][0] == "Sun 25 Oct"


def test_emerging_topic_with_known_baseline(store: Store) -> None:
    specs = []
    mondays = [at("2026-09-21") + timedelta(weeks=k) for k in range(9)]  # W39..W47
    for k, monday in enumerate(mondays[:-1]):  # 8 baseline weeks of 10 bin posts
        specs += week_posts(monday.date().isoformat(), "waste_recycling", 10, ["neutral"],
                            first_author=1000 * k)
        specs += week_posts(monday.date().isoformat(), "parks", 12, ["positive"],
                            first_author=1000 * k, terms=("park",))
    specs += week_posts("2026-11-17", "waste_recycling", 40, ["negative"], first_author=50_000,
                        terms=("bin", "missed collection"))
    specs += week_posts("2026-11-17", "parks", 13, ["positive"], first_author=50_000,
                        terms=("park",))
    add(store, specs)
    fig = figures(store)
    assert [(e.kind, e.slug) for e in fig.emerging] == [("topic", "waste_recycling")]
    issue = fig.emerging[0]
    assert issue.current == 40 and issue.baseline_mean == 10.0 and issue.baseline_sd == 0.0
    assert issue.threshold == 10 + 3 * 10 ** 0.5
    # new term first (no baseline), then "bin" (10 a week -> 40)
    assert issue.terms == ("missed collection", "bin")
    assert len(issue.posts) == 3
    assert "trailing 8 weeks" in fig.emerging_test


def test_engagement_only_where_given(store: Store) -> None:
    specs = [Spec(when=at("2026-11-17", 9, k), author=f"x{k}", platform="x", replies=1,
                  reposts=2, likes=k) for k in range(12)]
    specs += [Spec(when=at("2026-11-17", 10, k), author=f"r{k}", platform="rss")
              for k in range(11)]
    add(store, specs)
    fig = figures(store)
    rows = {r.platform: r for r in fig.engagement}
    assert rows["x"].replies == (12, 12) and rows["x"].likes == (12, sum(range(12)))
    assert rows["rss"].likes == (0, 0)
    assert [p.likes for p in fig.most_engaged] == [11, 10, 9, 8, 7]


def test_config_change_this_week(store: Store) -> None:
    week_posts_ = week_posts("2026-11-17", "waste_recycling", 10, ["neutral"])
    add(store, week_posts_)
    v1 = "topics:\n  waste_recycling:\n    label: Bins\n    terms: [bin, refuse]\n"
    v2 = ("topics:\n  waste_recycling:\n    label: Bins\n    terms: [bin, rubbish]\n"
          "    hashtags: ['#binstrike']\n")
    with time_machine.travel(datetime(2026, 11, 2, 8, tzinfo=UTC), tick=False):
        store.config_versions.record("h1", v1, None)
    with time_machine.travel(datetime(2026, 11, 18, 8, tzinfo=UTC), tick=False):
        store.config_versions.record("h2", v2, None)
    fig = figures(store)
    assert len(fig.changes) == 1
    change = fig.changes[0]
    assert change.config_hash == "h2"
    assert change.added == (("waste_recycling", "#binstrike"), ("waste_recycling", "rubbish"))
    assert change.removed == (("waste_recycling", "refuse"),)
    assert fig.change_weeks == ["2026-W47"]  # the first version is no change


def test_coverage_runs_and_staleness(store: Store) -> None:
    def run(source: str, when: datetime, status: str, error: str | None = None) -> None:
        with time_machine.travel(when, tick=False):
            rid = store.runs.start(source)
            store.runs.finish(rid, status, error)

    with time_machine.travel(at("2026-11-17"), tick=False):
        add(store, [Spec(when=at("2026-11-17", 9, k), author=f"m{k}") for k in range(10)],
            source="mastodon_tags")
    run("mastodon_tags", at("2026-11-20"), "ok")
    run("reddit_local", at("2026-11-18"), "ok")
    run("reddit_local", at("2026-11-21"), "failed", "HTTP 503 from reddit")
    fig = figures(store)
    rows = {s.source: s for s in fig.sources}
    assert rows["mastodon_tags"].posts == 10
    assert rows["mastodon_tags"].runs_ok == 2  # the builder's own run, then this one
    assert rows["reddit_local"].runs_failed == 1
    # written Wed 25 Nov 09:00; mastodon's last success 20 Nov 12:00 is 117 h before
    assert rows["mastodon_tags"].stale and rows["reddit_local"].stale
    assert rows["mastodon_tags"].last_ok == "Fri 20 Nov 2026 12:00"
    assert [(p.source, p.status, p.error) for p in fig.problems] == [
        ("reddit_local", "failed", "HTTP 503 from reddit")]
    fresh = figures(store, settings=ReportSettings(stale_after_hours=120))
    assert not {s.source: s for s in fresh.sources}["mastodon_tags"].stale


def test_representative_posts_one_per_author_and_masked(store: Store) -> None:
    specs = [Spec(when=at("2026-11-17", 9, k), author="same", text=f"@alice bins {k}",
                  topics=[("waste_recycling", ("bin",))]) for k in range(5)]
    specs += [Spec(when=at("2026-11-18", 9, k), author=f"o{k}",
                   text="Thanks @ExampleCouncil and @bob@mastodon.social, mail me a@b.com",
                   topics=[("waste_recycling", ("bin",))]) for k in range(2)]
    add(store, specs)
    fig = figures(store)
    slug, _label, posts = fig.representative[0]
    assert slug == "waste_recycling" and len(posts) == 3
    assert sum(p.text.startswith("@[user] bins") for p in posts) == 1
    assert [p.text for p in posts].count(
        "Thanks @ExampleCouncil and @[user], mail me a@b.com") == 2  # two authors


def test_interleaved_ids_read_the_same(store: Store) -> None:
    """A week whose ids are scattered among other weeks' (backfill) is read
    through the created_at index instead of its id range: same figures."""
    def specs(k: int, day: str) -> Spec:
        return Spec(when=at(day, 9, k % 60), author=f"i{k}", text=f"@x bins {k}",
                    sentiment=("negative", "neutral", None)[k % 3],
                    topics=[("waste_recycling", ("bin", f"t{k % 2}"))] if k % 4 else [],
                    likes=k)
    week = [specs(k, "2026-11-18") for k in range(24)]
    other = [specs(100 + k, "2026-10-07") for k in range(24 * 6)]
    mixed = []
    for k, post in enumerate(week):
        mixed += [post, *other[6 * k:6 * k + 6]]  # 1 in 7 ids belongs to the week
    add(store, mixed)
    ordered = Store.open(":memory:")
    add(ordered, week)
    add(ordered, other)
    a, b = figures(store), figures(ordered)
    assert a.this == b.this and a.sentiment == b.sentiment
    assert a.topics == b.topics and a.days == b.days and a.platforms == b.platforms
    assert a.engagement == b.engagement
    assert a.topic_unclassified == b.topic_unclassified == 6
    assert a.this.posts == 24 and a.sentiment.negative == 8 and a.sentiment.unclassified == 8


def test_overlapping_week_ranges_count_each_post_once(store: Store) -> None:
    """Two weeks stored interleaved (late federation, a backfill): each
    week's ids are dense, but their ranges overlap. Every post is counted
    once, in its own week (the earlier week's posts in the later week's id
    range were once counted twice)."""
    last = week_posts("2026-11-17", "waste_recycling", 12, ["negative"])
    prev = week_posts("2026-11-10", "waste_recycling", 12, ["neutral"], first_author=100)
    add(store, [post for pair in zip(prev, last, strict=True) for post in pair])
    fig = figures(store)
    bins = {r.slug: r for r in fig.topics}["waste_recycling"]
    assert (bins.posts, bins.previous) == (12, 12)
    assert fig.topic_previous_split["waste_recycling"].neutral == 12
    assert bins.top_terms == (("bin", 12, True),)
    trend = next(t for t in fig.trends if t.slug == "waste_recycling")
    assert trend.counts[-2:] == (12, 12)


def test_source_posts_count_posts_not_matches(store: Store) -> None:
    """A post found by two queries of one source counts once for it; a post
    found by two sources counts for each."""
    add(store, [Spec(when=at("2026-11-17", 9, k), author=f"s{k}") for k in range(12)],
        source="mastodon_tags", query="#bins")
    natives = [r[0] for r in store.sql.execute("SELECT native_id FROM posts ORDER BY id")]
    again = [StoredItem(Post(platform="x", native_id=native, text="a post",
                             created_at=at("2026-11-17", 9, k), author_key=f"key-s{k}"), {})
             for k, native in enumerate(natives)]
    for source, query, items in (("mastodon_tags", "#potholes", again[:5]),
                                 ("reddit_local", "bins", again[:3])):
        run = store.runs.start(source)
        assert store.collect.save_page(source=source, run_id=run, items=items,
                                       query=query).new_ids == []
        store.runs.finish(run, "ok")
    rows = {s.source: s.posts for s in figures(store).sources}
    assert rows == {"mastodon_tags": 12, "reddit_local": 3}


def test_classifier_versions_of_the_week(store: Store) -> None:
    """The methods footer names each classifier version that looked at the
    week's posts, with how many; a version used only in another week is
    not named."""
    ids = add(store, [Spec(when=at("2026-11-17", 9, k), author=f"c{k}") for k in range(12)])
    old = add(store, [Spec(when=at("2026-11-03", 9, k), author=f"o{k}") for k in range(4)])
    store.labels.save("sentiment", "sentiment.vader", "v2", "cfg", ids[:5], [
        LabelRecord(i, "sentiment", "negative", 0.9, "sentiment.vader", "v2") for i in ids[:5]])
    store.labels.save("topic", "topics.keywords", "v0", "cfg", old, [])
    used = {(c.task, c.name, c.version): c.posts for c in figures(store).classifiers}
    assert used == {("sentiment", "sentiment.vader", "v1"): 7,
                    ("sentiment", "sentiment.vader", "v2"): 5,
                    ("topic", "topics.keywords", "v1"): 12}
