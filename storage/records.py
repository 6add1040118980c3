"""Record types that cross the storage boundary.

A ``Post`` is what a platform normaliser produces and what storage keeps.
Normalisers fill ``author_handle`` with the clear handle; the pipeline then
replaces it with a keyed pseudonym (``author_key``) and keeps the handle only
for allow-listed official accounts (``author_official``). Storage refuses a
clear handle that is not flagged official, so a missed step fails loudly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

_T = TypeVar("_T")

# The sentiment labels, in the order reports and queries show them.
SENTIMENTS = ("negative", "neutral", "positive")
# Who speaks in a post (``storage.conversations``): the body itself, a
# resident addressing the body (a reply to its post, a mention), anyone else.
VOICES = ("own", "to_us", "about_us")


def _filling_init(cls: type[_T]) -> type[_T]:
    """Give a frozen dataclass an ``__init__`` that fills the new instance's
    ``__dict__`` in one update. The one ``dataclass(frozen=True)`` writes sets
    each field by a call to ``object.__setattr__`` (the class refuses its
    own): 9 us for a Post's 20 fields against 4 this way, and every collected
    post makes one. Written as ``dataclasses`` writes its own, from the
    class's fields, so the parameters, their order and defaults are the
    dataclass's (a test compares them); a field this does not handle (a
    default factory, ``init=False``, keyword-only) fails at import, and so
    does a class with a ``__post_init__`` (this ``__init__`` would skip it)."""
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}.__post_init__: _filling_init would not call it")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    for f in fields:
        if not f.init or f.kw_only or f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: a field _filling_init cannot build")
    defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    params = ", ".join(f"{f.name}=_defaults[{f.name!r}]" if f.name in defaults else f.name
                       for f in fields)
    values = ", ".join(f"{f.name!r}: {f.name}" for f in fields)
    namespace: dict[str, Any] = {}
    exec(  # noqa: S102 - source built from the class's own field names, as dataclasses does
        f"def __init__(self, {params}):\n    self.__dict__.update({{{values}}})\n",
        {"_defaults": defaults}, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)  # noqa: B010 - mypy refuses assigning a method
    return cls


@_filling_init
@dataclass(frozen=True)
class Post:
    platform: str
    native_id: str
    text: str
    created_at: datetime  # timezone-aware, UTC
    url: str | None = None
    author_handle: str | None = None
    author_key: str | None = None
    author_official: bool = False
    lang: str | None = None
    replies: int | None = None
    reposts: int | None = None
    likes: int | None = None
    quotes: int | None = None
    place: str | None = None
    in_reply_to: str | None = None
    title: str | None = None
    # The conversation (``storage.conversations``): the platform's thread id
    # where it gives one (X conversation_id, a Bluesky thread root, a Reddit
    # submission); the handles the post mentions, as normalisers read them
    # (the pseudonymiser reduces them to ``addressed`` and clears them:
    # storage refuses clear handles); and whether it is addressed to the
    # body (it mentions an allow-listed official account, or the platform
    # delivered it as a mention of or reply to one).
    thread_id: str | None = None
    mentions: tuple[str, ...] = ()
    addressed: bool = False
    # The posts this one references, (kind, the referenced post's native id),
    # as the platform gives them (X ``referenced_tweets``: retweeted, quoted,
    # replied_to); storage keeps them in ``post_refs`` for as long as the post,
    # so that erasing an author finds the retweets of their posts
    # (``storage.erasure``) after the raw payloads have gone.
    refs: tuple[tuple[str, str], ...] = ()

    def but(self, **changes: Any) -> Post:
        """A copy with ``changes``: ``dataclasses.replace`` without its work
        per field (a Post has no ``__post_init__`` to run again), as the
        pipeline makes one per collected post."""
        fields = self.__dict__
        if not changes.keys() <= fields.keys():
            raise TypeError(f"Post has no field {sorted(changes.keys() - fields.keys())[0]!r}")
        new = object.__new__(Post)
        copied = new.__dict__
        copied.update(fields)
        copied.update(changes)
        return new


@dataclass(frozen=True)
class Quarantined:
    """An item that failed to normalise: kept with its error, never dropped."""

    platform: str
    error: str
    payload: dict[str, Any] | str


@_filling_init  # one per collected post, too
@dataclass(frozen=True)
class StoredItem:
    """A normalised post together with the raw payload it came from."""

    post: Post
    raw: dict[str, Any]
    # ``raw`` as storage writes it (compact JSON), when the pipeline already
    # encoded it to check it (``listener.normalise.storable``); else storage does
    raw_json: str | None = None


@dataclass
class PageResult:
    """What ``save_page`` did: counts for the run record."""

    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    updated: int = 0
    quarantined: int = 0
    blocked: int = 0
    new_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class LabelRecord:
    """One label on one post, with the classifier that made it."""

    post_id: int
    task: str  # "topic", "sentiment", "place", "lang", "relevance", ...
    label: str
    score: float | None
    classifier: str
    version: str
    model_id: str | None = None
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunRecord:
    id: int
    source: str
    started_at: str
    ended_at: str | None
    status: str
    fetched: int
    new: int
    duplicates: int
    quarantined: int
    error: str | None
