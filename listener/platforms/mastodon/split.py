"""Splitting a Mastodon timeline page into items: the one Mastodon splitter,
used by the Mastodon source and the sample.

A tag timeline (``GET /api/v1/timelines/tag/:tag``) is a JSON array of
status objects, newest first; each status is one item. An element that is
not an object is kept (wrapped) for the normaliser to quarantine.
"""

from __future__ import annotations

from typing import Any

from listener.sources.base import RawItem


def split_statuses(body: Any) -> list[RawItem]:
    if not isinstance(body, list):
        return []
    return [RawItem(s if isinstance(s, dict) else {"malformed": s}) for s in body]
