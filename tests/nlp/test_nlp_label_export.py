"""`listener label export` through the real CLI and Store."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from storage import LabelRecord, Post, Store, StoredItem
from storage.label_export import UNCLASSIFIED
from tests.cli import Cli
from tests.paths import STORE_FILE


def fill(store: Store) -> None:
    run = store.runs.start("s")
    items = [StoredItem(Post(platform="x", native_id=str(i), text=f"post {i}",
                             author_key=f"k{i}",
                             created_at=datetime(2026, 11, 17, 9, i % 60, tzinfo=UTC)), {})
             for i in range(40)]
    ids = store.collect.save_page(source="s", run_id=run, items=items).new_ids
    # 30 bins posts, 4 roads posts, 6 without a topic
    topics = ["bins"] * 30 + ["roads"] * 4 + [None] * 6
    store.labels.save("topic", "topics.keywords", "v1", "h", ids, [
        LabelRecord(pid, "topic", t, 1.0, "topics.keywords", "v1", "m")
        for pid, t in zip(ids, topics, strict=True) if t is not None
    ])


def test_sample_is_reproducible_filterable_and_stratified(any_store: Store) -> None:
    store = any_store
    fill(store)
    sample = store.label_export.sample
    first = sample(10, seed=3)
    assert len(first) == 10 and first == sample(10, seed=3)
    assert first != sample(10, seed=4)
    roads = sample(10, topic="roads")
    assert len(roads) == 4 and {r.topics for r in roads} == {"roads"}
    assert len(sample(10, topic=UNCLASSIFIED)) == 6
    spread = sample(9, stratify=True)
    counts = {t: sum(1 for r in spread if r.topics == t) for t in ("bins", "roads", "")}
    assert counts == {"bins": 3, "roads": 3, "": 3}


def test_cli_writes_a_csv_without_author_columns(tmp_path: Path, store: Store,
                                                 cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"storage:\n  path: {STORE_FILE}\n  data_dir: {tmp_path}\n"
                      "sources: {}\n")
    fill(store)
    out = tmp_path / "labels.csv"
    result = cli.process("-c", config, "label", "export", "--n", "5", "--stratify",
                         "--out", out)
    assert result.returncode == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5
    assert {"post_id", "text", "label", "predicted_topics"} <= set(rows[0])
    assert not any("author" in col for col in rows[0])
    assert all(r["label"] == "" for r in rows)
