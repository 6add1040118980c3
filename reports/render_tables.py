"""CSV and JSON of every table, for open-data publication (suppression applied)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from reports.figures import Figures
from reports.render_html import window_text
from reports.tables import tables


def write_csv(fig: Figures, out_dir: Path) -> list[Path]:
    paths = []
    for table in tables(fig):
        path = out_dir / f"report-{fig.week}-{table.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(table.columns)
            writer.writerows(table.rows)
        paths.append(path)
    return paths


def write_json(fig: Figures, path: Path) -> Path:
    data = {
        "week": fig.week,
        "window": window_text(fig),
        "timezone": fig.timezone,
        "organisation": fig.organisation,
        "config_hash": fig.config_hash,
        "pipeline_version": fig.pipeline_version,
        "headline": fig.headline,
        "accuracy": fig.accuracy.statement,
        "corrected": fig.accuracy.headline,
        "emerging_test": fig.emerging_test,
        "discovery": fig.discovery.explanation or fig.discovery.status,
        "tables": {
            t.name: {"title": t.title, "columns": list(t.columns),
                     "rows": [list(r) for r in t.rows]}
            for t in tables(fig)
        },
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
