"""Minimisation: the stored raw payload keeps only the allow-listed fields,
and those are enough for the normaliser to re-derive the very same post."""

from __future__ import annotations

import json
from typing import Any

import feedparser
import pytest

from listener.normalise import NormaliseError
from listener.pipeline import normalise_page
from listener.platforms.registry import normaliser, splitter
from listener.platforms.rss.split import FeedDocument
from listener.privacy.minimise import allowed_fields, minimise
from listener.sources.base import Page, RawItem
from tests.listener.platforms.recorded.builders import rss_feed, rss_item
from tests.paths import NORMALISE_FIXTURES

from .conftest import pseudonymiser

FIX = NORMALISE_FIXTURES


def _load(name: str) -> Any:
    return json.loads((FIX / name).read_text())


def _x_items() -> list[dict[str, Any]]:
    return [i.payload for i in splitter("x")(_load("x_search_recent_page.json"))]


def _feed_items() -> list[dict[str, Any]]:
    """Entries as the RSS source splits a fetched feed (a guid that is not a
    URI is scoped by the feed's address)."""
    xml = rss_feed([rss_item(1), rss_item(2, guid="1234")])
    document = FeedDocument("https://www.example.gov.uk/news.rss", feedparser.parse(xml))
    return [i.payload for i in splitter("rss")(document)]


ITEMS: list[tuple[str, dict[str, Any]]] = (
    [("x", i) for i in _x_items()]
    + [("reddit", c) for c in _load("reddit_search_listing.json")["data"]["children"]]
    + [("reddit", c) for c in _load("reddit_comments.json")[1]["data"]["children"]]
    + [("mastodon", s) for s in _load("mastodon_tag_timeline.json")]
    + [("bluesky", p) for p in _load("bluesky_search_posts.json")["posts"]]
    + [("rss", e) for e in _load("rss_items.json")]
    + [("rss", e) for e in _feed_items()]
)


def _paths(value: Any, prefix: str = "") -> set[str]:
    """Every leaf path of a payload: ``a.b``, ``a[].b``."""
    if isinstance(value, dict) and value:
        return set().union(*(_paths(v, f"{prefix}.{k}" if prefix else k)
                             for k, v in value.items()))
    if isinstance(value, list) and value:
        return set().union(*(_paths(v, prefix + "[]") for v in value))
    return {prefix}


def _accepted(platform: str, item: dict[str, Any]) -> bool:
    try:
        normaliser(platform)(item)
    except NormaliseError:
        return False  # refused items are covered by the normalisers' own tests
    return True


@pytest.mark.parametrize(("platform", "item"), [(p, i) for p, i in ITEMS if _accepted(p, i)])
def test_minimised_payload_normalises_to_the_same_post(platform: str,
                                                       item: dict[str, Any]) -> None:
    normalise = normaliser(platform)
    assert normalise(minimise(platform, item)) == normalise(item)


def test_profile_and_other_fields_are_dropped() -> None:
    kept = json.dumps([minimise(p, i) for p, i in ITEMS])
    full = json.dumps([i for _, i in ITEMS])
    for dropped in ('"display_name"', '"displayName"', '"note"', '"avatar"', '"followers_count"',
                    '"entities"', '"facets"', '"source"', '"author_fullname"', '"did"'):
        assert dropped in full or dropped in ('"author_fullname"', '"did"'), dropped
        assert dropped not in kept, dropped
    # nothing outside the allow-list survives
    for platform, item in ITEMS:
        allowed = {p.replace("[]", "") for p in allowed_fields()[platform]}
        for path in _paths(minimise(platform, item)):
            clean = path.replace("[]", "")
            # a leaf is allowed, or an empty/null container on an allowed path
            assert any(clean == a or a.startswith(clean + ".") for a in allowed), path


def test_pipeline_stores_the_minimised_payload_and_quarantines_a_minimised_one() -> None:
    good = _x_items()[0]
    bad = {"tweet": {"id": "9", "author_id": "1"}, "includes": {"users": [
        {"id": "1", "username": "u", "description": "my whole life story"}]}}
    page = Page(platform="x", items=[RawItem(good), RawItem(bad)], query="q", cursor={},
                request={})
    items, quarantined = normalise_page(page, pseudonymiser())
    assert items[0].raw == minimise("x", good) and items[0].raw != good
    assert "life story" not in json.dumps(quarantined[0].payload)
    assert quarantined[0].payload["tweet"]["id"] == "9"


def test_every_sample_payload_survives_minimisation() -> None:
    """The sample source replays every platform's real shapes: each item that
    normalises gives the same post from its minimised payload."""
    from datetime import date

    from listener.sample import generate_pages

    seen = set()
    for page in generate_pages(300, seed=7, weeks=2, end=date(2026, 11, 22)):
        normalise = normaliser(page.platform)
        for raw in page.items:
            try:
                full = normalise(raw.payload)
            except NormaliseError:
                continue  # the sample's deliberately malformed items
            assert normalise(minimise(page.platform, raw.payload)) == full
            seen.add(page.platform)
    assert seen >= {"x", "reddit", "mastodon", "bluesky", "rss"}


def test_unknown_platform_is_kept_whole() -> None:
    payload = {"anything": {"goes": 1}}
    assert minimise("sample", payload) == payload
