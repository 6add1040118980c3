"""Writes made by collection: posts, matches, raw payloads, cursors, runs
and quarantine. ``save_page`` is the one transaction per fetched page."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from storage.db import iso, utcnow, write_transaction
from storage.records import PageResult, Post, Quarantined, RunRecord, StoredItem

_POST_COLUMNS = (
    "platform", "native_id", "url", "text", "title", "created_at", "author_key",
    "author_handle", "lang", "replies", "reposts", "likes", "quotes", "place",
    "in_reply_to",
)


class StorageError(RuntimeError):
    """A write that storage refuses."""


def post_row(post: Post) -> dict[str, Any]:
    if post.author_handle is not None and not post.author_official:
        raise StorageError(
            f"refusing a clear author handle on {post.platform}:{post.native_id}: "
            "only allow-listed official accounts keep their handle"
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


def with_hash(row: dict[str, Any]) -> dict[str, Any]:
    row["content_hash"] = hashlib.sha256(
        json.dumps([row[c] for c in _POST_COLUMNS], ensure_ascii=False).encode()
    ).hexdigest()[:32]
    return row


# Columns read back when a stored post is seen again, and how they merge:
# engagement counts only grow (the highest seen wins, so copies of one post
# from several instances or queries do not flip-flop); the first-seen link
# and reply pointer stay (both can be instance-local); the content is the
# latest seen (an edit). Merging is idempotent: storing the same data again
# changes no row.
_MERGE_READ = ("content_hash", *_POST_COLUMNS)
_KEEP_FIRST = ("url", "in_reply_to")
_SELECT_STORED = (  # column names are constants above, never input
    f"SELECT id, {', '.join(_MERGE_READ)} FROM posts WHERE platform = ? AND native_id = ?"  # noqa: S608
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
    return with_hash(merged)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class CollectWrites:
    db: Database

    def start_run(self, source: str) -> int:
        with write_transaction(self.db):
            cur = self.db.execute(
                "INSERT INTO runs (source, started_at, status) VALUES (?, ?, 'running')",
                [source, utcnow()],
            )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, error: str | None = None) -> None:
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?",
                [status, utcnow(), error, run_id],
            )

    def close_abandoned_runs(self, source: str | None = None) -> int:
        """Mark runs left 'running' by a killed process as interrupted."""
        sql = "UPDATE runs SET status = 'interrupted', ended_at = ? WHERE status = 'running'"
        params: list[Any] = [utcnow()]
        if source is not None:
            sql += " AND source = ?"
            params.append(source)
        with write_transaction(self.db):
            cur = self.db.execute(sql, params)
        return int(cur.rowcount)

    def get_cursor(self, source: str) -> dict[str, str]:
        return {
            row[0]: row[1]
            for row in self.db.execute(
                "SELECT key, value FROM cursors WHERE source = ?", [source]
            ).fetchall()
        }

    def blocked_authors(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT author_key FROM blocked_authors")}

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
        labels (another stage's rows) are never touched."""
        result = PageResult(
            fetched=len(items) + len(quarantined) if fetched is None else fetched
        )
        now = utcnow()
        request_json = _json(dict(request or {}))
        with write_transaction(self.db):
            blocked = self.blocked_authors()
            conn = self.db.conn
            for item in items:
                post = item.post
                if post.author_key is not None and post.author_key in blocked:
                    result.blocked += 1
                    continue
                row = post_row(post)
                existing = conn.execute(
                    _SELECT_STORED,
                    [post.platform, post.native_id],
                ).fetchone()
                if existing is None:
                    cur = conn.execute(
                        "INSERT INTO posts (platform, native_id, url, text, title, created_at,"
                        " collected_at, updated_at, author_key, author_handle, lang, replies,"
                        " reposts, likes, quotes, place, in_reply_to, content_hash)"
                        " VALUES (:platform, :native_id, :url, :text, :title, :created_at,"
                        " :now, :now, :author_key, :author_handle, :lang, :replies, :reposts,"
                        " :likes, :quotes, :place, :in_reply_to, :content_hash)",
                        {**row, "now": now},
                    )
                    post_id = int(cur.lastrowid or 0)
                    conn.execute(
                        "INSERT INTO raw_payloads (post_id, source, request, payload,"
                        " retrieved_at, collector_version) VALUES (?, ?, ?, ?, ?, ?)",
                        [post_id, source, request_json, _json(item.raw), now, collector_version],
                    )
                    result.new += 1
                    result.new_ids.append(post_id)
                else:
                    post_id = int(existing[0])
                    result.duplicates += 1
                    merged = merge_rows(dict(zip(_MERGE_READ, existing[1:], strict=True)), row)
                    if existing[1] != merged["content_hash"]:
                        conn.execute(
                            "UPDATE posts SET url = :url, text = :text, title = :title,"
                            " created_at = :created_at, author_key = :author_key,"
                            " author_handle = :author_handle, lang = :lang,"
                            " replies = :replies, reposts = :reposts, likes = :likes,"
                            " quotes = :quotes, place = :place, in_reply_to = :in_reply_to,"
                            " content_hash = :content_hash, updated_at = :now WHERE id = :id",
                            {**merged, "now": now, "id": post_id},
                        )
                        conn.execute(
                            "INSERT INTO raw_payloads (post_id, source, request, payload,"
                            " retrieved_at, collector_version) VALUES (?, ?, ?, ?, ?, ?)"
                            " ON CONFLICT (post_id) DO UPDATE SET source = excluded.source,"
                            " request = excluded.request, payload = excluded.payload,"
                            " retrieved_at = excluded.retrieved_at,"
                            " collector_version = excluded.collector_version",
                            [post_id, source, request_json, _json(item.raw), now,
                             collector_version],
                        )
                        result.updated += 1
                conn.execute(
                    "INSERT OR IGNORE INTO post_matches (post_id, source, query, first_seen_at)"
                    " VALUES (?, ?, ?, ?)",
                    [post_id, source, query, now],
                )
            for bad in quarantined:
                payload = bad.payload if isinstance(bad.payload, str) else _json(bad.payload)
                conn.execute(
                    "INSERT INTO quarantine (source, platform, run_id, error, payload,"
                    " received_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [source, bad.platform, run_id, bad.error, payload, now],
                )
                result.quarantined += 1
            for key, value in (cursor or {}).items():
                conn.execute(
                    "INSERT INTO cursors (source, key, value, updated_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (source, key) DO UPDATE SET value = excluded.value,"
                    " updated_at = excluded.updated_at",
                    [source, key, value, now],
                )
            conn.execute(
                "UPDATE runs SET pages = pages + 1, fetched = fetched + ?, new = new + ?,"
                " duplicates = duplicates + ?, quarantined = quarantined + ? WHERE id = ?",
                [result.fetched, result.new, result.duplicates, result.quarantined, run_id],
            )
        return result

    def quarantine_items(self, source: str, run_id: int | None,
                         items: Sequence[Quarantined]) -> None:
        """Quarantine items outside a page (a whole response that failed)."""
        now = utcnow()
        with write_transaction(self.db):
            for bad in items:
                payload = bad.payload if isinstance(bad.payload, str) else _json(bad.payload)
                self.db.execute(
                    "INSERT INTO quarantine (source, platform, run_id, error, payload,"
                    " received_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [source, bad.platform, run_id, bad.error, payload, now],
                )
            if run_id is not None:
                self.db.execute(
                    "UPDATE runs SET quarantined = quarantined + ? WHERE id = ?",
                    [len(items), run_id],
                )

    def runs(self, source: str | None = None, limit: int = 50) -> list[RunRecord]:
        sql = ("SELECT id, source, started_at, ended_at, status, fetched, new, duplicates,"
               " quarantined, error FROM runs")
        params: list[Any] = []
        if source is not None:
            sql += " WHERE source = ?"
            params.append(source)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return [RunRecord(*row) for row in self.db.execute(sql, params).fetchall()]

    def last_run(self, source: str, status: str | None = None) -> RunRecord | None:
        sql = ("SELECT id, source, started_at, ended_at, status, fetched, new, duplicates,"
               " quarantined, error FROM runs WHERE source = ?")
        params: list[Any] = [source]
        if status is not None:
            sql += " AND status = ?"
            params.append(status)
        row = self.db.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        return RunRecord(*row) if row else None
