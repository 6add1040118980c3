"""Each ``classify --relabel``: when history was labelled again, under which
config, how far back; the report's "What changed" says so in words."""

from __future__ import annotations

from dataclasses import dataclass

from storage.backend import Sql
from storage.timefmt import utcnow


@dataclass(frozen=True)
class Relabel:
    task: str
    at: str  # UTC ISO
    since: str | None  # UTC ISO; None: every post
    config_hash: str
    posts: int


class Relabels:
    """History labelled again under a new config or classifier."""

    def __init__(self, db: Sql) -> None:
        self.db = db

    def record(self, task: str, *, since: str | None, config_hash: str, posts: int) -> None:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO relabels (task, at, since, config_hash, posts)"
                " VALUES (?, ?, ?, ?, ?)", [task, utcnow(), since, config_hash, posts])

    def history(self) -> list[Relabel]:
        """Every relabel, oldest first."""
        return [Relabel(str(r[0]), str(r[1]), r[2], str(r[3]), int(r[4]))
                for r in self.db.execute(
                    "SELECT task, at, since, config_hash, posts FROM relabels"
                    " ORDER BY at, id").fetchall()]
