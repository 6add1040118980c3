"""One service per database: an ``flock`` on a file next to the database.

The kernel drops an ``flock`` when its process dies, however it dies, so a
killed service never leaves the lock stuck. The file holds who has it (pid,
host, start time) so that a second ``listener run`` can name the running one.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from pathlib import Path
from typing import Any

from storage.timefmt import utcnow


class AlreadyRunning(RuntimeError):
    def __init__(self, lock_path: Path, holder: dict[str, Any]) -> None:
        self.lock_path = lock_path
        self.holder = holder
        who = (f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
               f"started {holder.get('started_at', '?')}") if holder else "another process"
        command = holder.get("command", "run") if holder else "run"
        advice = ("Stop it first (e.g. systemctl stop civic-listener); the service collects "
                  "on its own schedule." if command == "run" else "Wait for it to finish.")
        super().__init__(
            f"another `listener {command}` is already running on this database ({who}; "
            f"lock {lock_path}). {advice}"
        )


def lock_path_for(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class InstanceLock:
    """One writer that collects at a time: the service (``run``) or a
    collection started by hand (``collect``, ``import``, ``demo``), so that
    two processes never walk one source's cursor together."""

    def __init__(self, path: Path, command: str = "run") -> None:
        self.path = path
        self.command = command
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise ``AlreadyRunning`` naming its holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise AlreadyRunning(self.path, holder) from None
        info = {"pid": os.getpid(), "host": socket.gethostname(), "command": self.command,
                "started_at": utcnow()}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        """Empty the file and drop the lock. The file stays: unlinking it
        would let two processes lock two different files of one name."""
        if self._fd is None:
            return
        os.ftruncate(self._fd, 0)
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        data = os.pread(fd, 4096, 0)
        holder = json.loads(data.decode()) if data else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}
