"""Writes made by collection: posts, matches, raw payloads, cursors,
quarantine and the run's counters. ``save_page`` is the one transaction per
fetched page (the runs themselves: ``storage.runs``)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import operator
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import orjson

from storage.backend import Sql
from storage.blocklist import BlockList, post_hash
from storage.conversations import Conversations, Linked
from storage.db import in_chunks
from storage.records import PageResult, Post, Quarantined, StoredItem
from storage.timefmt import iso, utcnow

_POST_COLUMNS = (
    "platform", "native_id", "url", "text", "title", "created_at", "author_key",
    "author_handle", "lang", "replies", "reposts", "likes", "quotes", "place",
    "in_reply_to",
)
# Built once: json.dumps with options builds an encoder per call.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)
_HASH_JSON = json.JSONEncoder(ensure_ascii=False)  # as json.dumps(..., ensure_ascii=False)


class StorageError(RuntimeError):
    """A write that storage refuses."""


def post_row(post: Post) -> dict[str, Any]:
    if post.author_handle is not None and not post.author_official:
        raise StorageError(
            f"refusing a clear author handle on {post.platform}:{post.native_id}: "
            "only allow-listed official accounts keep their handle"
        )
    if post.mentions:
        raise StorageError(
            f"refusing the clear handles {post.platform}:{post.native_id} mentions: "
            "the pseudonymiser reduces them to whether the body is addressed"
        )
    row: dict[str, Any] = {
        "platform": post.platform,
        "native_id": post.native_id,
        "url": post.url,
        "text": post.text,
        "title": post.title,
        "created_at": iso(post.created_at),
        "author_key": post.author_key,
        "author_handle": post.author_handle,
        "lang": post.lang,
        "replies": post.replies,
        "reposts": post.reposts,
        "likes": post.likes,
        "quotes": post.quotes,
        "place": post.place,
        "in_reply_to": post.in_reply_to,
    }
    return with_hash(row)


def _hash_text(values: list[Any]) -> bytes:
    """``json.dumps(values, ensure_ascii=False)`` as UTF-8, the text every
    stored hash was taken of (``values``: text, integers and null), in one
    call to orjson, which writes each value as json does. Indented
    (``OPT_INDENT_2``) it puts each element on a line of its own, and JSON
    text never holds a raw line break, so every comma that ends a line is a
    separator between elements: json's ``", "`` replaces it with the line
    break and indent after it. json itself for what orjson refuses (an
    integer over 64 bits)."""
    try:
        indented = orjson.dumps(values, option=orjson.OPT_INDENT_2)
    except (orjson.JSONEncodeError, TypeError):
        return _HASH_JSON.encode(values).encode()
    if not values:
        return b"[]"
    # b'[\n  1,\n  "a"\n]' -> b'[1, "a"]'
    return b"[" + indented[4:-2].replace(b",\n  ", b", ") + b"]"


def with_hash(row: dict[str, Any]) -> dict[str, Any]:
    row["content_hash"] = hashlib.sha256(
        _hash_text([row[c] for c in _POST_COLUMNS])).hexdigest()[:32]
    return row


# Columns read back when a stored post is seen again, and how they merge:
# engagement counts only grow (the highest seen wins, so copies of one post
# from several instances or queries do not flip-flop); the first-seen link
# and reply pointer stay (both can be instance-local); the content is the
# latest seen (an edit), except that an official author, once seen (the
# body's own channel), stays: the same article read through another feed
# with a byline does not take the body's authorship away. Merging is
# idempotent: storing the same data again changes no row.
_MERGE_READ = ("content_hash", *_POST_COLUMNS)
_KEEP_FIRST = ("url", "in_reply_to")
_SELECT_STORED = (  # column names are constants above, never input
    f"SELECT id, {', '.join(_MERGE_READ)} FROM posts WHERE platform = ?"  # noqa: S608
)
_HIGHEST = ("replies", "reposts", "likes", "quotes")


def merge_rows(stored: dict[str, Any], incoming: dict[str, Any]) -> dict[str, Any]:
    merged = dict(incoming)
    for column in _KEEP_FIRST:
        if stored[column] is not None:
            merged[column] = stored[column]
    for column in _HIGHEST:
        values = [v for v in (stored[column], incoming[column]) if v is not None]
        merged[column] = max(values) if values else None
    if stored["author_handle"] is not None and incoming["author_handle"] is None:
        merged["author_handle"], merged["author_key"] = (stored["author_handle"],
                                                         stored["author_key"])
    return with_hash(merged)


def _linked(kept: Sequence[StoredItem],
            stored: dict[tuple[str, str], tuple[int, dict[str, Any]]],
            fresh: dict[tuple[str, str], tuple[dict[str, Any], str]],
            changed: dict[int, tuple[dict[str, Any], str]]) -> list[Linked]:
    """Every post of the page, as now stored, for the conversation model."""
    out: dict[tuple[str, str], Linked] = {}
    addressed: dict[tuple[str, str], bool] = {}
    for item in kept:
        key = (item.post.platform, item.post.native_id)
        addressed[key] = addressed.get(key, False) or item.post.addressed
        post_id, before = stored[key]
        row = fresh[key][0] if key in fresh else changed[post_id][0] if post_id in changed \
            else before
        out[key] = Linked(post_id, key[0], key[1], str(row["created_at"]),
                          row["author_handle"] is not None, addressed[key],
                          item.post.thread_id, row["in_reply_to"])
    return list(out.values())


def _json(value: object) -> str:
    return _JSON.encode(value)


def _raw_json(item: StoredItem) -> str:
    return item.raw_json if item.raw_json is not None else _JSON.encode(item.raw)


# A new post's id is chosen here, max(id) + 1 onwards as SQLite itself would
# (``posts.id`` is a rowid without AUTOINCREMENT), read inside the page's
# BEGIN IMMEDIATE transaction: no other writer can take one meanwhile, and
# the rows need no second read to learn their ids.
_NEW_POST = ("id", *_POST_COLUMNS, "content_hash", "collected_at", "updated_at")
_INSERT_POSTS = f"INSERT INTO posts ({', '.join(_NEW_POST)})"
_NEW_VALUES = operator.itemgetter(*_POST_COLUMNS, "content_hash")
# A stored post that changed: its text and title only when they changed, so
# that the FTS5 trigger (``posts_au``, UPDATE OF text, title) re-indexes
# edits and nothing else.
_SET_COLUMNS = ("url", "created_at", "author_key", "author_handle", "lang", "replies",
                "reposts", "likes", "quotes", "place", "in_reply_to", "content_hash")
_UPDATE_POST = (  # column names are the constants above, never input
    "UPDATE posts SET " + ", ".join(f"{c} = :{c}" for c in _SET_COLUMNS)  # noqa: S608
    + ", updated_at = :now WHERE id = :id"
)
_UPDATE_TEXT = "UPDATE posts SET text = :text, title = :title WHERE id = :id"
_INSERT_RAW = ("INSERT INTO raw_payloads (post_id, source, request, payload, retrieved_at,"
               " collector_version)")
_UPSERT_RAW = (
    " ON CONFLICT (post_id) DO UPDATE SET source = excluded.source,"
    " request = excluded.request, payload = excluded.payload,"
    " retrieved_at = excluded.retrieved_at, collector_version = excluded.collector_version"
)
_INSERT_MATCHES = "INSERT INTO post_matches (post_id, source, query, first_seen_at)"
# The posts a post references (``Post.refs``; X's retweets, quotes and
# replies: about one X post in twelve), for erasure to find by index.
_INSERT_REFS = "INSERT INTO post_refs (post_id, kind, ref_id)"


class RollupChanges(Protocol):
    """The part of the rollups a page's write goes through (``storage.rollups``)."""

    def changing(self, post_ids: Sequence[int], *, rolled_only: bool = False
                 ) -> contextlib.AbstractContextManager[None]: ...


