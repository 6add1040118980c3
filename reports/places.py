"""Places: posts, negative share and the top topic per gazetteer place in
the report week, with the suppression every other table has."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from reports.figures import PlaceRow
from reports.stats import MIN_COUNT
from storage.windows import Window

MAX_PLACES = 15


def place_rows(win: Window, w: int, ok: Callable[..., bool],
               place_labels: Mapping[str, str],
               topic_labels: Mapping[str, str]) -> tuple[list[PlaceRow], int]:
    """The places with 10 or more posts in period ``w``, most posts first
    (at most ``MAX_PLACES``), and how many other places had fewer than 10."""
    found = sorted(win.places(w), key=lambda r: (-r[1], r[0]))
    shown = [r for r in found if r[1] >= MIN_COUNT]
    by_topic = win.place_topics(w) if shown else {}
    rows = []
    for slug, posts, negative, classified in shown[:MAX_PLACES]:
        topics = sorted(by_topic.get(slug, {}).items(), key=lambda tn: (-tn[1], tn[0]))
        top, top_n = topics[0] if topics else ("", 0)
        rows.append(PlaceRow(
            slug=slug, label=place_labels.get(slug, slug), posts=posts,
            authors_ok=ok(posts, w, place=slug), negative=negative, classified=classified,
            negative_ok=ok(negative, w, place=slug, sentiment=0),
            top_topic=topic_labels.get(top, top), top_topic_posts=top_n,
            top_topic_ok=bool(top) and ok(top_n, w, topic=top, place=slug)))
    return rows, len(found) - len(rows)
