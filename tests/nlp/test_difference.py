"""Newcombe's interval for the difference of two proportions, against the
worked examples of Newcombe (1998), Table II, method 10 (score, no
continuity correction)."""

from __future__ import annotations

import pytest

from nlp.estimate.difference import newcombe


@pytest.mark.parametrize(("counts", "low", "high"), [
    ((56, 70, 48, 80), 0.0524, 0.3339),   # example (a)
    ((9, 10, 3, 10), 0.1705, 0.8090),     # example (b)
    ((5, 56, 0, 29), -0.0381, 0.1926),    # example (d)
    ((0, 10, 0, 20), -0.1611, 0.2775),    # example (e)
    ((10, 10, 0, 20), 0.6791, 1.0000),    # example (f)
])
def test_published_worked_examples(counts: tuple[int, int, int, int], low: float,
                                   high: float) -> None:
    found = newcombe(*counts)
    assert found is not None
    x1, n1, x2, n2 = counts
    assert found.value == pytest.approx(x1 / n1 - x2 / n2)
    assert (round(found.low, 4), round(found.high, 4)) == (low, high)


def test_beyond_noise_where_non_overlapping_intervals_say_nothing() -> None:
    """30% -> 40% on 300 posts a week: the two Wilson intervals overlap,
    yet the difference is beyond noise."""
    from nlp.estimate import wilson

    a, b = wilson(120, 300), wilson(90, 300)
    assert a is not None and b is not None and a[0] < b[1]  # the intervals overlap
    found = newcombe(120, 300, 90, 300)
    assert found is not None and found.beyond_noise and found.low > 0
    same = newcombe(35, 100, 33, 100)
    assert same is not None and not same.beyond_noise


def test_empty_base_gives_nothing() -> None:
    assert newcombe(0, 0, 3, 10) is None and newcombe(3, 10, 0, 0) is None
