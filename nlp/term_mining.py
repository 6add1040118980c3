"""Words and phrases that would find more of a topic's posts, mined from
posts (``listener topics suggest``).

Each post is reduced to its word n-grams (1-3 words, on the keyword
matcher's lemmas, so a suggestion matches exactly what it counted). Posts
are grouped by the topic they are semantically nearest (or none); an n-gram
over-represented in a topic's group (class-based TF-IDF, as BERTopic
computes it: its share of the group's n-grams times log(1 + A / f), A the
mean n-gram count of a group and f the n-gram's count over all groups) is a
candidate. A candidate is kept when it would newly match at least
``min_posts`` posts not already labelled with the topic, and most of those
are near the topic (so precision holds).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from nlp import textprep
from nlp.config import TopicSpec

Gram = tuple[str, ...]
REST = ""  # the group of posts near no topic


@dataclass(frozen=True)
class Suggestion:
    topic: str
    text: str  # as it would be written in config.yaml (the commonest surface form)
    kind: str  # "terms" or "phrases"
    extra_posts: int  # posts it would match that do not have the topic yet
    near_share: float  # share of those semantically nearest the topic
    score: float  # class-based TF-IDF in the topic's group
    examples: tuple[int, ...] = field(default=())  # indexes of up to three such posts


def post_grams(texts: Sequence[str], max_n: int = 3) -> list[dict[Gram, str]]:
    """Per post: each word n-gram (lemmas, as the keyword matcher sees them)
    with the surface form it had. An n-gram is words only, neither ending a
    stop word; a single word has at least three letters."""
    prepared = [textprep.clean(t).text for t in texts]
    out: list[dict[Gram, str]] = []
    for doc in textprep.docs(prepared, keep_gerunds=True):
        toks = [(t.lemma_.lower(), t.lower_, t.is_alpha, t.is_stop) for t in doc]
        grams: dict[Gram, str] = {}
        for i in range(len(toks)):
            for n in range(1, max_n + 1):
                part = toks[i:i + n]
                if len(part) < n or not all(alpha for _, _, alpha, _ in part):
                    break
                if part[0][3] or part[-1][3] or (n == 1 and len(part[0][1]) < 3):
                    continue
                grams.setdefault(tuple(lem for lem, _, _, _ in part),
                                 " ".join(low for _, low, _, _ in part))
        out.append(grams)
    return out


def class_tfidf(groups: Mapping[str, Counter[Gram]]) -> dict[str, dict[Gram, float]]:
    """BERTopic's c-TF-IDF of each n-gram in each group."""
    totals = {g: sum(c.values()) for g, c in groups.items()}
    overall: Counter[Gram] = Counter()
    for counts in groups.values():
        overall.update(counts)
    mean = sum(totals.values()) / max(len(groups), 1)
    return {g: {t: n / totals[g] * math.log(1 + mean / overall[t]) for t, n in c.items()}
            for g, c in groups.items() if totals[g]}


def suggest_terms(texts: Sequence[str], labelled: Sequence[Sequence[str]],
                  near: Sequence[tuple[str, float]], topics: Mapping[str, TopicSpec], *,
                  only: str | None = None, per_topic: int = 10, min_posts: int = 3,
                  min_near_share: float = 0.5) -> dict[str, list[Suggestion]]:
    """Suggestions per topic. ``labelled[i]``: post i's current topics;
    ``near[i]``: the topic it is semantically nearest ('' for none) and how
    near (ties broken towards nearer posts for the examples)."""
    grams = post_grams(texts)
    groups: dict[str, Counter[Gram]] = {}
    for g, (topic, _) in zip(grams, near, strict=True):
        groups.setdefault(topic or REST, Counter()).update(g.keys())
    weights = class_tfidf(groups)
    surfaces: dict[Gram, Counter[str]] = {}
    postings: dict[Gram, list[int]] = {}
    for i, g in enumerate(grams):
        for gram, surface in g.items():
            surfaces.setdefault(gram, Counter())[surface] += 1
            postings.setdefault(gram, []).append(i)
    out: dict[str, list[Suggestion]] = {}
    for slug, spec in topics.items():
        if (only and slug != only) or slug not in weights:
            continue
        known = {textprep.lemmas(w) for w in [*spec.terms, *spec.phrases, *spec.exclusions]}
        picked: list[Suggestion] = []
        for gram, score in sorted(weights[slug].items(), key=lambda kv: -kv[1]):
            if len(picked) >= per_topic:
                break
            if gram in known or any(k and _contains(gram, k) for k in known):
                continue
            hits = [i for i in postings[gram] if slug not in labelled[i]]
            if len(hits) < min_posts:
                continue
            near_hits = [i for i in hits if near[i][0] == slug]
            share = len(near_hits) / len(hits)
            if share < min_near_share:
                continue
            shown = surfaces[gram].most_common(1)[0][0]
            best = sorted(near_hits, key=lambda i: -near[i][1])[:3]
            picked.append(Suggestion(slug, shown, "phrases" if len(gram) > 1 else "terms",
                                     len(hits), round(share, 3), round(score, 5), tuple(best)))
        if picked:
            out[slug] = picked
    return out


def _contains(gram: Gram, part: Gram) -> bool:
    """Whether ``part`` occurs in ``gram`` as a run of words (a phrase
    containing a configured term matches nothing the term does not)."""
    n = len(part)
    return any(gram[i:i + n] == part for i in range(len(gram) - n + 1))


def with_suggestions(spec: TopicSpec, picked: Sequence[Suggestion]) -> TopicSpec:
    """The topic with the suggested terms and phrases appended."""
    terms = [*spec.terms, *(s.text for s in picked if s.kind == "terms")]
    phrases = [*spec.phrases, *(s.text for s in picked if s.kind == "phrases")]
    return spec.model_copy(update={"terms": terms, "phrases": phrases})
