"""The action log ("you said, we did"): what the body did about a topic,
and the audit trail of every change to it.

An action is added once and corrected as often as needed; each addition
and correction writes a row of ``action_edits`` in the same transaction
(who, when, the fields before and after, why), so the trail is complete by
construction. Nothing is deleted: a correction may withdraw an action
(recorded in error), which keeps it and its trail but takes it out of
reports and charts.

Tables: ``actions``, ``action_edits`` (``storage.migrations.m160_routing_actions``).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from typing import Any

from storage.backend import Sql
from storage.timefmt import utcnow

_COLUMNS = ("id, topic, place, day, text, link, withdrawn, created_by, created_at,"
            " updated_at")


@dataclass(frozen=True)
class ActionFields:
    """What an editor writes, and what a correction may change."""

    topic: str
    day: str  # local date, YYYY-MM-DD
    text: str
    place: str | None = None
    link: str | None = None
    withdrawn: bool = False


@dataclass(frozen=True)
class Action:
    id: int
    fields: ActionFields
    created_by: str
    created_at: str  # UTC
    updated_at: str

    @property
    def topic(self) -> str:
        return self.fields.topic

    @property
    def day(self) -> str:
        return self.fields.day


@dataclass(frozen=True)
class ActionEdit:
    action_id: int
    edited_by: str
    edited_at: str  # UTC
    before: dict[str, Any] | None  # None: the action was added
    after: dict[str, Any]
    reason: str | None


def _action(row: tuple[Any, ...]) -> Action:
    return Action(int(row[0]), ActionFields(
        topic=str(row[1]), place=row[2], day=str(row[3]), text=str(row[4]), link=row[5],
        withdrawn=bool(row[6])), str(row[7]), str(row[8]), str(row[9]))


class Actions:
    def __init__(self, sql: Sql) -> None:
        self.sql = sql

    def add(self, fields: ActionFields, by: str) -> Action:
        now = utcnow()
        with self.sql.transaction():
            action_id = self.sql.insert_id(
                "INSERT INTO actions (topic, place, day, text, link, withdrawn, created_by,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [fields.topic, fields.place, fields.day, fields.text, fields.link,
                 int(fields.withdrawn), by, now, now])
            self._trail(action_id, by, now, None, fields, None)
        found = self.get(action_id)
        assert found is not None
        return found

    def correct(self, action_id: int, by: str, changes: dict[str, Any],
                reason: str | None = None) -> Action:
        """Change some of an action's fields (``ActionFields`` names); the
        trail records them. KeyError: no such action; ValueError: nothing
        would change."""
        now = utcnow()
        with self.sql.transaction():
            current = self.get(action_id)
            if current is None:
                raise KeyError(action_id)
            after = replace(current.fields, **changes)
            if after == current.fields:
                raise ValueError("nothing to change: every field already has that value")
            self.sql.execute(
                "UPDATE actions SET topic = ?, place = ?, day = ?, text = ?, link = ?,"
                " withdrawn = ?, updated_at = ? WHERE id = ?",
                [after.topic, after.place, after.day, after.text, after.link,
                 int(after.withdrawn), now, action_id])
            self._trail(action_id, by, now, current.fields, after, reason)
        found = self.get(action_id)
        assert found is not None
        return found

    def _trail(self, action_id: int, by: str, at: str, before: ActionFields | None,
               after: ActionFields, reason: str | None) -> None:
        self.sql.execute(
            "INSERT INTO action_edits (action_id, edited_by, edited_at, before, after, reason)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [action_id, by, at, json.dumps(asdict(before), sort_keys=True) if before else None,
             json.dumps(asdict(after), sort_keys=True), reason])

    def get(self, action_id: int) -> Action | None:
        row = self.sql.execute(f"SELECT {_COLUMNS} FROM actions WHERE id = ?",  # noqa: S608
                               [action_id]).fetchone()
        return _action(row) if row else None

    def listed(self, *, first_day: str | None = None, last_day: str | None = None,
               topic: str | None = None, withdrawn: bool = False) -> list[Action]:
        """Actions by day (then id), within the days given; withdrawn ones only
        when asked for."""
        sql, params = f"SELECT {_COLUMNS} FROM actions WHERE 1 = 1", []  # noqa: S608
        if first_day is not None:
            sql += " AND day >= ?"
            params.append(first_day)
        if last_day is not None:
            sql += " AND day <= ?"
            params.append(last_day)
        if topic is not None:
            sql += " AND topic = ?"
            params.append(topic)
        if not withdrawn:
            sql += " AND withdrawn = 0"
        return [_action(r) for r in self.sql.execute(sql + " ORDER BY day, id", params)]

    def history(self, action_id: int) -> list[ActionEdit]:
        """The action's trail, oldest first."""
        return [ActionEdit(int(r[0]), str(r[1]), str(r[2]),
                           json.loads(r[3]) if r[3] else None, json.loads(r[4]), r[5])
                for r in self.sql.execute(
                    "SELECT action_id, edited_by, edited_at, before, after, reason"
                    " FROM action_edits WHERE action_id = ? ORDER BY id", [action_id])]
