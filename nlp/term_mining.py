"""Words and phrases that would find more of a topic's posts, mined from
posts (``listener topics suggest``).

Posts are reduced to discovery's terms (``nlp.terms``: lemmas without stop
words, and two-word phrases), so a suggestion is written as the keyword
matcher will match it ("dump" matches "dumped" and "dumping"). Posts are
grouped by the topic they are semantically nearest (or none); a term
over-represented in a topic's group (class-based TF-IDF, ``nlp.ctfidf``,
with the posts near no topic as the background) is a candidate. A candidate
is kept when it would newly match at least ``min_posts`` posts not already
labelled with the topic, most of those are near the topic (so precision
holds), and it would not add exactly the posts a better-ranked candidate
adds (one of "garbage", "garbage dump", "dump" when they always come
together).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from nlp import ctfidf, terms
from nlp.config import TopicSpec
from nlp.suggestions import known_terms


@dataclass(frozen=True)
class Suggestion:
    topic: str
    text: str  # as it would be written in config.yaml (discovery's term form)
    kind: str  # "terms" or "phrases"
    extra_posts: int  # posts it would match that do not have the topic yet
    near_share: float  # share of those semantically nearest the topic
    score: float  # class-based TF-IDF in the topic's group
    examples: tuple[int, ...] = field(default=())  # indexes of up to three such posts


def suggest_terms(texts: Sequence[str], labelled: Sequence[Sequence[str]],
                  near: Sequence[tuple[str, float]], topics: Mapping[str, TopicSpec], *,
                  only: str | None = None, per_topic: int = 10, min_posts: int = 3,
                  min_near_share: float = 0.5) -> dict[str, list[Suggestion]]:
    """Suggestions per topic. ``labelled[i]``: post i's current topics;
    ``near[i]``: the topic it is semantically nearest ('' for none) and how
    near (the nearest posts are the examples)."""
    per_post = terms.post_terms(texts)
    postings: dict[str, list[int]] = {}
    for i, found in enumerate(per_post):
        for term in found:
            postings.setdefault(term, []).append(i)
    slugs = [s for s in topics if only is None or s == only]
    groups: dict[str, Counter[str]] = {s: Counter() for s in topics}
    background: Counter[str] = Counter()
    for found, (topic, _) in zip(per_post, near, strict=True):
        groups.get(topic, background).update(found)
    ranked = dict(zip(topics, ctfidf.class_tfidf([groups[s] for s in topics], background),
                      strict=True))
    out: dict[str, list[Suggestion]] = {}
    for slug in slugs:
        known = known_terms({slug: topics[slug]}) | known_terms(
            {slug: TopicSpec(label="", terms=topics[slug].exclusions)})
        picked: list[Suggestion] = []
        seen: set[frozenset[int]] = set()
        for term, score in ranked[slug]:
            if len(picked) >= per_topic:
                break
            if term in known or any(k in known for k in term.split()):
                continue  # a phrase holding a configured word matches nothing new
            hits = [i for i in postings[term] if slug not in labelled[i]]
            if len(hits) < min_posts or frozenset(hits) in seen:
                continue
            near_hits = [i for i in hits if near[i][0] == slug]
            share = len(near_hits) / len(hits)
            if share < min_near_share:
                continue
            seen.add(frozenset(hits))
            best = sorted(near_hits, key=lambda i: -near[i][1])[:3]
            picked.append(Suggestion(slug, term, "phrases" if " " in term else "terms",
                                     len(hits), round(share, 3), round(score, 5), tuple(best)))
        if picked:
            out[slug] = picked
    return out


def with_suggestions(spec: TopicSpec, picked: Sequence[Suggestion]) -> TopicSpec:
    """The topic with the suggested terms and phrases appended."""
    words = [*spec.terms, *(s.text for s in picked if s.kind == "terms")]
    phrases = [*spec.phrases, *(s.text for s in picked if s.kind == "phrases")]
    return spec.model_copy(update={"terms": words, "phrases": phrases})