class Collection:
    """What collection writes and reads back: pages and their cursors.
    Runs on both backends (``storage.backend``)."""

    def __init__(self, db: Sql, rollups: RollupChanges) -> None:
        self.db = db
        self.blocklist = BlockList(db)
        self.rollups = rollups
        self.conversations = Conversations(db)

    def cursor(self, source: str) -> dict[str, str]:
        """The cursor saved with the source's last stored page ({} at first)."""
        return {
            row[0]: row[1]
            for row in self.db.execute(
                "SELECT key, value FROM cursors WHERE source = ?", [source]
            ).fetchall()
        }

    def _stored_rows(self, keys: Sequence[tuple[str, str]]
                     ) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
        """(platform, native_id) -> (post id, the stored columns that merge)."""
        found: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        by_platform: dict[str, list[str]] = {}
        for platform, native_id in dict.fromkeys(keys):
            by_platform.setdefault(platform, []).append(native_id)
        for platform, ids in by_platform.items():
            for marks, chunk in in_chunks(ids):
                rows = self.db.execute(f"{_SELECT_STORED} AND native_id IN ({marks})",
                                       [platform, *chunk]).fetchall()
                for row in rows:
                    columns = dict(zip(_MERGE_READ, row[1:], strict=True))
                    found[(platform, columns["native_id"])] = (int(row[0]), columns)
        return found

    def _recounted(self, source: str, changed: Mapping[int, Any],
                   stored: Mapping[tuple[str, str], tuple[int, Any]],
                   matched: Sequence[tuple[str, str]]) -> list[int]:
        """Stored posts whose rollup contribution this page may change: those
        whose content changed, and those this source matches for the first time."""
        seen = [stored[key][0] for key in dict.fromkeys(matched) if key in stored]
        if not seen:
            return list(changed)
        known: set[int] = set()
        for marks, chunk in in_chunks(seen):
            known.update(int(r[0]) for r in self.db.execute(
                "SELECT DISTINCT post_id FROM post_matches WHERE source = ? AND post_id IN"  # noqa: S608
                f" ({marks})", [source, *chunk]))
        return sorted(set(changed) | {pid for pid in seen if pid not in known})

    def _write(self, result: PageResult, source: str, query: str, now: str,
               request_json: str, collector_version: str,
               fresh: dict[tuple[str, str], tuple[dict[str, Any], str]],
               changed: dict[int, tuple[dict[str, Any], str]],
               stored: dict[tuple[str, str], tuple[int, dict[str, Any]]],
               matched: list[tuple[str, str]],
               refs: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
        """The page's posts, raw payloads, matches and references: one
        multi-row statement each (``Sql.insert_values``) for the new posts.
        ``refs``: the references of the page's posts that have any; those of
        the posts written (new or changed) are kept, each once."""
        conn = self.db
        if fresh:
            first = int(conn.execute("SELECT COALESCE(max(id), 0) + 1 FROM posts").fetchone()[0])
            new_ids = list(range(first, first + len(fresh)))
            conn.insert_values(_INSERT_POSTS, [
                (pid, *_NEW_VALUES(row), now, now)
                for pid, (row, _) in zip(new_ids, fresh.values(), strict=True)])
            conn.insert_values(_INSERT_RAW, [
                (pid, source, request_json, raw, now, collector_version)
                for pid, (_, raw) in zip(new_ids, fresh.values(), strict=True)])
            for pid, (key, (row, _)) in zip(new_ids, fresh.items(), strict=True):
                stored[key] = (pid, row)
            result.new, result.new_ids = len(new_ids), new_ids
        if changed:
            before = {pid: row for pid, row in stored.values()}
            conn.executemany(_UPDATE_POST, [
                {**row, "now": now, "id": pid} for pid, (row, _) in changed.items()])
            conn.executemany(_UPDATE_TEXT, [
                {"text": row["text"], "title": row["title"], "id": pid}
                for pid, (row, _) in changed.items()
                if (row["text"], row["title"]) != (before[pid]["text"], before[pid]["title"])])
            conn.insert_values(_INSERT_RAW, [
                (pid, source, request_json, raw, now, collector_version)
                for pid, (_, raw) in changed.items()], _UPSERT_RAW)
            result.updated = len(changed)
        conn.insert_values(_INSERT_MATCHES, [
            (stored[key][0], source, query, now) for key in dict.fromkeys(matched)],
            " ON CONFLICT DO NOTHING")
        if refs:
            written = {stored[key][0] for key in fresh} | changed.keys()
            rows = dict.fromkeys((stored[key][0], kind, ref_id) for key, pairs in refs.items()
                                 for kind, ref_id in pairs)
            conn.insert_values(_INSERT_REFS, [row for row in rows if row[0] in written],
                               " ON CONFLICT DO NOTHING")

    def save_page(
        self,
        *,
        source: str,
        run_id: int,
        items: Sequence[StoredItem],
        quarantined: Sequence[Quarantined] = (),
        query: str = "",
        cursor: Mapping[str, str] | None = None,
        request: Mapping[str, Any] | None = None,
        collector_version: str = "",
        fetched: int | None = None,
    ) -> PageResult:
        """Store one page in one transaction: new posts with their raw
        payloads, a match row per (post, source, query), quarantined items,
        the cursor that follows this page, and the run's counters.

        A post already stored is updated only where its content changed; its
        labels (another stage's rows) are never touched. New posts join the
        rollups when they are labelled; a stored post that changes or gains a
        source is counted again in this transaction."""
        result = PageResult(
            fetched=len(items) + len(quarantined) if fetched is None else fetched
        )
        now = utcnow()
        request_json = _json(dict(request or {}))
        with self.db.transaction(journal_in_memory=True):  # one page: small
            conn = self.db
            blocked = self.blocklist.authors()
            blocked_posts = self.blocklist.post_hashes()
            kept = [item for item in items
                    if (item.post.author_key is None or item.post.author_key not in blocked)
                    and not (blocked_posts and post_hash(item.post.platform, item.post.native_id)
                             in blocked_posts)]
            result.blocked = len(items) - len(kept)
            stored = self._stored_rows([(i.post.platform, i.post.native_id) for i in kept])
            fresh: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}  # row, raw JSON
            changed: dict[int, tuple[dict[str, Any], str]] = {}
            matched: list[tuple[str, str]] = []
            refs: dict[tuple[str, str], list[tuple[str, str]]] = {}
            for item in kept:
                key = (item.post.platform, item.post.native_id)
                matched.append(key)
                if item.post.refs:
                    refs.setdefault(key, []).extend(item.post.refs)
                row = post_row(item.post)
                if key in stored:  # stored before this page
                    result.duplicates += 1
                    post_id, before = stored[key]
                    merged = merge_rows(changed.get(post_id, (before,))[0], row)
                    if merged["content_hash"] != before["content_hash"]:
                        changed[post_id] = (merged, _raw_json(item))
                elif key in fresh:  # twice in this page
                    result.duplicates += 1
                    fresh[key] = (merge_rows(fresh[key][0], row), fresh[key][1])
                else:
                    fresh[key] = (row, _raw_json(item))
            recount = self._recounted(source, changed, stored, matched)
            with self.rollups.changing(recount, rolled_only=True):
                self._write(result, source, query, now, request_json, collector_version,
                            fresh, changed, stored, matched, refs)
                self.conversations.link(_linked(kept, stored, fresh, changed))
            for bad in quarantined:
                payload = bad.payload if isinstance(bad.payload, str) else _json(bad.payload)
                conn.execute(
                    "INSERT INTO quarantine (source, platform, run_id, error, payload,"
                    " received_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [source, bad.platform, run_id, bad.error, payload, now],
                )
                result.quarantined += 1
            for cursor_key, value in (cursor or {}).items():
                conn.execute(
                    "INSERT INTO cursors (source, key, value, updated_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (source, key) DO UPDATE SET value = excluded.value,"
                    " updated_at = excluded.updated_at",
                    [source, cursor_key, value, now],
                )
            conn.execute(
                "UPDATE runs SET pages = pages + 1, fetched = fetched + ?, new = new + ?,"
                " duplicates = duplicates + ?, quarantined = quarantined + ? WHERE id = ?",
                [result.fetched, result.new, result.duplicates, result.quarantined, run_id],
            )
        return result
