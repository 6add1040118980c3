"""The formula guard every CSV cell gets, and its removal on reading back."""

from __future__ import annotations

import random

import pytest

from nlp.formula_guard import guard, needs_guard, unguard


@pytest.mark.parametrize("value", ["=1+1", "+44 7700", "-cmd", "@SUM(A1)", "\tx", "\rx",
                                   "\nx", "  =1", "'=1", "''-x", "\uff1dSUM(A1)", "'quoted",
                                   "'"])
def test_formula_starts_are_guarded(value: str) -> None:
    assert guard(value) == "'" + value and unguard(guard(value)) == value


@pytest.mark.parametrize("value", ["-12", "+3%", "1,234", "-0.5", "plain", "", "a=b"])
def test_numbers_and_plain_text_are_left_alone(value: str) -> None:
    assert guard(value) == value and unguard(value) == value


def test_unguard_undoes_guard_for_any_text() -> None:
    rng = random.Random(16)
    alphabet = "'=+-@\t\r\n 0123456789.,%ab\uff1d"
    for _ in range(5000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        guarded = guard(value)
        assert unguard(guarded) == value, repr(value)
        assert not (needs_guard(guarded) and not guarded.startswith("'")), repr(value)
