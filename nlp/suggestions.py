"""One line of advice per theme: "add to topic X" when the theme is near a
configured topic, else "consider a new topic", each with the terms to
paste as a config.yaml snippet (``nlp.topic_yaml``)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from nlp import ctfidf, terms
from nlp.config import TopicSpec
from nlp.themes import Theme
from nlp.topic_yaml import slug_for, topic_snippet

# A theme whose centroid is at least this near one of a topic's prototypes
# belongs to that topic. Measured with bench/discover.py nearness: see
# docs/discovery.md.
NEAR_TOPIC = 0.6


@dataclass(frozen=True)
class Suggestion:
    kind: Literal["add", "new"]
    topic: str  # the existing topic's slug ("add") or a proposed slug ("new")
    text: str  # one line for the report
    terms: tuple[str, ...]  # single words to add
    phrases: tuple[str, ...]  # multi-word phrases to add
    yaml: str  # config.yaml snippet with the same content


def known_terms(topics: Mapping[str, TopicSpec]) -> set[str]:
    """Every configured term, phrase and hashtag in discovery's term form
    (lemmas without stop words), so a suggestion never repeats one."""
    out: set[str] = set()
    for spec in topics.values():
        for word in (*spec.terms, *spec.phrases, *spec.hashtags):
            words = terms.terms_of(word, phrases=False)
            if words:
                out.add(" ".join(words))
    return out


def suggest(theme: Theme, topic_labels: Mapping[str, str], *, near: float = NEAR_TOPIC,
            known: Collection[str] = (), taken: Collection[str] = (),
            max_terms: int = 5) -> Suggestion:
    """The advice for one theme. ``topic_labels``: configured slug -> label;
    ``known``: configured terms (``known_terms``) not to propose again;
    ``taken``: slugs a new topic must not reuse (defaults to the configured ones)."""
    fresh = [t for t in theme.terms if t not in known]
    ideas = ctfidf.label_terms(fresh, k=max_terms, window=len(fresh))
    words = tuple(t for t in ideas if " " not in t)
    phrases = tuple(t for t in ideas if " " in t)
    topic = theme.nearest_topic
    if (topic is not None and topic in topic_labels and theme.topic_similarity is not None
            and theme.topic_similarity >= near):
        label = topic_labels[topic]
        text = (f'add to topic "{label}" (near "{theme.topic_evidence}", '
                f"similarity {theme.topic_similarity:.2f})")
        yaml_text = topic_snippet(topic, terms=words, phrases=phrases,
                                  comment=f"add to the lists of {label}")
        return Suggestion("add", topic, text, words, phrases, yaml_text)
    name = (ideas[0] if ideas else theme.label.split(", ")[0]).capitalize()
    slug = slug_for(name, taken=set(taken) | set(topic_labels))
    return Suggestion("new", slug, f'consider a new topic "{name}"', words, phrases,
                      topic_snippet(slug, label=name, terms=words, phrases=phrases))
