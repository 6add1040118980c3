"""``Store``: the one object the other packages use to reach the database."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from storage.audit_draws import AuditDraws
from storage.audits import Audits
from storage.collect import CollectWrites
from storage.config_versions import ConfigVersions
from storage.db import connect
from storage.labels import LabelWrites
from storage.usage import UsageWrites


class Store(CollectWrites, LabelWrites, ConfigVersions, UsageWrites):
    def __init__(self, db: Database, path: str | Path | None = None) -> None:
        self.db = db
        self.path = Path(path) if path is not None and str(path) != ":memory:" else None
        self.audits = Audits(db)
        self.audit_draws = AuditDraws(db)

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        return cls(connect(path, readonly=readonly), path)

    def close(self) -> None:
        self.db.conn.close()

    def count_posts(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM posts").fetchone()[0])
