#!/usr/bin/env python3
"""Count SQLite-specific constructs in storage/'s SQL, per module (issue 21's
porting inventory, docs/postgresql.md). Only string literals are read (the
SQL texts), through ``ast``, so Python code named like SQL is not counted.

    python3 scripts/sql-inventory.py [REPO]     # a Markdown table
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]

# construct -> pattern (case-insensitive), in the order of the table's columns
PATTERNS: dict[str, str] = {
    "FTS5/MATCH": r"posts_fts|\bMATCH\b|\bfts5\b|\bbm25\(|\bsnippet\(|\bhighlight\(",
    "OR IGNORE/REPLACE": r"\bINSERT\s+OR\s+(?:IGNORE|REPLACE)\b|\bREPLACE\s+INTO\b",
    "json_*": r"\bjson_\w+\(|->>",
    "date fns": r"\bstrftime\(|\bjulianday\(|\bdate\(|\bdatetime\(|\bunixepoch\(",
    "rowid": r"\browid\b",
    "PRAGMA": r"\bPRAGMA\b",
    "temp tables": r"\bTEMP(?:ORARY)?\s+TABLE\b|\btemp\.\w",
    "triggers": r"\bTRIGGER\b",
    "sqlite_master/VACUUM": r"\bsqlite_(?:master|schema|stat\w*)\b|\bVACUUM\b|\bwal_checkpoint\b",
    "scalar max/min, IS NOT ?, glob": (r"\b(?:max|min)\(\s*[\w.:?]+\s*,|\bIS\s+NOT\s+[?:]"
                                       r"|\bIS\s+[?:]|\bGLOB\b|\bgroup_concat\(|\bifnull\("),
    "WITHOUT ROWID/VIRTUAL": r"\bWITHOUT\s+ROWID\b|\bVIRTUAL\s+TABLE\b",
    # SQLite's LIKE ignores ASCII case, PostgreSQL's does not (ILIKE / lower())
    "LIKE": r"\bLIKE\b",
    # functions PostgreSQL lacks or spells differently
    "SQLite-only fns": r"\b(?:instr|printf|total|iif|unicode|char|hex|randomblob|zeroblob)\(",
    # a comparison summed as 0/1 (PostgreSQL: a boolean; needs ::int or FILTER)
    "sum(bool)": r"\bsum\(\s*[^()]*?(?:[=<>]|\bIS\b|\bIN\b)[^()]*\)",
}
# Python-side calls that are sqlite-utils' or sqlite3's own API
API = (r"\.(?:insert_all|upsert_all|upsert|lookup|atomic|create_function|set_authorizer)\("
       r"|\.lastrowid\b")


def strings(tree: ast.AST) -> str:
    parts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
             and isinstance(n.value, str)]
    return "\n".join(parts)


def main() -> None:
    keys = [*PATTERNS, "API calls"]
    print("| module | lines | " + " | ".join(keys) + " | total |")
    print("|" + "---|" * (len(keys) + 3))
    totals = dict.fromkeys(keys, 0)
    for path in sorted((ROOT / "storage").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        sql = strings(ast.parse(source))
        counts = {k: len(re.findall(p, sql, re.IGNORECASE)) for k, p in PATTERNS.items()}
        counts["API calls"] = len(re.findall(API, source))
        for k in keys:
            totals[k] += counts[k]
        total = sum(counts.values())
        cells = " | ".join(str(counts[k]) if counts[k] else "" for k in keys)
        print(f"| {path.name} | {len(source.splitlines())} | {cells} | {total or ''} |")
    print("| **all** | | " + " | ".join(str(totals[k]) for k in keys)
          + f" | {sum(totals.values())} |")


if __name__ == "__main__":
    sys.exit(main())
