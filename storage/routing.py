"""Routing to service teams: which stored posts a team's rule matches, and
the record of what each team was sent.

A team's rule (``Rule``) names topics, optionally places, sentiments and
whether questions and complaints count. ``queue`` puts the matching posts
not yet routed to a team on one of its channels in ``route_deliveries``
(``ON CONFLICT DO NOTHING`` on the primary key: a post is routed to a
team's channel once, ever). ``waiting`` is what the next digest carries;
``delivered`` marks posts sent; a failed send only counts an attempt, so
the posts stay waiting and the next run retries them. ``cases`` reads the same rule over
a period for exports, whatever was sent.

Only these columns leave: never the author pseudonym nor a raw payload.
Tables: ``route_deliveries``, ``route_sends``
(``storage.migrations.m162_routing_deliveries``). Both backends run the
same texts but for one aggregate (``_REQUESTS``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql
from storage.timefmt import utcnow

REQUEST_LABELS = ("question", "complaint")  # task 'request', where a classifier labels it


@dataclass(frozen=True)
class Rule:
    topics: tuple[str, ...]
    sentiments: tuple[str, ...] = ("negative",)
    places: tuple[str, ...] = ()  # empty: anywhere
    requests: bool = True  # questions and complaints too, whatever their sentiment


@dataclass(frozen=True)
class RoutedPost:
    id: int
    created_at: str  # UTC
    platform: str
    native_id: str
    url: str | None
    title: str | None
    text: str
    topics: tuple[str, ...]  # the rule's topics the post has
    terms: tuple[str, ...]  # the terms that matched those topics
    places: tuple[str, ...]  # place slugs (the gazetteer's labels, or the platform's)
    sentiment: str | None
    request: str | None  # question, complaint, "complaint, question", or None


@dataclass(frozen=True)
class Send:
    team: str
    channel: str
    at: str
    posts: int
    ok: bool
    error: str | None


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def _where(rule: Rule) -> tuple[str, list[Any]]:
    """The rule as a WHERE clause over ``posts p`` with its parameters."""
    sql = (f"EXISTS (SELECT 1 FROM labels t WHERE t.post_id = p.id AND t.task = 'topic'"  # noqa: S608 - placeholders only
           f" AND t.label IN ({_marks(len(rule.topics))}))")
    params: list[Any] = list(rule.topics)
    tone = (f"EXISTS (SELECT 1 FROM labels s WHERE s.post_id = p.id AND s.task = 'sentiment'"  # noqa: S608 - placeholders only
            f" AND s.label IN ({_marks(len(rule.sentiments))}))") if rule.sentiments else "FALSE"
    params += list(rule.sentiments)
    if rule.requests:
        tone += (f" OR EXISTS (SELECT 1 FROM labels r WHERE r.post_id = p.id"  # noqa: S608 - placeholders only
                 f" AND r.task = 'request' AND r.label IN ({_marks(len(REQUEST_LABELS))}))")
        params += list(REQUEST_LABELS)
    sql += f" AND ({tone})"
    if rule.places:
        sql += (f" AND (p.place IN ({_marks(len(rule.places))}) OR EXISTS (SELECT 1 FROM labels g"  # noqa: S608 - placeholders only
                f" WHERE g.post_id = p.id AND g.task = 'place'"
                f" AND g.label IN ({_marks(len(rule.places))})))")
        params += [*rule.places, *rule.places]
    return sql, params


# A post's request labels joined, sorted: the one text that differs by backend
# (SQLite's group_concat over a sorted subquery; PostgreSQL's string_agg takes
# its own ORDER BY, and its subquery in FROM would need an alias).
_REQUESTS = {
    "sqlite": "(SELECT group_concat(label, ', ') FROM (SELECT label FROM labels"
              "  WHERE post_id = p.id AND task = 'request' ORDER BY label))",
    "postgresql": "(SELECT string_agg(label, ', ' ORDER BY label) FROM labels"
                  "  WHERE post_id = p.id AND task = 'request')",
}


class Routing:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def queue(self, team: str, channel: str, rule: Rule, since: str) -> int:
        """Route to ``team`` on ``channel`` the posts matching ``rule`` created
        since ``since`` (UTC text) that it was never routed; how many."""
        where, params = _where(rule)
        with self.db.transaction():
            cur = self.db.execute(
                "INSERT INTO route_deliveries (team, channel, post_id, queued_at)"  # noqa: S608 - placeholders only
                f" SELECT ?, ?, p.id, ? FROM posts p WHERE p.created_at >= ? AND {where}"
                " ON CONFLICT DO NOTHING",
                [team, channel, utcnow(), since, *params])
        return int(cur.rowcount)

    def waiting(self, team: str, channel: str, limit: int = 500) -> list[int]:
        """Post ids routed to ``team`` on ``channel`` and not yet delivered,
        oldest post first."""
        return [int(r[0]) for r in self.db.execute(
            "SELECT d.post_id FROM route_deliveries d JOIN posts p ON p.id = d.post_id"
            " WHERE d.team = ? AND d.channel = ? AND d.sent_at IS NULL"
            " ORDER BY p.created_at, p.id LIMIT ?", [team, channel, limit])]

    def delivered(self, team: str, channel: str, post_ids: Sequence[int]) -> None:
        now = utcnow()
        with self.db.transaction():
            self.db.execute(
                "UPDATE route_deliveries SET sent_at = ?, attempts = attempts + 1"  # noqa: S608 - placeholders only
                f" WHERE team = ? AND channel = ? AND sent_at IS NULL"
                f" AND post_id IN ({_marks(len(post_ids))})",
                [now, team, channel, *post_ids])
            self._log(team, channel, now, len(post_ids), None)

    def failed(self, team: str, channel: str, post_ids: Sequence[int], error: str) -> None:
        """A send failed: the posts stay waiting, one more attempt counted."""
        now = utcnow()
        with self.db.transaction():
            self.db.execute(
                "UPDATE route_deliveries SET attempts = attempts + 1"  # noqa: S608 - placeholders only
                f" WHERE team = ? AND channel = ? AND post_id IN ({_marks(len(post_ids))})",
                [team, channel, *post_ids])
            self._log(team, channel, now, len(post_ids), error)

    def _log(self, team: str, channel: str, at: str, posts: int, error: str | None) -> None:
        self.db.execute(
            "INSERT INTO route_sends (team, channel, at, posts, ok, error)"
            " VALUES (?, ?, ?, ?, ?, ?)", [team, channel, at, posts, int(error is None), error])

    def sends(self, team: str | None = None, limit: int = 50) -> list[Send]:
        """The latest send attempts first."""
        sql, params = "SELECT team, channel, at, posts, ok, error FROM route_sends", []
        if team is not None:
            sql += " WHERE team = ?"
            params.append(team)
        return [Send(str(r[0]), str(r[1]), str(r[2]), int(r[3]), bool(r[4]), r[5])
                for r in self.db.execute(sql + " ORDER BY id DESC LIMIT ?", [*params, limit])]

    def counts(self, team: str, channel: str) -> tuple[int, int]:
        """(posts delivered, posts waiting) for ``team`` on ``channel``."""
        row = self.db.execute(
            "SELECT count(sent_at), count(*) - count(sent_at) FROM route_deliveries"
            " WHERE team = ? AND channel = ?", [team, channel]).fetchone()
        return int(row[0]), int(row[1])

    def posts(self, post_ids: Sequence[int], rule: Rule) -> list[RoutedPost]:
        """The posts with these ids as a digest shows them, oldest first."""
        ids = list(post_ids)
        if not ids:
            return []
        return self._read(f"p.id IN ({_marks(len(ids))})", ids, rule)

    def cases(self, rule: Rule, since: str, until: str | None = None) -> list[RoutedPost]:
        """The posts matching ``rule`` created from ``since`` (to before
        ``until``), oldest first: what a case export holds."""
        where, params = _where(rule)
        sql, args = f"p.created_at >= ? AND {where}", [since, *params]
        if until is not None:
            sql += " AND p.created_at < ?"
            args.append(until)
        return self._read(sql, args, rule)

    def _read(self, where: str, params: list[Any], rule: Rule) -> list[RoutedPost]:
        rows = self.db.execute(
            "SELECT p.id, p.created_at, p.platform, p.native_id, p.url, p.title, p.text, p.place,"  # noqa: S608 - placeholders only
            " (SELECT label FROM labels WHERE post_id = p.id AND task = 'sentiment' LIMIT 1),"
            f" {_REQUESTS[self.db.dialect]}"
            f" FROM posts p WHERE {where} ORDER BY p.created_at, p.id", params).fetchall()
        topics: dict[int, list[str]] = {}
        terms: dict[int, list[str]] = {}
        places: dict[int, list[str]] = {}
        for pid, task, label, evidence in self.db.execute(  # the rows' topics and places at once
                "SELECT post_id, task, label, evidence FROM labels"  # noqa: S608 - placeholders only
                f" WHERE post_id IN (SELECT p.id FROM posts p WHERE {where})"
                " AND task IN ('topic', 'place') ORDER BY post_id, task, label", params):
            if task == "place":
                places.setdefault(int(pid), []).append(str(label))
            elif label in rule.topics:
                topics.setdefault(int(pid), []).append(str(label))
                seen = terms.setdefault(int(pid), [])
                seen += [t for t in _terms(evidence) if t not in seen]
        out = []
        for r in rows:
            pid = int(r[0])
            where_from = places.get(pid, [])
            if r[7] and r[7] not in where_from:
                where_from.append(str(r[7]))
            out.append(RoutedPost(pid, str(r[1]), str(r[2]), str(r[3]), r[4], r[5], str(r[6]),
                                  tuple(topics.get(pid, ())), tuple(terms.get(pid, ())),
                                  tuple(where_from), r[8], r[9]))
        return out


def _terms(evidence: str | None) -> list[str]:
    if not evidence:
        return []
    try:
        value = json.loads(evidence)
    except ValueError:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str | int | float)]
    if isinstance(value, dict):
        return [str(k) for k in value]
    return []
