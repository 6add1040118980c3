"""The literal prefilters of the sentiment rules (nlp.prefilter): a guarded
expression finds exactly what the plain expression finds. Texts written from
each expression's own parse tree trigger every alternative at every level;
each must still be found, in several cases and surroundings."""

from __future__ import annotations

import re
import re._constants as c
import re._parser as parser
import sys
from typing import Any

import pytest

from nlp import sentiment_cues, service_lexicon
from nlp.prefilter import CASE_SPECIAL, Guarded, lowered, needles

GUARDED = {f"{mod.__name__}.{name}": value for mod in (sentiment_cues, service_lexicon)
           for name, value in vars(mod).items() if isinstance(value, Guarded)}


def test_every_rule_expression_is_guarded() -> None:
    # the expressions the rules call (COMPLAINT and SENTENCE_END need no literal)
    assert {n.rsplit(".", 1)[1] for n in GUARDED} >= {
        "PRAISE_ONLY", "IRONIC", "NOTICE", "EVENT", "WHEN", "OPINION", "COMPARISON",
        "WAITING", "LOOKING_FORWARD", "PHRASES"}
    assert all(g.needles for g in GUARDED.values())


def test_case_special_lists_every_character_that_breaks_lower_casing() -> None:
    """Every non-ASCII code point that re.IGNORECASE matches with an ASCII
    character, or whose lower case is ASCII or not one character long."""
    ascii_ci = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
    found = set()
    for cp in range(0x80, sys.maxunicode + 1):
        ch = chr(cp)
        low = ch.lower()
        if len(low) != 1 or low.isascii() or ascii_ci.fullmatch(ch):
            found.add(ch)
    assert found <= CASE_SPECIAL


def _one(op: Any, av: Any, pick: dict[int, int], counter: list[int]) -> str:
    """One string the node matches; the n-th branch node met takes option
    ``pick.get(n, 0)``."""
    if op is c.LITERAL:
        return chr(av)
    if op is c.NOT_LITERAL:
        return "x" if av != ord("x") else "y"
    if op is c.ANY:
        return "x"
    if op is c.IN:
        for kind, value in av:
            if kind is c.LITERAL:
                return chr(value)
            if kind is c.RANGE:
                return chr(value[0])
            if kind is c.CATEGORY:
                return {c.CATEGORY_DIGIT: "4", c.CATEGORY_SPACE: " "}.get(value, "a")
        return "a"
    if op is c.CATEGORY:
        return {c.CATEGORY_DIGIT: "4", c.CATEGORY_SPACE: " "}.get(av, "a")
    if op is c.SUBPATTERN:
        return _text(av[-1], pick, counter)
    if op is c.BRANCH:
        n = counter[0]
        counter[0] += 1
        options = av[1]
        return _text(options[min(pick.get(n, 0), len(options) - 1)], pick, counter)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return _text(av[2], pick, counter) * max(av[0], 1) if av[0] else ""
    if op is c.AT and av is c.AT_BOUNDARY:
        return " "  # a word boundary: a space keeps the words apart
    return ""  # other anchors and lookarounds: nothing


def _text(items: Any, pick: dict[int, int], counter: list[int]) -> str:
    return "".join(_one(op, av, pick, counter) for op, av in items)


def _branch_sizes(items: Any, out: list[int]) -> None:
    for op, av in items:
        if op is c.BRANCH:
            out.append(len(av[1]))
            for option in av[1]:
                _branch_sizes(option, out)
        elif op is c.SUBPATTERN:
            _branch_sizes(av[-1], out)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            _branch_sizes(av[2], out)


def triggers(pattern: re.Pattern[str]) -> list[str]:
    """Strings from the parse tree: every option of every alternation node."""
    tree = parser.parse(pattern.pattern, pattern.flags)
    sizes: list[int] = []
    _branch_sizes(tree, sizes)
    out = {_text(tree, {}, [0])}
    for node, size in enumerate(sizes):
        for option in range(size):
            out.add(_text(tree, {node: option}, [0]))
    return sorted(out)


def variants(text: str) -> list[str]:
    return [text, text.upper(), text.title(), f"Well, {text} ok", f"{text}!!", f"é {text} 😡",
            f"\u212a {text}", f"\u0130 {text}", text.replace("s", "\u017f"),
            text.replace("k", "\u212a"), text.replace("i", "\u0131")]


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_a_guarded_expression_finds_what_the_plain_one_finds(name: str) -> None:
    guard = GUARDED[name]
    plain = guard.pattern
    found = 0
    for trigger in triggers(plain):
        for text in variants(trigger):
            expected = plain.findall(text)
            assert guard.findall(text) == expected, (name, text)
            assert (guard.search(text) is None) == (plain.search(text) is None), (name, text)
            assert (guard.match(text) is None) == (plain.match(text) is None), (name, text)
            assert guard.sub(" ", text) == plain.sub(" ", text), (name, text)
            assert [m.span() for m in guard.finditer(text)] == [
                m.span() for m in plain.finditer(text)], (name, text)
            found += bool(expected)
    assert found >= len(triggers(plain)), f"{name}: the written texts do not trigger it"


def test_texts_without_a_needle_skip_the_expression() -> None:
    guard = sentiment_cues.IRONIC
    assert not guard.possible("The bins on Elm Road were collected today")
    assert guard.possible("Thanks for nothing")
    assert guard.possible("\u212aind regards")  # a Kelvin sign: always run


def test_needles_of_small_expressions() -> None:
    assert needles(re.compile(r"\bnever again\b", re.I)) == frozenset({"never again"})
    assert needles(re.compile(r"(?:second|third) time|on hold", re.I)) == frozenset(
        {" time", "on hold"})
    assert needles(re.compile(r"\d+ days?|x*")) is None  # a branch that needs nothing
    assert needles(re.compile(r"Oh (?:great|joy)", re.I)) == frozenset({"oh "})
    assert lowered("ABC") == "abc" and lowered("\u0130stanbul") is None
