from __future__ import annotations

import copy
import json

import pytest

from listener.normalise import NormaliseError
from listener.platforms.mastodon.normalise import normalise
from tests.paths import NORMALISE_FIXTURES

STATUSES = json.loads(
    (NORMALISE_FIXTURES / "mastodon_tag_timeline.json").read_text()
)


def test_status_html_to_text_and_fields() -> None:
    post = normalise(STATUSES[0])
    assert post.native_id == STATUSES[0]["uri"]
    assert post.text == (
        'Huge thanks to the staff at Ashby Marsh library & the "Rhyme Time" volunteers ❤️\n\n'
        "Kids loved it.\nBack next week! #libraries"
    )
    assert post.author_handle == "hedgerow@mastodon.example.uk"
    assert post.url == STATUSES[0]["url"]
    assert (post.replies, post.reposts, post.likes) == (1, 4, 9)
    assert post.lang == "en"
    assert post.created_at.isoformat() == "2026-09-16T18:20:31.120000+00:00"


def test_reblog_is_the_reblogged_status() -> None:
    post = normalise(STATUSES[1])
    inner = STATUSES[1]["reblog"]
    assert post.native_id == inner["uri"]
    assert post.text == "@hedgerow Diolch am rannu!"
    assert post.author_handle == "gwen@toot.example.wales"
    assert post.in_reply_to == "113201450012345678"
    assert post.lang == "cy"


def test_same_status_from_two_instances_is_one_key() -> None:
    other = copy.deepcopy(STATUSES[0])
    other["id"] = "998877"  # another instance's local id
    other["account"]["acct"] = "hedgerow@mastodon.example.uk"
    assert normalise(other).native_id == normalise(STATUSES[0]).native_id
    assert normalise(other).author_handle == normalise(STATUSES[0]).author_handle


def test_url_falls_back_to_uri() -> None:
    status = copy.deepcopy(STATUSES[0])
    status["url"] = None
    assert normalise(status).url == status["uri"]


@pytest.mark.parametrize("field", ["uri", "created_at", "account"])
def test_missing_field(field: str) -> None:
    status = copy.deepcopy(STATUSES[0])
    del status[field]
    with pytest.raises(NormaliseError, match=field):
        normalise(status)


def test_empty_content() -> None:
    status = copy.deepcopy(STATUSES[0])
    status["content"] = "<p></p>"
    with pytest.raises(NormaliseError, match="content"):
        normalise(status)
