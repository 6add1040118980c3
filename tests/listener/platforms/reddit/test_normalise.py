from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import pytest

from listener.normalise import NormaliseError
from listener.platforms.reddit.normalise import normalise
from tests.paths import NORMALISE_FIXTURES

FIX = NORMALISE_FIXTURES
SEARCH = json.loads((FIX / "reddit_search_listing.json").read_text())["data"]["children"]
COMMENTS = json.loads((FIX / "reddit_comments.json").read_text())[1]["data"]["children"]


def test_submission() -> None:
    post = normalise(SEARCH[0])
    assert post.native_id == "t3_1fq2b3a"
    assert post.title == "Pothole on the A4120 by the garage has eaten two tyres this month"
    assert post.text.startswith("Reported it on the council site")
    assert post.created_at == datetime.fromtimestamp(1726400000, UTC)
    assert post.url == "https://www.reddit.com/r/AshbyMarsh/comments/1fq2b3a/pothole_on_the_a4120/"
    assert (post.likes, post.replies) == (57, 23)
    assert post.author_handle == "tyreless_in_ashby"


def test_link_post_by_deleted_author() -> None:
    post = normalise(SEARCH[1])
    assert post.author_handle is None
    assert post.text == post.title == "Library late opening returns on Thursdays"
    assert post.likes == -2


def test_comment() -> None:
    post = normalise(COMMENTS[0])
    assert post.native_id == "t1_lq9x0aa"
    assert post.text.startswith("Claimed last year")
    assert post.in_reply_to == "t3_1fq2b3a"
    assert post.title is None
    assert post.url == "https://www.reddit.com/r/AshbyMarsh/comments/1fq2b3a/_/lq9x0aa/"


def test_removed_comment_is_refused() -> None:
    with pytest.raises(NormaliseError, match="removed"):
        normalise(COMMENTS[1])


@pytest.mark.parametrize("field", ["name", "created_utc", "title"])
def test_missing_field(field: str) -> None:
    child = copy.deepcopy(SEARCH[0])
    del child["data"][field]
    with pytest.raises(NormaliseError, match=field):
        normalise(child)


def test_unknown_kind() -> None:
    with pytest.raises(NormaliseError, match="t5"):
        normalise({"kind": "t5", "data": {}})
