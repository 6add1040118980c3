"""A report window's rollup rows, read once: the counts of every local day
from the first period's first day to the last period's last day, with the
posts still on the rollup queue counted from their own rows and added in,
so that what is read equals the posts. Residents' posts only (voice
``public``): the report leaves the body's own posts out, as
``storage.report_window`` does."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from storage.backend import Sql
from storage.rollup_delta import Delta
from storage.rollup_facts import PUBLIC, LocalDays, queued_between, read_facts

Day = str


def day_range(first: Day, last: Day) -> list[Day]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(k)).isoformat() for k in range((end - start).days + 1)]


@dataclass
class WindowRows:
    """Rollup rows by day (queued posts included)."""

    days: LocalDays
    first: Day
    last: Day
    # day -> (voice, platform, sentiment, topic state) -> [posts, (given, sum) x 4]
    posts: defaultdict[Day, dict[tuple[str, str, str, str], list[int]]] = field(
        default_factory=lambda: defaultdict(dict))
    topics: defaultdict[Day, Counter[tuple[str, str]]] = field(  # (topic, sentiment)
        default_factory=lambda: defaultdict(Counter))
    terms: defaultdict[Day, Counter[tuple[str, str]]] = field(  # (topic, term)
        default_factory=lambda: defaultdict(Counter))
    sources: defaultdict[Day, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    classifiers: defaultdict[Day, Counter[tuple[str, str, str]]] = field(
        default_factory=lambda: defaultdict(Counter))
    queued: Delta | None = None

    @classmethod
    def read(cls, db: Sql, days: LocalDays, first: Day, last: Day) -> WindowRows:
        out = cls(days, first, last)
        span = [first, last, PUBLIC]
        for day, voice, platform, sentiment, state, *values in db.execute(
                "SELECT day, voice, platform, sentiment, topic_state, posts, replies_n, replies,"
                " reposts_n, reposts, likes_n, likes, quotes_n, quotes FROM rollup_posts"
                " WHERE day >= ? AND day <= ? AND voice = ?", span):
            out.posts[day][(voice, platform, sentiment, state)] = [int(v) for v in values]
        for day, topic, sentiment, n in db.execute(
                "SELECT day, topic, sentiment, sum(posts) FROM rollup_topics"
                " WHERE day >= ? AND day <= ? AND voice = ? GROUP BY day, topic, sentiment",
                span):
            out.topics[day][(topic, sentiment)] += int(n)
        for day, topic, term, n in db.execute(
                "SELECT day, topic, term, sum(posts) FROM rollup_terms"
                " WHERE day >= ? AND day <= ? AND voice = ? GROUP BY day, topic, term", span):
            out.terms[day][(topic, term)] += int(n)
        for day, source, n in db.execute(
                "SELECT day, source, posts FROM rollup_sources WHERE day >= ? AND day <= ?"
                " AND voice = ?", span):
            out.sources[day][source] += int(n)
        for day, task, classifier, version, n in db.execute(
                "SELECT day, task, classifier, version, posts FROM rollup_classifiers"
                " WHERE day >= ? AND day <= ? AND voice = ?", span):
            out.classifiers[day][(task, classifier, version)] += int(n)
        out.add_queued(db)
        return out

    def add_queued(self, db: Sql) -> None:
        """Count the queued posts of the window from their rows."""
        start, end = self.days.bounds(self.first, self.last)
        facts = read_facts(db, queued_between(db), [start, end])
        delta = Delta(self.days).add_all((f for f in facts if f.voice == PUBLIC), 1)
        self.queued = delta
        for (day, voice, platform, sentiment, state), values in delta.posts.items():
            row = self.posts[day].setdefault((voice, platform, sentiment, state), [0] * 9)
            for k, v in enumerate(values):
                row[k] += v
        for (day, _, _, topic, sentiment), n in delta.topics.items():
            self.topics[day][(topic, sentiment)] += n
        for (day, _, topic, term), n in delta.terms.items():
            self.terms[day][(topic, term)] += n
        for (day, _, source), n in delta.sources.items():
            self.sources[day][source] += n
        for (day, _, task, classifier, version), n in delta.classifiers.items():
            self.classifiers[day][(task, classifier, version)] += n

    def queued_authors(self, dim: str, key: str, days: Sequence[Day]) -> set[int]:
        """Authors of queued posts in one author group on ``days``."""
        if self.queued is None:
            return set()
        chosen = set(days)
        return {a for (d, k, day, _), authors in self.queued.samples.items()
                if d == dim and k == key and day in chosen for a, n in authors.items() if n}
