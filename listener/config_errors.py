"""Config problems that name the file, the line and the key.

pydantic reports a location as a tuple of keys; the YAML node tree (from
``yaml.compose``) knows where each key sits in the file. This module joins
the two and, for an unknown key, finds the closest valid one.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from typing import Any, Union

import yaml
from pydantic import BaseModel


@dataclass(frozen=True)
class ConfigProblem:
    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ConfigError(Exception):
    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def find_node(root: yaml.Node | None, loc: tuple[str | int, ...]) -> tuple[yaml.Node | None, bool]:
    """The deepest node along ``loc`` and whether the whole path was found.
    For a mapping, the *key* node of the last part is returned (its line is
    where the admin wrote the key)."""
    node = root
    found: yaml.Node | None = root
    for i, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            match = None
            for key_node, value_node in node.value:
                if str(key_node.value) == str(part):
                    match = (key_node, value_node)
                    break
            if match is None:
                return found, False
            found = match[0] if i == len(loc) - 1 else match[1]
            node = match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return found, False
            node = node.value[part]
            found = node
        else:
            return found, False
    return found, True


def duplicate_keys(root: yaml.Node | None, path: tuple[str, ...] = ()) -> list[tuple[str, int]]:
    """Keys written twice in one mapping (PyYAML silently keeps the last)."""
    out: list[tuple[str, int]] = []
    if isinstance(root, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in root.value:
            name = str(key_node.value)
            if name in seen:
                out.append((".".join((*path, name)), key_node.start_mark.line + 1))
            seen.add(name)
            out += duplicate_keys(value_node, (*path, name))
    elif isinstance(root, yaml.SequenceNode):
        for i, item in enumerate(root.value):
            out += duplicate_keys(item, (*path, str(i)))
    return out


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _step(models: list[type[BaseModel]], part: str | int) -> list[type[BaseModel]]:
    """The models found one step along a location, through dicts, lists and
    unions."""
    out: list[type[BaseModel]] = []
    for model in models:
        field = model.model_fields.get(str(part))
        if field is None:
            continue
        annotation = field.annotation
        origin = typing.get_origin(annotation)
        if origin in (dict, list):
            annotation = typing.get_args(annotation)[-1]
            inner = _models_in(annotation)
            out += [_Container(inner)] if inner else []  # type: ignore[list-item]
        else:
            out += _models_in(annotation)
    return out


class _Container:
    """A dict/list step: the next part is a user key or an index."""

    def __init__(self, models: list[type[BaseModel]]) -> None:
        self.models = models


def valid_keys(root_model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Field names allowed at ``loc`` (the location of the unknown key's parent)."""
    current: list[Any] = [root_model]
    for part in loc:
        nxt: list[Any] = []
        for item in current:
            nxt += item.models if isinstance(item, _Container) else _step([item], part)
        current = nxt
    names: list[str] = []
    for item in current:
        models = item.models if isinstance(item, _Container) else [item]
        for model in models:
            names += [n for n in model.model_fields if n not in names]
    return names


def suggestion(unknown: str, candidates: list[str], what: str = "valid keys here") -> str:
    """"; did you mean 'x'?" for a near miss, else the candidates (``what``: how
    to name them), else nothing."""
    close = difflib.get_close_matches(unknown, candidates, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    if candidates:
        return f"; {what}: {', '.join(candidates)}"
    return ""
