from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from listener.normalise import NormaliseError
from listener.platforms.x.normalise import normalise
from listener.platforms.x.split import split_page
from tests.paths import NORMALISE_FIXTURES

PAGE = json.loads(
    (NORMALISE_FIXTURES / "x_search_recent_page.json").read_text()
)


def item_for(tweet: dict[str, Any]) -> dict[str, Any]:
    """The item the X splitter cuts from the recorded page for this tweet."""
    (item,) = [i.payload for i in split_page(PAGE) if i.payload["tweet"] is tweet]
    return copy.deepcopy(item)


def test_tweet_with_place_and_metrics() -> None:
    post = normalise(item_for(PAGE["data"][0]))
    assert post.platform == "x"
    assert post.native_id == "1836201122334455001"
    assert post.author_handle == "marsh_lane_mum"
    assert post.url == "https://x.com/marsh_lane_mum/status/1836201122334455001"
    assert post.created_at == datetime(2026, 9, 15, 7, 42, 10, tzinfo=UTC)
    assert (post.replies, post.reposts, post.likes, post.quotes) == (2, 3, 14, 1)
    assert post.place == "Ashby Marsh, England"
    assert post.lang == "en"
    assert post.in_reply_to is None
    assert "🙄" in post.text


def test_reply_points_at_parent() -> None:
    post = normalise(item_for(PAGE["data"][1]))
    assert post.in_reply_to == "1836201122334455001"
    assert post.author_handle == "ExampleCouncil"
    assert post.place is None


def test_retweet_takes_full_text_of_original() -> None:
    post = normalise(item_for(PAGE["data"][2]))
    assert not post.text.startswith("RT @")
    assert post.text == PAGE["includes"]["tweets"][0]["text"]
    assert post.native_id == "1836201122334455003"


def test_retweet_without_original_keeps_truncated_text() -> None:
    item = item_for(PAGE["data"][2])
    item["includes"]["tweets"] = []
    assert normalise(item).text.startswith("RT @marsh_lane_mum")


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda i: i["tweet"].pop("id"), "id"),
        (lambda i: i["tweet"].pop("created_at"), "created_at"),
        (lambda i: i["tweet"].__setitem__("created_at", "yesterday"), "created_at"),
        (lambda i: i["includes"].__setitem__("users", []), "includes.users"),
        (lambda i: i.pop("tweet"), "tweet"),
    ],
)
def test_malformed_items_name_the_field(mutate: Any, field: str) -> None:
    item = copy.deepcopy(item_for(PAGE["data"][0]))
    mutate(item)
    with pytest.raises(NormaliseError, match=field):
        normalise(item)


def test_the_splitter_keeps_only_the_includes_each_tweet_references() -> None:
    items = [i.payload for i in split_page(PAGE)]
    assert [i["tweet"]["id"] for i in items] == [t["id"] for t in PAGE["data"]]
    kept = [({k: [o["id"] for o in v] for k, v in i["includes"].items()}) for i in items]
    assert kept == [
        {"users": ["2201"], "places": [PAGE["data"][0]["geo"]["place_id"]]},
        # a reply and a retweet carry the tweet they reference and its author
        {"users": ["2200", "2201"], "tweets": ["1836201122334455001"]},
        {"users": ["2202", "2201"], "tweets": ["1836201122334455001"]},
    ]
