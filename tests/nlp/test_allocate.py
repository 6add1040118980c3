"""How a stratified audit's posts are shared out over its strata."""

from __future__ import annotations

import pytest

from nlp.estimate import FLOOR, allocate


def test_proportional_with_a_floor_of_five() -> None:
    sizes = {"bins|negative": 600, "bins|neutral": 300, "roads|negative": 95, "parks|positive": 3}
    take = allocate(sizes, 100)
    assert sum(take.values()) == 100
    assert take["parks|positive"] == 3  # all of a stratum smaller than the floor
    assert take["roads|negative"] >= FLOOR
    # the 100 - 5 - 5 - 5 - 3 = 82 left are shared by the posts each stratum has left
    assert take["bins|negative"] == 5 + round(82 * 595 / 980)
    assert take["bins|neutral"] == 5 + round(82 * 295 / 980)


def test_equal_allocation_caps_small_strata_and_gives_the_rest_to_the_largest() -> None:
    # 10 each, "c" has only 2, and the 8 over go to "a", which has most posts left
    assert allocate({"a": 100, "b": 50, "c": 2}, 30, floor=None) == {"a": 18, "b": 10, "c": 2}


def test_never_more_than_a_stratum_has_nor_than_the_period_has() -> None:
    sizes = {"a": 3, "b": 4}
    assert allocate(sizes, 200) == {"a": 3, "b": 4}
    assert allocate({}, 200) == {}
    assert allocate({"a": 10}, 0) == {"a": 0}


def test_more_strata_than_floors_fit_get_smaller_floors_never_more_than_n() -> None:
    sizes = {f"s{k}": 50 for k in range(50)}
    take = allocate(sizes, 200)  # 50 floors of 5 would be 250: 4 each
    assert set(take.values()) == {4} and sum(take.values()) == 200
    few = allocate({"a": 900, "b": 60, "c": 40}, 2)  # fewer posts than strata
    assert few == {"a": 2, "b": 0, "c": 0}


def test_the_same_sizes_in_the_same_order_give_the_same_allocation() -> None:
    sizes = {"x": 7, "y": 7, "z": 7}
    assert allocate(sizes, 10) == allocate(dict(sizes), 10)
    assert sum(allocate(sizes, 16).values()) == 16


def test_negative_sizes_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        allocate({"a": -1}, 5)
