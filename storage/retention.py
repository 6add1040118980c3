"""Retention: deleting what is past its period (the periods themselves are
the privacy settings in ``listener``)."""

from __future__ import annotations

from sqlite_utils import Database

from storage.db import write_transaction
from storage.deletion import Counts, PostDeletion


class Retention:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.deletion = PostDeletion(db)

    def purge_expired(self, *, posts_before: str, raw_before: str,
                      dry_run: bool = False) -> Counts:
        """Delete posts created before ``posts_before`` (with every row and
        index entry of theirs) and raw payloads and quarantined items
        received before ``raw_before``. Returns the rows removed (or, with
        ``dry_run``, the rows that would be), per table."""
        with write_transaction(self.db):
            self.deletion.stage("created_at < ?", [posts_before])
            counts = self.deletion.count_staged()
            raw_extra = int(self.db.execute(
                "SELECT count(*) FROM raw_payloads WHERE retrieved_at < ?"
                " AND post_id NOT IN (SELECT id FROM _doomed)", [raw_before]).fetchone()[0])
            counts["raw_payloads"] = counts.get("raw_payloads", 0) + raw_extra
            counts["quarantine"] = int(self.db.execute(
                "SELECT count(*) FROM quarantine WHERE received_at < ?",
                [raw_before]).fetchone()[0])
            if dry_run:
                self.deletion.unstage()
                return counts
            self.deletion.delete_staged()
            self.db.execute("DELETE FROM raw_payloads WHERE retrieved_at < ?", [raw_before])
            self.db.execute("DELETE FROM quarantine WHERE received_at < ?", [raw_before])
        if counts["posts"] or raw_extra or counts["quarantine"]:
            self.deletion.compact()
        return counts
