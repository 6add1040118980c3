"""Themes found in a small database and stored: a planted group of
paraphrases is one named theme and random posts are none; a theme from
fewer than 10 authors is not kept; a theme keeps its identity from week to
week, and only within one embedding model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from listener.discovery import ensure_week
from nlp.static_embed import shared_static_embedder
from storage import LabelRecord, Store
from tests.listener.discovery.helpers import NOW, at, bins, build, noise, posts, settings_for
from tests.nlp.discovery_texts import HEATING, SCAM, random_posts
from tests.reports.builders import Spec


def test_planted_paraphrases_become_one_theme_named_for_them(store: Store,
                                                            tmp_path: Path) -> None:
    planted = build(store, posts("2026-W47", HEATING, "parent", sentiment="negative"))
    build(store, noise("2026-W47", 80) + bins("2026-W47"))
    run = ensure_week(settings_for(tmp_path), store, "2026-W47", now=NOW)
    assert run.info.status == "ok" and (run.info.posts, run.info.unmatched) == (130, 110)
    (theme,) = run.themes  # the random posts form no theme of their own
    assert "heating" in theme.label and "oakfield" in theme.label
    members = {p.id for p in store.themes.theme_posts(theme.id)}
    assert len(members) == 3 and members <= set(planted)
    assert theme.size >= 27 and theme.authors == theme.size  # one post per author
    assert (theme.negative, theme.classified) == (theme.size, theme.size)
    assert theme.first_period == "2026-W47" and theme.streak == 1 and theme.previous_id is None
    assert theme.suggestion["kind"] == "new" and "heating" in theme.suggestion["yaml"]
    assert run.info.model_id == shared_static_embedder().model_id
    assert run.info.model_version and run.info.model_version in run.info.model_id
    vector = np.frombuffer(theme.centroid, dtype=np.float32)
    assert vector.shape == (shared_static_embedder().dim,)
    assert abs(float(np.linalg.norm(vector)) - 1) < 1e-4
    assert store.themes.check() == []


def test_random_posts_form_no_theme(store: Store, tmp_path: Path) -> None:
    build(store, posts("2026-W47", random_posts(200, seed=3), "noise"))
    run = ensure_week(settings_for(tmp_path), store, "2026-W47", now=NOW)
    assert run.info.status == "ok" and run.info.unmatched == 200
    assert run.themes == ()


def test_a_theme_from_fewer_than_ten_authors_is_not_kept(store: Store, tmp_path: Path) -> None:
    build(store, posts("2026-W47", SCAM, "scammed", authors=4))  # 30 posts, 4 people
    build(store, posts("2026-W47", HEATING[:12], "parent") + noise("2026-W47"))
    run = ensure_week(settings_for(tmp_path), store, "2026-W47", now=NOW)
    assert [t.label.split(", ")[0] for t in run.themes] == ["heating"]
    assert all(t.authors >= 10 for t in run.themes)


def test_a_theme_keeps_its_identity_week_to_week(store: Store, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    for week in ("2026-W45", "2026-W46", "2026-W47"):
        build(store, posts(week, HEATING, f"parent{week}") + noise(week, seed=hash(week) % 9))
    first, second, third = (ensure_week(settings, store, w, now=NOW).themes[0]
                            for w in ("2026-W45", "2026-W46", "2026-W47"))
    assert (first.identity, first.streak, first.previous_id) == (first.id, 1, None)
    assert (second.identity, second.streak, second.previous_id) == (first.id, 2, first.id)
    assert (third.identity, third.streak, third.previous_id) == (first.id, 3, second.id)
    assert third.first_period == "2026-W45" and third.previous_similarity is not None
    assert third.previous_similarity >= settings.discovery.same_theme


def test_a_week_run_again_keeps_its_themes_identity(store: Store, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    for week in ("2026-W46", "2026-W47"):
        build(store, posts(week, HEATING, f"parent{week}") + noise(week))
    ensure_week(settings, store, "2026-W46", now=NOW)
    before = ensure_week(settings, store, "2026-W47", now=NOW).themes[0]
    again = ensure_week(settings, store, "2026-W47", now=NOW).themes[0]
    assert again.id == before.id  # nothing changed: the stored run is reused
    build(store, posts("2026-W47", SCAM, "late"))  # late posts: the week is run again
    rerun = ensure_week(settings, store, "2026-W47", now=NOW)
    heating = next(t for t in rerun.themes if "heating" in t.label)
    assert heating.id != before.id
    assert (heating.identity, heating.streak, heating.first_period) == (
        before.identity, 2, "2026-W46")


class Renamed:
    """The static embeddings under another model id: a different model."""

    def __init__(self, model_id: str) -> None:
        self.inner = shared_static_embedder()
        self.model_id, self.dim = model_id, self.inner.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.inner.encode(texts)


def test_identity_is_matched_only_within_one_embedding_model(store: Store,
                                                             tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    for week in ("2026-W46", "2026-W47"):
        build(store, posts(week, HEATING, f"parent{week}") + noise(week))
    ensure_week(settings, store, "2026-W46", now=NOW, embedder=Renamed("other-model@1"))
    theme = ensure_week(settings, store, "2026-W47", now=NOW).themes[0]
    assert (theme.streak, theme.previous_id, theme.first_period) == (1, None, "2026-W47")



def test_the_bodys_own_posts_are_left_out(store: Store, tmp_path: Path) -> None:
    own = build(store, [Spec(when=at("2026-W47", k), text=f"{t} Please DM us", author="council",
                             handle="ExampleCouncil", topics=[])
                        for k, t in enumerate(HEATING)])
    build(store, noise("2026-W47", 80))
    run = ensure_week(settings_for(tmp_path), store, "2026-W47", now=NOW)
    assert (run.info.posts, run.info.unmatched) == (80, 80)  # residents only
    assert run.themes == ()  # the 30 own posts about heating make no theme
    read = store.themes.period_posts((run.info.period_start, run.info.period_end))
    assert len(read) == 80 and not set(own) & {p.id for p in read}


def test_a_reused_run_counts_sentiment_given_since(store: Store, tmp_path: Path) -> None:
    planted = build(store, posts("2026-W47", HEATING, "parent") + noise("2026-W47"))[:30]
    settings = settings_for(tmp_path)
    before = ensure_week(settings, store, "2026-W47", now=NOW).themes[0]
    assert before.negative == 0
    store.labels.save("sentiment", "sentiment.vader", "v8", "cfg", planted, [
        LabelRecord(i, "sentiment", "negative", 0.9, "sentiment.vader", "v8") for i in planted])
    after = ensure_week(settings, store, "2026-W47", now=NOW).themes[0]
    assert after.id == before.id  # the same run, reused
    assert (after.negative, after.classified) == (after.size, after.size)
    assert store.themes.check() == []
