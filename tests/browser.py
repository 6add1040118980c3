"""``listener serve`` in a subprocess, and the Debian chromium Playwright
drives, for the tests that use a real browser.

A module of browser tests calls ``skip_without_chromium()`` at import: it
skips only when /usr/bin/chromium is absent AND the CI variable is unset; in
CI a missing browser fails loudly (scripts/system-deps.sh installs it)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from tests.paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def skip_without_chromium() -> None:
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)",
                    allow_module_level=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(config: Path, env: Mapping[str, str]) -> Iterator[str]:
    """``listener -c config serve`` on a free port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "listener", "-c", str(config), "serve", "--port", str(port)],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"listener serve exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("listener serve did not start within 120 s")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
