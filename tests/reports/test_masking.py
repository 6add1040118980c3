"""One masking function for every platform's mention forms (issue 16:
"Reddit usernames are not masked in report text"), used by the report, the
query page and CLI, and the label export."""

from __future__ import annotations

import pytest

from reports.text import mask_handles

OFFICIAL = frozenset({"@ExampleCouncil", "examplecouncil.bsky.social",
                      "council@mastodon.example"})


@pytest.mark.parametrize(("platform", "text", "hidden", "shown"), [
    ("x", "@vale_walker the bins again", "vale_walker", "@[user] the bins again"),
    ("x", "thanks @ExampleCouncil and @jo_b!", "jo_b", "thanks @ExampleCouncil and @[user]!"),
    ("reddit", "u/vale_walker says the bins are late", "vale_walker",
     "u/[user] says the bins are late"),
    ("reddit", "as /u/Vale-Walker_2 said", "Vale-Walker_2", "as /u/[user] said"),
    ("reddit", "see reddit.com/u/vale_walker for more", "vale_walker",
     "see reddit.com/u/[user] for more"),
    ("reddit", "U/vale_walker, and u/ExampleCouncil", "vale_walker",
     "U/[user], and u/ExampleCouncil"),
    ("mastodon", "cc @vale@mastodon.social about it", "vale@mastodon",
     "cc @[user] about it"),
    ("mastodon", "via https://mastodon.social/@vale_walker/1", "vale_walker",
     "via https://mastodon.social/@[user]/1"),
    ("mastodon", "@council@mastodon.example will fix it", "", "@council@mastodon.example will "
     "fix it"),
    ("bluesky", "@vale.bsky.social the lights are out.", "vale.bsky",
     "@[user] the lights are out."),
    ("bluesky", "@vale.walker.example.org says hi", "walker", "@[user] says hi"),
    ("bluesky", "thanks @examplecouncil.bsky.social", "", "thanks @examplecouncil.bsky.social"),
])
def test_every_platform_mention_form_is_masked(platform: str, text: str, hidden: str,
                                               shown: str) -> None:
    masked = mask_handles(text, OFFICIAL)
    assert masked == shown, platform
    if hidden:
        assert hidden not in masked


@pytest.mark.parametrize("text", [
    "write to bins@council.example.org", "menu/bins is the page", "the r/london thread",
    "50/50 and 3/u", "email jo.b@example.com today",
])
def test_what_is_not_a_mention_is_left_alone(text: str) -> None:
    assert mask_handles(text, OFFICIAL) == text
