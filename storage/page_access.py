"""What the policy-staff web page may read: the one exception to "only
through ``Store``".

Datasette (``listener/web``) opens the SQLite file itself and hands its
own connections to the page. Everything such a connection may do is
decided here, next to the schema it names:

- ``guard(conn)`` is called on every connection Datasette opens: the
  connection is made query-only and ``authorizer`` is installed, so SQLite
  itself refuses any statement that reads a table or column outside
  ``READABLE`` (raw payloads, the quarantine, blocked authors, stored
  config text, author pseudonyms, and any table or column added later are
  refused by default), and any statement that writes;
- ``canned(floor)`` are the only SQL statements Datasette runs on its own
  pages (``CANNED``: with the default floor of 10);
- the page's searches go through ``Store.for_page(conn).queries``.

On PostgreSQL Datasette serves no database: the page runs the same canned
queries itself, read-only, through ``store.canned`` (``CannedQueries``:
``canned(floor, "postgresql")``, the same statements but for the one
aggregate PostgreSQL spells otherwise, ``storage.backend.count_if``).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storage.backend import Dialect, Sql, count_if
from storage.driver import sqlite3
from storage.records import SENTIMENTS

# What the page and the canned queries may read: an allow-list, so that a new
# table or column stays unreadable until it is added here on purpose. ""
# stands for reading a table without a column (count(*)).
READABLE: dict[str, frozenset[str]] = {
    "posts": frozenset({"", "id", "platform", "native_id", "url", "text", "title", "created_at",
                        "author_handle", "lang", "replies", "reposts", "likes", "quotes"}),
    "labels": frozenset({"", "post_id", "task", "label", "score"}),
    "post_matches": frozenset({"", "post_id", "source"}),
    # "Waiting for an answer" (storage.engagement.unanswered): who replied to
    # what and in which voice; never the thread or parent ids (a Mastodon uri
    # names its account)
    "conversations": frozenset({"", "post_id", "parent_id", "voice", "created_at"}),
    "sqlite_master": frozenset({"", "ROWID", "type", "name", "tbl_name", "rootpage", "sql"}),
    # the weekly chart's counts (storage.rollup_trends): no author in them
    "rollup_state": frozenset({"", "key", "value"}),
    "rollup_queue": frozenset({"", "post_id"}),
    "rollup_posts": frozenset({"", "day", "voice", "platform", "sentiment", "topic_state",
                               "posts"}),
    "rollup_topics": frozenset({"", "day", "voice", "platform", "topic", "sentiment", "posts"}),
}
_FTS_TABLES = frozenset({"posts_fts", "posts_fts_data", "posts_fts_idx", "posts_fts_config",
                         "posts_fts_docsize"})
_ALLOWED_ACTIONS = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ,
                              sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_PRAGMA,
                              sqlite3.SQLITE_RECURSIVE})
_READONLY_PRAGMAS = frozenset({"table_info", "table_xinfo", "index_list", "index_info",
                               "index_xinfo", "foreign_key_list", "database_list",
                               "schema_version", "data_version", "query_only",
                               "busy_timeout", "function_list", "compile_options"})

# Canned queries for the web server's database page (named parameters, bound
# by Datasette; dates are YYYY-MM-DD, compared with the stored UTC text). They
# serve counts without the posts behind them, so every count under the
# privacy floor is left out: a group (topic, platform) with fewer posts is not
# listed, and a sentiment count under it is empty. The floor is written into
# the SQL (a whole number from the config), never a parameter a URL can set.
def canned(floor: int = 10, dialect: Dialect = "sqlite") -> dict[str, tuple[str, str]]:
    """The canned queries with ``floor`` (``privacy.min_group_size``) applied,
    in ``dialect``'s SQL: a sentiment's count is SQLite's ``sum(cmp)``,
    PostgreSQL's ``count(*) FILTER`` (it cannot sum a boolean)."""
    n = int(floor)

    def count(name: str) -> str:
        return count_if(dialect, f"s.label = '{name}'")

    return {
        "q_topic_counts": (
            f"Posts per topic and sentiment between two dates (groups of {n} or more)",
            "SELECT l.label AS topic, count(*) AS posts, "  # noqa: S608 (constants only)
            + ", ".join(f"CASE WHEN {count(name)} >= {n}"
                        f" THEN {count(name)} END AS {name}" for name in SENTIMENTS)
            + " FROM labels l JOIN posts p ON p.id = l.post_id"
            " LEFT JOIN labels s ON s.post_id = p.id AND s.task = 'sentiment'"
            " WHERE l.task = 'topic' AND p.created_at >= :since AND p.created_at < :until"
            f" GROUP BY l.label HAVING count(*) >= {n} ORDER BY posts DESC",
        ),
        "q_platform_counts": (
            f"Posts per platform between two dates (groups of {n} or more)",
            "SELECT p.platform, count(*) AS posts FROM posts p"  # noqa: S608 (constants only)
            " WHERE p.created_at >= :since AND p.created_at < :until"
            f" GROUP BY p.platform HAVING count(*) >= {n} ORDER BY posts DESC",
        ),
    }


CANNED = canned()
CANNED_PARAMETERS = ("since", "until")  # the named parameters of every canned query


@dataclass(frozen=True)
class CannedResult:
    name: str
    title: str
    statement: str  # the SQL run
    params: dict[str, str]
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool  # more rows than ``limit``
    ms: float


class CannedQueries:
    """The canned queries run by the page itself (PostgreSQL, where
    Datasette serves no database): fixed statements, their parameters bound
    (a missing one is empty text, as Datasette binds it), at most ``limit``
    rows. The caller's store is read-only and holds the time limit."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def run(self, name: str, params: Mapping[str, str], *, floor: int, limit: int
            ) -> CannedResult | None:
        """The canned query ``name`` (None: no such query); ``params`` beyond
        its own are ignored."""
        found = canned(floor, self.sql.dialect).get(name)
        if found is None:
            return None
        title, sql = found
        bound = {key: str(params.get(key) or "") for key in CANNED_PARAMETERS
                 if f":{key}" in sql}
        t0 = time.perf_counter()
        cursor = self.sql.execute(sql, bound)
        columns = [str(d[0]) for d in (getattr(cursor, "description", None) or ())]
        rows = [tuple(r) for r in cursor.fetchall()]
        return CannedResult(name, title, sql, bound, columns, rows[:limit],
                            len(rows) > limit, (time.perf_counter() - t0) * 1000)


def authorizer(action: int, arg1: str | None, arg2: str | None, _db: str | None,
               _source: str | None) -> int:
    """SQLite's authorizer callback for the page's connections."""
    if action not in _ALLOWED_ACTIONS and action != sqlite3.SQLITE_UPDATE:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_READ and arg1 not in _FTS_TABLES and \
            (arg2 or "") not in READABLE.get(arg1 or "", frozenset()):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
        return sqlite3.SQLITE_OK  # FTS5 checks this while opening its table; nothing is written
    if action == sqlite3.SQLITE_UPDATE:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() not in _READONLY_PRAGMAS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def guard(conn: sqlite3.Connection) -> None:
    """Make a connection the web server opened query-only and install
    ``authorizer`` on it."""
    conn.execute("PRAGMA query_only = 1")
    conn.set_authorizer(authorizer)
