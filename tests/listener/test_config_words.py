"""Topic words are lemmatised (spaCy) only by the commands that need it:
``config check`` and the commands that classify still name file, line and
key for a word that duplicates another; a command that does not classify
starts without importing spaCy (issue 20: 3-5 s of every forget)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import Cli
from tests.paths import ROOT

# a process that runs the command in-process and then says which NLP modules it imported
_PROBE = """
import sys
from listener.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    print("EXIT", exc.code)
print("IMPORTED", sorted(m for m in ("spacy", "thinc", "torch") if m in sys.modules))
"""


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "conf.yaml"
    path.write_text(
        f"storage:\n  path: {tmp_path / 'x.db'}\n  data_dir: {tmp_path / 'data'}\n"
        "topics:\n  bins:\n    label: Bins\n    terms: [bin, bins]\n", encoding="utf-8")
    return path


def _probe(*args: str | Path) -> str:
    done = subprocess.run([sys.executable, "-c", _PROBE, *(str(a) for a in args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    return done.stdout + done.stderr


@pytest.mark.parametrize("command", [["config", "check"], ["classify"]])
def test_config_check_and_classify_name_a_duplicated_word(cli: Cli, tmp_path: Path,
                                                          command: list[str]) -> None:
    config = _config(tmp_path)
    ran = cli("--config", config, *command)
    assert ran.returncode == 1
    assert (f"{config}:5: topics.bins: 'bins' in terms duplicates 'bin'"
            " (the same word once inflections are ignored)") in ran.output


def test_purge_and_forget_do_not_import_spacy(tmp_path: Path) -> None:
    config = _config(tmp_path)
    purged = _probe("--config", config, "purge", "--dry-run")
    assert "EXIT 0" in purged and "IMPORTED []" in purged, purged
    forgot = _probe("--config", config, "forget", "--url", "https://x.com/a/status/1")
    assert "IMPORTED []" in forgot, forgot
    # the same probe sees spaCy where words are checked
    checked = _probe("--config", config, "config", "check")
    assert "EXIT 1" in checked and "'spacy'" in checked, checked
