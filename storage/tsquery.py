"""Full-text search on PostgreSQL: an FTS5 match expression read as FTS5
reads it, then written as a ``tsquery`` (docs/postgresql.md, "Search").

The query page and ``listener query`` hand storage an FTS5 expression
(``PostFilter.match``): quoted words joined by spaces in simple mode, the
user's own expression in advanced mode. On SQLite it is bound to ``MATCH``
and FTS5 parses it. On PostgreSQL this module parses it with FTS5's own
grammar (``fts5parse.y``: phrases, ``+``, prefix ``*``, ``^``, ``NEAR(...)``,
column filters, implicit AND, ``AND`` / ``OR`` / ``NOT`` with FTS5's
precedence), so that the same expressions are accepted and refused, and
writes it as a condition on the generated ``posts.search`` tsvector (GIN
index):

- every word is split into tokens as FTS5's ``unicode61`` tokenizer splits
  it (runs of letters, digits and private-use characters) and put in the
  tsquery text single-quoted, so no character a person typed is ever read
  as tsquery syntax; the tsquery text itself is a bound parameter of
  ``to_tsquery`` (the text search configuration stems each token, as
  FTS5's porter tokenizer does);
- a phrase is ``<->``; ``NEAR(a b, N)`` is ``a <k> b | b <k> a`` for every
  k up to N + 1; ``a NOT b`` is ``a & !b``;
- a column filter (``title: x``) or an initial-token query (``^x``) is a
  condition on that column's own tsvector, computed on the fly (no index:
  advanced searches only).

A malformed expression raises ``SearchSyntaxError`` with FTS5's own words
(``fts5: syntax error near ...``), so the page explains it the same way on
both backends. What differs from SQLite is listed in docs/postgresql.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CONFIG = "civic_search"  # posts.search's configuration (storage.pg_migrations, m001)
COLUMNS = ("text", "title")  # posts_fts's columns, in order
NEAR_DEFAULT = 10
NEAR_EXPANDED = 50  # NEAR distances above this are read as AND (docs/postgresql.md)
MAX_DEPTH = 97  # brackets nested deeper are refused, as FTS5 refuses them (its parser stack)


class SearchSyntaxError(ValueError):
    """A full-text expression that cannot be parsed; ``detail`` is in FTS5's words."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


# -- the syntax tree ---------------------------------------------------------

@dataclass(frozen=True)
class Term:
    token: str
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    terms: tuple[Term, ...]
    initial: bool = False  # ^: starts at a column's first token


@dataclass(frozen=True)
class Near:
    phrases: tuple[Phrase, ...]
    distance: int


@dataclass(frozen=True)
class Columns:
    names: frozenset[str]
    child: Node


@dataclass(frozen=True)
class Binary:
    op: str  # AND, OR, NOT (a NOT b: a and not b)
    left: Node
    right: Node


Node = Phrase | Near | Columns | Binary


# -- tokens ------------------------------------------------------------------

@dataclass(frozen=True)
class Tok:
    kind: str  # STRING, AND, OR, NOT, LP, RP, LCP, RCP, COLON, COMMA, PLUS, STAR, MINUS, CARET
    text: str
    quoted: bool = False


_PUNCT = {"(": "LP", ")": "RP", "{": "LCP", "}": "RCP", ":": "COLON", ",": "COMMA",
          "+": "PLUS", "*": "STAR", "-": "MINUS", "^": "CARET"}
_SPACE = " \t\n\r"


def _bareword(ch: str) -> bool:
    """FTS5's bareword characters: ASCII letters, digits, ``_``, 0x1A and
    every non-ASCII character."""
    return ord(ch) >= 0x80 or (ch.isascii() and (ch.isalnum() or ch in "_\x1a"))


