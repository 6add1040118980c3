"""Erasure and objection: removing an author's or a post's rows, and
putting them on the block lists (``storage.blocklist``) that keep them
from being collected again.

In the same transaction as the rows go: others' replies to an erased post
lose their pointer to it (``in_reply_to``), and the report weeks that quote
the erased posts are recorded for writing again (``storage.report_rewrites``),
so that a crash after the commit cannot leave a quote in a report file with
nothing left to find it by.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql
from storage.blocklist import BlockList
from storage.db import in_chunks
from storage.deletion import Counts, PostDeletion
from storage.lookups import Lookups
from storage.report_rewrites import ReportRewrites

Rewrites = Mapping[str, Collection[str]]  # report week -> formats to write again
# the weeks to write again, from the posts an erasure removes (found in its transaction)
RewritesOf = Callable[[list["PostRef"]], Rewrites]

# X posts that reference one of the author's tweets: a retweet's post text
# *is* the author's text, and the raw payload of a retweet, quote or reply
# holds the referenced tweet's text in ``includes.tweets``. Found by index in
# ``post_refs`` (written with each post, kept as long as it is: migration
# m210), so a retweet is recognised for as long as the posts are kept, and
# not only while its raw payload is (``raw_retention_days``); the same
# statement on both backends.
_REFERENCES = (
    "INSERT INTO {references} (post_id, kind) SELECT post_id, kind FROM post_refs"
    " WHERE ref_id IN (SELECT native_id FROM posts WHERE platform = :p AND author_key = :k)")
_AUTHOR_AND_COPIES = (
    "platform = :p AND (author_key = :k OR id IN"
    " (SELECT post_id FROM {references} WHERE kind = 'retweeted'))")
_QUOTING = ("SELECT DISTINCT post_id FROM {references}"
            " WHERE kind IN ('quoted', 'replied_to') ORDER BY post_id")
# post ids: SQLite's INTEGER is 64-bit, PostgreSQL's 32
_ID = {"sqlite": "INTEGER", "postgresql": "BIGINT"}


@dataclass(frozen=True)
class PostRef:
    """What a written report may cite a post by: its stored URL, the link its
    platform gives without a handle (from platform and native id), its week."""

    platform: str
    native_id: str
    url: str | None
    created_at: str  # UTC ISO


class Erasure:
    def __init__(self, db: Sql) -> None:
        self.db = db
        self.deletion = PostDeletion(db)
        self.blocklist = BlockList(db)
        self.rewrites = ReportRewrites(db)
        self.lookups = Lookups(db)
        self._references = db.temp("_references")  # temp. / pg_temp.
        self._find = _REFERENCES.format(references=self._references)
        self._author_and_copies = _AUTHOR_AND_COPIES.format(references=self._references)
        self._quoting = _QUOTING.format(references=self._references)

    def author_post_refs(self, platform: str, author_key: str) -> list[PostRef]:
        """The posts ``forget_author`` would remove, as reports may cite them."""
        self._find_references(platform, author_key)
        return [PostRef(*r) for r in self.db.execute(
            "SELECT platform, native_id, url, created_at FROM posts"  # noqa: S608
            f" WHERE {self._author_and_copies}", {"p": platform, "k": author_key})]

    def _find_references(self, platform: str, author_key: str) -> None:
        """Fill ``temp._references`` (post id, kind) with the X posts that
        retweet, quote or reply to one of the author's posts."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS _references"
                        f" (post_id {_ID[self.db.dialect]} NOT NULL, kind TEXT)")
        self.db.execute(f"DELETE FROM {self._references}")  # noqa: S608 - a name of ours
        if platform == "x":
            self.db.execute(self._find, {"p": platform, "k": author_key})

    def _staged_refs(self) -> list[PostRef]:
        return [PostRef(*r) for r in self.db.execute(
            "SELECT platform, native_id, url, created_at FROM posts"
            " WHERE id IN (SELECT id FROM _doomed) ORDER BY id")]

    def post_refs(self, post_ids: Sequence[int]) -> list[PostRef]:
        return [PostRef(*r) for pid in post_ids for r in self.db.execute(
            "SELECT platform, native_id, url, created_at FROM posts WHERE id = ?", [pid])]

    def author_post_count(self, platform: str, author_key: str) -> int:
        return int(self.db.execute(
            "SELECT count(*) FROM posts WHERE platform = ? AND author_key = ?",
            [platform, author_key]).fetchone()[0])

    def quarantine_payloads(self, platform: str) -> Iterator[tuple[int, str]]:
        """(id, payload) of the quarantined items of ``platform``."""
        for row in self.db.execute(
                "SELECT id, payload FROM quarantine WHERE platform = ? ORDER BY id", [platform]):
            yield int(row[0]), str(row[1])

    def forget_author(self, platform: str, author_key: str,
                      quarantine_ids: Sequence[int] = (), *,
                      rewrites: Rewrites | RewritesOf | None = None) -> Counts:
        """Remove every post of the pseudonymous author on ``platform`` and
        (X) the retweets of them, every row and index entry of those posts,
        the raw payloads (those still kept) of others' quotes of and replies
        to them (which hold their text), others' replies' pointers to them,
        and the given quarantined items; block the pseudonym from future
        collection; record ``rewrites`` (or, given a function, the weeks it
        names for the posts removed). One transaction."""
        with self.deletion.transaction():
            who = {"p": platform, "k": author_key}
            own = self.author_post_count(platform, author_key)
            self._find_references(platform, author_key)
            staged = self.deletion.stage(self._author_and_copies, who)
            quoting = [int(r[0]) for r in self.db.execute(self._quoting)]
            if callable(rewrites):
                rewrites = rewrites(self._staged_refs())
            unlinked = self._unlink_replies()
            deleted = self.deletion.delete_staged()
            counts = deleted.counts
            counts["retweets_of_them"] = staged - own
            counts["replies_unlinked"] = unlinked
            self.rewrites.add(rewrites or {})
            counts["raw_payloads_quoting_them"] = sum(
                self.db.execute("DELETE FROM raw_payloads WHERE post_id = ?", [pid]).rowcount
                for pid in quoting)
            counts["quarantine"] = sum(
                int(self.db.execute("DELETE FROM quarantine WHERE id = ?", [qid]).rowcount)
                for qid in quarantine_ids)
            counts["blocked_authors"] = self.blocklist.block_author(author_key)
            counts["lookups_unlinked"] = self.lookups.unlink_author(author_key)
        counts["fts_pending"] = deleted.deferred
        counts["compacted"] = int(self.deletion.compact(merge=deleted.merge_now))
        return counts

    def _unlink_replies(self) -> int:
        """Clear ``in_reply_to`` on others' posts that reply to a staged post
        (an X, Reddit or Bluesky reply names its parent's id; a Mastodon
        reply the parent's id on its own instance: the last part of the
        parent's URI or link). Returns the replies changed. Set-based: the
        names go in a temp table, one statement per platform and column."""
        names: dict[str, set[str]] = {}
        for platform, native_id, url in self.db.execute(
                "SELECT platform, native_id, url FROM posts WHERE id IN (SELECT id FROM _doomed)"):
            found = names.setdefault(str(platform), {str(native_id)})
            found.add(str(native_id))
            if platform == "mastodon":
                found.update(part.rstrip("/").rsplit("/", 1)[-1]
                             for part in (str(native_id), str(url or "")) if "/" in part)
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS _erased_names"
                        " (name TEXT PRIMARY KEY, renamed TEXT NOT NULL)")
        erased = self.db.temp("_erased_names")
        changed = 0
        for platform, ids in sorted(names.items()):
            self.db.execute(f"DELETE FROM {erased}")  # noqa: S608 - a name of ours
            for marks, chunk in in_chunks(sorted(ids)):
                self.db.execute(  # marks are placeholders only; the names are bound
                    f"INSERT INTO {erased} (name, renamed) VALUES"  # noqa: S608
                    f" {marks.replace('?', '(?, ?)')}",
                    [v for name in chunk for v in (name, erased_thread(name))])
            changed += int(self.db.execute(
                "UPDATE posts SET in_reply_to = NULL WHERE platform = ? AND in_reply_to"  # noqa: S608
                f" IN (SELECT name FROM {erased}) AND id NOT IN (SELECT id FROM _doomed)",
                [platform]).rowcount)
            self._unlink_conversations(platform)
        self.db.execute(f"DELETE FROM {erased}")  # noqa: S608
        return changed

    def _unlink_conversations(self, platform: str) -> None:
        """The same for the conversation model (``storage.conversations``):
        others' rows lose ``parent_native`` when it names an erased post
        (``temp._erased_names``), and a thread named by an erased post's id
        (a Mastodon URI holds its author's handle) is renamed to an opaque
        key, so the thread's other posts still group together."""
        erased = self.db.temp("_erased_names")
        others = ("platform = ? AND post_id NOT IN (SELECT id FROM _doomed) AND {column}"  # noqa: S608
                  f" IN (SELECT name FROM {erased})")
        self.db.execute(
            "UPDATE conversations SET parent_native = NULL WHERE "  # noqa: S608
            + others.format(column="parent_native"), [platform])
        for column in ("thread", "thread_native"):
            self.db.execute(
                f"UPDATE conversations SET {column} = (SELECT e.renamed FROM"  # noqa: S608
                f" {erased} e WHERE e.name = conversations.{column}) WHERE "
                + others.format(column=column), [platform])

    def find_posts(self, *, url: str | None = None, platform: str | None = None,
                   native_ids: Sequence[str] = (), native_id_like: str | None = None
                   ) -> list[tuple[int, str, str]]:
        """(id, platform, native_id) of posts with this url, or on ``platform``
        with one of ``native_ids`` or a native id LIKE ``native_id_like``."""
        clauses: list[str] = []
        params: list[Any] = []
        if url is not None:
            clauses.append("url = ?")
            params.append(url)
        if platform is not None and native_ids:
            clauses.append(
                f"(platform = ? AND native_id IN ({','.join('?' * len(native_ids))}))")
            params += [platform, *native_ids]
        if platform is not None and native_id_like is not None:
            clauses.append("(platform = ? AND native_id LIKE ?)")
            params += [platform, native_id_like]
        if not clauses:
            return []
        rows = self.db.execute(
            f"SELECT id, platform, native_id FROM posts WHERE {' OR '.join(clauses)}"  # noqa: S608
            " ORDER BY id",
            params).fetchall()
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def forget_posts(self, post_ids: Sequence[int], *, block: bool = True,
                     compact_after: bool = True, rewrites: Rewrites | None = None) -> Counts:
        """Remove these posts with every row and index entry of theirs and
        others' replies' pointers to them; with ``block``, keep them from
        being collected again; record ``rewrites``. One transaction, and one
        set of statements for the whole batch (staged in ``_doomed``): the
        rollups and discovery are updated once, for the days and themes the
        batch touches."""
        with self.deletion.transaction():
            self.rewrites.add(rewrites or {})
            if not self.deletion.stage_ids(post_ids):
                return {}
            done = {"replies_unlinked": self._unlink_replies()}
            if block:
                done["blocked_posts"] = self.blocklist.block_posts(
                    [(str(r[0]), str(r[1])) for r in self.db.execute(
                        "SELECT platform, native_id FROM posts"
                        " WHERE id IN (SELECT id FROM _doomed)")])
            deleted = self.deletion.delete_staged()
            counts = {**deleted.counts, **done, "fts_pending": deleted.deferred}
        if compact_after:
            counts["compacted"] = int(self.deletion.compact(merge=deleted.merge_now))
        return counts


def erased_thread(native_id: str) -> str:
    """The key that replaces a thread named by an erased post's id: the same
    for every post of the thread, and not the id."""
    return "erased:" + hashlib.sha256(native_id.encode("utf-8")).hexdigest()[:20]
