"""File import: one flat row of a CSV/JSONL export, after the importer has
applied its column map.

Row shape: ``{"id", "text", "created_at", "author"?, "url"?, "platform"?,
"lang"?, "title"?, "place"?, "in_reply_to"?, "likes"?, "replies"?,
"reposts"?, "quotes"?}``. Values may be strings (CSV); empty means absent.
The platform is ``file`` unless the row names a known platform, in which case
the row merges with that platform's post of the same id.
"""

from __future__ import annotations

import math
from typing import Any

from listener.normalise import NormaliseError
from listener.normalise.fields import optional_text, parse_time, text
from storage.records import Post


def _int(row: dict[str, Any], field: str) -> int | None:
    value = row.get(field)
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise NormaliseError(f"field {field!r} is not a number: {value!r}") from exc
    if not math.isfinite(number):
        raise NormaliseError(f"field {field!r} is not a finite number: {value!r}")
    if number < 0:
        raise NormaliseError(f"field {field!r} is negative: {value!r}")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else int(number)


def _text(row: dict[str, Any], field: str) -> str | None:
    """An optional text field: absent, empty, text or a whole number (ids);
    anything else (a list, an object, a float, true/false) is a malformed row."""
    value = row.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return optional_text(row, field)
    raise NormaliseError(f"field {field!r} is not text: {value!r}"[:200])


def _platform(row: dict[str, Any]) -> str:
    from listener.platforms.registry import post_platforms  # the registry imports this module

    named = (optional_text(row, "platform") or "file").strip().lower()
    return named if named in post_platforms() else "file"


def normalise(item: dict[str, Any]) -> Post:
    """A row as the importer reads it may carry ``_line`` (its line in the
    file, named in every error) and ``_error`` (a line the importer could
    not read: always quarantined)."""
    if not isinstance(item, dict):
        raise NormaliseError(f"expected a row object, got {type(item).__name__}")
    line = item.get("_line")
    try:
        if item.get("_error"):
            raise NormaliseError(str(item["_error"]))
        return _normalise(item)
    except NormaliseError as exc:
        if line is None or str(exc).startswith(f"line {line}"):
            raise
        raise NormaliseError(f"line {line}: {exc}") from exc


def _normalise(item: dict[str, Any]) -> Post:
    created = item.get("created_at")
    if isinstance(created, str) and created.strip().lstrip("-").replace(".", "", 1).isdigit():
        created = float(created)
    return Post(
        platform=_platform(item),
        native_id=text(item, "id").strip(),
        text=text(item, "text"),
        created_at=parse_time(created, "created_at"),
        url=_text(item, "url"),
        author_handle=_text(item, "author"),
        lang=_text(item, "lang"),
        title=_text(item, "title"),
        place=_text(item, "place"),
        in_reply_to=_text(item, "in_reply_to"),
        likes=_int(item, "likes"),
        replies=_int(item, "replies"),
        reposts=_int(item, "reposts"),
        quotes=_int(item, "quotes"),
    )