def lex(expression: str) -> list[Tok]:
    out: list[Tok] = []
    i, n = 0, len(expression)
    while i < n:
        ch = expression[i]
        if ch in _SPACE:
            i += 1
        elif ch in _PUNCT:
            out.append(Tok(_PUNCT[ch], ch))
            i += 1
        elif ch == '"':
            text: list[str] = []
            i += 1
            while True:
                if i >= n:
                    raise SearchSyntaxError(f'unterminated string: {expression[:40]}')
                if expression[i] == '"':
                    if i + 1 < n and expression[i + 1] == '"':
                        text.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                text.append(expression[i])
                i += 1
            out.append(Tok("STRING", "".join(text), quoted=True))
        elif _bareword(ch):
            end = i
            while end < n and _bareword(expression[end]):
                end += 1
            word = expression[i:end]
            kind = word if word in ("AND", "OR", "NOT") else "STRING"
            out.append(Tok(kind, word))
            i = end
        else:
            raise SearchSyntaxError(f'fts5: syntax error near "{ch}"')
    return out


def tokens(text: str) -> list[str]:
    """``text`` split as FTS5's unicode61 tokenizer splits it: runs of
    letters, marks, digits and private-use characters (Unicode categories
    L*, M*, N*, Co); everything else separates. (unicode61's tables are
    older than Python's: a symbol added to Unicode since, such as most
    emoji, is a token character on SQLite; docs/postgresql.md.)"""
    out: list[str] = []
    word: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] in "LMN" or category == "Co":
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


# -- the parser (fts5parse.y) ----------------------------------------------

class _Parser:
    def __init__(self, toks: list[Tok]) -> None:
        self.toks = toks
        self.i = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> Tok | None:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else None

    def kind(self, ahead: int = 0) -> str:
        tok = self.peek(ahead)
        return tok.kind if tok else "EOF"

    def take(self, kind: str) -> Tok:
        tok = self.peek()
        if tok is None or tok.kind != kind:
            self.fail()
        assert tok is not None
        self.i += 1
        return tok

    def fail(self) -> None:
        tok = self.peek()
        raise SearchSyntaxError(f'fts5: syntax error near "{tok.text if tok else ""}"')

    def parse(self) -> Node:
        if not self.toks:
            self.fail()
        node = self.expr()
        if self.peek() is not None:
            self.fail()
        return node

    # precedence, loosest first: OR, AND, NOT (all left-associative)
    def expr(self) -> Node:
        return self._level("OR", self.and_)

    def and_(self) -> Node:
        return self._level("AND", self.not_)

    def not_(self) -> Node:
        return self._level("NOT", self.primary)

    def _level(self, op: str, operand: Callable[[], Node]) -> Node:
        node = operand()
        while self.kind() == op:
            self.i += 1
            node = Binary(op, node, operand())
        return node

    def nested(self) -> Node:
        self.take("LP")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SearchSyntaxError("fts5: parser stack overflow")
        node = self.expr()
        self.take("RP")
        self.depth -= 1
        return node

    def primary(self) -> Node:
        if self.kind() == "LP":
            return self.nested()
        if self._colset_ahead():
            names = self.colset()
            self.take("COLON")
            if self.kind() == "LP":
                return Columns(names, self.nested())
            node: Node = Columns(names, self.nearset())
        else:
            node = self.nearset()
        # an exprlist: more nearsets, ANDed (implicit AND binds tightest); FTS5
        # leaves out a nearset without a token here ('pothole ""' is 'pothole')
        nodes = [node]
        while self.kind() in ("STRING", "CARET", "LCP", "MINUS"):
            if self._colset_ahead():
                names = self.colset()
                self.take("COLON")
                nodes.append(Columns(names, self.nearset()))
            else:
                nodes.append(self.nearset())
        kept = [n for n in nodes if not _empty(n)] or nodes[:1]
        node = kept[0]
        for right in kept[1:]:
            node = Binary("AND", node, right)
        return node

    def _colset_ahead(self) -> bool:
        if self.kind() in ("LCP", "MINUS"):
            return True
        return self.kind() == "STRING" and self.kind(1) == "COLON"

    def colset(self) -> frozenset[str]:
        negate = False
        if self.kind() == "MINUS":
            self.i += 1
            negate = True
        if self.kind() == "LCP":
            self.i += 1
            names = [self.column(self.take("STRING"))]
            while self.kind() == "STRING":
                names.append(self.column(self.take("STRING")))
            self.take("RCP")
        else:
            names = [self.column(self.take("STRING"))]
        chosen = frozenset(names)
        return frozenset(COLUMNS) - chosen if negate else chosen

    @staticmethod
    def column(tok: Tok) -> str:
        name = tok.text.lower()
        if name not in COLUMNS:
            raise SearchSyntaxError(f"no such column: {tok.text}")
        return name

    def nearset(self) -> Node:
        if self.kind() == "CARET":
            self.i += 1
            phrase = self.phrase()
            return Phrase(phrase.terms, initial=True)
        if self.kind() == "STRING" and self.kind(1) == "LP":
            word = self.take("STRING")
            if word.text != "NEAR":
                raise SearchSyntaxError(f'fts5: syntax error near "{word.text}"')
            self.take("LP")
            phrases = [self.phrase()]
            while self.kind() == "STRING":
                phrases.append(self.phrase())
            distance = NEAR_DEFAULT
            if self.kind() == "COMMA":
                self.i += 1
                number = self.take("STRING")
                if not (number.text.isascii() and number.text.isdigit()):
                    raise SearchSyntaxError(f'expected integer, got "{number.text}"')
                distance = int(number.text)
            self.take("RP")
            return Near(tuple(p for p in phrases if p.terms), distance)  # as FTS5: '' left out
        return self.phrase()

    def phrase(self) -> Phrase:
        terms = self.string()
        while self.kind() == "PLUS":
            self.i += 1
            terms += self.string()
        return Phrase(tuple(terms))

    def string(self) -> list[Term]:
        tok = self.take("STRING")
        prefix = False
        if self.kind() == "STAR":
            self.i += 1
            prefix = True
        words = tokens(tok.text)
        return [Term(w, prefix and k == len(words) - 1) for k, w in enumerate(words)]


