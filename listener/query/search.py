"""Turning what a person typed into an FTS5 expression that cannot break.

Simple mode (the default): the text is normalised (NFKC, zero-width and
control characters removed, whitespace collapsed, length capped), split on
whitespace, and every word becomes a quoted FTS5 string with inner quotes
doubled; the words are joined with spaces, which FTS5 reads as AND. No
operator, bracket, column filter or SQL fragment survives as syntax.

Advanced mode (opt-in) passes the normalised expression to MATCH as it is,
so AND / OR / NOT / NEAR / "phrases" / prefix* work; SQLite's complaint about
a malformed expression becomes a sentence a non-programmer can act on.
"""

from __future__ import annotations

import unicodedata

MAX_CHARS = 200
MAX_WORDS = 16


class SearchError(ValueError):
    """A search that cannot run, explained in plain words."""


def normalise(text: str) -> str:
    """NFKC, drop format/control characters (zero-width spaces, joiners,
    direction marks, soft hyphens, BOM), collapse whitespace, cap length."""
    text = unicodedata.normalize("NFKC", text)
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return " ".join(kept.split())[:MAX_CHARS]


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def simple_match(text: str) -> str | None:
    """The quoted-words expression for ``text``; None when nothing is left to
    search for (empty input). Raises ``SearchError`` when the input holds no
    letter or number at all (only punctuation or emoji)."""
    words = normalise(text).split()
    if not words:
        return None
    searchable = [w for w in words if any(ch.isalnum() for ch in w)][:MAX_WORDS]
    if not searchable:
        raise SearchError(
            "The search needs at least one letter or number; punctuation and emoji "
            "on their own are not searchable."
        )
    return " ".join(_quote(w) for w in searchable)


def advanced_match(text: str) -> str | None:
    """The user's own Boolean expression, normalised; checked by SQLite."""
    expression = normalise(text)
    return expression or None


def match_expression(text: str | None, *, advanced: bool = False) -> str | None:
    if text is None:
        return None
    return advanced_match(text) if advanced else simple_match(text)


def explain_syntax_error(detail: str) -> str:
    """A plain-words message for SQLite's FTS5 complaint ``detail``."""
    hint = "check that every quote and bracket is closed, and that AND, OR and NOT " \
           "(in capitals) stand between two words or phrases"
    if detail.startswith("no such column"):
        hint = "a word followed by a colon is read as a field name; put the word in " \
               "double quotes, or leave out the colon"
    elif detail.startswith("expected integer"):
        hint = "NEAR takes words or phrases separated by spaces, then a comma and a whole " \
               "number of words apart, like NEAR(pothole lane, 5)"
    return f"The advanced search could not be understood: {hint}. " \
           f"Or switch advanced mode off to search for the words as typed."
