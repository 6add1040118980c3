"""The stepped scheduler fixture (helpers in tests/service/helpers.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC

import pytest
from apscheduler.executors.debug import DebugExecutor

from tests.listener.service.helpers import SteppedScheduler


@pytest.fixture
def stepped() -> Iterator[SteppedScheduler]:
    scheduler = SteppedScheduler(timezone=UTC, executors={"default": DebugExecutor()})
    yield scheduler
    if scheduler.running:
        scheduler.shutdown(wait=False)


@pytest.fixture(autouse=True)
def _root_logging() -> Iterator[None]:
    """``listener`` commands invoked in-process point the root logger at the
    runner's stream, which is closed afterwards: put the handlers back, so
    that later log records (scheduler threads) do not hit a closed file."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers[:] = [h for h in handlers if not _closed(h)]
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _closed(handler: logging.Handler) -> bool:
    stream = getattr(handler, "stream", None)
    return bool(getattr(stream, "closed", False))
