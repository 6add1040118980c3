"""The stepped scheduler fixture (helpers in tests/service/helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

import pytest
from apscheduler.executors.debug import DebugExecutor

from tests.service.helpers import SteppedScheduler


@pytest.fixture
def stepped() -> Iterator[SteppedScheduler]:
    scheduler = SteppedScheduler(timezone=UTC, executors={"default": DebugExecutor()})
    yield scheduler
    if scheduler.running:
        scheduler.shutdown(wait=False)
