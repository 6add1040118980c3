"""The platform registry: every entry is complete, and what the rest of the
service knows about platforms is derived from the entries."""

from __future__ import annotations

import string
import subprocess
import sys
import typing
from typing import Any

import pytest

from listener.config import ConfigError, parse_settings
from listener.normalise import NormaliseError
from listener.platforms.entry import Lazy, Platform
from listener.platforms.registry import (
    BUILT_IN,
    UnknownPlatform,
    ids,
    is_live,
    normaliser,
    platform,
    platforms,
    post_platforms,
    registered,
)
from listener.privacy.governance import governance_gaps
from listener.sources.config import SourceConfigBase


def problems(entry: Platform) -> list[str]:
    """What is missing or inconsistent in one entry."""
    found = []
    tag = typing.get_args(entry.config.model_fields["type"].annotation)
    if tag != (entry.id,):
        found.append(f"config's type is {tag}, not Literal[{entry.id!r}]")
    source = entry.source.load() if isinstance(entry.source, Lazy) else entry.source
    if getattr(source, "platform", None) != entry.id:
        found.append("the source class does not say its platform")
    for placeholder in {f for _, f, _, _ in string.Formatter().parse(entry.collects) if f}:
        if placeholder not in entry.config.model_fields:
            found.append(f"'collects' names {{{placeholder}}}, not a config field")
    if entry.normalise is not None and not entry.allowed_fields:
        found.append("a normaliser but no minimisation allow-list")
    if entry.live and (entry.normalise is None or entry.split is None):
        found.append("a live platform needs its own splitter and normaliser")
    if entry.synthetic and entry.live:
        found.append("synthetic posts cannot come from a live platform")
    if isinstance(entry.checker, Lazy) and not callable(entry.checker.load()):
        found.append("the checker factory does not load")
    return found


@pytest.mark.parametrize("entry", platforms(), ids=ids())
def test_every_built_in_entry_is_complete(entry: Platform) -> None:
    assert problems(entry) == []


def test_the_completeness_check_catches_an_incomplete_entry() -> None:
    x = platform("x")
    incomplete = Platform(id="broken", name="Broken", config=x.config, source=x.source,
                          collects="{nothing}", normalise=x.normalise)
    assert problems(incomplete) == [
        "config's type is ('x',), not Literal['broken']",
        "the source class does not say its platform",
        "'collects' names {nothing}, not a config field",
        "a normaliser but no minimisation allow-list",
        "a live platform needs its own splitter and normaliser",
    ]


def test_the_built_in_platforms() -> None:
    assert ids() == BUILT_IN == ("sample", "x", "reddit", "mastodon", "bluesky", "rss", "file")
    assert post_platforms() == ("x", "reddit", "mastodon", "bluesky", "rss", "file")
    assert [p.id for p in platforms() if not p.live] == ["sample", "file"]
    assert [p.id for p in platforms() if p.checker] == ["x", "reddit", "mastodon", "bluesky"]
    with pytest.raises(UnknownPlatform, match="known: sample, x, reddit"):
        platform("tiktok")
    with pytest.raises(UnknownPlatform, match="no normaliser of its own"):
        normaliser("sample")
    with pytest.raises(ValueError, match="registered already"), registered(platform("x")):
        pass


