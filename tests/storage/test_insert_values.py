"""Multi-row INSERTs (``Sql.insert_values``): every row in, each value as
bound one at a time would have stored it."""

from __future__ import annotations

import math

from storage import Store
from storage.db import BIND_NULL


def test_none_is_stored_as_null_and_every_other_value_as_given(any_store: Store) -> None:
    """On SQLite a None is bound as a NaN (``storage.db.BIND_NULL``: the
    driver binds None slowly), which SQLite stores as NULL: the same NULL,
    never a number, in every column type; real NaN-free values pass as they are."""
    assert math.isnan(BIND_NULL)
    sql = any_store.sql
    sql.execute("CREATE TABLE nulls (id INTEGER PRIMARY KEY, t TEXT, i INTEGER, r REAL, u TEXT)")
    rows = [(1, None, None, None, "one"), (2, "two", 2, 2.5, None), (3, "", 0, 0.0, "x")]
    sql.insert_values("INSERT INTO nulls (id, t, i, r, u)", rows)
    assert [tuple(r) for r in sql.execute("SELECT id, t, i, r, u FROM nulls ORDER BY id")] == rows
    nulls = sql.execute("SELECT count(*) FROM nulls WHERE t IS NULL OR i IS NULL"
                        " OR r IS NULL OR u IS NULL").fetchone()[0]
    assert nulls == 2
    if sql.dialect == "sqlite":
        assert [tuple(r) for r in sql.execute(
            "SELECT typeof(t), typeof(i), typeof(r), typeof(u) FROM nulls ORDER BY id")] == [
            ("null", "null", "null", "text"), ("text", "integer", "real", "null"),
            ("text", "integer", "real", "text")]
