"""Discovery's storage: a run's counts come from its members (never from the
caller), a theme or term under 10 posts from 10 authors is not kept, a run
replaces the earlier run of its period, and the consistency check finds a
count that drifted from the members."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from storage import Store
from storage.discovery_records import BurstRecord, Member, RunInfo, ThemeRecord
from tests.reports.builders import Spec, add

WHEN = datetime(2026, 11, 17, 10, tzinfo=UTC)


def info(period: str = "2026-W47", kind: str = "week") -> RunInfo:
    return RunInfo(kind=kind, period=period, period_start="2026-11-16T00:00:00+00:00",
                   period_end="2026-11-23T00:00:00+00:00", model_id="m@1", model_version="1",
                   settings_hash="h", posts=50, unmatched=40, status="ok")


def theme(ids: list[int], rank: int = 1) -> ThemeRecord:
    return ThemeRecord(rank=rank, label=f"theme {rank}", terms=("a", "b"), cohesion=0.5,
                       centroid=b"\0" * 8, suggestion={"kind": "new", "text": "t", "yaml": "y"},
                       members=tuple(Member(i, 0.9, k + 1 if k < 3 else None)
                                     for k, i in enumerate(ids)))


def posts(store: Store, n: int, authors: int, sentiment: str = "negative") -> list[int]:
    return add(store, [Spec(when=WHEN, text=f"post {k}", author=f"a{k % authors}",
                            sentiment=sentiment) for k in range(n)])


def test_counts_come_from_the_members_and_small_themes_are_not_kept(any_store: Store) -> None:
    store = any_store
    wide = posts(store, 12, 12)  # 12 posts, 12 authors, all negative
    narrow = posts(store, 30, 4)  # 30 posts from 4 people
    bursting = BurstRecord(rank=1, term="road closure", baseline_mean=0.5, baseline_sd=0.5,
                           threshold=3.0, baseline_periods=8, post_ids=tuple(wide),
                           examples=tuple(wide[:3]), suggestion={"text": "t"})
    run = store.themes.save_run(info(), [theme(wide), theme(narrow, 2)], [bursting])
    (kept,) = run.themes
    assert (kept.size, kept.authors, kept.negative, kept.classified) == (12, 12, 12, 12)
    assert kept.identity == kept.id and kept.first_period == "2026-W47" and kept.streak == 1
    assert [p.id for p in store.themes.theme_posts(kept.id)] == wide[:3]
    (burst,) = run.bursts
    assert (burst.posts, burst.authors) == (12, 12)
    assert [p.id for p in store.themes.burst_posts(burst.id)] == wide[:3]
    assert store.themes.check() == []


def test_a_run_replaces_its_period_and_day_runs_are_pruned(any_store: Store) -> None:
    store = any_store
    ids = posts(store, 12, 12)
    first = store.themes.save_run(info(), [theme(ids)], [])
    second = store.themes.save_run(info(), [theme(ids)], [])
    assert len(second.themes) == 1 and store.themes.run("week", "2026-W47") == second
    assert second.themes[0].id > first.themes[0].id  # ids are never reused
    for day in ("2026-11-20", "2026-11-21", "2026-11-22"):
        ended = replace(info(day, "day"), period_end=f"{day}T23:00:00+00:00")
        store.themes.save_run(ended, [theme(ids)], [], keep=2)
    assert store.themes.run("day", "2026-11-20") is None
    assert store.themes.run("day", "2026-11-22") is not None
    assert store.themes.run("week", "2026-W47") is not None


def test_check_finds_drift_and_repair_recounts(any_store: Store) -> None:
    store = any_store
    ids = posts(store, 12, 12)
    kept = store.themes.save_run(info(), [theme(ids)], []).themes[0]
    store.sql.execute("UPDATE themes SET size = 40, negative = 3 WHERE id = ?", [kept.id])
    assert store.themes.check() == [
        f"theme {kept.id} (2026-W47, theme 1): posts stored 40, counted 12",
        f"theme {kept.id} (2026-W47, theme 1): negative stored 3, counted 12"]
    assert store.themes.repair()["themes_recounted"] == 1
    assert store.themes.check() == []
