"""What the rollups count of each post, read from its rows: its local day,
voice, platform, author (a 64-bit hash of the pseudonym, never the
pseudonym), engagement, sentiment, topic state, topics with their matched
terms, places, the sources that matched it and the classifiers that
looked at it.

The posts are named by a SQL clause (``ids``) that selects post ids, so
one reader serves a batch being labelled, a day being rebuilt and the
queued posts of a report's window.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage.backend import Sql
from storage.records import SENTIMENTS
from storage.timefmt import iso, local_midnight

COUNTED_TASKS = ("topic", "sentiment", "place")  # tasks whose labels the rollups count
UNCLASSIFIED, PENDING = "unclassified", "pending"  # sentiment beyond the three labels
TOPIC, NO_TOPIC = "topic", "none"  # topic states, with PENDING (not looked at)
OWN, PUBLIC = "own", "public"  # voices: the body's allow-listed accounts, everyone else
NO_AUTHOR = 0  # the hash standing for a post without an author pseudonym
_CACHE_LIMIT = 200_000
# The queued posts written between two UTC times. CROSS JOIN keeps the queue
# (normally a few posts awaiting labels) as the outer loop: left to choose,
# the planner walks the posts' time index over the whole span and probes the
# queue for each (0.12 s for 12 weeks of a 1M-post database, with the queue empty).
QUEUED_BETWEEN = ("SELECT q.post_id FROM rollup_queue q CROSS JOIN posts p ON p.id = q.post_id"
                  " WHERE p.created_at >= ? AND p.created_at < ?")


def queued_between(db: Sql) -> str:
    """``QUEUED_BETWEEN`` in ``db``'s dialect (``Sql.join_in_order``)."""
    return QUEUED_BETWEEN.replace("CROSS JOIN", db.join_in_order())


def author_hash(author_key: str | None) -> int:
    """A signed 64-bit hash of a pseudonym (never 0, which means none)."""
    if author_key is None:
        return NO_AUTHOR
    value = int.from_bytes(hashlib.blake2b(author_key.encode(), digest_size=8).digest(),
                           "big", signed=True)
    return value or 1


@functools.lru_cache(maxsize=65_536)
def terms_of(evidence: str) -> frozenset[str]:
    """The matched terms in a topic label's evidence (a JSON list), lower
    case; none when it is not one."""
    try:
        terms = json.loads(evidence)
    except ValueError:
        return frozenset()
    return frozenset(str(t).lower() for t in terms) if isinstance(terms, list) else frozenset()


class LocalDays:
    """Local dates in one time zone, from the UTC text storage writes."""

    def __init__(self, zone: str) -> None:
        self.name = zone
        self.zone = ZoneInfo(zone)
        self._days: dict[str, str] = {}
        self._weeks: dict[str, str] = {}

    def day(self, created_at: str) -> str:
        key = created_at[:16] + created_at[19:]  # the minute decides the day
        found = self._days.get(key)
        if found is None:
            if len(self._days) > _CACHE_LIMIT:
                self._days.clear()
            found = datetime.fromisoformat(created_at).astimezone(self.zone).date().isoformat()
            self._days[key] = found
        return found

    def week(self, day: str) -> str:
        """The Monday of the ISO week holding ``day``."""
        found = self._weeks.get(day)
        if found is None:
            d = date.fromisoformat(day)
            found = self._weeks[day] = (d - timedelta(days=d.weekday())).isoformat()
        return found

    def bounds(self, first: str, last: str | None = None) -> tuple[str, str]:
        """UTC text bounds [start, end) of the local days ``first`` to ``last``."""
        end = date.fromisoformat(last or first) + timedelta(days=1)
        return (iso(local_midnight(date.fromisoformat(first), self.zone)),
                iso(local_midnight(end, self.zone)))

    def day_at(self, utc_text: str) -> str | None:
        """The local date whose midnight is ``utc_text``; None when it is not
        a local midnight."""
        moment = datetime.fromisoformat(utc_text).astimezone(self.zone)
        day = moment.date()
        return day.isoformat() if iso(local_midnight(day, self.zone)) == utc_text else None


@dataclass
class PostFacts:
    id: int
    created_at: str
    platform: str
    voice: str
    author: int
    engagement: tuple[int | None, int | None, int | None, int | None]  # replies .. quotes
    sentiment: str = PENDING
    topic_state: str = PENDING
    topics: dict[str, str] = field(default_factory=dict)  # slug -> evidence JSON as stored
    places: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    looked: list[tuple[str, str, str]] = field(default_factory=list)  # task, classifier, version

    @property
    def spread(self) -> int:
        """A fixed shuffle of the id that spreads example picks over a week."""
        return (self.id * 2654435761) % 4294967296


