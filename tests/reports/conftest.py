"""The report tests' shared fixtures: a store on both backends, a known week,
settings and an SMTP inbox."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from reports import ReportContext, ReportSettings
from reports.config import EmailSettings
from storage import Store
from tests.paths import ROOT
from tests.pg import on_store
from tests.reports.builders import Spec, add, at

LABELS = {"waste_recycling": "Bin collections", "roads_potholes": "Roads and potholes",
          "parks": "Parks"}
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday of 2026-W48
CONTEXT = ReportContext(config_hash="cfg123", pipeline_version="0.1.0",
                        official_handles=frozenset({"@ExampleCouncil"}),
                        organisation="Example Council",
                        # as if every platform's handle-free link were the stored one
                        link=lambda platform, native_id, url: url)


def week_posts(day: str, slug: str, n: int, sentiments: list[str], *, first_author: int = 0,
               terms: tuple[str, ...] = ("bin",)) -> list[Spec]:
    """``n`` posts on ``day`` about ``slug`` by distinct authors, sentiment
    labels in the order given (cycled)."""
    return [Spec(when=at(day, 10, k % 60), text=f"{slug} post {k}",
                 author=f"{slug}-{first_author + k}",
                 topics=[(slug, terms)], sentiment=sentiments[k % len(sentiments)],
                 url=f"https://x.example/{slug}/{day}/{k}")
            for k in range(n)]


@pytest.fixture
def store(any_store: Store) -> Store:
    """Every report test that takes a store runs on both backends (SQLite's
    file and a PostgreSQL database of its own: tests/conftest.py ``any_store``);
    ``tests.pg.sqlite_only`` keeps one to SQLite, with the reason."""
    return any_store


@pytest.fixture
def repo_config(tmp_path: Path, store: Store, request: pytest.FixtureRequest,
          monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's config.yaml, pointed at the test's store
    (either backend), which holds 14 bin posts of 2026-W47: ``listener report``
    and ``listener alerts`` run with it."""
    config = tmp_path / "config.yaml"
    config.write_text((ROOT / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for name, value in on_store(config, store, request).items():
        monkeypatch.setenv(name, value)
    add(store, [Spec(when=at("2026-11-17", 9, k), author=f"c{k}", sentiment="negative",
                     topics=[("waste_recycling", ("bin",))]) for k in range(14)])
    return config


@pytest.fixture
def known(store: Store) -> Store:
    return add_known(store)


def add_known(store: Store) -> Store:
    """2026-W47 (Mon 16 Nov to Sun 22 Nov; London is on GMT):
    - Bin collections: 20 posts, 20 authors: 12 negative, 5 neutral, 3 positive
    - Roads: 5 posts (below 10)
    - 3 posts looked at with no topic (unclassified), 2 not yet classified
    2026-W46: Bin collections 10 posts (2 negative, 8 neutral); 4 earlier weeks
    W42..W45 with 10 bin posts each (5 negative, 5 neutral)."""
    sents = ["negative"] * 12 + ["neutral"] * 5 + ["positive"] * 3
    specs = week_posts("2026-11-17", "waste_recycling", 20, sents)
    specs += week_posts("2026-11-18", "roads_potholes", 5, ["negative"], terms=("pothole",))
    specs += [Spec(when=at("2026-11-19"), text="nothing", author=f"none-{k}", topics=[],
                   sentiment="neutral") for k in range(3)]
    specs += [Spec(when=at("2026-11-20"), text="later", author=f"late-{k}", topic_state=False,
                   sentiment="pending") for k in range(2)]
    specs += week_posts("2026-11-10", "waste_recycling", 10, ["negative"] * 2 + ["neutral"] * 8,
                        first_author=100)
    for day in ("2026-10-13", "2026-10-20", "2026-10-27", "2026-11-03"):
        specs += week_posts(day, "waste_recycling", 10, ["negative", "neutral"], first_author=200)
    add(store, specs)
    return store


@pytest.fixture
def settings() -> ReportSettings:
    return ReportSettings(timezone="Europe/London")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, EmailSettings]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, EmailSettings(smtp_host="127.0.0.1", smtp_port=port, starttls=False,
                                   sender="reports@council.example",
                                   to=["comms@council.example", "director@council.example"])
    finally:
        controller.stop()
