"""The exact Poisson (Garwood) interval against published values, and
weekly rates over periods of different lengths."""

from __future__ import annotations

import pytest

from nlp.estimate.rates import poisson_interval, weekly_rate


@pytest.mark.parametrize(("count", "low", "high"), [
    (0, 0.0, 3.689),      # Garwood 1936; e.g. Ulm 1990's table of 95% limits
    (1, 0.0253, 5.572),
    (10, 4.795, 18.390),
    (100, 81.364, 121.627),
])
def test_poisson_interval_matches_the_published_exact_limits(count: int, low: float,
                                                             high: float) -> None:
    got = poisson_interval(count)
    assert got == (pytest.approx(low, abs=5e-4), pytest.approx(high, abs=5e-4))


def test_weekly_rate_scales_the_count_and_its_interval_to_seven_days() -> None:
    rate, (low, high) = weekly_rate(10, 14)
    assert rate == 5.0
    assert (low, high) == (pytest.approx(4.795 / 2, abs=5e-4), pytest.approx(18.390 / 2, abs=5e-4))
    with pytest.raises(ValueError):
        weekly_rate(1, 0)
    with pytest.raises(ValueError):
        poisson_interval(-1)
