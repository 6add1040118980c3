"""`listener label export` writes formula-safe cells with mentions masked,
and the labelled file reads back as the text that was exported (issue 16:
"`listener label export` writes formula cells raw")."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from nlp.formula_guard import needs_guard
from nlp.labelled import read_labelled
from storage import Post, Store, StoredItem
from tests.cli import Cli

TEXTS = [
    "=HYPERLINK(\"https://evil.example\",\"click\")",
    "+44 7700 900123 is the number they gave",
    "-5 degrees and no gritting on Mill Lane",
    "@vale_walker the bins are late again",
    "\tfly-tipping behind the shops",
    "u/vale_walker said the park gates are locked",
    "@ExampleCouncil thanks for fixing the lights",
    "plain words about potholes",
]


def test_label_export_is_formula_safe_masked_and_reads_back(tmp_path: Path, cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"storage:\n  path: {tmp_path / 't.db'}\n  data_dir: {tmp_path}\n"
                      "privacy:\n  official_accounts: ['x:ExampleCouncil']\n", encoding="utf-8")
    store = Store.open(tmp_path / "t.db")
    run = store.runs.start("s")
    store.collect.save_page(source="s", run_id=run, items=[
        StoredItem(Post(platform="x", native_id=str(i), text=text, author_key=f"k{i}",
                        created_at=datetime(2026, 11, 17, 9, i, tzinfo=UTC)), {})
        for i, text in enumerate(TEXTS)])
    store.close()
    out = tmp_path / "labels.csv"

    result = cli("-c", config, "label", "export", "--n", "50", "--out", out)

    assert result.returncode == 0, result.output
    raw = out.read_text(encoding="utf-8")
    assert "vale_walker" not in raw and "@ExampleCouncil" in raw
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(TEXTS)
    cells = [cell for row in rows for cell in row.values()]
    assert not [c for c in cells if needs_guard(c) and not c.startswith("'")]
    assert sum(r["text"].startswith("'") for r in rows) == 6  # = + - tab and two @

    for row in rows:
        row["label"] = "negative"
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    texts, labels = read_labelled(out)
    assert set(labels) == {"negative"}
    assert sorted(texts) == sorted([
        "=HYPERLINK(\"https://evil.example\",\"click\")",
        "+44 7700 900123 is the number they gave",
        "-5 degrees and no gritting on Mill Lane",
        "@[user] the bins are late again",
        "\tfly-tipping behind the shops",
        "u/[user] said the park gates are locked",
        "@ExampleCouncil thanks for fixing the lights",
        "plain words about potholes",
    ])
