"""Adding a platform touches only the registry: a platform defined here, with
its own config model, source, splitter and normaliser, is registered and
nothing else is edited. Config validation, collection through the normal
pipeline, minimisation, the governance check, compliance, forget and the
deletion sync all know it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pytest

from listener.config import ConfigError, load_settings
from listener.normalise import NormaliseError
from listener.normalise.fields import parse_time, text
from listener.pipeline import collect
from listener.platforms.entry import Platform
from listener.platforms.registry import registered
from listener.privacy.compliance import record_of_processing
from listener.privacy.deletion_sync import sync_deletions
from listener.privacy.forget import forget_author
from listener.privacy.governance import governance_gaps
from listener.sources.base import Page, RawItem
from listener.sources.config import SourceConfigBase
from storage import Post, Store

KEY = "test-key-0123456789abcdef0123456789"


class BoardConfig(SourceConfigBase):
    type: Literal["noticeboard"]
    board: str


def split_notes(body: Any) -> list[RawItem]:
    return [RawItem(note) for note in body["notes"]]


def normalise_note(item: dict[str, Any]) -> Post:
    if not isinstance(item, dict):
        raise NormaliseError("a note is an object")
    return Post(platform="noticeboard", native_id=text(item, "id"), text=text(item, "said"),
                created_at=parse_time(item.get("at"), "at"), author_handle=text(item, "who"),
                url=f"https://board.example/{item['who']}/{item['id']}")


class BoardSource:
    platform = "noticeboard"

    def __init__(self, name: str, config: BoardConfig) -> None:
        self.name, self.config = name, config

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        if cursor.get("read"):
            return
        body = {"notes": [
            {"id": "n1", "who": "alice", "said": "The bins on Elm Road were missed again",
             "at": "2026-11-20T09:00:00Z", "avatar": "https://board.example/alice.png"},
            {"id": "n2", "who": "bob", "said": "Pothole on Mill Lane, mind your tyres",
             "at": "2026-11-20T10:00:00Z", "avatar": "https://board.example/bob.png"},
            {"id": "n3", "who": "carol", "at": "2026-11-20T11:00:00Z"},  # says nothing
        ]}
        yield Page("noticeboard", split_notes(body), query=self.config.board,
                   cursor={"read": "yes"})


NOTICEBOARD = Platform(
    id="noticeboard", name="Noticeboard", config=BoardConfig, source=BoardSource,
    collects="notes pinned to the board {board}", normalise=normalise_note, split=split_notes,
    allowed_fields=("id", "who", "said", "at"),
    link=lambda native_id, url: f"https://board.example/note/{native_id}", hosted="the Moon",
)

CONFIG = """
storage: {path: data/test.db}
sources:
  elm_road: {type: noticeboard, enabled: true, board: elm-road}
"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CIVIC_LISTENER_PSEUDONYM_KEY", KEY)
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG)
    return path


def test_a_registered_platform_is_known_everywhere(config: Path) -> None:
    with pytest.raises(ConfigError, match="unknown source type 'noticeboard'"):
        load_settings(config)
    with registered(NOTICEBOARD):
        settings = load_settings(config)
        assert isinstance(settings.sources["elm_road"], BoardConfig)
        store = Store.open(settings.database_path)

        (summary,) = collect(settings, store)
        assert (summary.status, summary.new, summary.quarantined) == ("ok", 2, 1)
        rows = store.db.execute("SELECT p.platform, p.author_key, r.payload FROM posts p "
                                "JOIN raw_payloads r ON r.post_id = p.id").fetchall()
        assert {r[0] for r in rows} == {"noticeboard"}
        assert all(r[1] and "alice" not in r[1] for r in rows)  # pseudonymised
        assert [sorted(json.loads(r[2])) for r in rows] == [["at", "id", "said", "who"]] * 2

        assert governance_gaps(settings.governance, settings.sources)  # a live source
        record = record_of_processing(settings)
        assert "notes pinned to the board elm-road" in record
        assert "- **noticeboard**: `id`, `who`, `said`, `at`" in record
        assert "Noticeboard: the Moon" in record

        assert sync_deletions(settings, store, now=datetime(2026, 11, 25, tzinfo=UTC)) == {}

        report = forget_author(settings, store, "noticeboard", "@Alice")
        assert report.counts["posts"] == 1
        assert [r[0] for r in store.db.execute("SELECT native_id FROM posts")] == ["n2"]
        store.close()
