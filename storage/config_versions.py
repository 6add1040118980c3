"""Config versions: every distinct config.yaml text that took effect."""

from __future__ import annotations

from storage.backend import Sql
from storage.timefmt import utcnow


class ConfigVersions:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def record(self, config_hash: str, text: str, path: str | None) -> bool:
        """Record a config text; True when this hash was not seen before."""
        with self.db.transaction():
            cur = self.db.execute(
                "INSERT INTO config_versions (hash, path, text, loaded_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [config_hash, path, text, utcnow()],
            )
        return bool(cur.rowcount)

    def history(self) -> list[tuple[str, str, str]]:
        """(hash, loaded_at, text), oldest first (ties: in the order stored;
        rows are never updated nor deleted, so PostgreSQL's ctid keeps it)."""
        order = "rowid" if self.db.dialect == "sqlite" else "ctid"
        return [
            (r[0], r[1], r[2])
            for r in self.db.execute(
                f"SELECT hash, loaded_at, text FROM config_versions ORDER BY loaded_at, {order}"  # noqa: S608
            ).fetchall()
        ]
