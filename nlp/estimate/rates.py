"""How many posts a period carries per week, with an exact Poisson
interval (Garwood 1936): the count of a period is read as a Poisson count,
so that periods of different lengths (four weeks before an action, the
days since) are compared as weekly rates."""

from __future__ import annotations


def poisson_interval(count: int, level: float = 0.95) -> tuple[float, float]:
    """The exact (Garwood) interval for the mean of a Poisson count:
    chi2.ppf(q, 2k) / 2, written as the inverse regularised gamma function
    gammaincinv(k, q), which spares every command scipy.stats' import
    (about 1 s of CPU)."""
    from scipy.special import gammaincinv

    if count < 0:
        raise ValueError("a count cannot be negative")
    tail = (1 - level) / 2
    low = 0.0 if count == 0 else float(gammaincinv(count, tail))
    return low, float(gammaincinv(count + 1, 1 - tail))


def weekly_rate(count: int, days: float, level: float = 0.95
                ) -> tuple[float, tuple[float, float]]:
    """(posts a week, its interval) for ``count`` posts over ``days`` days."""
    if days <= 0:
        raise ValueError("a period must last some time")
    weeks = days / 7
    low, high = poisson_interval(count, level)
    return count / weeks, (low / weeks, high / weeks)
