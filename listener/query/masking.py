"""Who and what policy staff see of an author: the same rule as the weekly
report (``reports.text.mask_handles``): every @handle in the text becomes
``@[user]`` unless it is an allow-listed official account, and the author is
named only when the post comes from one of those accounts."""

from __future__ import annotations

from collections.abc import Collection

from reports.text import mask_handles, normalise_handle

__all__ = ["mask_handles", "official_handles", "shown_author"]


def official_handles(official_accounts: Collection[str]) -> frozenset[str]:
    """Handles from ``privacy.official_accounts`` entries (``platform:handle``)."""
    return frozenset(normalise_handle(entry.partition(":")[2] or entry)
                     for entry in official_accounts)


def shown_author(handle: str | None, official: Collection[str]) -> str:
    """The author as shown: the handle of an official account, else blank."""
    if handle and normalise_handle(handle) in official:
        return handle
    return ""
