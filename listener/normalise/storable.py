"""What every normalised post must be before it reaches storage, whatever
its platform: checked by the pipeline after the normaliser, so that one
poison item is quarantined with its reason instead of failing the whole
page in the database (issue 16).

- text (every text field of the post, and the raw payload kept with it) is
  valid Unicode: a lone surrogate (``\\ud800`` from a JSON escape, or bytes
  a file's encoding could not read) cannot be written as UTF-8;
- counts fit SQLite's 64-bit integers (``likes: 1e30`` does not);
- ``created_at`` is at most ``FUTURE_TOLERANCE`` (24 hours) after the time
  of collection. A later date is a broken clock or a typo (2099, 9999-12-31):
  kept, it would sort above every real post in "newest first" and never
  reach its retention date. Such posts are quarantined, not clamped: a
  clamped date would be a wrong date presented as a right one. The
  tolerance is wide enough for clock skew and for a naive local time read
  as UTC (at most 14 hours).

``scrub`` makes a quarantined payload and its error storable themselves.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import orjson

from listener.normalise import NormaliseError
from storage.records import Post

MAX_INTEGER = 2**63 - 1
FUTURE_TOLERANCE = timedelta(hours=24)
_TEXT_FIELDS = ("native_id", "text", "title", "url", "author_handle", "lang", "place",
                "in_reply_to")
_COUNT_FIELDS = ("replies", "reposts", "likes", "quotes")
# The payload as storage writes it (``storage.collect``): compact JSON.
_PAYLOAD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)
# The same text from orjson, four times faster (issue 20): what it would write
# differently goes to ``default=str`` as json does (datetimes, dataclasses);
# what it refuses (a lone surrogate, an integer over 64 bits, keys that are not
# text, nesting over 254 levels) goes through ``_PAYLOAD``. Where the two still
# differ, the JSON means the same: an exponent (json ``1e-05``, orjson
# ``1e-5``), NaN (json's non-standard ``NaN``, orjson ``null``) and an Enum
# (its value, where json writes ``str()`` of it). Payloads are decoded JSON,
# which holds none of these but the exponent.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def encode_payload(raw: Any) -> str:
    """``raw`` as storage writes it: compact JSON, text as it is (not escaped
    to ASCII), any other object as its ``str``."""
    try:
        return orjson.dumps(raw, default=str, option=_ORJSON_OPTIONS).decode()
    except (orjson.JSONEncodeError, TypeError):
        return _PAYLOAD.encode(raw)


def _bad_text(value: str) -> int | None:
    """The index of the first character UTF-8 cannot hold (a lone surrogate)."""
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return int(exc.start)
    return None


def _surrogate_path(value: Any, path: str = "") -> tuple[str, str] | None:
    """(dotted path, character) of the first lone surrogate in a payload."""
    if isinstance(value, str):
        at = _bad_text(value)
        return (path or "(payload)", value[at]) if at is not None else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _surrogate_path(str(key), path) or _surrogate_path(
                item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _surrogate_path(item, f"{path}[{i}]")
            if found:
                return found
    return None


def check_storable(post: Post, raw: Any, now: datetime) -> str:
    """Raise ``NormaliseError`` naming the field when ``post`` (with its raw
    payload ``raw``) cannot be stored as it is. Returns the payload encoded
    as storage writes it (``StoredItem.raw_json``), so it is encoded once."""
    for field in _TEXT_FIELDS:
        value = getattr(post, field)
        if isinstance(value, str) and (at := _bad_text(value)) is not None:
            raise NormaliseError(
                f"field {field!r} is not valid text: a lone surrogate "
                f"{value[at]!a} at character {at + 1} (a damaged export or a wrong "
                "encoding)")
    for field in _COUNT_FIELDS:
        value = getattr(post, field)
        if value is not None and not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
            raise NormaliseError(f"field {field!r} is too large to store: {value:.3g}")
    if post.created_at > now + FUTURE_TOLERANCE:
        raise NormaliseError(
            f"created_at {post.created_at.isoformat()} is in the future: more than 24 hours "
            f"after the time it was collected ({now.isoformat(timespec='seconds')})")
    encoded = encode_payload(raw)
    if _bad_text(encoded) is not None:  # one C pass; the walk names the field
        found = _surrogate_path(raw) or ("(payload)", "?")
        raise NormaliseError(f"field {found[0]!r} of the payload is not valid text: a lone "
                             f"surrogate {found[1]!a}")
    return encoded


def scrub(value: Any) -> Any:
    """``value`` with every lone surrogate written as its escape (``\\ud800``),
    so that a quarantined payload and its error can be stored as they came."""
    if isinstance(value, str):
        return value if _bad_text(value) is None else \
            value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {scrub(str(k)): scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value
