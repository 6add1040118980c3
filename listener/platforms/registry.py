"""The platform registry: one ``Platform`` entry per platform, and what is
derived from the entries.

Adding a platform: write its folder ``listener/platforms/<id>/`` (config
model, source, splitter, normaliser, checker; the entry ``PLATFORM`` in its
``__init__``) and add its id to ``BUILT_IN`` below. Nothing else names it:
config validation, the pipeline, minimisation, compliance, forget and the
deletion sync look it up here.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from listener.platforms.entry import Normaliser, Platform, Splitter
from listener.sources.base import Source
from listener.sources.config import OwnChannelConfigBase

BUILT_IN = ("sample", "x", "reddit", "mastodon", "bluesky", "rss", "file")

_ENTRIES: dict[str, Platform] = {}


class UnknownPlatform(ValueError):
    pass


def register(entry: Platform) -> Platform:
    if entry.id in _ENTRIES:
        raise ValueError(f"platform {entry.id!r} is registered already")
    _ENTRIES[entry.id] = entry
    return entry


@contextmanager
def registered(entry: Platform) -> Iterator[Platform]:
    """``entry`` registered for the duration of a ``with`` block (tests)."""
    register(entry)
    try:
        yield entry
    finally:
        _ENTRIES.pop(entry.id, None)


def platforms() -> tuple[Platform, ...]:
    """Every registered platform, built-in ones first in ``BUILT_IN`` order."""
    return tuple(_ENTRIES.values())


def ids() -> tuple[str, ...]:
    """Every ``type:`` a source may have."""
    return tuple(_ENTRIES)


def post_platforms() -> tuple[str, ...]:
    """The ``platform`` values stored posts may carry: every platform with a
    normaliser (the sample's pages carry other platforms' ids)."""
    return tuple(p.id for p in _ENTRIES.values() if p.normalise is not None)


def platform(platform_id: str) -> Platform:
    try:
        return _ENTRIES[platform_id]
    except KeyError:
        raise UnknownPlatform(
            f"unknown platform {platform_id!r}; known: {', '.join(_ENTRIES)}") from None


def find(platform_id: str) -> Platform | None:
    return _ENTRIES.get(platform_id)


def post_link(platform_id: str, native_id: str, url: str | None) -> str | None:
    """The platform's link to a post that names no account (None where the
    platform has none, or the platform is unknown): what reports and the
    query page link to, never the stored URL."""
    entry = _ENTRIES.get(platform_id)
    return entry.link(native_id, url) if entry is not None else None


def is_live(platform_id: str) -> bool:
    """Whether a source of this type reads a platform over the network (an
    unknown type counts as live: the governance check errs on its side)."""
    entry = _ENTRIES.get(platform_id)
    return entry is None or entry.live


def normaliser(platform_id: str) -> Normaliser:
    """The normaliser of a platform whose pages carry its own posts."""
    found = platform(platform_id).normalise
    if found is None:
        raise UnknownPlatform(f"platform {platform_id!r} has no normaliser of its own; "
                              f"known: {', '.join(post_platforms())}")
    return found


def splitter(platform_id: str) -> Splitter:
    """The page splitter of a platform whose pages carry its own items."""
    found = platform(platform_id).split
    if found is None:
        raise UnknownPlatform(f"platform {platform_id!r} has no page splitter of its own")
    return found


def build_source(name: str, config: Any) -> Source:
    """Instantiate the source for one config entry. Constructors read their
    credentials from the environment and raise ``CredentialError`` naming the
    variable when one is missing."""
    entry = platform(config.type)
    if isinstance(config, OwnChannelConfigBase):
        if entry.own_channel is None:
            raise UnknownPlatform(f"platform {entry.id!r} has no own channel")
        own: Source = entry.own_channel.source(name, config)
        return own
    source: Source = entry.source(name, config)
    return source


for _id in BUILT_IN:
    register(importlib.import_module(f"listener.platforms.{_id}").PLATFORM)
