"""Config versions: every distinct config.yaml text that took effect."""

from __future__ import annotations

from sqlite_utils import Database

from storage.db import write_transaction
from storage.timefmt import utcnow


class ConfigVersions:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, config_hash: str, text: str, path: str | None) -> bool:
        """Record a config text; True when this hash was not seen before."""
        with write_transaction(self.db):
            cur = self.db.execute(
                "INSERT OR IGNORE INTO config_versions (hash, path, text, loaded_at)"
                " VALUES (?, ?, ?, ?)",
                [config_hash, path, text, utcnow()],
            )
        return bool(cur.rowcount)

    def history(self) -> list[tuple[str, str, str]]:
        """(hash, loaded_at, text), oldest first."""
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                "SELECT hash, loaded_at, text FROM config_versions ORDER BY loaded_at, rowid"
            ).fetchall()
        ]
