"""The sample source through the real pipeline and storage: everything
stores except the deliberate malformed items, a second run adds nothing, and
a run killed after page k resumes at page k + 1."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from pydantic import ValidationError

from listener.pipeline import collect_source
from listener.platforms.registry import build_source
from listener.platforms.sample.config import SampleSourceConfig
from listener.platforms.sample.source import SampleSource
from listener.privacy.pseudonym import Pseudonymiser
from listener.sample import SAMPLE_END, SAMPLE_WEEKS
from listener.sample.plan import plan
from listener.sources.base import Page
from storage import Store

OFFICIAL = frozenset({("x", "examplecouncil"), ("bluesky", "examplecouncil.bsky.social")})


def source(**overrides: object) -> SampleSource:
    config = SampleSourceConfig.model_validate({"type": "sample", "scale": 0.25,
                                                "page_size": 25, **overrides})
    return SampleSource("sample", config)


@pytest.fixture()
def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser(b"sample-test-key-" * 2, OFFICIAL)


def stored(store: Store) -> tuple[set[tuple[str, str]], int, int]:
    keys = {tuple(r) for r in store.db.execute("SELECT platform, native_id FROM posts")}
    matches = store.db.execute("SELECT count(*) FROM post_matches").fetchone()[0]
    quarantined = store.db.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    return keys, matches, quarantined  # type: ignore[return-value]


class Killed:
    """The sample source, killed (an exception) when asked for page ``k``."""

    platform = "sample"

    def __init__(self, inner: SampleSource, k: int) -> None:
        self.name, self.inner, self.k = inner.name, inner, k

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        for n, page in enumerate(self.inner.pages(cursor)):
            if n == self.k:
                raise RuntimeError("killed")
            yield page


def test_registered_and_config_is_strict() -> None:
    assert isinstance(build_source("s", SampleSourceConfig(type="sample")), SampleSource)
    with pytest.raises(ValidationError):
        SampleSourceConfig.model_validate({"type": "sample", "pages": 3})


def test_collect_stores_all_but_malformed_and_second_run_adds_nothing(
        store: Store, pseudonymiser: Pseudonymiser) -> None:
    src = source()
    first = collect_source(store, "sample", src, pseudonymiser)
    assert first.status == "ok"
    keys, matches, quarantined = stored(store)
    assert quarantined == first.quarantined == 4
    # the planned posts, and the body's own channels' (listener.sample.engagement)
    planned = len(plan(src.n_posts, src.config.seed, SAMPLE_WEEKS, SAMPLE_END))
    assert planned > src.n_posts
    assert len(keys) == first.new == planned - quarantined
    assert matches > len(keys)  # posts returned by two streams: one post, two matches
    assert first.fetched == first.new + first.duplicates + first.quarantined
    official = store.db.execute(
        "SELECT DISTINCT author_handle FROM posts WHERE author_handle IS NOT NULL").fetchall()
    assert {r[0] for r in official} == {"ExampleCouncil", "examplecouncil.bsky.social"}
    again = collect_source(store, "sample", src, pseudonymiser)
    assert (again.status, again.pages, again.new) == ("ok", 0, 0)
    assert stored(store) == (keys, matches, quarantined)


def test_killed_after_page_k_resumes_at_k_plus_1(tmp_path: Path,
                                                 pseudonymiser: Pseudonymiser) -> None:
    whole = Store.open(tmp_path / "whole.db")
    total = collect_source(whole, "sample", source(), pseudonymiser).pages
    store = Store.open(tmp_path / "killed.db")
    k = total // 3
    killed = collect_source(store, "sample", Killed(source(), k), pseudonymiser)
    assert (killed.status, killed.pages) == ("failed", k)
    assert store.collect.cursor("sample")["position"] == str(k - 1)
    resumed = collect_source(store, "sample", source(), pseudonymiser)
    assert (resumed.status, resumed.pages) == ("ok", total - k)
    assert stored(store) == stored(whole)


def test_other_seed_or_size_replays_from_the_start(store: Store,
                                                   pseudonymiser: Pseudonymiser) -> None:
    first = collect_source(store, "sample", source(), pseudonymiser)
    bigger = collect_source(store, "sample", source(page_size=40), pseudonymiser)
    assert bigger.pages > 0 and bigger.new == 0  # same posts, already stored
    assert bigger.duplicates == first.new + first.duplicates


def test_page_delay_sleeps_between_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    pages = list(source(page_delay_seconds=0.5).pages({}))
    assert slept == [0.5] * (len(pages) - 1)
