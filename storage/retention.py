"""Retention: deleting what is past its period (the periods themselves are
the privacy settings in ``listener``), and moving posts dated in the future
out of the posts (they would never reach their period)."""

from __future__ import annotations

from storage.backend import Sql
from storage.deletion import Counts, PostDeletion
from storage.timefmt import utcnow

# A post's own fields as a JSON object, for a quarantined post without its
# raw payload: SQLite's json_object; PostgreSQL's json_build_object (as text:
# the quarantine's payload column is TEXT on both).
_OWN_JSON = {
    "sqlite": "json_object('id', p.native_id, 'text', p.text,"
              "   'created_at', p.created_at, 'url', p.url)",
    "postgresql": "json_build_object('id', p.native_id, 'text', p.text,"
                  " 'created_at', p.created_at, 'url', p.url)::text",
}


class Retention:
    def __init__(self, db: Sql) -> None:
        self.db = db
        self.deletion = PostDeletion(db)

    def purge_expired(self, *, posts_before: str, raw_before: str,
                      dry_run: bool = False) -> Counts:
        """Delete posts created before ``posts_before`` (with every row and
        index entry of theirs) and raw payloads and quarantined items
        received before ``raw_before``. Returns the rows removed (or, with
        ``dry_run``, the rows that would be), per table."""
        with self.deletion.transaction():
            self.deletion.stage("created_at < ?", [posts_before])
            if dry_run:
                counts = self.deletion.count_staged()
                raw_extra = int(self.db.execute(
                    "SELECT count(*) FROM raw_payloads WHERE retrieved_at < ?"
                    " AND post_id NOT IN (SELECT id FROM _doomed)", [raw_before]).fetchone()[0])
                counts["raw_payloads"] = counts.get("raw_payloads", 0) + raw_extra
                counts["quarantine"] = int(self.db.execute(
                    "SELECT count(*) FROM quarantine WHERE received_at < ?",
                    [raw_before]).fetchone()[0])
                self.deletion.unstage()
                counts["erased_posts_cleared_from_index"] = self.deletion.fts_pending().posts
                return counts
            # a month of posts: plain deletes and one merge of the index cost
            # less than deleting each post's tokens at once (storage.fts); the
            # deletes count what they delete (no count before each)
            counts = self.deletion.delete_staged(at_once=False).counts
            raw_extra = int(self.db.execute(
                "DELETE FROM raw_payloads WHERE retrieved_at < ?", [raw_before]).rowcount)
            counts["raw_payloads"] = counts.get("raw_payloads", 0) + raw_extra
            counts["quarantine"] = int(self.db.execute(
                "DELETE FROM quarantine WHERE received_at < ?", [raw_before]).rowcount)
        # the merge also finishes the erasures that left their posts' tokens
        # to it (``storage.fts.defer``)
        waiting = self.deletion.fts_pending().posts
        counts["erased_posts_cleared_from_index"] = waiting
        if counts["posts"] or raw_extra or counts["quarantine"] or waiting:
            self.deletion.compact(merge=bool(counts["posts"] or waiting))
        return counts

    def quarantine_future(self, *, after: str, dry_run: bool = False) -> int:
        """Move posts dated after ``after`` (a broken clock or a typo, stored
        before posts were checked on their way in) to the quarantine with
        their raw payload and the reason, removing them with every row of
        theirs. Returns how many (with ``dry_run``: would be)."""
        with self.deletion.transaction():
            found = self.deletion.stage("created_at > ?", [after])
            if dry_run or not found:
                self.deletion.unstage()
                return found
            self.db.execute(  # _OWN_JSON is a constant of ours; values are bound
                "INSERT INTO quarantine (source, platform, run_id, error, payload, received_at)"  # noqa: S608
                " SELECT COALESCE(r.source, (SELECT min(m.source) FROM post_matches m"
                "   WHERE m.post_id = p.id), 'unknown'), p.platform, NULL,"
                " 'created_at ' || p.created_at || ' is in the future: moved out of the posts"
                " by retention (more than the tolerance after ' || ? || ')',"
                f" COALESCE(r.payload, {_OWN_JSON[self.db.dialect]}), ?"
                " FROM posts p LEFT JOIN raw_payloads r ON r.post_id = p.id"
                " WHERE p.id IN (SELECT id FROM _doomed)", [after, utcnow()])
            deleted = self.deletion.delete_staged()
        # part of a purge: unless they left with the posts, the words leave now
        # (a batch over the limit too, not a day later; the merge empties fts_pending)
        self.deletion.compact(merge=not deleted.gone)
        return found
