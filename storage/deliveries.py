"""Deliveries: every message the service sends (the weekly report by
e-mail, an alert by e-mail or webhook, and later a team's digest), each
recorded before it is sent, so that a failure is retried and never lost and
a delivery that went out is never sent twice.

A delivery is one ``(kind, key, channel)``: ``("weekly_report", "2026-W47",
"email")``, ``("alert", "waste_recycling:2026-11-24", "webhook")``,
``("team_digest", "roads:2026-11-24T08", "email")``. Its life:

    request() -> pending --claim()--> sending --sent()-->  sent (final)
                                         |    --failed()--> failed --claim()--> sending ...

- ``request`` records it once; asking again for a recorded delivery
  changes nothing (a sent one stays sent).
- ``claim`` takes a pending or failed delivery (or one left ``sending`` by a
  process that died, once ``claimed_at`` is older than the caller's
  ``stale_before``) for one attempt, counting it; two senders never hold
  the same delivery at once.
- ``due`` lists what a sender should try now, oldest first.

``payload`` is the JSON the sender needs to build the message again on a
later run (a week and its report files, an alert's text, a team and the ids
of its posts); never a secret, and no post text or handle (ids only), so
that an erasure need not reach it. ``last_error`` is written redacted by the
sender.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql
from storage.timefmt import utcnow

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
_COLUMNS = ("id, kind, key, channel, state, payload, attempts, last_error, created_at,"
            " updated_at, claimed_at, sent_at")


@dataclass(frozen=True)
class Delivery:
    id: int
    kind: str
    key: str
    channel: str
    state: str
    payload: dict[str, Any]
    attempts: int
    last_error: str | None
    created_at: str
    updated_at: str
    claimed_at: str | None
    sent_at: str | None


def _delivery(row: tuple[Any, ...]) -> Delivery:
    return Delivery(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]),
                    json.loads(row[5]), int(row[6]), row[7], str(row[8]), str(row[9]),
                    row[10], row[11])


class Deliveries:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def request(self, kind: str, key: str, channel: str,
                payload: Mapping[str, Any] | None = None) -> Delivery:
        """The delivery ``(kind, key, channel)``, recorded as pending if new."""
        now = utcnow()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO deliveries (kind, key, channel, state, payload,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [kind, key, channel, PENDING, json.dumps(dict(payload or {}), sort_keys=True),
                 now, now])
        found = self.get(kind, key, channel)
        assert found is not None
        return found

    def get(self, kind: str, key: str, channel: str) -> Delivery | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM deliveries WHERE kind = ? AND key = ? AND channel = ?",  # noqa: S608
            [kind, key, channel]).fetchone()
        return _delivery(row) if row else None

    def due(self, *, stale_before: str, kinds: Collection[str] = ()) -> list[Delivery]:
        """Pending and failed deliveries, and those a dead sender left
        ``sending`` since before ``stale_before``; oldest first."""
        sql = (f"SELECT {_COLUMNS} FROM deliveries WHERE (state IN (?, ?)"  # noqa: S608
               " OR (state = ? AND claimed_at < ?))")
        params: list[Any] = [PENDING, FAILED, SENDING, stale_before]
        if kinds:
            sql += f" AND kind IN ({', '.join('?' * len(kinds))})"
            params += list(kinds)
        rows = self.db.execute(sql + " ORDER BY created_at, id", params).fetchall()
        return [_delivery(r) for r in rows]

    def claim(self, delivery_id: int, *, stale_before: str) -> bool:
        """Take the delivery for one attempt; False when it is sent or another
        sender holds it."""
        now = utcnow()
        with self.db.transaction():
            cur = self.db.execute(
                "UPDATE deliveries SET state = ?, claimed_at = ?, updated_at = ?,"
                " attempts = attempts + 1 WHERE id = ? AND (state IN (?, ?)"
                " OR (state = ? AND claimed_at < ?))",
                [SENDING, now, now, delivery_id, PENDING, FAILED, SENDING, stale_before])
        return bool(cur.rowcount)

    def sent(self, delivery_id: int) -> None:
        now = utcnow()
        with self.db.transaction():
            self.db.execute(
                "UPDATE deliveries SET state = ?, sent_at = ?, updated_at = ?, last_error = NULL"
                " WHERE id = ?", [SENT, now, now, delivery_id])

    def failed(self, delivery_id: int, error: str) -> None:
        with self.db.transaction():
            self.db.execute(
                "UPDATE deliveries SET state = ?, last_error = ?, updated_at = ? WHERE id = ?",
                [FAILED, error[:500], utcnow(), delivery_id])

    def failing(self) -> list[Delivery]:
        """Deliveries whose last attempt failed (they are retried), oldest first."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM deliveries WHERE state = ? ORDER BY created_at, id",  # noqa: S608
            [FAILED]).fetchall()
        return [_delivery(r) for r in rows]

    def recent(self, limit: int = 20) -> list[Delivery]:
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM deliveries ORDER BY updated_at DESC, id DESC LIMIT ?",  # noqa: S608
            [limit]).fetchall()
        return [_delivery(r) for r in rows]
