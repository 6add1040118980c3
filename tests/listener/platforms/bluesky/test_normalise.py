from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from listener.normalise import NormaliseError
from listener.platforms.bluesky.normalise import normalise
from tests.paths import NORMALISE_FIXTURES

POSTS = json.loads(
    (NORMALISE_FIXTURES / "bluesky_search_posts.json").read_text()
)["posts"]


def test_post_view() -> None:
    post = normalise(POSTS[0])
    assert post.native_id == POSTS[0]["uri"]
    assert post.url == "https://bsky.app/profile/busgrumbles.bsky.social/post/3l7abcxyz2k2a"
    assert post.author_handle == "busgrumbles.bsky.social"
    assert post.created_at == datetime(2026, 9, 17, 7, 58, 12, 345000, tzinfo=UTC)
    assert (post.replies, post.reposts, post.likes, post.quotes) == (2, 1, 11, 0)
    assert post.lang == "en"
    assert post.in_reply_to is None


def test_reply_and_forged_epoch_date_falls_back_to_indexed_at() -> None:
    post = normalise(POSTS[1])
    assert post.in_reply_to == POSTS[0]["uri"]
    assert post.created_at == datetime(2026, 9, 17, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("claimed", "expected"),
    [
        ("0001-01-01T00:00:00.000Z", "2026-09-17T08:30:00+00:00"),
        ("2099-01-01T00:00:00.000Z", "2026-09-17T08:30:00+00:00"),
        ("2026-09-17T08:35:00.000Z", "2026-09-17T08:35:00+00:00"),  # within skew
        ("2026-09-17T08:45:00.000Z", "2026-09-17T08:30:00+00:00"),  # beyond skew
        ("2026-09-16T22:00:00.000+01:00", "2026-09-16T21:00:00+00:00"),
        ("not a date", "2026-09-17T08:30:00+00:00"),
    ],
)
def test_created_at_plausibility(claimed: str, expected: str) -> None:
    view = copy.deepcopy(POSTS[1])
    view["record"]["createdAt"] = claimed
    assert normalise(view).created_at.isoformat() == expected


@pytest.mark.parametrize(
    ("path", "field"),
    [(("uri",), "uri"), (("indexedAt",), "indexedAt"), (("record", "text"), "text"),
     (("author",), "author")],
)
def test_missing_field(path: tuple[str, ...], field: str) -> None:
    view = copy.deepcopy(POSTS[0])
    target = view
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    with pytest.raises(NormaliseError, match=field):
        normalise(view)


def test_bad_uri() -> None:
    view = copy.deepcopy(POSTS[0])
    view["uri"] = "record(0)"
    with pytest.raises(NormaliseError, match="uri"):
        normalise(view)


def test_an_image_only_post_takes_its_alt_text_and_is_never_malformed() -> None:
    view = copy.deepcopy(POSTS[0])
    view["record"]["text"] = ""
    view["embed"] = {
        "$type": "app.bsky.embed.recordWithMedia#view",
        "media": {"$type": "app.bsky.embed.images#view", "images": [
            {"thumb": "https://cdn.bsky.app/img/feed_thumbnail/plain/x@jpeg",
             "fullsize": "https://cdn.bsky.app/img/feed_fullsize/plain/x@jpeg",
             "alt": "Pothole filled with water on Mill Road"}]},
        "record": {"record": {"$type": "app.bsky.embed.record#viewRecord"}},
    }
    assert normalise(view).text == "Pothole filled with water on Mill Road"
    view["embed"]["media"]["images"][0]["alt"] = ""
    assert normalise(view).text == ""  # stored, not quarantined
    view["embed"] = {"$type": "app.bsky.embed.external#view", "external": {
        "uri": "https://www.example.gov.uk/roads", "title": "Road repairs",
        "description": "Report a pothole online"}}
    assert normalise(view).text == "Road repairs\nReport a pothole online"
