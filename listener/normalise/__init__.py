"""Pure per-platform normalisers: one raw item in, one ``Post`` out.

Each platform module exposes ``normalise(item: dict) -> Post`` and raises
``NormaliseError`` (with a plain message) when the item is malformed; the
pipeline quarantines such items and stores the rest of their page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from storage.records import Post


class NormaliseError(ValueError):
    """A raw item that cannot become a Post."""


Normaliser = Callable[[dict[str, Any]], Post]


PLATFORM_MODULES = {
    "x": "x", "reddit": "reddit", "mastodon": "mastodon", "bluesky": "bluesky",
    "rss": "rss", "file": "fileimport",
}


def get_normaliser(platform: str) -> Normaliser:
    """The ``normalise`` function of one platform's module."""
    try:
        module = PLATFORM_MODULES[platform]
    except KeyError:
        raise NormaliseError(
            f"no normaliser for platform {platform!r}; known: {', '.join(sorted(PLATFORM_MODULES))}"
        ) from None
    normalise: Normaliser = importlib.import_module(f"listener.normalise.{module}").normalise
    return normalise
