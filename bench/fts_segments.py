"""The full-text index's segments: levels, segments and leaf pages of
``posts_fts`` read from its structure record (``posts_fts_data`` id 10; the
layout is sqlite's ``fts5_index.c``, "structure record": a 4-byte cookie,
``FF 00 00 01`` in the V2 format that ``secure-delete`` writes, then
varints).

    .venv/bin/python bench/fts_segments.py PATH
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.fts import Segment, segments


def main() -> None:
    from storage.driver import sqlite3

    conn = sqlite3.connect(f"file:{Path(sys.argv[1]).resolve()}?mode=ro", uri=True)
    found: list[Segment] = segments(conn)
    levels = sorted({s.level for s in found})
    print(f"{len(found)} segments on {len(levels)} levels;"
          f" {sum(s.leaves for s in found):,} leaf pages")
    for s in found:
        print(f"  level {s.level}: segment {s.id}, {s.leaves:,} leaf pages")


if __name__ == "__main__":
    main()
