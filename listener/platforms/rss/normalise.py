"""RSS / Atom: one feedparser entry with its feed.

Item shape: ``{"feed": {"title", "link", "id"?}, "entry": {id, link, title,
summary | content, published | updated, author}}``. Dates are ISO strings (an
RFC 822 date as feedparser keeps it in ``published`` is accepted too). The
entry is keyed on its ``id`` (guid), else its ``link``; an id that is not a
URI is scoped by its feed (``url``, else ``link``, else ``id``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from listener.normalise import NormaliseError
from listener.normalise.fields import html_to_text, mapping, optional_text, parse_time
from storage.records import Post


def _time(entry: dict[str, Any]) -> datetime:
    for field in ("published", "updated"):
        value = entry.get(field)
        if not value:
            continue
        try:
            return parse_time(value, field)
        except NormaliseError:
            try:
                moment = parsedate_to_datetime(str(value))
            except (TypeError, ValueError) as exc:
                raise NormaliseError(f"bad timestamp in {field!r}: {value!r}") from exc
            return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    raise NormaliseError("entry has neither 'published' nor 'updated'")


def _summary(entry: dict[str, Any]) -> str:
    content = entry.get("content")
    if isinstance(content, list) and content and isinstance(content[0], dict):
        value = content[0].get("value")
        if isinstance(value, str) and value.strip():
            return html_to_text(value)
    return html_to_text(optional_text(entry, "summary") or "")


_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S")


def _native_id(entry: dict[str, Any], feed: dict[str, Any]) -> str | None:
    """The entry's id when it is a URI (the same article in two feeds is one
    post); an id that is not (RSS guids such as "1234" are only unique within
    their feed) is scoped by the feed, so two feeds' "1234" stay apart."""
    entry_id = optional_text(entry, "id")
    if entry_id is not None and not _URI.match(entry_id):
        scope = (optional_text(feed, "url") or optional_text(feed, "link")
                 or optional_text(feed, "id"))
        if scope is not None:
            return f"{scope}#{entry_id}"
    return entry_id or optional_text(entry, "link")


def normalise(item: dict[str, Any]) -> Post:
    feed = mapping(item, "feed")
    entry = mapping(item, "entry")
    link = optional_text(entry, "link")
    native_id = _native_id(entry, feed)
    if native_id is None:
        raise NormaliseError("entry has neither 'id' nor 'link'")
    title = html_to_text(optional_text(entry, "title") or "") or None
    summary = _summary(entry)
    body = "\n\n".join(part for part in (title, summary) if part)
    if not body:
        raise NormaliseError(f"entry {native_id} has no 'title' and no 'summary'")
    return Post(
        platform="rss",
        native_id=native_id,
        text=body,
        title=title,
        created_at=_time(entry),
        url=link,
        author_handle=optional_text(entry, "author"),
    )

