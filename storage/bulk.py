"""A bulk load for benchmarks: posts with their labels, many per transaction.

Not for collection (no raw payloads, no cursors, no de-duplication against
stored posts): ``save_page`` stays the one path real data takes.

Runs on both backends with the same statements. The posts' ids are chosen
here, max(id) + 1 onwards, as ``save_page`` chooses them (so PostgreSQL's
identity sequence on posts is not drawn from by either).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

from storage import fts
from storage.backend import Sql, SqliteSql
from storage.collect import post_row
from storage.records import LabelRecord, Post
from storage.rollups import Rollups
from storage.timefmt import utcnow

_POST_SQL = (
    "INSERT INTO posts (id, platform, native_id, url, text, title, created_at, collected_at,"
    " updated_at, author_key, author_handle, lang, replies, reposts, likes, quotes, place,"
    " in_reply_to, content_hash) VALUES (:id, :platform, :native_id, :url, :text, :title,"
    " :created_at, :now, :now, :author_key, :author_handle, :lang, :replies, :reposts,"
    " :likes, :quotes, :place, :in_reply_to, :content_hash)"
)


class BulkLoad:
    def __init__(self, db: Sql, rollups: Rollups) -> None:
        self.db = db
        self.rollups = rollups

    def load(self, items: Iterable[tuple[Post, Sequence[LabelRecord]]], *,
             looked_at: Mapping[str, tuple[str, str]], source: str = "bench",
             config_hash: str | None = None, chunk: int = 20_000) -> int:
        """Insert posts with their references (``Post.refs``) and labels
        (``LabelRecord.post_id`` is ignored: each label goes to its post),
        marking every post as looked at by the (classifier, version) of each
        task in ``looked_at``. Returns the number of posts inserted. Each
        chunk is rolled up as classification would roll it (a post without
        labels or tasks stays queued)."""
        row = self.db.execute("SELECT COALESCE(max(id), 0) FROM posts").fetchone()
        next_id = int(row[0]) + 1
        now = utcnow()
        total = 0
        iterator = iter(items)
        while batch := list(islice(iterator, chunk)):
            posts, labels, states, matches, refs = [], [], [], [], []
            for post, post_labels in batch:
                pid = next_id
                next_id += 1
                posts.append({**post_row(post), "id": pid, "now": now})
                matches.append((pid, source, "", now))
                refs += [(pid, kind, ref_id) for kind, ref_id in dict.fromkeys(post.refs)]
                for lab in post_labels:
                    labels.append((pid, lab.task, lab.label, lab.score, lab.classifier,
                                   lab.version, lab.model_id,
                                   json.dumps(list(lab.evidence)) if lab.evidence else None,
                                   config_hash, now))
                for task, (classifier, version) in looked_at.items():
                    states.append((pid, task, classifier, version, config_hash, now))
            labelled = [p["id"] for p, (_, post_labels) in zip(posts, batch, strict=True)
                        if post_labels or looked_at]
            with self.db.transaction():
                self.db.executemany(_POST_SQL, posts)
                self.db.executemany(
                    "INSERT INTO post_matches (post_id, source, query, first_seen_at)"
                    " VALUES (?, ?, ?, ?)", matches)
                if refs:
                    self.db.executemany(
                        "INSERT INTO post_refs (post_id, kind, ref_id) VALUES (?, ?, ?)", refs)
                self._labels(labels, states, labelled)
            total += len(batch)
        return total

    def _labels(self, labels: Sequence[tuple[Any, ...]], states: Sequence[tuple[Any, ...]],
                labelled: list[int]) -> None:
        with self.rollups.changing(labelled):
            self.db.executemany(
                "INSERT INTO labels (post_id, task, label, score, classifier, version,"
                " model_id, evidence, config_hash, labelled_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", labels)
            self.db.executemany(
                "INSERT INTO label_state (post_id, task, classifier, version, config_hash,"
                " labelled_at) VALUES (?, ?, ?, ?, ?, ?)", states)

    def analyse(self) -> None:
        """Refresh the query planner's statistics (after a bulk load), without
        samples of the full-text index's own tables (``fts.drop_samples``)."""
        self.db.execute("ANALYZE")
        if isinstance(self.db, SqliteSql):
            fts.drop_samples(self.db.database)
