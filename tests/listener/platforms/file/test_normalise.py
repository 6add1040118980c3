from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from listener.normalise import NormaliseError
from listener.platforms.file.normalise import normalise

ROW: dict[str, Any] = {
    "id": "survey-0042",
    "text": "The new recycling boxes are too small for a family of five",
    "created_at": "2026-10-02 14:05:00",
    "author": "resident-17",
    "likes": "3",
    "replies": "",
}


def test_csv_row_defaults_to_file_platform() -> None:
    post = normalise(ROW)
    assert post.platform == "file"
    assert post.native_id == "survey-0042"
    assert post.created_at == datetime(2026, 10, 2, 14, 5, tzinfo=UTC)
    assert post.likes == 3
    assert post.replies is None
    assert post.author_handle == "resident-17"


def test_known_platform_is_kept_and_unknown_is_file() -> None:
    assert normalise({**ROW, "platform": "X"}).platform == "x"
    assert normalise({**ROW, "platform": "facebook"}).platform == "file"


def test_unix_timestamp_as_text() -> None:
    assert normalise({**ROW, "created_at": "1790000000"}).created_at == datetime.fromtimestamp(
        1790000000, UTC
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id": ""}, "id"),
        ({"text": "  "}, "text"),
        ({"created_at": None}, "created_at"),
        ({"created_at": "02/10/2026"}, "created_at"),
        ({"likes": "many"}, "likes"),
    ],
)
def test_malformed_rows(change: dict[str, Any], field: str) -> None:
    with pytest.raises(NormaliseError, match=field):
        normalise({**ROW, **change})
