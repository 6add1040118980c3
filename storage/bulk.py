"""Bulk loading of already-labelled posts, for benchmarks and large imports.

Unlike ``save_page`` this keeps no raw payloads and no per-page cursor: it
is for building big test databases quickly (one transaction per batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from storage.collect import post_row
from storage.db import utcnow, write_transaction
from storage.records import Post

LabelSpec = tuple[str, str, float | None]  # task, label, score


def bulk_insert(
    db: Database,
    rows: Iterable[tuple[Post, Sequence[LabelSpec]]],
    *,
    source: str,
    classifier: str = "bulk",
    version: str = "1",
    batch_size: int = 20_000,
) -> int:
    """Insert posts with their labels and a match row for ``source``;
    return how many posts were inserted (existing ones are skipped)."""
    now = utcnow()
    inserted = 0
    batch: list[tuple[Post, Sequence[LabelSpec]]] = []

    def flush() -> None:
        nonlocal inserted
        with write_transaction(db):
            conn = db.conn
            for post, labels in batch:
                # the columns collection writes, named in one place; values are bound
                row = post_row(post)
                columns = ", ".join(row)
                values = ", ".join(f":{name}" for name in row)
                cur = conn.execute(
                    f"INSERT OR IGNORE INTO posts ({columns}, collected_at, updated_at)"  # noqa: S608
                    f" VALUES ({values}, :now, :now)",
                    {**row, "now": now},
                )
                if not cur.rowcount:
                    continue
                post_id = int(cur.lastrowid or 0)
                inserted += 1
                conn.execute(
                    "INSERT INTO post_matches (post_id, source, query, first_seen_at)"
                    " VALUES (?, ?, '', ?)", [post_id, source, now])
                conn.executemany(
                    "INSERT OR IGNORE INTO labels (post_id, task, label, score, classifier,"
                    " version, labelled_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(post_id, task, label, score, classifier, version, now)
                     for task, label, score in labels])
                conn.executemany(
                    "INSERT OR IGNORE INTO label_state (post_id, task, classifier, version,"
                    " labelled_at) VALUES (?, ?, ?, ?, ?)",
                    [(post_id, task, classifier, version, now)
                     for task in sorted({t for t, _, _ in labels})])
        batch.clear()

    for item in rows:
        batch.append(item)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return inserted


def analyse(db: Database) -> None:
    """Refresh the query planner's statistics (after a bulk load)."""
    db.execute("ANALYZE")
