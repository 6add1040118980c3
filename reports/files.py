"""Writing a file so that a crash never leaves it half-written.

Every report format, every CSV and spreadsheet the project writes and the
files e-mailed as attachments go through ``atomic_write`` (or
``atomic_open`` for a library that writes to a file object, such as
WeasyPrint): the content is written to a temporary file in the same folder,
flushed and fsynced, then renamed over the target. A reader (or an e-mail
attaching it) sees the previous complete file or the new complete file,
never an empty or partial one; a kill while writing leaves the old file in
place and at most a temporary file, which ``stale_temporary`` recognises
so that retention and erasure can remove it (it may quote posts).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[0-9a-f]{12}\.tmp$")


def temporary_name(path: Path) -> Path:
    """A fresh temporary name beside ``path``: ``.<name>.<random>.tmp``."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


def stale_temporary(name: str) -> str | None:
    """The file name a temporary file left by a killed write was for, or None
    when ``name`` is not such a temporary file."""
    found = _TEMPORARY.match(name)
    return found["name"] if found else None


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[IO[bytes]]:
    """A binary file object whose content replaces ``path`` when the block
    ends without an exception (and is discarded otherwise)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_name(path)
    # O_EXCL: never follow or reuse a file someone else put there; 0o666 & umask,
    # like any file the process creates
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    _sync_folder(path.parent)


def atomic_write(path: Path, data: str | bytes) -> Path:
    """Replace ``path`` with ``data`` (text is written as UTF-8) atomically."""
    with atomic_open(path) as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
