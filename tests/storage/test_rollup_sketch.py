"""The bounded structures of the rollups against brute force: a random
history of posts added and removed one at a time, checked after every step
against the full set it stands for."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from storage.rollup_sketch import (
    EXAMPLES,
    SAMPLE_FLOOR,
    SAMPLE_SIZE,
    AuthorSample,
    ExampleList,
    at_least,
)


def _history(rng: random.Random, steps: int, authors: int) -> list[tuple[int, int]]:
    """(author, +1 or -1) steps that never remove a post that is not there."""
    live: Counter[int] = Counter()
    out = []
    for _ in range(steps):
        if any(live.values()) and rng.random() < 0.45:
            author = rng.choice(sorted(a for a, n in live.items() if n))
            live[author] -= 1
            out.append((author, -1))
        else:
            author = rng.randrange(-authors, authors)
            live[author] += 1
            out.append((author, 1))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_an_author_sample_lists_real_authors_smallest_first_with_exact_posts(seed: int) -> None:
    rng = random.Random(seed)
    sample, truth = AuthorSample(), Counter[int]()
    for author, sign in _history(rng, 400, rng.choice((5, 12, 30, 200))):
        sample.change(author, sign)
        truth[author] += sign
        real = {a: n for a, n in truth.items() if n}
        assert all(real.get(a) == n for a, n in sample.members.items())  # real, exact posts
        if not sample.truncated:
            assert sample.members == real  # complete
        elif sample.members:  # truncated: every unlisted author hashes above the listed ones
            top = max(sample.members)
            assert all(a > top for a in real if a not in sample.members)
        assert len(sample.members) <= SAMPLE_SIZE
        if sample.valid:  # what a reader may conclude is always true
            for n in (1, 5, SAMPLE_FLOOR):
                assert at_least([sample], n) is (len(real) >= n)


def test_a_sample_running_short_is_invalid_until_rebuilt() -> None:
    sample = AuthorSample()
    for author in range(SAMPLE_SIZE + 5):
        sample.change(author, 1)
    assert sample.truncated and len(sample.members) == SAMPLE_SIZE
    for author in range(SAMPLE_SIZE - SAMPLE_FLOOR + 1):  # the smallest, listed ones go
        sample.change(author, -1)
    assert not sample.valid  # 9 listed, and 5 more exist unlisted
    assert at_least([sample], SAMPLE_FLOOR) is None  # a reader cannot tell: it reads the posts
    fresh = AuthorSample.fresh({a: 1 for a in range(SAMPLE_SIZE - SAMPLE_FLOOR + 1,
                                                    SAMPLE_SIZE + 5)})
    assert fresh.valid and at_least([fresh], SAMPLE_FLOOR) is True


def test_samples_of_several_groups_count_an_author_once() -> None:
    monday, tuesday = AuthorSample(), AuthorSample()
    for author in range(6):
        monday.change(author, 2)
        tuesday.change(author + 3, 1)
    assert at_least([monday, tuesday], 9) is True
    assert at_least([monday, tuesday], 10) is False  # 9 distinct, both complete
    assert at_least([monday], 10, extra=[100, 101, 102, 103]) is True


@pytest.mark.parametrize("seed", range(40))
def test_an_example_list_is_always_the_start_of_its_full_order(seed: int) -> None:
    rng = random.Random(seed)
    listed, full = ExampleList(), set[tuple[int, int, int]]()
    for step in range(300):
        if full and rng.random() < 0.4:
            gone = rng.choice(sorted(full))
            full.discard(gone)
            listed.remove(gone[2])
        else:
            entry = (-rng.randrange(4), rng.randrange(10**6), step)
            full.add(entry)
            listed.add(entry)
        order = sorted(full)
        assert listed.entries == order[:len(listed.entries)]
        assert len(listed.entries) <= EXAMPLES
        if not listed.truncated:
            assert listed.entries == order
    encoded = ExampleList.decode(int(listed.truncated), listed.encode())
    assert encoded == listed
