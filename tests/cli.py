"""Running ``listener`` as a user does, for the ``cli`` fixture.

``cli(*args)`` runs the real typer app in-process (fast: no new Python, and
the NLP stack is imported once); ``cli.process(*args)`` runs ``python -m
listener`` as a separate process, for what only a real process shows
(signals, exit codes set by the interpreter, a second process on the same
database). Both return a ``Ran`` with the exit code and both streams.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from tests.paths import ROOT


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Cli:
    def __call__(self, *args: str | Path, input: str | None = None,
                 env: Mapping[str, str] | None = None) -> Ran:
        """Run in-process; ``env`` is set for the call. An exception the app
        did not turn into an exit code is raised here, not hidden in a code."""
        from listener.cli import app  # imported on first use, not by every test session

        root = logging.getLogger()  # the app points logging at the runner's streams
        handlers, level = list(root.handlers), root.level
        try:
            result = CliRunner().invoke(app, [str(a) for a in args], input=input, env=env)
        finally:
            root.handlers[:] = handlers
            root.setLevel(level)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Ran(result.exit_code, result.stdout, result.stderr)

    def process(self, *args: str | Path, input: str | None = None,
                env: Mapping[str, str] | None = None, cwd: Path = ROOT,
                timeout: float = 300) -> Ran:
        """Run ``python -m listener`` (from the repository root unless ``cwd``
        says otherwise); ``env`` is added to this process's environment."""
        done = subprocess.run(
            [sys.executable, "-m", "listener", *(str(a) for a in args)], cwd=cwd,
            env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, input=input,
            capture_output=True, text=True, timeout=timeout, check=False)
        return Ran(done.returncode, done.stdout, done.stderr)
