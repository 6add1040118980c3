"""Class-based TF-IDF (c-TF-IDF), as BERTopic ranks a topic's words, and
short labels made from the ranked terms.

BERTopic's ``ClassTfidfTransformer`` (defaults: no BM25, no square root)
treats all documents of a class as one document: a term's frequency in the
class, divided by the class's total (L1), times ``log(1 + A / f)``, where
``f`` is the term's frequency over all classes and ``A`` the average number
of terms per class. Here a term counts once per post (a post repeating a
word ten times is one voice), and a ``background`` class (the posts in no
theme, like BERTopic's outlier topic -1) takes part in ``f`` and ``A`` so
that words common everywhere rank low, but gets no terms of its own.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence


def class_tfidf(classes: Sequence[Mapping[str, int]],
                background: Mapping[str, int] | None = None) -> list[list[tuple[str, float]]]:
    """Each class's terms with their c-TF-IDF weight, highest first (ties
    alphabetical, so the order is deterministic)."""
    every = [*classes, background] if background else list(classes)
    if not every:
        return []
    frequency: Counter[str] = Counter()
    for counts in every:
        frequency.update(counts)
    average = sum(sum(c.values()) for c in every) / len(every)
    out = []
    for counts in classes:
        total = sum(counts.values())
        scored = [(term, n / total * math.log(1 + average / frequency[term]))
                  for term, n in counts.items() if n > 0]
        scored.sort(key=lambda ts: (-ts[1], ts[0]))
        out.append(scored)
    return out


def label_terms(ranked: Sequence[str], k: int = 3, window: int = 10) -> list[str]:
    """The first ``k`` distinct ideas among the top ``window`` ranked terms,
    a phrase taking the place of its words where both rank: [light, street,
    wire, street light] -> [street light, wire]."""
    chosen: list[str] = []
    for term in ranked[:window]:
        words = term.split()
        if any(term in c.split() for c in chosen):
            continue  # a word of a phrase already chosen
        if any(" " in c and set(c.split()) & set(words) for c in chosen):
            continue  # overlaps a chosen phrase: "street light" then "light pole"
        absorbed = [i for i, c in enumerate(chosen) if c in words]
        if len(words) > 1 and absorbed:
            chosen[absorbed[0]] = term
            chosen = [c for i, c in enumerate(chosen) if i not in absorbed[1:]]
        elif len(chosen) < k:
            chosen.append(term)
    return chosen[:k]


def make_label(ranked: Sequence[str], k: int = 3) -> str:
    """A short theme label: its top ``k`` terms or phrases, comma-separated."""
    return ", ".join(label_terms(ranked, k))
