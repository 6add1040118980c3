"""Trained classifiers and their model cards on disk:
``<data_dir>/classifiers/<name>/<version>/card.json`` next to the weights."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

NAME_RE = re.compile(r"^[a-z][a-z0-9_.-]*$")


def classifier_dir(data_dir: Path, name: str, version: str) -> Path:
    if not NAME_RE.match(name) or not re.fullmatch(r"v\d+", version):
        raise ValueError(f"bad classifier name or version: {name!r} {version!r}")
    return Path(data_dir) / "classifiers" / name / version


def versions(data_dir: Path, name: str) -> list[str]:
    """Saved versions of ``name``, oldest first."""
    folder = Path(data_dir) / "classifiers" / name
    if not folder.is_dir():
        return []
    found = [p.name for p in folder.iterdir()
             if re.fullmatch(r"v\d+", p.name) and (p / "card.json").is_file()]
    return sorted(found, key=lambda v: int(v[1:]))


def next_version(data_dir: Path, name: str) -> str:
    folder = Path(data_dir) / "classifiers" / name
    taken = [int(p.name[1:]) for p in folder.iterdir()
             if re.fullmatch(r"v\d+", p.name)] if folder.is_dir() else []
    return f"v{max(taken, default=0) + 1}"


def write_card(folder: Path, card: dict[str, Any]) -> Path:
    path = folder / "card.json"
    path.write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_card(data_dir: Path, name: str, version: str | None = None) -> dict[str, Any] | None:
    """The model card of a saved classifier (its latest version when
    ``version`` is None), or None if there is none."""
    if version is None:
        saved = versions(data_dir, name)
        if not saved:
            return None
        version = saved[-1]
    try:
        path = classifier_dir(data_dir, name, version) / "card.json"
    except ValueError:
        return None
    if not path.is_file():
        return None
    card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return card


def write_eval(data_dir: Path, name: str, version: str, figures: dict[str, Any]) -> Path:
    """Save an evaluation next to the classifier (built-in ones get a folder
    too), as ``eval-<data file stem>.json``; the report footer reads these."""
    folder = classifier_dir(data_dir, name, version)
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(str(figures.get("data", "data"))).stem)
    path = folder / f"eval-{stem}.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_evals(data_dir: Path, name: str, version: str) -> list[dict[str, Any]]:
    """Every saved evaluation of ``name`` ``version``, newest first."""
    try:
        folder = classifier_dir(data_dir, name, version)
    except ValueError:
        return []
    found = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("eval-*.json")]
    return sorted(found, key=lambda f: str(f.get("evaluated_at", "")), reverse=True)
