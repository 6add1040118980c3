"""``routing:`` is validated like every other section: each problem names
the file, the line and the key, with a suggestion."""

from __future__ import annotations

import pytest

from listener.config import ConfigError, parse_settings
from tests.cli import Cli

HEAD = """topics:
  waste_recycling: {label: Bins, terms: [bin]}
  roads_potholes: {label: Roads, terms: [pothole]}
nlp:
  places:
    mill_lane: {label: Mill Lane, kind: street}
reports:
  email: {sender: listener@council.example}
"""


def problems_of(text: str, check_credentials: bool = False) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_settings(HEAD + text, "conf.yaml", check_credentials=check_credentials)
    return [str(p) for p in info.value.problems]


def test_a_valid_routing_section_loads() -> None:
    settings = parse_settings(HEAD + """routing:
  teams:
    - name: waste
      topics: [waste_recycling]
      email: [waste-team@council.example]
    - name: highways
      topics: [roads_potholes]
      places: [mill_lane]
      sentiment: [negative, neutral]
      webhook_url_env: HIGHWAYS_HOOK
      schedule: immediate
  service_codes: {roads_potholes: POTHOLE}
""", "conf.yaml", check_credentials=False)
    waste, highways = settings.routing.teams
    assert (waste.schedule, waste.at, waste.sentiment, waste.channels()) == (
        "daily", "08:00", ["negative"], ["email"])
    assert highways.channels() == ["webhook"] and highways.places == ["mill_lane"]
    assert settings.routing.service_code("roads_potholes") == "POTHOLE"
    assert settings.routing.service_code("waste_recycling") == "waste_recycling"


def test_unknown_topic_names_the_line_and_the_closest_topic() -> None:
    assert problems_of("""routing:
  teams:
    - name: waste
      topics: [waste_recyling]
      email: [waste-team@council.example]
""") == ["conf.yaml:12: routing.teams.0.topics.0: unknown topic 'waste_recyling'; "
         "did you mean 'waste_recycling'?"]


def test_unknown_topic_with_no_near_miss_lists_the_topics() -> None:
    (problem,) = problems_of("""routing:
  teams:
    - name: waste
      topics: [libraries]
      email: [waste-team@council.example]
""")
    assert problem == ("conf.yaml:12: routing.teams.0.topics.0: unknown topic 'libraries'; "
                       "known topics: roads_potholes, waste_recycling")


def test_bad_address_says_what_is_wrong_and_how_to_write_one() -> None:
    found = problems_of("""routing:
  teams:
    - name: waste
      topics: [waste_recycling]
      email:
        - waste-team@council.example
        - waste team at council.example
        - waste@council
""")
    assert len(found) == 2
    assert found[0].startswith("conf.yaml:15: routing.teams.0.email.1: 'waste team at "
                               "council.example' is not an e-mail address: ")
    assert found[1].startswith("conf.yaml:16: routing.teams.0.email.2: 'waste@council' is not "
                               "an e-mail address: ")
    assert all(p.endswith("Write it like waste-team@council.example") for p in found)


def test_duplicate_team_names_both_lines() -> None:
    assert problems_of("""routing:
  teams:
    - name: waste
      topics: [waste_recycling]
      email: [waste-team@council.example]
    - name: highways
      topics: [roads_potholes]
      email: [roads@council.example]
    - name: waste
      topics: [roads_potholes]
      email: [other@council.example]
""") == ["conf.yaml:17: routing.teams.2.name: team 'waste' is defined twice (first at line "
         "11): merge the two, or give this one another name"]


def test_unknown_place_and_service_code_topic() -> None:
    assert problems_of("""routing:
  teams:
    - name: highways
      topics: [roads_potholes]
      places: [mill_lnae]
      email: [roads@council.example]
  service_codes: {potholes: ROAD}
""") == [
        "conf.yaml:13: routing.teams.0.places.0: unknown place 'mill_lnae'; did you mean "
        "'mill_lane'? (places are the keys of nlp.places)",
        "conf.yaml:15: routing.service_codes.potholes: unknown topic 'potholes'; did you mean "
        "'roads_potholes'?",
    ]


def test_a_team_needs_recipients_and_a_webhook_variable_name_not_a_url() -> None:
    secret = "https://example.webhook.office.com/webhookb2/secret-token"
    found = problems_of(f"""routing:
  teams:
    - name: waste
      topics: [waste_recycling]
    - name: highways
      topics: [roads_potholes]
      webhook_url_env: {secret}
""")
    assert found == [
        "conf.yaml:11: routing.teams.0: team 'waste' has no recipients: give email "
        "(addresses) and/or webhook_url_env",
        "conf.yaml:15: routing.teams.1.webhook_url_env: give the NAME of an environment "
        "variable holding the webhook URL (e.g. WASTE_TEAMS_WEBHOOK), never the URL itself",
    ]
    assert not any("secret-token" in p for p in found)  # a URL is a secret: never echoed


def test_typo_in_a_team_key_and_a_bad_time() -> None:
    found = problems_of("""routing:
  teams:
    - name: waste
      topic: [waste_recycling]
      email: [waste-team@council.example]
      at: "8am"
""")
    assert "conf.yaml:12: routing.teams.0.topic: unknown key 'topic'; did you mean 'topics'?" \
        in found
    assert any(p.startswith("conf.yaml:14: routing.teams.0.at: ") and "HH:MM" in p
               for p in found)


def test_an_enabled_team_needs_a_sender_and_its_webhook_variable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WASTE_HOOK", raising=False)
    text = HEAD.replace("reports:\n  email: {sender: listener@council.example}\n", "") + """\
routing:
  teams:
    - name: waste
      topics: [waste_recycling]
      email: [waste-team@council.example]
      webhook_url_env: WASTE_HOOK
    - name: quiet
      enabled: false
      topics: [waste_recycling]
      email: [quiet@council.example]
"""
    with pytest.raises(ConfigError) as info:
        parse_settings(text, "conf.yaml", check_credentials=True)
    assert [str(p) for p in info.value.problems] == [
        "conf.yaml:9: routing.teams.0: digests are e-mailed through reports.email: set its "
        "sender (and smtp_host) to e-mail a team, or set enabled: false",
        "conf.yaml:9: routing.teams.0: enabled, but its webhook environment variable "
        "WASTE_HOOK is not set (set it, or set enabled: false)",
    ]
    monkeypatch.setenv("WASTE_HOOK", "https://hooks.slack.com/services/T/B/x")
    with pytest.raises(ConfigError) as info:
        parse_settings(text, "conf.yaml", check_credentials=True)
    assert len(info.value.problems) == 1  # the sender is still missing


def test_config_check_prints_the_problems_with_lines(tmp_path: object, cli: Cli) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "config.yaml"
    path.write_text(HEAD + "routing:\n  teams:\n    - name: waste\n      topics: [bins]\n"
                    "      email: [waste-team@council.example]\n", encoding="utf-8")
    done = cli("-c", path, "config", "check")
    assert done.returncode == 1
    assert f"{path}:12: routing.teams.0.topics.0: unknown topic 'bins'" in done.stderr
