"""Alerts sent: the claim that makes an alert go out at most once per topic per day."""

from __future__ import annotations

from sqlite_utils import Database

from storage.db import write_transaction
from storage.timefmt import utcnow


class AlertLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(self, topic: str, day: str, posts: int) -> bool:
        """Reserve the alert for ``topic`` on ``day``; False when it was
        already sent (or is being sent by another check)."""
        with write_transaction(self.db):
            cur = self.db.execute(
                "INSERT OR IGNORE INTO alerts_sent (topic, day, sent_at, posts)"
                " VALUES (?, ?, ?, ?)", [topic, day, utcnow(), posts])
        return bool(cur.rowcount)

    def confirm(self, topic: str, day: str, channels: list[str]) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE alerts_sent SET channels = ?, sent_at = ? WHERE topic = ? AND day = ?",
                [",".join(channels), utcnow(), topic, day])

    def release(self, topic: str, day: str) -> None:
        """Give a claim back when no channel delivered, so a later check retries."""
        with write_transaction(self.db):
            self.db.execute("DELETE FROM alerts_sent WHERE topic = ? AND day = ?", [topic, day])