def read_facts(db: Sql, ids: str, params: Sequence[Any] = (), *,
               full: bool = True) -> list[PostFacts]:
    """The facts of the posts whose ids ``ids`` (a SELECT of ids) returns,
    in id order. ``full=False`` reads only what counts need (no author,
    evidence, place, source or classifier): what the query page may read."""
    author = "p.author_key" if full else "NULL"
    facts: dict[int, PostFacts] = {}
    for r in db.execute(
            f"SELECT p.id, p.created_at, p.platform, {author}, p.author_handle IS NOT NULL,"  # noqa: S608
            f" p.replies, p.reposts, p.likes, p.quotes FROM posts p WHERE p.id IN ({ids})"
            " ORDER BY p.id", list(params)):
        facts[int(r[0])] = PostFacts(int(r[0]), str(r[1]), str(r[2]), OWN if r[4] else PUBLIC,
                                     author_hash(r[3]), (r[5], r[6], r[7], r[8]))
    if not facts:
        return []
    tasks = "('topic', 'sentiment', 'place')" if full else "('topic', 'sentiment')"
    evidence = "l.evidence" if full else "NULL"
    first_sentiment: dict[int, str] = {}
    for pid, task, label, ev in db.execute(
            f"SELECT l.post_id, l.task, l.label, {evidence} FROM labels l"  # noqa: S608
            f" WHERE l.post_id IN ({ids}) AND l.task IN {tasks}"
            " ORDER BY l.post_id, l.task, l.label", list(params)):
        post = facts.get(int(pid))
        if post is None:
            continue
        if task == "topic":
            post.topics[str(label)] = str(ev) if ev is not None else "[]"
        elif task == "sentiment":
            first_sentiment.setdefault(post.id, str(label))
        elif label not in post.places:
            post.places.append(str(label))
    looked: set[tuple[int, str]] = set()
    if full:
        for pid, task, classifier, version in db.execute(
                "SELECT post_id, task, classifier, version FROM label_state"  # noqa: S608
                f" WHERE post_id IN ({ids})", list(params)):
            if int(pid) in facts:
                facts[int(pid)].looked.append((str(task), str(classifier), str(version)))
                looked.add((int(pid), str(task)))
        for pid, source in db.execute(
                f"SELECT DISTINCT post_id, source FROM post_matches WHERE post_id IN ({ids})"  # noqa: S608
                " ORDER BY post_id, source", list(params)):
            if int(pid) in facts:
                facts[int(pid)].sources.append(str(source))
    for post in facts.values():
        _settle(post, first_sentiment.get(post.id), (post.id, "sentiment") in looked,
                (post.id, "topic") in looked)
    return list(facts.values())


def _settle(post: PostFacts, first_sentiment: str | None, sentiment_looked: bool,
            topic_looked: bool) -> None:
    """The sentiment and topic state that follow from the labels and the
    classifiers that looked (``first_sentiment``: the lowest sentiment label)."""
    if first_sentiment in SENTIMENTS:
        post.sentiment = str(first_sentiment)
    else:
        post.sentiment = UNCLASSIFIED if sentiment_looked else PENDING
    post.topic_state = TOPIC if post.topics else (NO_TOPIC if topic_looked else PENDING)


def with_labels(post: PostFacts, task: str, classifier: str, version: str,
                labels: Sequence[tuple[str, str | None]]) -> PostFacts:
    """The facts ``read_facts`` reads of ``post`` once its ``task`` labels
    are replaced by ``labels`` ((label, evidence as stored), in the order
    written: a label given twice keeps its last evidence) and ``task`` is
    marked looked at by ``classifier`` ``version``; ``post`` is left as it
    was. What a label save changes, without reading the post again."""
    looked = [entry for entry in post.looked if entry[0] != task]
    looked.append((task, classifier, version))
    new = dataclasses.replace(post, topics=dict(post.topics), places=list(post.places),
                              looked=looked)
    if task == "topic":
        new.topics = {label: evidence if evidence is not None else "[]"
                      for label, evidence in labels}
    elif task == "place":
        new.places = sorted({label for label, _ in labels})
    tasks = {entry[0] for entry in looked}
    if task == "sentiment":
        first = min((label for label, _ in labels), default=None)
    else:  # the sentiment as it was
        first = post.sentiment if post.sentiment in SENTIMENTS else None
    _settle(new, first, "sentiment" in tasks, "topic" in tasks)
    return new
