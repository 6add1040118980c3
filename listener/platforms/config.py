"""The type of one ``sources:`` entry in config.yaml, derived from the registry.

An entry is validated by the config model of its ``type:`` (the registry
entry's ``config``), looked up when the config is read: a platform
registered later (a test's) is accepted with no other change. An unknown or
missing ``type`` is one problem naming the known types; every other problem
keeps its location inside the entry (``sources.<name>.<key>``).
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any

from pydantic import BeforeValidator, SerializeAsAny
from pydantic_core import PydanticCustomError

from listener.platforms.registry import find, ids
from listener.sources.config import SourceConfigBase


def known_types() -> str:
    return ", ".join(ids())


def _validate(value: Any) -> Any:
    if isinstance(value, SourceConfigBase):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError("source_not_mapping",
                                  "a source is a mapping of keys (type:, enabled:, ...)")
    kind = value.get("type")
    if kind is None:
        raise PydanticCustomError("source_type_missing", "missing 'type:' ({known})",
                                  {"known": known_types()})
    entry = find(str(kind))
    if entry is None:
        close = difflib.get_close_matches(str(kind), ids(), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise PydanticCustomError("source_type_unknown",
                                  "unknown source type {got}; known types: {known}{hint}",
                                  {"got": repr(kind), "known": known_types(), "hint": hint})
    return entry.config.model_validate(value)


SourceConfig = Annotated[SerializeAsAny[SourceConfigBase], BeforeValidator(_validate)]
"""One ``sources:`` entry: the config model of its ``type:``."""


def source_model(kind: Any) -> type[SourceConfigBase] | None:
    """The config model of ``type: kind`` (for "did you mean" on its keys)."""
    entry = find(str(kind)) if kind is not None else None
    return entry.config if entry is not None else None

