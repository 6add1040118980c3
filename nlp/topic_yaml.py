"""Proposed topic terms as a config.yaml snippet an admin reviews and pastes.

The format is config.yaml's ``topics:`` section (see ``nlp.config.TopicSpec``):
a new topic has its ``label``, ``terms`` (single words) and ``phrases``; a
proposal for an existing topic lists only the words to add to its lists.
Discovery's "consider a new topic" and ``listener topics suggest`` (issue 13)
write the same format. Nothing here edits config.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

import yaml


def slug_for(label: str, taken: Collection[str] = ()) -> str:
    """A config key for a label: lower-case ASCII words joined by '_',
    with a number added if the key is taken ("Street lights" -> street_lights)."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = "_".join(re.findall(r"[a-z0-9]+", ascii_text.lower())[:4]) or "new_topic"
    if base[0].isdigit():
        base = f"topic_{base}"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}_{n}", n + 1
    return slug


def topic_snippet(slug: str, *, label: str | None = None, terms: Sequence[str] = (),
                  phrases: Sequence[str] = (), hashtags: Sequence[str] = (),
                  comment: str | None = None) -> str:
    """YAML for one topic under ``topics:``. Give ``label`` for a new topic;
    leave it out to list additions to an existing one."""
    body: dict[str, object] = {}
    if label is not None:
        body["label"] = label
    for key, values in (("terms", terms), ("phrases", phrases), ("hashtags", hashtags)):
        if values:
            body[key] = list(dict.fromkeys(values))
    text = yaml.safe_dump({"topics": {slug: body}}, sort_keys=False, default_flow_style=None,
                          allow_unicode=True, width=100)
    if comment:
        lines = text.splitlines()
        lines.insert(2, "    # " + " ".join(comment.split()))
        text = "\n".join(lines) + "\n"
    return text
