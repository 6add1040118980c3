"""Data minimisation: keep only the payload fields the service uses.

Each platform's registry entry has an allow-list of field paths
(``Platform.allowed_fields``: ``a.b`` for nested objects, ``a[].b`` for each
object of a list). The normaliser reads the full payload; what is stored as
the raw payload is the minimised copy, which still holds everything the
normaliser needs, so a fixed normaliser can re-derive a post from it.
Profile text, avatars, follower counts, display names, entities, media and
every other field are dropped before anything is written.

A platform without an allow-list keeps its payload whole (the registry's
completeness test refuses a platform with a normaliser and none);
``listener compliance`` lists every allow-list.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from listener.platforms.registry import find, platforms

# What each kept field is for, in the words of the record of processing.
PURPOSE_OF_FIELDS = (
    "post id, text, title, time, language, reply/quote references and public "
    "engagement counts (for topic, sentiment and volume figures); the author's "
    "handle only long enough to compute the keyed pseudonym and the post's link "
    "(raw payloads expire after the raw retention period); place name where the "
    "platform attaches one"
)

Tree = dict[str, Any]


def allowed_fields() -> dict[str, tuple[str, ...]]:
    """Platform id -> its allow-list, for every platform that has one."""
    return {p.id: p.allowed_fields for p in platforms() if p.allowed_fields}


@lru_cache(maxsize=64)
def _tree(paths: tuple[str, ...]) -> Tree:
    root: Tree = {}
    for path in paths:
        node = root
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node.setdefault(leaf, None)
    return root


# An allow-list compiled once: per kept key, (name, whether it is a list of
# objects, the spec of its children or None for a leaf kept whole).
Spec = tuple[tuple[str, bool, "Spec | None"], ...]


@lru_cache(maxsize=64)
def _spec(paths: tuple[str, ...]) -> Spec:
    def compiled(tree: Tree) -> Spec:
        return tuple((key[:-2], True, None if sub is None else compiled(sub))
                     if key.endswith("[]") else
                     (key, False, None if sub is None else compiled(sub))
                     for key, sub in tree.items())
    return compiled(_tree(paths))


def _keep(value: Any, spec: Spec | None) -> Any:
    if spec is None:
        return value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for name, is_list, sub in spec:
            if name not in value:
                continue
            child = value[name]
            if sub is None:  # a leaf: kept whole, no call
                out[name] = child
            elif is_list and isinstance(child, list):
                out[name] = [_keep(el, sub) for el in child]
            else:
                out[name] = _keep(child, sub)
        return out
    if isinstance(value, list):
        return [_keep(el, spec) for el in value]
    return value  # an unexpected type is kept as it is, so a quarantine stays reproducible


def minimise(platform: str, payload: Any) -> Any:
    """The payload with only the allow-listed fields of ``platform``; a value
    of an unexpected type (in a malformed, quarantined item) is kept as is."""
    entry = find(platform)
    if entry is None or not entry.allowed_fields or not isinstance(payload, dict):
        return payload
    return _keep(payload, _spec(entry.allowed_fields))
