"""Bursting terms against their own baseline: a phrase far above its eight
weeks is found, with its count, baseline, example posts and suggestion; a
steady term is not; a term the topic lists cover (configured, or mostly in
a topic's posts) is not listed; a week's term counts are kept and reused."""

from __future__ import annotations

from pathlib import Path

from listener.discovery import ensure_week
from nlp.terms import TOKENISER
from storage import Store
from tests.listener.discovery.helpers import NOW, bins, build, closures, posts, settings_for
from tests.nlp.discovery_texts import SCAM

BASELINE = [f"2026-W{n}" for n in range(39, 47)]


def library(week: str, n: int = 20) -> list:
    return posts(week, [f"library opening hours cut at the branch, day {k}" for k in range(n)],
                 "reader")


def history(store: Store) -> None:
    for week in BASELINE:
        build(store, library(week) + bins(week, 12))


def test_a_bursting_term_is_found_against_its_own_baseline(store: Store,
                                                          tmp_path: Path) -> None:
    history(store)
    closure = build(store, posts("2026-W47", closures(30), "driver"))
    build(store, library("2026-W47") + bins("2026-W47", 40))  # bins: a configured term
    run = ensure_week(settings_for(tmp_path), store, "2026-W47", now=NOW)
    found = {b.term: b for b in run.bursts}
    assert "road closure" in found
    burst = found["road closure"]
    assert (burst.posts, burst.authors) == (30, 30)
    assert (burst.baseline_mean, burst.baseline_periods) == (0.0, 8)
    assert burst.threshold == 3.0  # 0 + 3 x max(sd 0, sqrt 0, 1)
    examples = store.themes.burst_posts(burst.id)
    assert len(examples) == 3 and {p.id for p in examples} <= set(closure)
    assert burst.suggestion["kind"] == "new"
    assert "phrases: [road closure]" in burst.suggestion["yaml"]
    assert "closure" not in found  # said once, by its phrase
    steady = [t for t in found if "library" in t or "opening" in t or "branch" in t]
    assert steady == []  # 20 posts a week, every week
    # bins rose too, but their words are a topic's, or their posts are the topic's own
    assert not {"bin", "collection", "bin collection", "miss bin", "street"} & set(found)


def test_week_term_counts_are_kept_and_reused(store: Store, tmp_path: Path) -> None:
    history(store)
    build(store, posts("2026-W47", closures(30), "driver"))
    settings = settings_for(tmp_path)
    ensure_week(settings, store, "2026-W47", now=NOW)
    assert store.term_counts.periods() == [*BASELINE, "2026-W47"]
    posts_in_week, counts = store.term_counts.get(
        "2026-W46", ("2026-11-09T00:00:00+00:00", "2026-11-16T00:00:00+00:00"), TOKENISER) \
        or (0, {})
    assert posts_in_week == 32 and counts["library"] == 20 and counts["bin"] == 12
    assert store.term_counts.get("2026-W46", ("2026-11-09T00:00:00+00:00",
                                              "2026-11-16T00:00:00+00:00"), "terms.v0") is None
    store.term_counts.clear()
    assert store.term_counts.periods() == []


def test_the_words_of_one_story_are_listed_once(store: Store, tmp_path: Path) -> None:
    history(store)
    build(store, posts("2026-W47", SCAM, "scammed") + library("2026-W47"))
    run = ensure_week(settings_for(tmp_path), store, "2026-W47", now=NOW)
    story = {"council", "letter", "scam", "bank", "detail", "bank detail", "refund"}
    listed = [b.term for b in run.bursts if b.term in story]
    assert len(listed) == 1, listed  # all in the same 30 posts: said once
    (burst,) = [b for b in run.bursts if b.term in story]
    assert burst.posts >= 27