def _empty(node: Node) -> bool:
    """A nearset without a single token (``""``, ``…``): it matches nothing."""
    if isinstance(node, Columns):
        return _empty(node.child)
    if isinstance(node, Phrase):
        return not node.terms
    return isinstance(node, Near) and not node.phrases


def parse(expression: str) -> Node:
    """The FTS5 expression as a tree; ``SearchSyntaxError`` when FTS5 would
    refuse it."""
    expression = expression.split("\x00", 1)[0]  # SQLite hands FTS5 the text up to a NUL
    if expression.startswith("*"):
        raise SearchSyntaxError(f"unknown special query: {expression[1:40]}")
    return _Parser(lex(expression)).parse()


# -- rendering ---------------------------------------------------------------

_FALSE = "FALSE"
_ALL = frozenset(COLUMNS)
WEIGHTS = {"text": "A", "title": "B"}  # posts.search: each column's tokens carry its weight
# FTS5's unicode61 splits on punctuation; PostgreSQL's parser reads "example.com",
# "a@b.org" or "mill-lane" as tokens of their own. ASCII punctuation becomes a space
# before parsing (a class that does not depend on the database's locale).
PUNCTUATION = r"[!-/:-@\[-`{-~]+"
# ^phrase: the phrase right after this word, put before the column's text
_START = "civicsearchstart"


def document(column: str) -> str:
    """The SQL for one column's tsvector, as posts.search holds it
    (storage.pg_migrations, m001)."""
    return (f"to_tsvector('{CONFIG}', regexp_replace(coalesce({column}, ''),"
            f" '{PUNCTUATION}', ' ', 'g'))")


def _quote(token: str) -> str:
    # tokens hold letters and digits only; doubling is for safety's sake
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _phrase_text(phrase: Phrase, weights: str) -> str | None:
    """The phrase as tsquery text, its tokens in one of the columns
    ``weights``; None for a phrase with no token (it matches nothing, as in
    FTS5)."""
    if not phrase.terms or not weights:
        return None
    if len(phrase.terms) > 1 and len(weights) > 1:  # every token in the same column
        return "(" + " | ".join(str(_phrase_text(phrase, w)) for w in weights) + ")"
    suffix = "" if len(weights) == len(COLUMNS) else weights
    parts = [_quote(t.token) + (":*" if t.prefix else (":" if suffix else "")) + suffix
             for t in phrase.terms]
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


