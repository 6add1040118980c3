"""The payload as storage writes it: encoded once (``check_storable``), by
orjson where it gives json's text, by json where it cannot."""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from listener.normalise import NormaliseError
from listener.normalise.storable import check_storable, encode_payload
from storage import Post

WHEN = datetime(2026, 11, 16, 9, 30, tzinfo=UTC)


def as_json(value: object) -> str:
    """What storage wrote before orjson: compact json, text not escaped, str() of the rest."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


class Tag(str):
    pass


class Count(int):
    pass


@dataclass
class Place:
    name: str


@pytest.mark.parametrize("payload", [
    {"tweet": {"id": "2122404912691151067", "text": "Bins \U0001f926 café \u2028 \"quoted\"\n\t",
               "public_metrics": {"like_count": 64, "reply_count": 0}, "geo": None,
               "possibly_sensitive": False, "created": 1794911321.0, "score": -3.25}},
    {"when": WHEN, "day": WHEN.date(), "tag": Tag("buses"), "place": Place("Old Quay"),
     "ordered": OrderedDict([("b", 1), ("a", Count(2))]), "flag": True},
    {"control": "\x00\x1f\x7f", "nested": [[{"a": []}], {}], "slash": "a/b"},
])
def test_the_payload_is_written_as_json_wrote_it(payload: dict[str, object]) -> None:
    assert encode_payload(payload) == as_json(payload)


@pytest.mark.parametrize("payload", [
    {"likes": 2**70},         # over 64 bits: orjson refuses, json writes it
    {1: "an integer key"},    # json writes the key as text
    {"deep": json.loads("[" * 300 + "]" * 300)},
])
def test_what_orjson_refuses_is_written_by_json(payload: dict[object, object]) -> None:
    assert encode_payload(payload) == as_json(payload)


def test_a_lone_surrogate_in_the_payload_is_named() -> None:
    post = Post("x", "1", "fine text", WHEN)
    with pytest.raises(NormaliseError, match=r"field 'tweet\.text' of the payload"):
        check_storable(post, {"tweet": {"id": "1", "text": "broken \ud800 text"}},
                       datetime(2026, 11, 17, tzinfo=UTC))


def test_the_stored_text_is_the_checked_encoding() -> None:
    payload = {"tweet": {"id": "1", "text": "Bins \u00e9"}}
    post = Post("x", "1", "Bins é", WHEN)
    assert check_storable(post, payload, datetime(2026, 11, 17, tzinfo=UTC)) == \
        as_json(payload)
