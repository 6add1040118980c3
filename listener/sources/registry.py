"""``type:`` in config.yaml -> the class that collects it.

Classes are imported lazily so that a deployment using only RSS never
imports tweepy or praw.
"""

from __future__ import annotations

import importlib
from typing import Any

from listener.sources.base import Source

SOURCE_TYPES: dict[str, str] = {
    "sample": "listener.sources.sample:SampleSource",
    "x": "listener.sources.x:XSource",
    "reddit": "listener.sources.reddit:RedditSource",
    "mastodon": "listener.sources.mastodon:MastodonSource",
    "bluesky": "listener.sources.bluesky:BlueskySource",
    "rss": "listener.sources.rss:RssSource",
    "file": "listener.sources.fileimport:FileSource",
}


class UnknownSourceType(ValueError):
    pass


def source_class(kind: str) -> Any:
    try:
        target = SOURCE_TYPES[kind]
    except KeyError:
        raise UnknownSourceType(
            f"unknown source type {kind!r}; known types: {', '.join(SOURCE_TYPES)}"
        ) from None
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def build_source(name: str, config: Any) -> Source:
    """Instantiate the source for one config entry. Constructors read their
    credentials from the environment and raise ``CredentialError`` naming the
    variable when one is missing."""
    cls = source_class(config.type)
    source: Source = cls(name, config)
    return source
