"""What changed: config versions that took effect, as added/removed terms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import yaml

from reports.figures import ConfigChange
from reports.weeks import Span

_KINDS = (("terms", "{}"), ("phrases", "{}"), ("hashtags", "#{}"),
          ("exclusions", "exclusion: {}"))


def topic_terms(config_text: str) -> set[tuple[str, str]]:
    """(topic slug, term) pairs of a config text's ``topics`` section."""
    try:
        data: Any = yaml.safe_load(config_text)
    except yaml.YAMLError:
        return set()
    topics = data.get("topics") if isinstance(data, dict) else None
    out: set[tuple[str, str]] = set()
    if not isinstance(topics, dict):
        return out
    for slug, spec in topics.items():
        if not isinstance(spec, dict):
            continue
        for kind, shape in _KINDS:
            for term in spec.get(kind) or []:
                out.add((str(slug), shape.format(str(term).lstrip("#"))))
    return out


def changes_in(versions: Sequence[tuple[str, str, str]], span: Span,
               local: Any) -> list[ConfigChange]:
    """Config versions (hash, loaded_at UTC, text; oldest first) loaded
    within ``span``, each diffed against the version before it."""
    out: list[ConfigChange] = []
    for k, (config_hash, loaded_at, text) in enumerate(versions):
        moment = datetime.fromisoformat(loaded_at)
        if not span.start <= moment < span.end:
            continue
        now = topic_terms(text)
        before = topic_terms(versions[k - 1][2]) if k > 0 else set()
        out.append(ConfigChange(
            config_hash=config_hash,
            loaded_at=local(loaded_at),
            added=tuple(sorted(now - before)),
            removed=tuple(sorted(before - now)),
            first=k == 0,
        ))
    return out


def weeks_with_changes(versions: Sequence[tuple[str, str, str]],
                       spans: Sequence[Span]) -> list[str]:
    """Labels of the spans in which a config version (after the first) took effect."""
    moments = [datetime.fromisoformat(v[1]) for v in versions[1:]]
    return [s.label for s in spans if any(s.start <= m < s.end for m in moments)]
