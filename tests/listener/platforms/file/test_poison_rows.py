"""Poison rows, encodings and duplicate ids in file imports (issue 16: "One
poison row fails the whole import", "Latin-1, cp1252 and UTF-16 files fail
with a raw codec error and no line number", "A duplicate id within one file
silently overwrites"): the bad line is quarantined with its number and the
reason, everything else is stored, and nothing raises."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine

from listener.pipeline import collect_source
from listener.platforms.file.config import FileSourceConfig
from listener.platforms.file.source import FileSource
from listener.privacy.pseudonym import Pseudonymiser
from storage import Store
from tests.cli import Cli

PSEUDO = Pseudonymiser(b"p" * 32)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def source(path: Path, **overrides: Any) -> FileSource:
    return FileSource("survey", FileSourceConfig(type="file", path=str(path), **overrides))


def stored(store: Store) -> dict[str, tuple[str, int | None]]:
    return {r[0]: (r[1], r[2]) for r in store.db.execute(
        "SELECT native_id, text, likes FROM posts")}


def quarantined(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT error FROM quarantine ORDER BY id")]


def row(n: int, **fields: Any) -> dict[str, Any]:
    base = {"id": f"r{n}", "text": f"bins late on street {n}",
            "created_at": "2026-11-20T09:00:00Z", "author": f"resident{n}", "likes": 2}
    return {**base, **fields}


def jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    # ensure_ascii: a lone surrogate travels as a \ud800 escape, as a real export carries it
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


POISON = {
    "likes inf": ({"likes": "inf"}, "likes"),
    "likes Infinity": ({"likes": float("inf")}, "likes"),
    "likes NaN": ({"likes": float("nan")}, "likes"),
    "likes 1e30": ({"likes": 1e30}, "likes"),
    "likes '1e30'": ({"likes": "1e30"}, "likes"),
    "lone surrogate in text": ({"text": "bins \ud800 late"}, "text"),
    "lone surrogate in author": ({"author": "res\udfffident"}, "author"),
    "created in 2099": ({"created_at": "2099-01-01T00:00:00Z"}, "future"),
    "created on 9999-12-31": ({"created_at": "9999-12-31T23:59:59Z"}, "future"),
    "timestamp 1e30": ({"created_at": 1e30}, "created_at"),
}


@pytest.mark.parametrize("name", list(POISON))
def test_one_poison_row_is_quarantined_with_its_line_and_the_rest_stored(
        tmp_path: Path, store: Store, name: str) -> None:
    fields, reason = POISON[name]
    path = jsonl(tmp_path / "export.jsonl", [row(1), row(2), row(3, **fields), row(4)])
    with time_machine.travel(NOW, tick=False):
        summary = collect_source(store, "survey", source(path), PSEUDO)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 3, 1), summary.error
    assert set(stored(store)) == {"r1", "r2", "r4"}
    (error,) = quarantined(store)
    assert error.startswith("line 3: ") and reason in error, error


def test_future_dates_within_the_tolerance_are_kept(tmp_path: Path, store: Store) -> None:
    path = jsonl(tmp_path / "export.jsonl", [
        row(1, created_at="2026-12-01T20:00:00Z"),   # 8 hours ahead: a clock or zone slip
        row(2, created_at="2026-12-03T12:00:01Z")])  # more than a day ahead
    with time_machine.travel(NOW, tick=False):
        collect_source(store, "survey", source(path), PSEUDO)
    assert set(stored(store)) == {"r1"}
    (error,) = quarantined(store)
    assert error.startswith("line 2: ") and "in the future" in error and "24 hours" in error


TEXT = "Café closed, £5 fine – bins “missed” again"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-8-sig",
                                      "utf-8"])
def test_encodings_are_detected(tmp_path: Path, store: Store, encoding: str) -> None:
    text = TEXT if encoding != "latin-1" else TEXT.replace("–", "-").replace("“", '"') \
        .replace("”", '"')
    path = tmp_path / "survey.csv"
    path.write_bytes(("id,text,created_at,author\n"
                      f"a,{text.replace(',', ';')},2026-11-20T09:00:00Z,jo\n"
                      "b,plain words,2026-11-20T10:00:00Z,al\n").encode(encoding))
    summary = collect_source(store, "survey", source(path), PSEUDO)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 2, 0), summary.error
    assert stored(store)["a"][0] == text.replace(",", ";")


def test_a_wrong_encoding_names_the_line_and_keeps_the_rest(tmp_path: Path,
                                                            store: Store) -> None:
    path = tmp_path / "survey.csv"
    path.write_bytes(("id,text,created_at,author\n"
                      "a,plain words,2026-11-20T09:00:00Z,jo\n"
                      "b,Café closed,2026-11-20T10:00:00Z,al\n"
                      "c,more words,2026-11-20T11:00:00Z,mo\n").encode("cp1252"))
    summary = collect_source(store, "survey", source(path, encoding="utf-8"), PSEUDO)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 2, 1), summary.error
    (error,) = quarantined(store)
    assert error.startswith("line 3: ") and "utf-8" in error and "--encoding" in error


def test_the_encoding_option_of_the_import_command(tmp_path: Path, cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"storage:\n  path: {tmp_path / 'db.sqlite'}\n"
                      f"  data_dir: {tmp_path / 'data'}\n")
    path = tmp_path / "survey.csv"
    path.write_bytes(("id,text,created_at,author\n"
                      f"a,{TEXT.replace(',', ';')},2026-11-20T09:00:00Z,jo\n").encode("cp1252"))
    done = cli("-c", config, "import", path, "--encoding", "cp1252")
    assert done.returncode == 0 and "1 new" in done.stdout, done.output
    bad = cli("-c", config, "import", path, "--encoding", "klingon")
    assert bad.returncode == 2 and "klingon" in bad.output


def test_a_duplicate_id_is_reported_with_its_line(tmp_path: Path, store: Store) -> None:
    path = jsonl(tmp_path / "export.jsonl", [row(1), row(2), row(1, text="changed later")])
    summary = collect_source(store, "survey", source(path), PSEUDO)
    assert (summary.new, summary.quarantined) == (2, 1)
    assert stored(store)["r1"][0] == "bins late on street 1"  # not overwritten
    (error,) = quarantined(store)
    assert error == "line 3: duplicate id 'r1' in this file (first on line 1); not stored"


def test_a_duplicate_id_across_pages_and_a_resumed_import(tmp_path: Path, store: Store) -> None:
    rows = [row(n) for n in range(1, 8)] + [row(2, text="again")]
    path = jsonl(tmp_path / "export.jsonl", rows)
    summary = collect_source(store, "survey", source(path, page_size=3), PSEUDO)
    assert (summary.new, summary.quarantined) == (7, 1)
    assert quarantined(store) == [
        "line 8: duplicate id 'r2' in this file (first on line 2); not stored"]


# -- fuzz: 1,000 rows with random poison -------------------------------------

def _poison(rng: random.Random, n: int, ids: list[str]) -> tuple[dict[str, Any], str]:
    """A row with one poisoned field, and the word its quarantine reason holds."""
    kind = rng.choice(["likes", "text", "author", "created", "id", "duplicate", "type"])
    if kind == "likes":
        return row(n, likes=rng.choice(["inf", "-inf", "nan", 1e30, "1e30", 2**70, "-4",
                                        "lots", float("inf"), float("nan"), -1e25])), "likes"
    if kind == "text":
        return row(n, text=rng.choice(["\ud800", "ok \udcff then", "", "   ", None, 12.5,
                                       ["a list"], {"an": "object"}])), "text"
    if kind == "author":
        return row(n, author=rng.choice(["\ud83d", "jo\udc80", ["x"]])), "author"
    if kind == "created":
        return row(n, created_at=rng.choice(["2099-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                                             "not a date", "", 1e30, -1e20, float("nan"),
                                             "2026-13-45T00:00:00Z", None])), "created"
    if kind == "id":
        return row(n, id=rng.choice(["", None, "   ", ["x"], "\ud800"])), "id"
    if kind == "duplicate" and ids:
        return row(n, id=rng.choice(ids)), "duplicate"
    return row(n, replies=rng.choice(["x", float("inf"), 1e40])), "replies"


def test_fuzz_a_thousand_rows_with_random_poison(tmp_path: Path, store: Store) -> None:
    rng = random.Random(1616)
    rows: list[dict[str, Any]] = []
    bad: dict[int, str] = {}  # line -> word in the reason
    good_ids: list[str] = []
    for n in range(1, 1001):
        if rng.random() < 0.35:
            poisoned, reason = _poison(rng, n, good_ids)
            rows.append(poisoned)
            bad[n] = reason
        else:
            rows.append(row(n, text=f"row {n}: {rng.choice(['ok', 'Café £5', 'emoji 🚮'])}",
                            likes=rng.choice([0, 3, "7", None, ""])))
            good_ids.append(f"r{n}")
    path = jsonl(tmp_path / "fuzz.jsonl", rows)

    with time_machine.travel(NOW, tick=False):
        summary = collect_source(store, "survey", source(path, page_size=97), PSEUDO)

    assert summary.status == "ok", summary.error
    assert set(stored(store)) == set(good_ids)
    errors = quarantined(store)
    assert len(errors) == len(bad) == summary.quarantined
    lines = [int(e.split(":", 1)[0].removeprefix("line ")) for e in errors]
    assert lines == sorted(bad)
    for error, line in zip(errors, lines, strict=True):
        assert bad[line] in error or (bad[line] == "created" and "future" in error), error
