from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from listener.normalise import NormaliseError
from listener.platforms.rss.normalise import normalise
from tests.paths import NORMALISE_FIXTURES

ITEMS = json.loads((NORMALISE_FIXTURES / "rss_items.json").read_text())


def test_entry_with_id() -> None:
    post = normalise(ITEMS[0])
    assert post.native_id == "https://www.example-council.gov.uk/news/garden-waste-2027"
    assert post.title == "Garden waste subscriptions open for 2027"
    assert post.text == (
        "Garden waste subscriptions open for 2027\n\n"
        "Residents can now renew their garden waste collection & get a new bin."
    )
    assert post.created_at == datetime(2026, 9, 18, 8, 0, tzinfo=UTC)  # published, not updated
    assert post.url == ITEMS[0]["entry"]["link"]
    assert post.author_handle == "Press Office"


def test_entry_without_id_uses_link_content_and_rfc822_updated() -> None:
    post = normalise(ITEMS[1])
    assert post.native_id == "https://gazette.example/2026/09/19/road-closure"
    assert post.text == "Road closure on the High Street\n\nClosed for resurfacing\nfrom Monday."
    assert post.created_at == datetime(2026, 9, 19, 6, 30, tzinfo=UTC)
    assert post.author_handle is None


def test_same_entry_in_two_feeds_is_one_key() -> None:
    other = copy.deepcopy(ITEMS[0])
    other["feed"] = {"title": "Example Council waste news", "link": "https://x.example/"}
    assert normalise(other).native_id == normalise(ITEMS[0]).native_id


def test_entry_without_id_or_link() -> None:
    item = copy.deepcopy(ITEMS[1])
    del item["entry"]["link"]
    with pytest.raises(NormaliseError, match="'id' nor 'link'"):
        normalise(item)


def test_entry_without_dates() -> None:
    item = copy.deepcopy(ITEMS[1])
    del item["entry"]["updated"]
    with pytest.raises(NormaliseError, match="published"):
        normalise(item)


def test_missing_feed() -> None:
    with pytest.raises(NormaliseError, match="feed"):
        normalise({"entry": ITEMS[0]["entry"]})


def test_a_guid_that_is_not_a_uri_is_scoped_by_its_feed() -> None:
    first = copy.deepcopy(ITEMS[0])
    first["entry"]["id"] = "1234"
    first["feed"]["url"] = "https://www.example-council.gov.uk/news.rss"
    second = copy.deepcopy(first)
    second["feed"] = {"title": "Gazette", "link": "https://gazette.example/"}
    assert normalise(first).native_id == "https://www.example-council.gov.uk/news.rss#1234"
    assert normalise(second).native_id == "https://gazette.example/#1234"
    tagged = copy.deepcopy(ITEMS[0])
    tagged["entry"]["id"] = "tag:example-council.gov.uk,2026:news-1234"
    assert normalise(tagged).native_id == "tag:example-council.gov.uk,2026:news-1234"
