"""The action log in storage: added, listed, corrected, withdrawn; every
change in the trail with who, when, before and after."""

from __future__ import annotations

import pytest

from storage import Store
from storage.actions import ActionFields

CREWS = ActionFields(topic="waste_recycling", day="2026-11-19", text="Extra crews sent",
                     link="https://www.example.gov.uk/bins")


def test_add_list_correct_and_the_trail(any_store: Store) -> None:
    store = any_store
    first = store.actions.add(CREWS, "cli:alice")
    other = store.actions.add(ActionFields("roads_potholes", "2026-11-02", "Potholes filled",
                                           place="mill_lane"), "bob")
    assert [a.id for a in store.actions.listed()] == [other.id, first.id]  # by day
    assert [a.id for a in store.actions.listed(topic="waste_recycling")] == [first.id]
    assert [a.id for a in store.actions.listed(first_day="2026-11-10")] == [first.id]
    assert [a.id for a in store.actions.listed(last_day="2026-11-10")] == [other.id]

    fixed = store.actions.correct(first.id, "carol", {"text": "Extra crews sent to clear "
                                                      "missed collections", "day": "2026-11-18"},
                                  reason="wrong day")
    assert fixed.fields.text == "Extra crews sent to clear missed collections"
    assert (fixed.fields.day, fixed.created_by) == ("2026-11-18", "cli:alice")
    assert fixed.updated_at >= fixed.created_at

    added, corrected = store.actions.history(first.id)
    assert (added.edited_by, added.before, added.reason) == ("cli:alice", None, None)
    assert added.after == {"topic": "waste_recycling", "day": "2026-11-19",
                           "text": "Extra crews sent", "place": None,
                           "link": "https://www.example.gov.uk/bins", "withdrawn": False}
    assert (corrected.edited_by, corrected.reason) == ("carol", "wrong day")
    assert corrected.before == added.after
    assert corrected.after == {**added.after, "day": "2026-11-18",
                               "text": "Extra crews sent to clear missed collections"}
    assert corrected.edited_at >= added.edited_at


def test_withdrawn_actions_are_kept_with_their_trail(any_store: Store) -> None:
    store = any_store
    action = store.actions.add(CREWS, "alice")
    store.actions.correct(action.id, "bob", {"withdrawn": True}, reason="recorded in error")
    assert store.actions.listed() == []
    (kept,) = store.actions.listed(withdrawn=True)
    assert kept.fields.withdrawn and kept.fields.text == CREWS.text
    assert [e.after["withdrawn"] for e in store.actions.history(action.id)] == [False, True]
    store.actions.correct(action.id, "bob", {"withdrawn": False})
    assert [a.id for a in store.actions.listed()] == [action.id]
    assert len(store.actions.history(action.id)) == 3


def test_a_correction_must_change_something_and_name_an_action(any_store: Store) -> None:
    store = any_store
    action = store.actions.add(CREWS, "alice")
    with pytest.raises(ValueError, match="nothing to change"):
        store.actions.correct(action.id, "bob", {"text": CREWS.text})
    with pytest.raises(KeyError):
        store.actions.correct(action.id + 1, "bob", {"text": "x"})
    with pytest.raises(TypeError):
        store.actions.correct(action.id, "bob", {"colour": "red"})
    assert len(store.actions.history(action.id)) == 1  # nothing half-written
