"""``listener action add|list|correct|history`` as an editor runs them:
what they type is checked against the config, recorded with their account,
and every correction is kept with its before and after."""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path

import pytest

from listener.actions import ActionError, Vocabulary, changes_from, fields_from
from storage import Store
from tests.cli import Cli

CONFIG = """storage:
  path: listener.db
topics:
  waste_recycling: {label: "Bins, waste and recycling", terms: [bin]}
  roads_potholes: {label: Roads and potholes, terms: [pothole]}
nlp:
  places:
    mill_lane: {label: Mill Lane, kind: street}
"""
WORDS = Vocabulary({"waste_recycling": "Bins, waste and recycling",
                    "roads_potholes": "Roads and potholes"}, {"mill_lane": "Mill Lane"},
                   "Europe/London")
TODAY = date(2026, 11, 25)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_fields_by_key_or_name_and_each_problem_in_words() -> None:
    fields = fields_from(WORDS, topic="bins, waste and recycling", day="2026-11-19",
                         text="  Extra crews\nsent \x1b[31m ", place="Mill Lane",
                         link="https://www.example.gov.uk/bins", today=TODAY)
    assert (fields.topic, fields.day, fields.text, fields.place, fields.link) == (
        "waste_recycling", "2026-11-19", "Extra crews sent [31m", "mill_lane",
        "https://www.example.gov.uk/bins")
    cases = [
        ({"topic": "bins"}, "unknown topic 'bins'; known topics: roads_potholes, "
                            "waste_recycling"),
        ({"day": "19/11/2026"}, "'19/11/2026' is not a date; write it like 2026-11-19"),
        ({"day": "2026-11-26"}, "2026-11-26 is in the future: record an action once it has "
                                "been taken"),
        ({"text": " \n "}, "say what was done (the text is empty)"),
        ({"text": "x" * 501}, "keep the text to 500 characters (it has 501); put the detail "
                              "on the linked page"),
        ({"place": "Mill Lnae"}, "unknown place 'Mill Lnae'; did you mean 'mill_lane'? "
                                 "(places are the keys of nlp.places)"),
        ({"link": "javascript:alert(1)"}, "the link must be a web address starting https://"),
    ]
    base = {"topic": "waste_recycling", "day": "2026-11-19", "text": "Crews sent"}
    for change, message in cases:
        with pytest.raises(ActionError) as info:
            fields_from(WORDS, **{**base, **change}, today=TODAY)  # type: ignore[arg-type]
        assert str(info.value).startswith(message)


def test_a_correction_changes_only_what_is_given() -> None:
    assert changes_from(WORDS, {"topic": None, "text": "New words", "place": "",
                                "link": ""}, TODAY) == {"text": "New words", "place": None,
                                                        "link": None}
    with pytest.raises(ActionError, match="unknown topic"):
        changes_from(WORDS, {"topic": "parks"}, TODAY)


def test_add_list_correct_and_history_from_the_command_line(config: Path, cli: Cli) -> None:
    me = f"cli:{getpass.getuser()}"
    added = cli("-c", config, "action", "add", "--topic", "waste_recycling", "--date",
                "2026-11-19", "--text", "Extra crews sent", "--link",
                "https://www.example.gov.uk/bins")
    assert added.returncode == 0, added.output
    assert "recorded action 1" in added.stdout and f"(by {me})" in added.stdout

    refused = cli("-c", config, "action", "add", "--topic", "parks", "--date", "2026-11-19",
                  "--text", "x")
    assert refused.returncode == 2 and "unknown topic 'parks'" in refused.stderr

    fixed = cli("-c", config, "action", "correct", "1", "--text",
                "Extra crews sent to clear missed collections", "--place", "mill_lane",
                "--reason", "more precise")
    assert fixed.returncode == 0, fixed.output
    nothing = cli("-c", config, "action", "correct", "1", "--place", "Mill Lane")
    assert nothing.returncode == 2 and "nothing to change" in nothing.stderr
    missing = cli("-c", config, "action", "correct", "7", "--text", "x")
    assert missing.returncode == 2 and "there is no action 7" in missing.stderr

    listed = json.loads(cli("-c", config, "action", "list", "--json").stdout)
    assert [(a["id"], a["text"], a["place"], a["created_by"]) for a in listed] == [
        (1, "Extra crews sent to clear missed collections", "mill_lane", me)]

    history = cli("-c", config, "action", "history", "1").stdout.splitlines()
    assert len(history) == 2
    assert f"{me}  added: " in history[0] and '"text": "Extra crews sent"' in history[0]
    assert f"{me}  corrected (more precise): " in history[1]
    assert 'place: null -> "mill_lane"' in history[1]
    assert 'text: "Extra crews sent" -> "Extra crews sent to clear missed collections"' \
        in history[1]

    assert cli("-c", config, "action", "correct", "1", "--withdraw").returncode == 0
    assert "no action recorded" in cli("-c", config, "action", "list").stdout
    assert "[withdrawn]" in cli("-c", config, "action", "list", "--withdrawn").stdout
    with Store.open(config.parent / "listener.db") as store:
        assert [e.edited_by for e in store.actions.history(1)] == [me, me, me]
