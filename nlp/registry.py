"""Registered classifiers with versioned names: a leaf module.

A classifier class is registered once per ``(name, version)`` with the
``classifier`` decorator, which is the one place its name, version and task
are written: it sets them on the class and records how to build it. A
change of behaviour ships as a new version registered next to the old one
(often a subclass), never as an edit in place, so stored labels always say
exactly which behaviour made them; golden tests pin each version's output.

This module imports no classifier. ``nlp/__init__`` imports
``nlp.factories``, which imports every built-in classifier module and so
fills the registry before anything can look a name up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from nlp.config import NlpSettings, TopicSpec
from nlp.types import Classifier

_VERSIONED = re.compile(r"^(?P<name>.+?)(?:\.|@)(?P<version>v\d+)$")


@dataclass(frozen=True)
class BuildContext:
    """What a classifier may use to build itself."""

    settings: NlpSettings
    topics: Mapping[str, TopicSpec]
    data_dir: Path


Factory = Callable[[BuildContext], Classifier]


class Registered:
    """Base of every registered classifier. ``name``, ``version`` and
    ``task`` are set by the ``classifier`` decorator; ``from_context``
    builds an instance from the configuration."""

    name: str
    version: str
    task: str
    model_id: str | None = None

    @classmethod
    def from_context(cls, ctx: BuildContext) -> Any:
        raise NotImplementedError(f"{cls.__name__} does not say how to build itself")


@dataclass(frozen=True)
class Registration:
    name: str
    version: str
    task: str
    factory: Factory
    needs_torch: bool = False


_REGISTRY: dict[tuple[str, str], Registration] = {}

C = TypeVar("C", bound=type[Registered])


class UnknownClassifierError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def classifier(name: str, version: str, task: str, *,
               needs_torch: bool = False) -> Callable[[C], C]:
    """Class decorator: register the class as ``name`` ``version`` (``vN``)
    for ``task``, and set those three on it."""
    if not re.fullmatch(r"v\d+", version):
        raise ValueError(f"version must look like v1, v2, ...: {version!r}")

    def decorate(cls: C) -> C:
        key = (name, version)
        if key in _REGISTRY and _REGISTRY[key].factory != cls.from_context:
            raise ValueError(f"{name} {version} is already registered: ship a new version")
        cls.name, cls.version, cls.task = name, version, task
        _REGISTRY[key] = Registration(name, version, task, cls.from_context, needs_torch)
        return cls

    return decorate


def _version_number(version: str) -> int:
    return int(version[1:])


def split_name(spec: str) -> tuple[str, str | None]:
    """``"topics.keywords.v1"`` or ``"topics.keywords@v1"`` -> name and version;
    a bare name -> (name, None), meaning its latest version."""
    m = _VERSIONED.match(spec)
    if m and (m["name"], m["version"]) in _REGISTRY:
        return m["name"], m["version"]
    if m and not any(n == spec for n, _ in _REGISTRY):
        return m["name"], m["version"]
    return spec, None


def known_names() -> list[str]:
    """Every registered classifier name (without versions), sorted."""
    return sorted({n for n, _ in _REGISTRY})


def resolve(spec: str) -> Registration:
    """The registration for a configured classifier name, with or without version."""
    name, version = split_name(spec)
    versions = sorted((v for n, v in _REGISTRY if n == name), key=_version_number)
    if not versions:
        raise UnknownClassifierError(
            f"unknown classifier {name!r}; known: {', '.join(known_names())}")
    if version is None:
        version = versions[-1]
    if (name, version) not in _REGISTRY:
        raise UnknownClassifierError(
            f"classifier {name!r} has no version {version}; known: {', '.join(versions)}"
        )
    return _REGISTRY[(name, version)]


def registered() -> list[Registration]:
    return sorted(_REGISTRY.values(), key=lambda r: (r.name, _version_number(r.version)))
