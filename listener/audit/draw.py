"""Drawing an audit: a reproducible sample of a period's posts, stratified by
predicted topic and sentiment, unclassified posts included.

Each post falls in exactly one stratum, ``"<topic>|<sentiment>"``: its
best-scored topic (ties to the first slug in alphabetical order; ``none``
when no topic matched) and its predicted sentiment (``none`` when the
classifier gave none), e.g. ``"roads_potholes|negative"``, ``"none|neutral"``.
``nlp.estimate.allocate`` shares the posts out (in proportion to each
stratum's size, at least 5 each: measured in bench/prevalence.py), and
within a stratum posts are picked at random. The same posts, seed and size
give the same sample. Staff see the items in a shuffled order, so that
strata do not come in blocks.

The draw records what the estimators need to weight it: each stratum's
posts in the period and in the sample, and, per task, how many of each
stratum's posts were predicted each class.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

from nlp.estimate import FLOOR, NONE, allocate
from storage.audit_records import (
    AuditDraw,
    ClassifierVersion,
    DrawCandidate,
    DrawnItem,
    Labels,
    PredictedCounts,
)

TASKS = ("sentiment", "topic")


def topics_of(post: DrawCandidate) -> Labels:
    """The post's topics, best-scored first (ties by slug)."""
    ranked = sorted(post.topics, key=lambda ts: (-ts[1], ts[0]))
    return tuple(dict.fromkeys(t for t, _ in ranked))


def predicted_of(post: DrawCandidate) -> dict[str, Labels]:
    return {"sentiment": (post.sentiment,) if post.sentiment else (), "topic": topics_of(post)}


def stratum_of(post: DrawCandidate) -> str:
    topics = topics_of(post)
    return f"{topics[0] if topics else NONE}|{post.sentiment or NONE}"


def predicted_counts(posts: Sequence[DrawCandidate]) -> PredictedCounts:
    """task -> stratum -> class -> posts (a post with no label counts as ``none``)."""
    out: PredictedCounts = {task: {} for task in TASKS}
    for post in posts:
        h = stratum_of(post)
        for task, labels in predicted_of(post).items():
            per_class = out[task].setdefault(h, {})
            for label in labels or (NONE,):
                per_class[label] = per_class.get(label, 0) + 1
    return out


def draw(posts: Sequence[DrawCandidate], n: int, *, seed: int, period: tuple[str, str],
         label: str, versions: Sequence[ClassifierVersion], floor: int = FLOOR) -> AuditDraw:
    """The audit of ``posts`` (the period's classified posts)."""
    members: dict[str, list[DrawCandidate]] = {}
    for post in sorted(posts, key=lambda p: p.post_id):
        members.setdefault(stratum_of(post), []).append(post)
    sizes = {h: len(members[h]) for h in sorted(members)}
    take = allocate(sizes, n, floor)
    rng = random.Random(seed)
    picked = [(h, post) for h in sizes for post in rng.sample(members[h], take[h])]
    rng.shuffle(picked)
    items = tuple(DrawnItem(k, post.post_id, h, predicted_of(post))
                  for k, (h, post) in enumerate(picked, start=1))
    return AuditDraw(period[0], period[1], label, seed, n, tuple(versions), sizes,
                     predicted_counts(posts), items)


def single_versions(found: Counter[ClassifierVersion]) -> tuple[list[ClassifierVersion], str]:
    """The one classifier version per task that labelled the period's posts,
    or a plain reason why an audit cannot judge one version."""
    by_task: dict[str, list[ClassifierVersion]] = {}
    for v in sorted(found, key=lambda v: (v.task, v.classifier, v.version)):
        by_task.setdefault(v.task, []).append(v)
    mixed = {task: vs for task, vs in by_task.items() if task in TASKS and len(vs) > 1}
    if mixed:
        task, vs = next(iter(mixed.items()))
        names = " and ".join(f"{v.classifier} {v.version} ({found[v]} posts)" for v in vs)
        return [], (f"the period's {task} labels come from {names}; an audit judges one "
                    "version: relabel the period with the current classifier "
                    "(`listener classify --relabel`) or draw from a period labelled by one")
    return [vs[0] for task, vs in by_task.items() if task in TASKS], ""
