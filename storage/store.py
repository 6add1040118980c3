"""``Store``: the one way into the database for every other package.

Each concern is a small class in its own module, built on the store's
database handle and reached as an attribute::

    store.collect.save_page(...)        # storage.collect.Collection
    store.runs.start(source)            # storage.runs.Runs
    store.labels.save(...)              # storage.labels.Labels

Nothing outside ``storage`` touches the handle itself (``store.db``,
``store.sql``) or a connection; the one exception is the web page, whose
server opens the file itself (``Store.for_page`` and ``storage.page_access``).

Two backends (docs/postgresql.md): SQLite (``Store.open``, the default) and
PostgreSQL (``Store.open_postgresql``). ``store.sql`` runs the same SQL on
either (``storage.backend``), and every attribute is built on it, so each
works on both. SQLite's own ``Database`` (``store.db``) is left for the web
page's server and SQLite's upkeep.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlite_utils import Database

from storage import pg_migrations
from storage.actions import Actions
from storage.audit_draws import AuditDraws
from storage.audits import Audits
from storage.backend import PgSql, Sql, SqliteSql, dsn_from_env
from storage.blocklist import BlockList
from storage.bulk import BulkLoad
from storage.collect import Collection, StorageError
from storage.config import StorageSettings
from storage.config_versions import ConfigVersions
from storage.copying import Copying
from storage.db import connect
from storage.deletion_checks import DeletionChecks
from storage.deliveries import Deliveries
from storage.driver import sqlite3
from storage.engagement import EngagementReader
from storage.erasure import Erasure
from storage.label_export import LabelExport
from storage.labels import Labels
from storage.lookups import Lookups
from storage.page_access import CannedQueries
from storage.queries import Queries
from storage.relabels import Relabels
from storage.report_log import ReportLog
from storage.report_queries import Bounds, ReportReader
from storage.report_rewrites import ReportRewrites
from storage.retention import Retention
from storage.rollups import Rollups
from storage.routing import Routing
from storage.runs import Runs
from storage.service_state import ServiceState
from storage.term_counts import TermCounts
from storage.themes import Themes
from storage.topic_terms import TopicTermReads
from storage.usage import Usage
from storage.windows import Window, open_window

# The distinct platforms, one index seek each (idx_posts_platform_created).
_PLATFORMS = (
    "WITH RECURSIVE p(name) AS (SELECT min(platform) FROM posts UNION ALL"
    " SELECT (SELECT min(platform) FROM posts WHERE platform > p.name) FROM p"
    " WHERE p.name IS NOT NULL) SELECT name FROM p WHERE name IS NOT NULL"
)


class Store:
    def __init__(self, db: Database, path: str | Path | None = None) -> None:
        self._db: Database | None = db
        self.sql: Sql = SqliteSql(db)
        self.path = Path(path) if path is not None and str(path) != ":memory:" else None
        self._build(self.sql)

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        """Open (creating and migrating, unless ``readonly``) the database file."""
        return cls(connect(path, readonly=readonly), path)

    @classmethod
    def open_postgresql(cls, dsn: str, *, env_name: str = "the DSN variable",
                        readonly: bool = False) -> Store:
        """Connect to PostgreSQL (a pool; the DSN is never logged nor shown
        in an error), apply pending migrations unless ``readonly``."""
        sql = PgSql.open(dsn, env_name=env_name)
        try:
            if readonly:
                sql.execute("SET default_transaction_read_only = on")
            else:
                pg_migrations.apply(sql)
        except BaseException:
            sql.close()
            raise
        store = cls.__new__(cls)
        store._db = None
        store.sql = sql
        store.path = None
        store._build(sql)
        return store

    def _build(self, sql: Sql) -> None:
        """Every attribute, on either backend's handle."""
        self.rollups = Rollups(sql)
        self.collect = Collection(sql, self.rollups)
        self.runs = Runs(sql)
        self.blocklist = BlockList(sql)
        self.config_versions = ConfigVersions(sql)
        self.usage = Usage(sql)
        self.service = ServiceState(sql)
        self.relabels = Relabels(sql)
        self.report_log = ReportLog(sql)
        self.report_rewrites = ReportRewrites(sql)
        self.deletion_checks = DeletionChecks(sql)
        self.labels = Labels(sql, self.rollups)
        self.label_export = LabelExport(sql)
        self.queries = Queries(sql)
        self.copying = Copying(sql)  # listener db copy: the whole database, either way
        self.reports = ReportReader(sql)
        self.engagement = EngagementReader(sql)
        self.audits = Audits(sql)
        self.audit_draws = AuditDraws(sql)
        self.actions = Actions(sql)
        self.themes = Themes(sql)  # discovery: runs, themes, bursting terms, their members
        self.term_counts = TermCounts(sql)  # discovery: each week's term counts (a cache)
        self.retention = Retention(sql)
        self.erasure = Erasure(sql)
        self.lookups = Lookups(sql)
        self.deliveries = Deliveries(sql)  # every message sent, retried until sent
        self.routing = Routing(sql)  # team digests: which posts went to which team
        self.topic_terms = TopicTermReads(sql)  # topics suggest / health
        self.bulk = BulkLoad(sql, self.rollups)  # benchmarks' bulk load
        self.canned = CannedQueries(sql)  # the page's canned queries (run by it on PostgreSQL)

    @classmethod
    def from_settings(cls, settings: StorageSettings, path: str | Path, *,
                      readonly: bool = False) -> Store:
        """The store the config names: the SQLite file ``path`` (the config's
        ``storage.path``, resolved) or the PostgreSQL database whose DSN is in
        the environment variable ``storage.dsn_env``."""
        if settings.backend == "postgresql":
            return cls.open_postgresql(dsn_from_env(settings.dsn_env),
                                       env_name=str(settings.dsn_env), readonly=readonly)
        return cls.open(path, readonly=readonly)

    @property
    def db(self) -> Database:
        """SQLite's handle, for the modules not ported to ``store.sql`` yet."""
        if self._db is None:
            raise StorageError("store.db is SQLite's handle; this store is on PostgreSQL")
        return self._db

    @property
    def backend(self) -> str:
        return self.sql.dialect

    @classmethod
    def for_page(cls, conn: sqlite3.Connection) -> Store:
        """A store over a connection the web page's server opened itself
        (guarded by ``storage.page_access.guard``): nothing is run on it."""
        return cls(Database(conn, recursive_triggers=False, execute_plugins=False))

    def close(self) -> None:
        self.sql.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count_posts(self) -> int:
        return int(self.sql.execute("SELECT count(*) FROM posts").fetchone()[0])

    def platforms(self) -> list[str]:
        """The platforms of the stored posts, sorted."""
        return [str(r[0]) for r in self.sql.execute(_PLATFORMS)]

    def tables(self) -> list[str]:
        """Every table in the file, sorted."""
        return self.sql.tables()

    def checkpoint(self) -> bool:
        """Write the WAL back into the database file; False when a reader
        kept it from completing (always True on PostgreSQL: the server does it)."""
        if self._db is None:
            return True
        row = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return row is None or int(row[0]) == 0

    def compact(self) -> bool:
        """After erasures (the platform deletion sync): merge the full-text
        index unless their deletes took the tokens out at once
        (``storage.fts``), and checkpoint the WAL; False when a reader kept
        the checkpoint from completing. On PostgreSQL: VACUUM the tables a
        deletion writes (``PostDeletion.compact``)."""
        return self.erasure.deletion.compact()

    @property
    def read_rollups(self) -> bool:
        """False: reports and weekly counts read the posts themselves, as
        before rollups (tests compare the two paths). One switch, kept by
        ``queries``."""
        return self.queries.read_rollups

    @read_rollups.setter
    def read_rollups(self, value: bool) -> None:
        self.queries.read_rollups = value

    def report_window(self, periods: Sequence[Bounds], days: Sequence[Bounds] = (),
                      zone: str | None = None) -> Window:
        """The report's periods (UTC bounds) and the local days of the last:
        read from the rollups when they were built in ``zone`` and can serve
        the periods, otherwise from the posts (use it as a context manager)."""
        return open_window(self.sql, periods, days, zone if self.read_rollups else None,
                           self.platforms)
