from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from listener.normalise import NormaliseError, get_normaliser
from tests.paths import NORMALISE_FIXTURES

PAGE = json.loads(
    (NORMALISE_FIXTURES / "x_search_recent_page.json").read_text()
)


def item_for(tweet: dict[str, Any]) -> dict[str, Any]:
    """Split a search/recent page into one item, as the X source does."""
    inc = PAGE["includes"]
    refs = {r["id"] for r in tweet.get("referenced_tweets", [])}
    place = tweet.get("geo", {}).get("place_id")
    return {
        "tweet": tweet,
        "includes": {
            "users": [u for u in inc["users"] if u["id"] == tweet["author_id"]],
            "places": [p for p in inc["places"] if p["id"] == place],
            "tweets": [t for t in inc["tweets"] if t["id"] in refs],
        },
    }


def test_tweet_with_place_and_metrics() -> None:
    post = get_normaliser("x")(item_for(PAGE["data"][0]))
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
    post = get_normaliser("x")(item_for(PAGE["data"][1]))
    assert post.in_reply_to == "1836201122334455001"
    assert post.author_handle == "ExampleCouncil"
    assert post.place is None


def test_retweet_takes_full_text_of_original() -> None:
    post = get_normaliser("x")(item_for(PAGE["data"][2]))
    assert not post.text.startswith("RT @")
    assert post.text == PAGE["includes"]["tweets"][0]["text"]
    assert post.native_id == "1836201122334455003"


def test_retweet_without_original_keeps_truncated_text() -> None:
    item = item_for(PAGE["data"][2])
    item["includes"]["tweets"] = []
    assert get_normaliser("x")(item).text.startswith("RT @marsh_lane_mum")


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
        get_normaliser("x")(item)


def test_items_from_response_keeps_only_referenced_includes() -> None:
    from listener.normalise.x import items_from_response

    items = items_from_response(PAGE)
    assert [i["tweet"]["id"] for i in items] == [t["id"] for t in PAGE["data"]]
    assert items == [item_for(t) for t in PAGE["data"]]
