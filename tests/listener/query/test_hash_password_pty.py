"""``HASH=$(listener web-hash-password)`` as an admin types it: the prompts
appear on the terminal (stderr), and stdout, which the shell captures,
holds the hash and nothing else."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

from listener.web.auth import verify_password
from tests.paths import ROOT

PASSWORD = "correct horse battery staple"


def read_until(fd: int, marker: bytes, timeout: float = 60) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 1024)
            except OSError:
                break
    assert marker in seen, seen
    return seen


def test_prompts_go_to_the_terminal_and_only_the_hash_to_stdout() -> None:
    main, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "listener", "web-hash-password"], cwd=ROOT,
        stdin=terminal, stderr=terminal, stdout=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(terminal)
    try:
        shown = read_until(main, b"Password:")
        os.write(main, PASSWORD.encode() + b"\n")
        shown += read_until(main, b"Repeat for confirmation:")
        os.write(main, PASSWORD.encode() + b"\n")
        stdout, _ = proc.communicate(timeout=60)
    finally:
        proc.kill()
        os.close(main)
    assert proc.returncode == 0
    assert PASSWORD.encode() not in shown  # typed without echo
    captured = stdout.decode()
    assert captured.count("\n") == 1 and "Password" not in captured
    assert captured.startswith("pbkdf2_sha256$") and verify_password(PASSWORD, captured.strip())
