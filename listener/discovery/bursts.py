"""A run's bursting terms: words and phrases of all the period's posts far
above their own baseline (``nlp.bursts``, the emerging-issue test), used by
at least 10 authors, that the topic lists do not cover yet: not a
configured term, and not a term whose posts are mostly matched by a topic
already (those rise under their topic, in emerging issues), nor one whose
posts are mostly those of a term listed above it (the words of one story
are listed once). Each comes with the posts that use it, three examples
and a suggestion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import numpy as np

from listener.discovery.periods import Period
from nlp import terms
from nlp.bursts import bursting_terms
from nlp.clustering import centroid
from nlp.config import TopicSpec
from nlp.discovery_config import DiscoverySettings
from nlp.prototypes import TopicPrototypes
from nlp.static_embed import Embeddings
from nlp.suggestions import known_terms
from nlp.themes import representatives
from nlp.topic_yaml import slug_for, topic_snippet
from reports.weeks import Span
from storage import Store
from storage.discovery_records import WEEK, BurstRecord, PeriodPost
from storage.discovery_upkeep import FLOOR
from storage.timefmt import iso

COVERED = 0.5  # share of a term's posts matched by some topic at which the lists cover it
SAME_POSTS = 0.8  # share of a term's posts that a term listed above it also uses: not listed
EXAMPLE_POOL = 500  # posts of a term considered for its examples (a seeded sample)


def baseline_counts(store: Store, period: Period) -> tuple[list[dict[str, int]], list[int]]:
    """Term counts and post totals of the period's baseline periods, oldest
    first; a report week's counts are kept and reused (``store.term_counts``)."""
    counts, totals = [], []
    for span in period.baseline:
        found = store.term_counts.get(span.label, span.utc, terms.TOKENISER) \
            if period.weekly_baseline else None
        if found is None:
            texts = store.themes.period_texts(span.utc)
            found = (len(texts), dict(terms.term_counts(texts)))
            if period.weekly_baseline:
                _keep(store, span, found, period)
        totals.append(found[0])
        counts.append(found[1])
    return counts, totals


def _keep(store: Store, span: Span, found: tuple[int, Mapping[str, int]], period: Period) -> None:
    oldest = period.baseline[0].start - timedelta(weeks=4)
    store.term_counts.save(span.label, span.utc, terms.TOKENISER, found[0], found[1],
                           drop_before=iso(oldest))


def find_bursts(store: Store, period: Period, posts: Sequence[PeriodPost], *,
                settings: DiscoverySettings, topics: Mapping[str, TopicSpec],
                embedder: Embeddings, prototypes: TopicPrototypes | None) -> list[BurstRecord]:
    per_post = terms.post_terms(p.text for p in posts)
    current = terms.document_frequencies(per_post, min_df=2)
    if period.kind == WEEK and period.complete:
        _keep(store, period.span, (len(posts), current), period)
    counts, totals = baseline_counts(store, period)
    known = known_terms(topics)
    users: dict[str, list[int]] = {}
    for i, found in enumerate(per_post):
        for term in found:
            if current.get(term, 0) >= FLOOR and term not in known:
                users.setdefault(term, []).append(i)
    labels = {slug: spec.label for slug, spec in topics.items()}
    out: list[BurstRecord] = []
    taken: set[str] = set()
    listed: list[set[int]] = []  # the posts of each term listed so far
    for burst in bursting_terms([*counts, current], totals=[*totals, len(posts)],
                                baseline_periods=settings.baseline_weeks):
        members = users.get(burst.term, [])
        if len({posts[i].group for i in members}) < FLOOR:
            continue  # configured already, or carried by fewer than 10 authors
        if sum(bool(posts[i].topics) for i in members) >= COVERED * len(members):
            continue  # its posts are the topics' own: it rises there
        if any(len(same & set(members)) >= SAME_POSTS * len(members) for same in listed):
            continue  # the same posts as a term above ("letter" beside "council" in a scam)
        listed.append(set(members))
        advice = term_suggestion(burst.term, labels, _nearest(embedder, prototypes, burst.term),
                                 settings.near_topic, taken)
        taken.add(str(advice["topic"]))
        test = burst.test
        out.append(BurstRecord(
            rank=len(out) + 1, term=burst.term, baseline_mean=test.baseline_mean,
            baseline_sd=test.baseline_sd, threshold=test.threshold,
            baseline_periods=test.weeks, post_ids=tuple(posts[i].id for i in members),
            examples=_examples(embedder, posts, members), suggestion=advice))
        if len(out) == settings.max_terms:
            break
    return out


def _nearest(embedder: Embeddings, prototypes: TopicPrototypes | None,
             term: str) -> tuple[str, float, str] | None:
    if prototypes is None:
        return None
    return prototypes.nearest(embedder.encode([term])[0])


def _examples(embedder: Embeddings, posts: Sequence[PeriodPost],
              members: Sequence[int]) -> tuple[int, ...]:
    """Three posts nearest the centre of (a sample of) the term's posts, one
    per author, no two alike."""
    pool = np.asarray(members)
    if len(pool) > EXAMPLE_POOL:
        pool = np.sort(np.random.default_rng(0).choice(pool, EXAMPLE_POOL, replace=False))
    texts = [posts[int(i)].text for i in pool]
    vectors = embedder.encode(texts)
    sims = vectors @ centroid(vectors)
    picked = representatives(texts, np.arange(len(pool)), sims,
                             [posts[int(i)].group for i in pool])
    return tuple(posts[int(pool[k])].id for k in picked)


def term_suggestion(term: str, labels: Mapping[str, str],
                    nearest: tuple[str, float, str] | None, near: float,
                    taken: set[str]) -> dict[str, Any]:
    """"add to topic X" when the term is near one of X's words (as a theme's
    centre is, ``nlp.suggestions``); else "consider a new topic"."""
    words = () if " " in term else (term,)
    phrases = (term,) if " " in term else ()
    if nearest is not None and nearest[0] in labels and nearest[1] >= near:
        slug, similarity, evidence = nearest
        return {"kind": "add", "topic": slug,
                "text": f'add to topic "{labels[slug]}" (near "{evidence}", similarity '
                        f"{similarity:.2f})",
                "terms": list(words), "phrases": list(phrases),
                "yaml": topic_snippet(slug, terms=words, phrases=phrases,
                                      comment=f"add to the lists of {labels[slug]}")}
    name = term.capitalize()
    slug = slug_for(name, taken=taken | set(labels))
    return {"kind": "new", "topic": slug, "text": f'consider a new topic "{name}"',
            "terms": list(words), "phrases": list(phrases),
            "yaml": topic_snippet(slug, label=name, terms=words, phrases=phrases)}
