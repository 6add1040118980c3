"""``Store``: the one way into the database for every other package.

Each concern is a small class in its own module, built on the store's
database handle and reached as an attribute::

    store.collect.save_page(...)        # storage.collect.Collection
    store.runs.start(source)            # storage.runs.Runs
    store.labels.save(...)              # storage.labels.Labels

Nothing outside ``storage`` touches the handle itself (``store.db``) or a
connection; the one exception is the web page, whose server opens the file
itself (``Store.for_page`` and ``storage.page_access``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlite_utils import Database

from storage.actions import Actions
from storage.audit_draws import AuditDraws
from storage.audits import Audits
from storage.blocklist import BlockList
from storage.bulk import BulkLoad
from storage.collect import Collection
from storage.config_versions import ConfigVersions
from storage.db import connect
from storage.deletion import PostDeletion
from storage.deletion_checks import DeletionChecks
from storage.deliveries import Deliveries
from storage.driver import sqlite3
from storage.engagement import EngagementReader
from storage.erasure import Erasure
from storage.label_export import LabelExport
from storage.labels import Labels
from storage.lookups import Lookups
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
        self.db = db
        self.path = Path(path) if path is not None and str(path) != ":memory:" else None
        self.collect = Collection(db)
        self.runs = Runs(db)
        self.blocklist = BlockList(db)
        self.labels = Labels(db)
        self.label_export = LabelExport(db)
        self.config_versions = ConfigVersions(db)
        self.usage = Usage(db)
        self.service = ServiceState(db)
        self.deliveries = Deliveries(db)
        self.queries = Queries(db)
        self.reports = ReportReader(db)
        self.relabels = Relabels(db)
        self.report_log = ReportLog(db)
        self.retention = Retention(db)
        self.erasure = Erasure(db)
        self.report_rewrites = ReportRewrites(db)
        self.deletion_checks = DeletionChecks(db)
        self.bulk = BulkLoad(db)
        self.engagement = EngagementReader(db)
        self.audits = Audits(db)
        self.audit_draws = AuditDraws(db)
        self.rollups = Rollups(db)
        self.actions = Actions(db)
        self.lookups = Lookups(db)
        self.routing = Routing(db)
        self.themes = Themes(db)  # discovery: runs, themes, bursting terms, their members
        self.term_counts = TermCounts(db)  # discovery: each week's term counts (a cache)
        self.topic_terms = TopicTermReads(db)

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        """Open (creating and migrating, unless ``readonly``) the database file."""
        return cls(connect(path, readonly=readonly), path)

    @classmethod
    def for_page(cls, conn: sqlite3.Connection) -> Store:
        """A store over a connection the web page's server opened itself
        (guarded by ``storage.page_access.guard``): nothing is run on it."""
        return cls(Database(conn, recursive_triggers=False, execute_plugins=False))

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count_posts(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM posts").fetchone()[0])

    def platforms(self) -> list[str]:
        """The platforms of the stored posts, sorted."""
        return [str(r[0]) for r in self.db.execute(_PLATFORMS)]

    def tables(self) -> list[str]:
        """Every table in the file, sorted."""
        return [str(r[0]) for r in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def checkpoint(self) -> bool:
        """Write the WAL back into the database file; False when a reader
        kept it from completing."""
        row = self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return row is None or int(row[0]) == 0

    def compact(self) -> bool:
        """After erasures (the platform deletion sync): merge the full-text
        index unless their deletes took the tokens out at once
        (``storage.fts``), and checkpoint the WAL; False when a reader kept
        the checkpoint from completing."""
        return PostDeletion(self.db).compact()

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
        return open_window(self.db, periods, days, zone if self.read_rollups else None,
                           self.platforms)
