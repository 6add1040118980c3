"""Splitting a Reddit Listing into items: the one Reddit splitter, used by
the Reddit source and the sample.

A Listing (``/r/<sub>/new``, ``/search``, the second half of a comments
response) is ``{"kind": "Listing", "data": {"children": [...], "after"}}``;
each child ``{"kind": "t3" | "t1" | "more", "data": {...}}`` is one item. A
child that is not an object is kept (wrapped) for the normaliser to
quarantine: nothing is dropped here.
"""

from __future__ import annotations

from typing import Any

from listener.sources.base import RawItem


def split_listing(body: Any) -> list[RawItem]:
    data = body.get("data") if isinstance(body, dict) else None
    children = data.get("children") if isinstance(data, dict) else None
    if not isinstance(children, list):
        return []
    return [RawItem(c if isinstance(c, dict) else {"malformed": c}) for c in children]
