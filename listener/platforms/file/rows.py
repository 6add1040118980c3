"""Reading an export file into entries: flat rows (CSV, JSONL) after the
column map, X API v2 pages (twarc JSONL lines), or bad lines.

Every entry carries its line number. A bad line (invalid JSON, a CSV row
with more fields than the header, a twarc line that is not a page, bytes
the file's encoding cannot read) becomes a row holding ``_error``, which
the file normaliser quarantines with the line number: nothing is skipped
silently. The file is read in ``encoding`` (``listener.platforms.file.
encoding`` resolves ``auto``) with ``surrogateescape``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from listener.platforms.file.encoding import unreadable
from listener.sources.errors import SourceError

MAX_RAW_CHARS = 4000


@dataclass(frozen=True)
class Entry:
    line: int
    kind: str  # "row" | "x_page"
    payload: dict[str, Any]


def detect_format(path: Path, declared: str) -> str:
    if declared != "auto":
        return declared
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise SourceError(f"cannot tell the format of {path.name}; give --format csv|jsonl|twarc")


def _lookup(obj: Mapping[str, Any], dotted: str) -> Any:
    value: Any = obj
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def apply_columns(record: Mapping[str, Any], columns: Mapping[str, str]) -> dict[str, Any]:
    """Our field names from the file's: mapped fields first, other columns kept."""
    row = dict(record)
    for ours, theirs in columns.items():
        row[ours] = _lookup(record, theirs)
    return row


def _is_x_page(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("data"), list) and (
        "includes" in obj or "meta" in obj or "__twarc" in obj)


def _bad(line: int, error: str, raw: str) -> Entry:
    return Entry(line, "row", {"_line": line, "_error": error, "_raw": raw[:MAX_RAW_CHARS]})


def read_csv(path: Path, columns: Mapping[str, str], delimiter: str,
             encoding: str) -> Iterator[Entry]:
    with path.open(newline="", encoding=encoding, errors="surrogateescape") as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        header = reader.fieldnames or []
        missing = [f"{theirs} (for {ours})" for ours, theirs in columns.items()
                   if theirs not in header]
        if missing:
            raise SourceError(f"{path.name}: no column {', '.join(missing)} in the header "
                              f"({', '.join(header)})")
        start = reader.line_num + 1
        for record in reader:
            extra = record.pop(None, None)
            row = apply_columns(record, columns)
            row["_line"] = start
            if extra:
                row["_error"] = f"line {start} has more fields than the header"
                row["_extra"] = extra
            problem = unreadable("".join(v for v in record.values() if isinstance(v, str)),
                                 encoding)
            if problem:
                row["_error"] = f"line {start}: {problem}"
            yield Entry(start, "row", row)
            start = reader.line_num + 1


def read_jsonl(path: Path, columns: Mapping[str, str], encoding: str,
               twarc_only: bool) -> Iterator[Entry]:
    with path.open(encoding=encoding, errors="surrogateescape") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            problem = unreadable(text, encoding)
            if problem:
                yield _bad(number, problem, text)
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield _bad(number, f"invalid JSON: {exc.msg} at column {exc.colno}", text)
                continue
            if _is_x_page(obj):
                yield Entry(number, "x_page", obj)
            elif twarc_only:
                yield _bad(number, "not an X API v2 response page (twarc line)", text)
            elif isinstance(obj, dict):
                yield Entry(number, "row", {**apply_columns(obj, columns), "_line": number})
            else:
                yield _bad(number, f"expected a JSON object, got {type(obj).__name__}", text)
