"""Field helpers shared by the platform normalisers: required fields, counts,
timestamps and HTML-to-text, each failing with a ``NormaliseError`` that
names the field."""

from __future__ import annotations

import html
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


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS and self.parts:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: paragraphs and ``<br>`` become line
    breaks, entities are decoded, links become their text."""
    if "<" not in markup:
        return html.unescape(markup).strip()
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
