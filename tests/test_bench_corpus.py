"""The bench corpus generator's small helpers (bench/corpus.py): the shapes
it promises the scale measures, on a small scale."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bench import corpus
from listener.privacy.pseudonym import Pseudonymiser


def test_spread_and_day_counts_keep_every_post() -> None:
    weeks = corpus.spread(10_000_003, 52)
    assert sum(weeks) == 10_000_003 and max(weeks) - min(weeks) == 1
    days = corpus.day_counts(192_308)
    assert sum(days) == 192_308
    assert min(days[:5]) > max(days[5:])  # weekdays busier than the weekend


def test_text_lengths_come_from_the_csv_texts(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text('id,text\n1,abc\n2,"hello, world"\n', encoding="utf-8")
    (tmp_path / "b.csv").write_text("text,label\nxy,1\n", encoding="utf-8")
    assert sorted(corpus.text_lengths(tmp_path)) == [2, 3, 12]


def test_heavy_key_is_the_pseudonym_forget_computes() -> None:
    pseudonymiser = Pseudonymiser(corpus.BENCH_KEY)
    for handle in corpus.heavy_handles():
        assert corpus.heavy_key(handle) == pseudonymiser.pseudonym("x", handle)


def test_generator_plants_heavy_authors_and_follows_the_lengths() -> None:
    shape = corpus.Shape("t", (9_000, 9_000), seed=3)
    gen = corpus.Generator(shape, [40, 120, 280])
    posts = [g for _, day in gen.days() for g in day]
    assert len(posts) == shape.posts
    per_author: dict[str | None, int] = {}
    for g in posts:
        per_author[g.post.author_key] = per_author.get(g.post.author_key, 0) + 1
    for handle in corpus.heavy_handles():
        assert per_author[corpus.heavy_key(handle)] == corpus.HEAVY_POSTS
    assert len({g.post.native_id for g in posts}) == len(posts)
    start = corpus.END - timedelta(weeks=2)
    assert all(start <= g.post.created_at < corpus.END for g in posts)
    assert {g.post.platform for g in posts} == set(corpus.PLATFORMS)
    assert all(len(g.post.text) >= 39 for g in posts)  # the shortest target (less a space)
    retweets = [g for g in posts if g.referenced]
    assert retweets and all(g.post.platform == "x" for g in retweets)
