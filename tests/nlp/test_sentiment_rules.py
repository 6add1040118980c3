"""sentiment.vader v3-v8: the posts a reader saw misread, and each rule's own
effect (the version before it reads the post one way, the rule's version the
other)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.config import NlpSettings
from nlp.registry import BuildContext, resolve


def vader(version: str) -> object:
    ctx = BuildContext(NlpSettings(), {}, Path("."))
    return resolve(f"sentiment.vader.{version}").factory(ctx)


def label(version: str, text: str) -> str:
    clf = vader(version)
    return clf.classify([text])[0][0].label  # type: ignore[attr-defined, no-any-return]


READER_SAW = [
    ("Day 4 of the bin strike. Quarry Close looks like a landfill 🤬", "negative"),
    ("Bin men left half the street... Brilliant.", "negative"),
    ("Love that for me", "negative"),
    ("Missing grey wallet, reward if found", "neutral"),
]
MORE = [
    ("🙄", "negative"),
    ("The state of this underpass 💀🤦", "negative"),
    ("Thanks for nothing @leedscc", "negative"),
    ("Great job. Still no collection on Elm Road", "negative"),
    ("Recycling missed again... Fantastic.", "negative"),
    ("Street looks like a tip", "neutral"),
    ("Still waiting for a reply after 3 weeks", "negative"),
    ("Bins collected on time this week. Brilliant.", "positive"),
    ("Great job fixing the potholes on the high street 👍", "positive"),
    ("Thank you to the lovely staff at the library, brilliant service", "positive"),
    ("Huge thanks to the crew who cleared the flood drains 🙏", "positive"),
    ("Can't wait for the new library to open", "positive"),
    ("Planning committee meets on Tuesday at 7pm in the town hall", "neutral"),
    ("Found: black cat near Elm Road, please share", "neutral"),
    ("Road closure on Mill Lane from Monday for resurfacing", "neutral"),
    ("Lost keys on a blue lanyard near the leisure centre, reward if found", "neutral"),
]


@pytest.mark.parametrize(("text", "want"), READER_SAW + MORE)
def test_the_default_version_reads_these_posts_right(text: str, want: str) -> None:
    assert label("v8", text) == want


@pytest.mark.parametrize(("before", "after", "text", "was", "now"), [
    ("v2", "v3", "Quarry Close is a landfill 🤬", "neutral", "negative"),
    ("v2", "v3", "🙄", "neutral", "negative"),
    ("v3", "v4", "Bin men left half the street... Brilliant.", "positive", "negative"),
    ("v3", "v4", "Love that for me", "positive", "negative"),
    ("v4", "v5", "Found a lovely little cat near Elm Road, please share", "positive",
     "neutral"),
    ("v4", "v5", "Our lovely free open day is on Saturday at 10am, all welcome", "positive",
     "neutral"),
    ("v4", "v5", "Feels like a joke", "positive", "neutral"),
    ("v5", "v6", "Where is my brown bin?", "neutral", "negative"),
    ("v5", "v6", "Emailed the council for 3 weeks now", "neutral", "negative"),
    ("v6", "v7", "Is there any chance of a good answer from the council?", "positive",
     "neutral"),
    ("v7", "v8", "Can't wait for the new library to open", "neutral", "positive"),
])
def test_each_rule_changes_what_it_is_for(before: str, after: str, text: str, was: str,
                                          now: str) -> None:
    assert (label(before, text), label(after, text)) == (was, now)


def test_each_version_says_what_it_is_built_from() -> None:
    model_id = vader("v8").model_id  # type: ignore[attr-defined]
    for part in ("service-lexicon-1", "emoji-1", "sarcasm-1", "notices-1", "waiting-1",
                 "questions-1", "forward-1"):
        assert part in model_id
