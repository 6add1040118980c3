"""Field helpers shared by the platform normalisers: required fields, counts,
timestamps and HTML-to-text, each failing with a ``NormaliseError`` that
names the field."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from listener.normalise import NormaliseError

_BLOCKS = {"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}


def mapping(obj: Any, field: str) -> dict[str, Any]:
    """``obj[field]`` as a dict, or a NormaliseError naming ``field``."""
    if not isinstance(obj, dict):
        raise NormaliseError(f"expected an object holding {field!r}, got {type(obj).__name__}")
    value = obj.get(field)
    if not isinstance(value, dict):
        raise NormaliseError(f"missing or malformed object {field!r}")
    return value


def text(obj: dict[str, Any], field: str, *, allow_empty: bool = False) -> str:
    """A required string field (ids are accepted as ints and returned as text)."""
    value = obj.get(field)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise NormaliseError(f"missing or empty field {field!r}")
    return value


def optional_text(obj: dict[str, Any], field: str) -> str | None:
    value = obj.get(field)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) and value.strip() else None


def count(obj: dict[str, Any] | None, field: str, *, signed: bool = False) -> int | None:
    """An optional count (non-negative unless ``signed``); anything else is ``None``."""
    if not obj:
        return None
    value = obj.get(field)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if signed or value >= 0 else None


def parse_time(value: Any, field: str) -> datetime:
    """An ISO 8601 string or a Unix timestamp as an aware UTC datetime; a
    naive ISO string is taken as UTC (platform APIs send UTC)."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(float(value), UTC)
        if isinstance(value, str) and value.strip():
            moment = datetime.fromisoformat(value.strip())
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return moment.astimezone(UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise NormaliseError(f"bad timestamp in {field!r}: {value!r}") from exc
    raise NormaliseError(f"missing or malformed timestamp {field!r}")


def _start(parts: list[str], tag: str) -> None:
    if tag == "br":
        parts.append("\n")
    elif tag in _BLOCKS and parts:
        parts.append("\n\n")


def _end(parts: list[str], tag: str) -> None:
    if tag in _BLOCKS:
        parts.append("\n\n")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        _start(self.parts, tag)

    def handle_endtag(self, tag: str) -> None:
        _end(self.parts, tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


# The markup platforms send (a Mastodon status: <p>, <br>, <a href="..."
# class="...">, <span>) read without HTMLParser, which costs about 50 us a
# status: text up to the next '<', and tags of the plain form below (a name
# from _PLAIN_TAGS, attributes with quoted values or none, ASCII spaces).
# Each piece is handed on as HTMLParser hands it (text unescaped, names in
# lower case, <x/> as a start and an end), so the text is the same; markup
# holding anything else (a comment, a script, an unquoted value, a lone '<',
# a NUL) goes through HTMLParser (``_parsed_parts``); a test compares the two
# on generated markup.
_PLAIN_TAGS = frozenset(_BLOCKS | {"br", "a", "span", "em", "strong", "b", "i", "u", "s",
                                   "del", "ins", "code", "sub", "sup", "small", "ul", "ol"})
_PLAIN = re.compile(
    r"""([^<]+)"""  # text
    r"""|<([a-zA-Z][a-zA-Z0-9]*)"""  # a start tag's name
    r"""(?:[ \t\n\r\f]+[a-zA-Z_:][-a-zA-Z0-9_:.]*"""  # its attributes
    r"""(?:[ \t\n\r\f]*=[ \t\n\r\f]*(?:"[^"]*"|'[^']*'))?)*"""
    r"""[ \t\n\r\f]*(/?)>"""  # and its end: > or />
    r"""|</([a-zA-Z][a-zA-Z0-9]*)[ \t\n\r\f]*>"""  # an end tag
)


def _plain_parts(markup: str) -> list[str] | None:
    """The pieces of text ``_TextExtractor`` would collect from ``markup``,
    or None when it is not plain markup (above)."""
    if "\x00" in markup:
        return None
    parts: list[str] = []
    at, end = 0, len(markup)
    match = _PLAIN.match
    while at < end:
        found = match(markup, at)
        if found is None:
            return None
        text, start, closes, stop = found.groups()
        if text is not None:
            parts.append(html.unescape(text))
        elif start is not None:
            tag = start.lower()
            if tag not in _PLAIN_TAGS:
                return None
            _start(parts, tag)
            if closes:
                _end(parts, tag)
        else:
            tag = stop.lower()
            if tag not in _PLAIN_TAGS:
                return None
            _end(parts, tag)
        at = found.end()
    return parts


def _parsed_parts(markup: str) -> list[str]:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return parser.parts


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: paragraphs and ``<br>`` become line
    breaks, entities are decoded, links become their text."""
    if "<" not in markup:
        return html.unescape(markup).strip()
    parts = _plain_parts(markup)
    if parts is None:
        parts = _parsed_parts(markup)
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
