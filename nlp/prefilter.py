"""Literal prefilters for the hand-written regular expressions of the
sentiment rules: the same matches, found faster.

Most posts trigger no rule, yet an expression with many alternatives,
``\\b`` anchors and ``re.IGNORECASE`` costs several microseconds per post to
find nothing. ``needles`` reads an expression's parse tree and returns
strings one of which every match must contain (lower-cased): for an
alternation, the union of what each branch needs; for a sequence, the most
selective of its parts (a run of literal characters, or what a group or a
repetition of at least one needs). ``Guarded`` wraps a compiled expression
with the methods the rules call (``search``, ``match``, ``findall``,
``finditer``, ``sub``) and runs the expression only when the lower-cased
text holds a needle; otherwise it answers "no match" at once.

Why the answer is the same: a match holds the needle's characters, each
matched case-insensitively. A character outside ASCII can match an ASCII
letter only if it is one of ``CASE_SPECIAL`` (the Kelvin sign, the dotless
i, the long s, ...), which is also the only place where lower-casing changes
a text's length; a text holding one is always given to the expression. For
any other text, each matched character lower-cases to the needle's own, in
place, so the needle is in ``text.lower()``. Needles are built from ASCII
literals only (a non-ASCII literal ends a run). tests/nlp/test_prefilter.py
checks ``CASE_SPECIAL`` against every code point and, for every rule
expression, that texts written to trigger each alternative still match.
"""

from __future__ import annotations

import re
import re._constants as _c  # the parse tree's node kinds (stable since 3.11)
import re._parser as _parser
from collections.abc import Callable, Iterator
from typing import Any

# non-ASCII characters that re.IGNORECASE can match with an ASCII character,
# or whose lower case is ASCII or longer than one character (all code points
# checked by the test)
CASE_SPECIAL = frozenset("\u00df\u0130\u0131\u017f\u212a\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")
_SPECIAL_RE = re.compile("[" + "".join(sorted(CASE_SPECIAL)) + "]")

Needles = frozenset[str] | None  # None: no literal is needed (always run the expression)


def needles(pattern: re.Pattern[str]) -> Needles:
    """Lower-case strings one of which every match of ``pattern`` contains,
    or None when the expression needs no literal."""
    found = _sequence(_parser.parse(pattern.pattern, pattern.flags))
    if found is None:
        return None
    # a needle that holds a shorter needle adds nothing
    return frozenset(n for n in found if not any(m != n and m in n for m in found))


def _sequence(items: Any) -> Needles:
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL and av < 128:
            run.append(chr(av).lower())
            continue
        flush()
        part: Needles = None
        if op is _c.SUBPATTERN:
            part = _sequence(av[-1])
        elif op is _c.BRANCH:
            part = _branches(av[1])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            part = _sequence(av[2])
        if part:
            candidates.append(part)
    flush()
    if not candidates:
        return None
    # the most selective: the longest shortest needle, then the fewest needles
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


def _branches(branches: Any) -> Needles:
    out: set[str] = set()
    for branch in branches:
        part = _sequence(branch)
        if part is None:
            return None
        out |= part
    return frozenset(out)


_last: tuple[str, str | None] = ("", "")


def lowered(text: str) -> str | None:
    """``text.lower()``, or None when the text holds a ``CASE_SPECIAL``
    character (then no prefilter applies). The last text's answer is kept:
    the rules ask about one text several times in a row."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    low = text.lower() if text.isascii() or not _SPECIAL_RE.search(text) else None
    _last = (text, low)
    return low


class Guarded:
    """A compiled expression run only on texts that hold one of its needles."""

    __slots__ = ("needles", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.needles = needles(pattern)

    def possible(self, text: str) -> bool:
        """False only when the expression cannot match ``text``."""
        if self.needles is None:
            return True
        low = lowered(text)
        return low is None or any(n in low for n in self.needles)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.possible(text) else None

    def match(self, text: str) -> re.Match[str] | None:
        return self.pattern.match(text) if self.possible(text) else None

    def findall(self, text: str) -> list[Any]:
        return self.pattern.findall(text) if self.possible(text) else []

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self.possible(text) else iter(())

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.pattern.sub(repl, text) if self.possible(text) else text


def guarded(pattern: str, flags: int = 0) -> Guarded:
    return Guarded(re.compile(pattern, flags))