def _problem(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse_settings(text, "conf.yaml", check_credentials=False)
    (problem,) = info.value.problems
    return str(problem)


def test_config_errors_name_the_registered_types() -> None:
    known = ", ".join(ids())
    assert _problem("sources:\n  s:\n    type: mastodn\n") == (
        f"conf.yaml:3: sources.s.type: unknown source type 'mastodn'; known types: {known}; "
        "did you mean 'mastodon'?")
    assert _problem("sources:\n  s:\n    enabled: true\n") == (
        f"conf.yaml:2: sources.s: missing 'type:' ({known})")
    assert _problem("sources:\n  s:\n    type: rss\n    feeds: [a]\n    feed: [b]\n") == (
        "conf.yaml:5: sources.s.feed: unknown key 'feed'; did you mean 'feeds'?")


def test_an_entry_registered_later_is_accepted_and_then_gone() -> None:
    class NoteConfig(SourceConfigBase):
        type: typing.Literal["notes"]

    entry = Platform(id="notes", name="Notes", config=NoteConfig, source=lambda n, c: c,
                     collects="notes", live=False)
    text = "sources:\n  n:\n    type: notes\n"
    with registered(entry):
        settings = parse_settings(text, "conf.yaml")
        assert isinstance(settings.sources["n"], NoteConfig)
        assert "notes" in _problem("sources:\n  s:\n    type: tiktok\n")
    assert "unknown source type 'notes'" in _problem(text)


def test_skip_platforms_takes_the_platforms_that_are_rechecked() -> None:
    problem = _problem("privacy: {deletion_sync: {skip_platforms: [rss]}}\n")
    assert problem.startswith("conf.yaml:1: privacy.deletion_sync.skip_platforms:")
    assert "re-checked are x, reddit, mastodon, bluesky" in problem


def test_governance_applies_to_live_types_and_to_unknown_ones() -> None:
    assert [p for p in ids() if not is_live(p)] == ["sample", "file"]
    assert is_live("a type registered by no one")
    settings = parse_settings("sources:\n  f: {type: file, enabled: true, path: a.csv}\n",
                              "conf.yaml")
    assert governance_gaps(settings.governance, settings.sources) == []


@pytest.mark.parametrize(("platform_id", "native_id", "url", "link"), [
    ("x", "1836201122334455001", "https://x.com/marsh_lane_mum/status/1836201122334455001",
     "https://x.com/i/status/1836201122334455001"),
    ("reddit", "t3_1p0c5a", "https://www.reddit.com/r/Leeds/comments/1p0c5a/bins_missed/",
     "https://www.reddit.com/comments/1p0c5a/"),
    ("reddit", "t1_m1", "https://www.reddit.com/r/u_leeds_resident/comments/1p0c5a/_/m1/",
     "https://www.reddit.com/comments/1p0c5a/_/m1/"),
    ("reddit", "t3_1p0c5a", None, "https://www.reddit.com/comments/1p0c5a/"),
    ("bluesky", "at://did:plc:4xq2example7n3k5m2ab/app.bsky.feed.post/3l7abcxyz2k2a",
     "https://bsky.app/profile/someone.bsky.social/post/3l7abcxyz2k2a",
     "https://bsky.app/profile/did:plc:4xq2example7n3k5m2ab/post/3l7abcxyz2k2a"),
    ("rss", "https://www.example.gov.uk/news/1", "https://www.example.gov.uk/news/1",
     "https://www.example.gov.uk/news/1"),
    ("mastodon", "https://mastodon.social/users/ann/statuses/1",
     "https://mastodon.social/@ann/1", None),
    ("file", "survey-1", "https://x.com/ann/status/1", None),
    ("x", "not-a-tweet-id", None, None),
])
def test_the_link_that_carries_no_handle(platform_id: str, native_id: str, url: str | None,
                                         link: str | None) -> None:
    assert platform(platform_id).link(native_id, url) == link


def test_each_normaliser_refuses_what_is_not_an_item() -> None:
    for platform_id in post_platforms():
        with pytest.raises(NormaliseError):
            normaliser(platform_id)(typing.cast(Any, "not an object"))


def test_client_libraries_load_only_with_the_source_that_uses_them() -> None:
    """A deployment using only RSS never imports tweepy: the registry names
    sources and checkers lazily."""
    heavy = ("tweepy", "praw", "prawcore", "mastodon", "atproto", "httpx", "feedparser")
    code = (
        "import sys, listener.pipeline, listener.privacy.deletion_sync, listener.privacy.forget\n"
        "from listener.config import parse_settings\n"
        "from listener.platforms.registry import build_source\n"
        f"heavy = {heavy!r}\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "s = parse_settings('sources:\\n  n: {type: rss, feeds: [https://a.example/f]}\\n', 'c')\n"
        "build_source('n', s.sources['n'])\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.splitlines() == ["[]", "['feedparser', 'httpx']"]
