"""Where things are, for tests that read the project's own files or run its CLI."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the repository
NORMALISE_FIXTURES = ROOT / "tests" / "listener" / "normalise" / "fixtures"
STORE_FILE = "listener.db"  # the shared ``store`` fixture's file, under the test's tmp_path
