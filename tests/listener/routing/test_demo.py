"""The demo records one action ("extra crews sent") on the Thursday of the
week it reports on, once, so its report shows before/after figures."""

from __future__ import annotations

from datetime import UTC, datetime

from listener.cli.demo import DEMO_ACTION, demo_action
from listener.config import Settings
from storage import Store

from .conftest import P, add


def test_demo_action_is_dated_in_the_report_week_and_recorded_once(
        settings: Settings, any_store: Store) -> None:
    add(any_store, [P("1", "bins", when=datetime(2026, 11, 17, 10, tzinfo=UTC))])  # W47
    assert demo_action(settings, any_store) == "2026-11-19"
    assert demo_action(settings, any_store) == "2026-11-19"
    [action] = any_store.actions.listed()
    assert (action.topic, action.day, action.fields.text, action.created_by) == (
        "waste_recycling", "2026-11-19", DEMO_ACTION, "demo")
