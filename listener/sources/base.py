"""The one small protocol every source implements.

A source fetches pages after a cursor. Each ``Page`` carries the raw items
exactly as the platform sent them (its platform's splitter cuts a response
into ``RawItem``s), the cursor values to save *with* that page (in the same
transaction as its posts), the query that matched, and the request that
fetched it (for provenance; never a secret).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class RawItem:
    """One item of a fetched page, as the platform sent it; ``where`` says
    where it came from when that helps a person find it (``line 12`` of an
    imported file), and is named in its quarantine error."""

    payload: dict[str, Any]
    where: str = ""


@dataclass
class Page:
    platform: str
    items: list[RawItem]
    query: str = ""
    cursor: dict[str, str] = field(default_factory=dict)
    request: dict[str, Any] = field(default_factory=dict)
    # own-channel pages (``listener.platforms.<id>.own``): every item was
    # delivered as addressed to the body (its mentions or notifications) ...
    addressed: bool = False
    # ... or every item was published by this allow-listed account of the
    # body (its own news feed, whose entries carry a press office's byline)
    published_by: str | None = None


class Source(Protocol):
    """Fetch pages of raw payloads after the saved cursor.

    A source may also define ``attach_store(store)``; the pipeline calls it
    before ``pages`` (the X source uses it for its monthly read counter)."""

    name: str
    platform: str

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        """Yield pages oldest-first where the API allows; each page's ``cursor``
        holds the values to persist once the page is stored."""
        ...
