"""Pure per-platform normalisers: one raw item in, one ``Post`` out.

Each platform module exposes ``normalise(item: dict) -> Post`` and raises
``NormaliseError`` (with a plain message) when the item is malformed; the
pipeline quarantines such items and stores the rest of their page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage.records import Post


class NormaliseError(ValueError):
    """A raw item that cannot become a Post."""


Normaliser = Callable[[dict[str, Any]], Post]


def get_normaliser(platform: str) -> Normaliser:
    from listener.normalise import bluesky, fileimport, mastodon, reddit, rss, x

    table: dict[str, Normaliser] = {
        "x": x.normalise,
        "reddit": reddit.normalise,
        "mastodon": mastodon.normalise,
        "bluesky": bluesky.normalise,
        "rss": rss.normalise,
        "file": fileimport.normalise,
    }
    try:
        return table[platform]
    except KeyError:
        raise NormaliseError(
            f"no normaliser for platform {platform!r}; known: {', '.join(sorted(table))}"
        ) from None
