"""The places table a report can show without reading posts: per place
(``places.gazetteer`` labels) over a span of local days, its posts, their
sentiments and topics, and whether they come from at least ``n`` authors."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.backend import Sql
from storage.rollup_delta import SEP
from storage.rollup_sketch import SAMPLE_SIZE, AuthorSample, at_least


@dataclass
class PlaceCounts:
    place: str
    posts: int = 0
    sentiment: dict[str, int] = field(default_factory=dict)  # negative .. pending -> posts
    topics: dict[str, int] = field(default_factory=dict)  # topic -> posts

    @property
    def top_topic(self) -> str | None:
        return min(self.topics, key=lambda t: (-self.topics[t], t)) if self.topics else None


def place_counts(db: Sql, first: str, last: str, *, voice: str | None = None
                 ) -> list[PlaceCounts]:
    """Places named between the local days ``first`` and ``last``, most posts
    first (posts naming no place are left out). Queued posts are not in
    them: a report reads this once classification has caught up."""
    where, params = "day >= ? AND day <= ? AND place != ''", [first, last]
    if voice is not None:
        where += " AND voice = ?"
        params.append(voice)
    out: dict[str, PlaceCounts] = {}
    for place, topic, sentiment, n in db.execute(
            "SELECT place, topic, sentiment, sum(posts) FROM rollup_places"  # noqa: S608
            f" WHERE {where} GROUP BY place, topic, sentiment", params):
        row = out.setdefault(str(place), PlaceCounts(str(place)))
        if topic == "":
            row.posts += int(n)
            row.sentiment[str(sentiment)] = row.sentiment.get(str(sentiment), 0) + int(n)
        else:
            row.topics[str(topic)] = row.topics.get(str(topic), 0) + int(n)
    return sorted(out.values(), key=lambda r: (-r.posts, r.place))


def place_has_authors(db: Sql, place: str, first: str, last: str, n: int = 10, *,
                      sentiment: str | None = None) -> bool | None:
    """Whether the place's posts (of one sentiment) between ``first`` and
    ``last`` come from at least ``n`` authors; None when the samples cannot
    tell (then count from the posts)."""
    if n > SAMPLE_SIZE:
        return None
    dim, key = ("place", place) if sentiment is None else (
        "place_sentiment", place + SEP + sentiment)
    return at_least([AuthorSample.decode(t, m) for t, m in db.execute(
        "SELECT truncated, members FROM rollup_author_samples WHERE dim = ? AND key = ?"
        " AND day >= ? AND day <= ?", [dim, key, first, last])], n)
