"""CSV and JSON of every table, for open-data publication (suppression applied;
formula-safe cells, written atomically)."""

from __future__ import annotations

import json
from pathlib import Path

from reports.csvfile import write_csv as write_table
from reports.figures import Figures
from reports.files import atomic_write
from reports.render_html import window_text
from reports.tables import tables


def write_csv(fig: Figures, out_dir: Path) -> list[Path]:
    paths = []
    for table in tables(fig):
        paths.append(write_table(out_dir / f"report-{fig.week}-{table.name}.csv",
                                 table.columns, table.rows))
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
    return atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2))
