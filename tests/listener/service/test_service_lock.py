"""One service per database: the lock, its message, and a killed holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from listener.service.lock import AlreadyRunning, InstanceLock, lock_path_for
from tests.paths import ROOT

HOLD = """
import sys, time
from pathlib import Path
from listener.service.lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
time.sleep(60)
"""



def _holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_lock_file_sits_next_to_the_database(tmp_path):
    assert lock_path_for(tmp_path / "data" / "x.db") == tmp_path / "data" / "x.db.lock"


def test_second_holder_is_refused_with_the_running_one_named(tmp_path):
    path = tmp_path / "db.lock"
    proc = _holder(path)
    try:
        with pytest.raises(AlreadyRunning) as refused:
            InstanceLock(path).acquire()
        assert refused.value.holder["pid"] == proc.pid
        message = str(refused.value)
        assert f"pid {proc.pid}" in message and "started 20" in message
        assert os.uname().nodename in message
    finally:
        proc.kill()
        proc.wait()


def test_a_killed_holder_leaves_no_stuck_lock(tmp_path):
    path = tmp_path / "db.lock"
    proc = _holder(path)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    lock = InstanceLock(path)
    deadline = time.monotonic() + 10
    while True:
        try:
            lock.acquire()
            break
        except AlreadyRunning:
            assert time.monotonic() < deadline, "lock still held after the holder was killed"
            time.sleep(0.1)
    assert f'"pid": {os.getpid()}' in path.read_text()
    lock.release()
    with InstanceLock(path):  # released: taken again at once
        pass
