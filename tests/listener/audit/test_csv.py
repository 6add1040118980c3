"""The audit CSV round trip as staff make it: draw, fill in the labels in a
spreadsheet, load; formula-safe cells read back without their guard; every
problem named by file, line and column, and a bad file stores nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from listener.audit.csvfile import COLUMNS, read_csv, write_csv
from nlp.formula_guard import guard as safe_cell
from nlp.formula_guard import unguard as unguard_cell
from storage import Store
from storage.audit_records import ItemToLabel
from tests.cli import Cli
from tests.listener.audit.conftest import HOSTILE

TOPICS = {"waste_recycling": "Bins, waste and recycling", "roads_potholes": "Roads and potholes"}


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def fill(path: Path, label: dict[int, tuple[str, str]]) -> None:
    """Staff fill in sentiment and topics per item, as a spreadsheet saves it."""
    rows = rows_of(path)
    for row in rows:
        if int(row["item"]) in label:
            row["sentiment"], row["topics"] = label[int(row["item"])]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_every_cell_reads_back_as_written_once_the_guard_is_stripped() -> None:
    for text in (*HOSTILE, "-5 degrees", "\tindent", "''double", "plain", "", "'"):
        assert unguard_cell(safe_cell(text)) == text
    assert safe_cell(HOSTILE[0]).startswith("'=")  # a spreadsheet shows it as text


def test_write_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    items = [ItemToLabel(3, 1, "x", "2026-11-17T09:00:00+00:00", HOSTILE[0]),
             ItemToLabel(3, 2, "reddit", "2026-11-17T10:00:00+00:00", "line one\nline two")]
    assert write_csv(path, items) == 2
    rows = rows_of(path)
    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["text"] == safe_cell(HOSTILE[0]) and rows[1]["text"] == "line one\nline two"
    fill(path, {1: ("Negative", "Bins, waste and recycling; roads_potholes"), 2: ("", "none")})
    labelled, blank = read_csv(path, TOPICS)
    assert blank == 0
    assert [(r.line, r.audit_id, r.position, r.gold) for r in labelled] == [
        (2, 3, 1, {"sentiment": ("negative",), "topic": ("waste_recycling", "roads_potholes")}),
        (3, 3, 2, {"topic": ()})]


def test_the_round_trip_through_the_commands(config: Path, db: Path, cli: Cli) -> None:
    out = config.parent / "audit.csv"
    drawn = cli("-c", config, "audit", "draw", "--week", "2026-W47", "--n", "12", "--seed",
                "3", "--out", out)
    assert drawn.returncode == 0, drawn.output
    assert "audit 1: 12 of the 30 classified posts of 2026-W47, from 4 strata" in drawn.stdout
    assert "judges sentiment.vader v1, topics.keywords v1" in drawn.stdout
    text = out.read_text(encoding="utf-8-sig")
    assert "predicted" not in text and "author" not in text and "key-" not in text
    rows = rows_of(out)
    assert len(rows) == 12 and {r["audit"] for r in rows} == {"1"}
    assert all(r["sentiment"] == r["topics"] == "" for r in rows)
    for row in rows:  # hostile cells are guarded; handles masked except the body's own
        assert not row["text"].startswith(("=", "+", "@"))
        assert "bob_smith" not in row["text"]
    labels = {int(r["item"]): ("neutral", "waste_recycling") for r in rows[:10]}
    fill(out, labels)
    loaded = cli("-c", config, "audit", "load", out, "--labeller", "alice")
    assert loaded.returncode == 0, loaded.output
    assert "stored 20 labels of 10 posts (audit 1); 2 rows left blank" in loaded.stdout
    with Store.open(db) as store:
        audit = store.audits.get(1)
        assert audit is not None
        done = audit.labelled("sentiment")
        assert {i.position for i in done} == set(labels)
        assert all(i.gold == {"sentiment": ("neutral",), "topic": ("waste_recycling",)}
                   and i.labeller == "alice" for i in done)
    listed = cli("-c", config, "audit", "list")
    assert "audit 1: 2026-W47" in listed.stdout and "10/12 labelled" in listed.stdout


def test_a_bad_file_names_each_problem_and_stores_nothing(config: Path, db: Path,
                                                          cli: Cli) -> None:
    out = config.parent / "audit.csv"
    assert cli("-c", config, "audit", "draw", "--n", "5", "--week", "2026-W47", "--out",
               out).returncode == 0
    items = [int(r["item"]) for r in rows_of(out)]
    fill(out, {items[0]: ("negatve", "waste_recycling"), items[1]: ("neutral", "binz"),
               items[2]: ("positive", "none")})
    bad = cli("-c", config, "audit", "load", out, "--labeller", "alice")
    assert bad.returncode == 1
    assert (f"{out}, line 2, column 'sentiment': 'negatve' is not a sentiment; did you mean "
            "'negative'?") in bad.stderr
    assert f"{out}, line 3, column 'topics': 'binz' is not a topic" in bad.stderr
    with Store.open(db) as store:
        audit = store.audits.get(1)
        assert audit is not None and audit.labelled("sentiment") == []
    fill(out, {items[0]: ("negative", "waste_recycling"), items[1]: ("neutral", "none")})
    nobody = cli("-c", config, "audit", "load", out)
    assert nobody.returncode == 1 and "give --labeller NAME" in nobody.stderr
    unknown = config.parent / "other.csv"
    unknown.write_text("audit,item,sentiment,topics\n7,1,neutral,none\n", encoding="utf-8")
    refused = cli("-c", config, "audit", "load", unknown, "--labeller", "a")
    assert refused.returncode == 1 and "there is no audit 7" in refused.stderr
    missing = config.parent / "bare.csv"
    missing.write_text("audit,item\n1,1\n", encoding="utf-8")
    no_columns = cli("-c", config, "audit", "load", missing, "--labeller", "a")
    assert "missing column(s) sentiment, topics" in no_columns.stderr


def test_the_same_seed_draws_the_same_posts_again(config: Path, db: Path, cli: Cli) -> None:
    for _ in range(2):
        assert cli("-c", config, "audit", "draw", "--week", "2026-W47", "--n", "8", "--seed",
                   "5", "--out", config.parent / "a.csv").returncode == 0
    with Store.open(db) as store:
        first, second = store.audits.get(1), store.audits.get(2)
        assert first is not None and second is not None
        assert [i.post_id for i in first.items] == [i.post_id for i in second.items]


def test_draw_refuses_a_week_without_classified_posts(config: Path, cli: Cli) -> None:
    empty = cli("-c", config, "audit", "draw", "--week", "2026-W40")
    assert empty.returncode == 1 and "2026-W40 has no classified posts" in empty.stderr
    bad = cli("-c", config, "audit", "draw", "--week", "2026-W99")
    assert bad.returncode == 1 and "no week 99" in bad.stderr
