"""The SQLite driver every connection to the database file uses.

``pysqlite3`` (the ``pysqlite3-binary`` wheel: the standard library's
``sqlite3`` module built against a recent SQLite, 3.51; a dependency of the
install on Linux x86_64, the only platform it has wheels for) when it is
installed, else the standard library's ``sqlite3``. sqlite-utils and
Datasette make the same choice on their own, so a connection, its
exceptions and its constants are always of one driver: import ``sqlite3``
from here, never directly, wherever a connection to the file is opened or
its errors are caught.

A SQLite of 3.42 or later lets the full-text index drop an erased post's
tokens at delete time (FTS5 ``secure-delete``, ``storage.fts``); an older
one falls back to merging the whole index after deletes. ``storage.fts``
and ``storage.deletion`` read ``FTS_SECURE_DELETE`` from this module when
they run, so a test can force the fallback (``tests/conftest.py``,
``fts_way``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the same API; pysqlite3 ships no type information
    import sqlite3
else:
    try:
        from pysqlite3 import dbapi2 as sqlite3
    except ImportError:  # no wheel for this platform: the standard library's SQLite
        import sqlite3

SQLITE_VERSION: tuple[int, int, int] = sqlite3.sqlite_version_info
FTS_SECURE_DELETE = SQLITE_VERSION >= (3, 42, 0)


def _temp_files_in_memory() -> bool:
    """Whether this SQLite was built to keep every temporary file in memory
    (``TEMP_STORE=3``: the pysqlite3-binary wheel), whatever ``temp_store``
    says: then a statement journal never spills to a file."""
    conn = sqlite3.connect(":memory:")
    try:
        return any(str(row[0]) == "TEMP_STORE=3"
                   for row in conn.execute("PRAGMA compile_options"))
    finally:
        conn.close()


# read when used (``storage.db.write_transaction``), so a test can force either way
TEMP_FILES_IN_MEMORY = _temp_files_in_memory()

__all__ = ["FTS_SECURE_DELETE", "SQLITE_VERSION", "TEMP_FILES_IN_MEMORY", "sqlite3"]