def _near_text(near: Near, weights: str) -> str | None:
    if not near.phrases:
        return None
    if len(near.phrases) > 1 and len(weights) > 1:  # every phrase in the same column
        each = [_near_text(near, w) for w in weights]
        found = [t for t in each if t is not None]
        return None if not found else "(" + " | ".join(found) + ")"
    texts = [_phrase_text(p, weights) for p in near.phrases]
    if any(t is None for t in texts):
        return None
    phrases = [t for t in texts if t is not None]
    if len(phrases) == 1:
        return phrases[0]
    pairs = []
    for a in range(len(phrases)):
        for b in range(a + 1, len(phrases)):
            left, right = phrases[a], phrases[b]
            if near.distance + 1 > NEAR_EXPANDED:
                pairs.append(f"({left} & {right})")
                continue
            ways = [f"{x} <{k}> {y}" for k in range(1, near.distance + 2)
                    for x, y in ((left, right), (right, left))]
            pairs.append("(" + " | ".join(ways) + ")")
    return pairs[0] if len(pairs) == 1 else "(" + " & ".join(pairs) + ")"


def _plain(node: Node) -> bool:
    """True when ``node`` is one tsquery on posts.search (no ``^``)."""
    if isinstance(node, Phrase):
        return not node.initial
    if isinstance(node, Near):
        return True
    if isinstance(node, Columns):
        return _plain(node.child)
    return _plain(node.left) and _plain(node.right)


def _weights(columns: frozenset[str]) -> str:
    return "".join(WEIGHTS[c] for c in COLUMNS if c in columns)


def _tsquery_text(node: Node, columns: frozenset[str]) -> str | None:
    """The tsquery text of a plain node; None when it can match nothing."""
    if isinstance(node, Phrase):
        return _phrase_text(node, _weights(columns))
    if isinstance(node, Near):
        return _near_text(node, _weights(columns))
    if isinstance(node, Columns):
        return _tsquery_text(node.child, columns & node.names)
    left, right = _tsquery_text(node.left, columns), _tsquery_text(node.right, columns)
    if node.op == "AND":
        return None if left is None or right is None else f"({left} & {right})"
    if node.op == "OR":
        if left is None or right is None:
            return left if right is None else right
        return f"({left} | {right})"
    if left is None or right is None:  # NOT
        return left
    return f"({left} & !{right})"


def _condition(node: Node, columns: frozenset[str], params: list[Any]) -> str:
    if _plain(node):
        text = _tsquery_text(node, columns)
        if text is None:
            return _FALSE
        params.append(text)
        return f"p.search @@ to_tsquery('{CONFIG}', ?)"
    if isinstance(node, Columns):
        return _condition(node.child, columns & node.names, params)
    if isinstance(node, Phrase):  # ^phrase: right after a word put before the column
        starts = Phrase((Term(_START), *node.terms))
        text = _phrase_text(starts, "A")
        if text is None or len(node.terms) == 0 or not columns:
            return _FALSE
        firsts = []
        for name in (c for c in COLUMNS if c in columns):
            params.append(text)
            column = f"'{_START} ' || p.{name}"
            firsts.append(f"setweight({document(column)}, 'A') @@ to_tsquery('{CONFIG}', ?)")
        return "(" + " OR ".join(firsts) + ")"
    assert isinstance(node, Binary)
    left = _condition(node.left, columns, params)
    right = _condition(node.right, columns, params)
    if node.op == "AND":
        return f"({left} AND {right})"
    if node.op == "OR":
        return f"({left} OR {right})"
    return f"({left} AND NOT {right})"


def condition(expression: str) -> tuple[str, list[Any]]:
    """The SQL condition on ``posts p`` that finds what ``posts_fts MATCH
    expression`` finds on SQLite, and its parameters. Fixed SQL text with
    ``?`` placeholders: every word is a bound value."""
    params: list[Any] = []
    try:
        sql = _condition(parse(expression), _ALL, params)
    except RecursionError:  # thousands of terms: only a caller other than the page sends them
        raise SearchSyntaxError("the search expression is too long") from None
    return sql, params
