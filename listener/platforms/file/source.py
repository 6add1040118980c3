"""File import: CSV and JSONL exports through the same storage path as the
live sources (``listener import FILE`` or a ``type: file`` source).

Rows become ``file`` items (the file normaliser reads ``id``, ``text``,
``created_at`` and the optional fields after the column map); twarc JSONL
lines, which are whole X API v2 response pages, are split into ``x`` items
exactly as the X source splits what it fetches, so an imported tweet and a
collected one are the same post.

Resuming: the cursor key ``rows:<hash>`` (hash of the file's bytes, its
format and column map) holds how many entries of that exact import are
stored, saved with each page; a killed import resumes after them. The last
page sets it to ``complete``: importing the same file again with the same
map reads nothing and stores nothing (not even its quarantined lines a
second time). A changed column map is a new import: its rows update the
posts already stored from the same ids.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from listener.platforms.file.config import FileSourceConfig
from listener.platforms.file.encoding import resolve_encoding
from listener.platforms.file.rows import Entry, detect_format, read_csv, read_jsonl
from listener.platforms.registry import splitter
from listener.sources.base import Page, RawItem
from listener.sources.errors import SourceError

log = logging.getLogger(__name__)


COMPLETE = "complete"


def import_key(path: Path, config: FileSourceConfig, encoding: str = "utf-8") -> str:
    """The cursor key of one import: the file's bytes, format, column map and
    (when not UTF-8, so that keys made before encodings were read stay the
    same) the encoding it is read in."""
    parts: list[Any] = [config.format, config.columns, config.delimiter]
    if encoding not in ("utf-8", "utf-8-sig"):
        parts.append(encoding)
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode())
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"rows:{digest.hexdigest()[:40]}"


class FileSource:
    platform = "file"

    def __init__(self, name: str, config: FileSourceConfig) -> None:
        self.name, self.config = name, config
        self.path = Path(config.path).expanduser()
        self._encoding: str | None = None

    @property
    def encoding(self) -> str:
        """The file's encoding: as configured, or detected (``auto``)."""
        if self._encoding is None:
            self._encoding = resolve_encoding(self.path, self.config.encoding)
            if self.config.encoding != self._encoding:
                log.info("source %s: reading %s as %s", self.name, self.path.name,
                         self._encoding)
        return self._encoding

    def entries(self) -> Iterator[Entry]:
        """The file's entries; a row whose id an earlier row of this file had
        is turned into a bad line (a duplicate, reported with both lines)."""
        fmt = detect_format(self.path, self.config.format)
        if fmt == "csv":
            found = read_csv(self.path, self.config.columns, self.config.delimiter,
                             self.encoding)
        else:
            found = read_jsonl(self.path, self.config.columns, self.encoding,
                               twarc_only=fmt == "twarc")
        return _without_duplicates(found)

    def _pages(self, skip: int) -> Iterator[tuple[Page, int]]:
        """Pages with the number of entries read once each page is stored."""
        rows: list[RawItem] = []
        first = 0
        done = skip
        for index, entry in enumerate(self.entries()):
            if index < skip:
                continue
            where = f"line {entry.line}"
            if entry.kind == "x_page":
                if rows:
                    yield self._page("file", rows, first, entry.line - 1), done
                    rows = []
                done = index + 1
                items = [dataclasses.replace(item, where=where)
                         for item in splitter("x")(entry.payload)]
                yield self._page("x", items, entry.line, entry.line), done
                continue
            if not rows:
                first = entry.line
            rows.append(RawItem(entry.payload, where=where))
            done = index + 1
            if len(rows) >= self.config.page_size:
                yield self._page("file", rows, first, entry.line), done
                rows = []
        if rows:
            yield self._page("file", rows, first, None), done

    def _page(self, platform: str, items: list[RawItem], first: int,
              last: int | None) -> Page:
        lines = f"{first}-{last}" if last is not None else f"{first}-end"
        request = {"file": self.path.name, "format": self.config.format, "lines": lines}
        return Page(platform, items, query=f"import {self.path.name}", request=request)

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        if not self.path.is_file():
            raise SourceError(f"source {self.name!r}: no file at {self.path}")
        key = import_key(self.path, self.config, self.encoding)
        if cursor.get(key) == COMPLETE:
            log.info("source %s: %s was already imported with this format and column map; "
                     "nothing to read", self.name, self.path.name)
            return
        skip = int(cursor.get(key) or 0)
        if skip:
            log.info("source %s: resuming %s after %d entries", self.name, self.path.name, skip)
        held: Page | None = None
        for page, done in self._pages(skip):
            if held is not None:
                yield held
            page.cursor = {key: str(done)}
            held = page
        if held is not None:
            held.cursor = {key: COMPLETE}
            yield held


def _id_of(payload: dict[str, Any]) -> tuple[str, str] | None:
    """(platform as the row names it, id) of a flat row, when it has an id."""
    native = payload.get("id")
    if isinstance(native, bool) or not isinstance(native, str | int) or not str(native).strip():
        return None
    platform = payload.get("platform")
    return (str(platform).strip().lower() if isinstance(platform, str) else "",
            str(native).strip())


def _without_duplicates(entries: Iterator[Entry]) -> Iterator[Entry]:
    first: dict[tuple[str, str], int] = {}
    for entry in entries:
        key = _id_of(entry.payload) if entry.kind == "row" and \
            not entry.payload.get("_error") else None
        if key is None:
            yield entry
        elif key in first:
            yield Entry(entry.line, "row", {
                **entry.payload, "_error": f"line {entry.line}: duplicate id {key[1]!r} in "
                f"this file (first on line {first[key]}); not stored"})
        else:
            first[key] = entry.line
            yield entry
