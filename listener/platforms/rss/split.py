"""Splitting a parsed feed into items: the one RSS/Atom splitter, used by
the RSS source and the sample.

A feed document is parsed by feedparser; each entry becomes one item
``{"feed": {"title", "link", "id", "url"}, "entry": <the entry as JSON>}``
(``url``: the address the feed was fetched from). Dates feedparser could
read are ISO 8601 UTC (the text as sent stays in ``published_raw`` /
``updated_raw``). Entries repeated within one document are kept once (on
their id, else their link).
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from listener.sources.base import RawItem


@dataclass(frozen=True)
class FeedDocument:
    """One fetched feed document: where it came from and feedparser's result."""

    url: str
    parsed: Any


def _iso(value: time.struct_time) -> str:
    return datetime.fromtimestamp(calendar.timegm(value), UTC).isoformat()


def jsonable(value: Any) -> Any:
    """A feedparser value as plain JSON: struct_time becomes ISO 8601 UTC."""
    if isinstance(value, time.struct_time):
        return _iso(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def entry_payload(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry as JSON, ``published``/``updated`` as ISO strings when
    feedparser could read them (the text as sent stays in ``*_raw``)."""
    data: dict[str, Any] = jsonable(entry)
    for field in ("published", "updated"):
        # dict.get: feedparser's own .get maps a missing updated_parsed to published_parsed
        parsed = dict.get(entry, f"{field}_parsed") if isinstance(entry, dict) else None
        if parsed:
            data[f"{field}_raw"] = data.get(field)
            data[field] = _iso(parsed)
        data.pop(f"{field}_parsed", None)
    return data


def entry_key(entry: Mapping[str, Any]) -> str | None:
    for field in ("id", "link"):
        value = entry.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def split_feed(document: FeedDocument) -> list[RawItem]:
    parsed = document.parsed
    feed = parsed.get("feed", {})
    info = {"title": feed.get("title"), "link": feed.get("link"), "id": feed.get("id"),
            "url": document.url}
    seen: set[str] = set()
    items = []
    for entry in parsed.get("entries", []):
        key = entry_key(entry)
        if key is not None and key in seen:
            continue
        if key is not None:
            seen.add(key)
        items.append(RawItem({"feed": info, "entry": entry_payload(entry)}))
    return items
