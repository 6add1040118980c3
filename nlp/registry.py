"""Registered classifier factories with versioned names.

A factory is registered once per ``(name, version)``, e.g.
``("topics.keywords", "v1")``. A change of behaviour ships as a new version
registered next to the old one, never as an edit in place, so that stored
labels always say exactly which behaviour made them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nlp.config import NlpSettings, TopicSpec
from nlp.types import Classifier

_VERSIONED = re.compile(r"^(?P<name>.+?)(?:\.|@)(?P<version>v\d+)$")


@dataclass(frozen=True)
class BuildContext:
    """What a factory may use to build its classifier."""

    settings: NlpSettings
    topics: Mapping[str, TopicSpec]
    data_dir: Path


Factory = Callable[[BuildContext], Classifier]


@dataclass(frozen=True)
class Registration:
    name: str
    version: str
    task: str
    factory: Factory
    needs_torch: bool = False


_REGISTRY: dict[tuple[str, str], Registration] = {}


class UnknownClassifierError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def register(
    name: str, version: str, task: str, *, needs_torch: bool = False
) -> Callable[[Factory], Factory]:
    """Decorator: register ``factory`` as ``name`` ``version`` (``vN``)."""
    if not re.fullmatch(r"v\d+", version):
        raise ValueError(f"version must look like v1, v2, ...: {version!r}")

    def decorate(factory: Factory) -> Factory:
        key = (name, version)
        if key in _REGISTRY and _REGISTRY[key].factory is not factory:
            raise ValueError(f"{name} {version} is already registered: ship a new version")
        _REGISTRY[key] = Registration(name, version, task, factory, needs_torch)
        return factory

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


def resolve(spec: str) -> Registration:
    """The registration for a configured classifier name, with or without version."""
    import nlp.factories  # noqa: F401  (registers the built-in factories)

    name, version = split_name(spec)
    versions = sorted((v for n, v in _REGISTRY if n == name), key=_version_number)
    if not versions:
        known = ", ".join(sorted({n for n, _ in _REGISTRY}))
        raise UnknownClassifierError(f"unknown classifier {name!r}; known: {known}")
    if version is None:
        version = versions[-1]
    if (name, version) not in _REGISTRY:
        raise UnknownClassifierError(
            f"classifier {name!r} has no version {version}; known: {', '.join(versions)}"
        )
    return _REGISTRY[(name, version)]


def registered() -> list[Registration]:
    import nlp.factories  # noqa: F401

    return sorted(_REGISTRY.values(), key=lambda r: (r.name, _version_number(r.version)))
