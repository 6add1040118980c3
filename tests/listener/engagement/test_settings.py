"""The engagement section: channels checked against the registry and the
official accounts, every problem with its file, line and key."""

from __future__ import annotations

import pytest

from listener.config import ConfigError, parse_settings
from tests.paths import ROOT

CONFIG = (ROOT / "config.yaml").read_text(encoding="utf-8")


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, "config.yaml", check_credentials=False)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_config_has_every_channel_disabled() -> None:
    settings = parse_settings(CONFIG, "config.yaml", check_credentials=False)
    assert set(settings.engagement.sources()) == {"own:x", "own:mastodon", "own:bluesky",
                                                  "own:rss"}
    assert not [n for n in settings.enabled_sources() if n.startswith("own:")]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("      account: ExampleCouncil\n      bearer", "      account: ExampleCounsil\n      bearer",
     "engagement.channels.x.account: 'ExampleCounsil' is not in privacy.official_accounts"),
    ("      monthly_read_budget: 2000", "      monthly_read_budgte: 2000",
     "engagement.channels.x.monthly_read_budgte: unknown key 'monthly_read_budgte'; did you "
     "mean 'monthly_read_budget'?"),
    ("    bluesky:   ", "    blusky:   ", "did you mean 'bluesky'?"),
    ('    end: "17:00"', '    end: "08:00"', "start 09:00 must be before end 08:00"),
])
def test_mistakes_are_named_with_their_line(old: str, new: str, expected: str) -> None:
    assert old in CONFIG
    found = problems(CONFIG.replace(old, new))
    assert any(expected in p and p.startswith("config.yaml:") for p in found), found


def test_an_enabled_channel_needs_its_credential() -> None:
    text = CONFIG.replace("    x:                                   # timeline and mentions; "
                          "reads count against its budget\n      enabled: false",
                          "    x:\n      enabled: true")
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, "config.yaml", check_credentials=True)
    assert any("engagement.channels.x" in str(p) and "X_BEARER_TOKEN" in str(p)
               for p in caught.value.problems)
