"""One platform's entry in the registry: everything platform-specific.

A ``Platform`` names the source class and its config model, the page
splitter, the normaliser, the minimisation allow-list, the deletion checker
and the link form that carries no handle. The config union, the "unknown
source type" message, the platform lists, the compliance text and forget's
platform check are derived from the entries (``listener.platforms.registry``).

Client libraries (tweepy, praw, Mastodon.py, atproto, httpx) are heavy and
optional: sources and checkers are named as ``Lazy("module:attr")`` and
imported on first use, so a deployment using only RSS never imports tweepy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from listener.sources.base import RawItem, Source
from listener.sources.config import SourceConfigBase
from storage.records import Post

if TYPE_CHECKING:
    from listener.config import Settings
    from listener.platforms.deletion import Checker

Normaliser = Callable[[dict[str, Any]], Post]
"""One raw item in, one ``Post`` out; raises ``NormaliseError`` when malformed."""
Splitter = Callable[[Any], list[RawItem]]
"""One response body as the platform sent it -> its items (nothing dropped)."""
SourceFactory = Callable[[str, Any], Source]
"""``(source name, its config)`` -> the source; raises ``CredentialError`` when unset."""
CheckerFactory = Callable[["Settings"], "Checker | None"]
"""The platform's deletion checker, or None when it cannot be asked (no credentials)."""
LinkForm = Callable[[str, "str | None"], "str | None"]
"""``(native id, stored url)`` -> a link to the post that carries no handle, or None."""


@dataclass(frozen=True)
class Lazy:
    """``module:attr``, imported when first called (heavy client libraries)."""

    target: str

    def load(self) -> Any:
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.load()(*args, **kwargs)


def no_link(native_id: str, url: str | None) -> str | None:
    """For a platform with no link form free of the author's handle."""
    return None


@dataclass(frozen=True)
class OwnChannel:
    """The body's own account on a platform (``engagement.channels.<id>``):
    its posts, the replies to them and its mentions, collected as a source
    named ``own:<id>``."""

    config: type[SourceConfigBase]
    """An ``OwnChannelConfigBase`` whose ``type`` is ``Literal[id]``."""
    source: SourceFactory
    collects: str
    """For the record of processing, formatted with the channel's config."""


@dataclass(frozen=True)
class Platform:
    id: str
    """The ``type:`` of its sources and the ``platform`` of its posts."""
    name: str
    """As people write it, in help and compliance text: "X", "Reddit"."""
    config: type[SourceConfigBase]
    """The config model of ``type: <id>`` (its ``type`` is ``Literal[id]``)."""
    source: SourceFactory
    collects: str
    """What a source of this type asks for, in the record of processing;
    formatted with the source's config fields (``{queries}``)."""
    live: bool = True
    """It reads a platform over the network (the governance check applies)."""
    synthetic: bool = False
    """Its posts exist on no platform: never re-checked for deletion."""
    normalise: Normaliser | None = None
    """None: its pages carry other platforms' ids (the sample)."""
    split: Splitter | None = None
    allowed_fields: tuple[str, ...] = ()
    """Minimisation: the payload fields kept (``a.b``, ``a[].b``)."""
    checker: CheckerFactory | None = None
    """None: there is no platform to ask whether a post still exists."""
    link: LinkForm = no_link
    hosted: str = ""
    """Where the platform is operated, for the transfers entry ("the USA")."""
    own_channel: OwnChannel | None = None
    """The body's own-channel fetch, where the platform has one."""
