"""Who looked at what: every lookup of a single post or author (``forget``,
``query --url``, the page's look-up by link), with the user and the time.

The covert-surveillance code of practice worries about repeated viewing of
one person: each row therefore carries the author's pseudonym
(``subject``) when it is known, however the lookup reached them (by their
handle, or by a link to one of their posts), and ``repeated`` counts them.
No row holds a handle or a URL: a post is named by the hash the block list
uses, an author by a pseudonym prefix. A lookup is recorded before what it
leads to (an erasure) runs, so it is logged even when that fails. Erasing
an author unlinks their rows from the pseudonym (``unlink_author``) and
keeps who looked and when.

Table: ``lookups`` (``storage.migrations.m161_routing_lookups``).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql
from storage.blocklist import post_hash
from storage.timefmt import utcnow

# "user" quoted: a reserved word on PostgreSQL (SQLite reads it as the column)
_COLUMNS = 'id, at, "user", channel, action, target, subject, found'


@dataclass(frozen=True)
class Lookup:
    id: int
    at: str  # UTC
    user: str
    channel: str  # cli, page
    action: str  # forget-author, forget-url, query-url, page-url
    target: str
    subject: str | None  # the author pseudonym concerned
    found: int


def _lookup(r: tuple[Any, ...]) -> Lookup:
    return Lookup(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]), r[6],
                  int(r[7]))


def post_target(platform: str | None, native_ids: Sequence[str], found: int) -> str:
    """How a lookup of a post is named in the log: its block-list hash,
    never its URL (which may carry a handle) nor its id."""
    if platform and native_ids:
        return f"post {platform}:{post_hash(platform, native_ids[0])[:12]}"
    return f"post by link ({found} matched)"


def author_target(platform: str, author_key: str) -> str:
    return f"author {platform}:{author_key[:8]}"


class Lookups:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def record(self, *, user: str, channel: str, action: str, target: str,
               post_ids: Sequence[int] = (), author_key: str | None = None) -> Lookup:
        """Log a lookup of ``post_ids`` (their author is the subject) or of
        the author ``author_key``."""
        subject = author_key
        if subject is None and post_ids:
            row = self.db.execute(
                "SELECT author_key FROM posts WHERE id IN"  # noqa: S608 - placeholders only
                f" ({', '.join('?' * len(post_ids))}) AND author_key IS NOT NULL"
                " ORDER BY id LIMIT 1", list(post_ids)).fetchone()
            subject = str(row[0]) if row else None
        found = len(post_ids) if author_key is None else int(self.db.execute(
            "SELECT count(*) FROM posts WHERE author_key = ?", [author_key]).fetchone()[0])
        with self.db.transaction():
            new = self.db.insert_id(
                'INSERT INTO lookups (at, "user", channel, action, target, subject, found)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [utcnow(), user, channel, action, target, subject, found])
        row = self.db.execute(f"SELECT {_COLUMNS} FROM lookups WHERE id = ?",  # noqa: S608
                              [new]).fetchone()
        return _lookup(row)

    def listed(self, *, since: str | None = None, user: str | None = None,
               limit: int = 200) -> list[Lookup]:
        """The latest lookups first (since ``since``, UTC text; of ``user``)."""
        sql, params = f"SELECT {_COLUMNS} FROM lookups WHERE 1 = 1", []  # noqa: S608
        if since is not None:
            sql += " AND at >= ?"
            params.append(since)
        if user is not None:
            sql += ' AND "user" = ?'
            params.append(user)
        rows = self.db.execute(sql + " ORDER BY at DESC, id DESC LIMIT ?", [*params, limit])
        return [_lookup(r) for r in rows]

    def unlink_author(self, author_key: str) -> int:
        """After an erasure: the author's rows keep who looked, when and how
        often (their shared ``subject`` becomes a random token, so repeated
        viewing still shows), but no longer name the pseudonym (which only
        the block list keeps). Returns the rows changed. Runs inside the
        erasure's transaction."""
        token = f"erased:{secrets.token_hex(8)}"
        with self.db.transaction():
            cur = self.db.execute(
                "UPDATE lookups SET subject = ?, target = CASE WHEN target LIKE 'author %'"
                " THEN 'author (erased)' ELSE target END WHERE subject = ?", [token, author_key])
        return int(cur.rowcount)

    def repeated(self, *, since: str | None = None, at_least: int = 2
                 ) -> list[tuple[str, int, int]]:
        """(subject pseudonym, lookups, distinct users) of the people looked
        up ``at_least`` times since ``since``, most first."""
        sql = ('SELECT subject, count(*), count(DISTINCT "user") FROM lookups'
               " WHERE subject IS NOT NULL")
        params: list[Any] = []
        if since is not None:
            sql += " AND at >= ?"
            params.append(since)
        sql += " GROUP BY subject HAVING count(*) >= ? ORDER BY count(*) DESC, subject"
        return [(str(r[0]), int(r[1]), int(r[2]))
                for r in self.db.execute(sql, [*params, at_least])]
