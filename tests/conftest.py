"""Suite-wide rules.

- In CI (``CI`` set), a skipped test is a failure: every optional piece the
  README's test command installs must actually be tested there.
- Each test starts with the root logger as it found it, so a command run
  in-process (which points logging at its own stream) cannot leave a
  closed stream behind for the next test.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Generator, Iterator

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where nothing may be skipped: {report.longrepr}"


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
