"""Small databases for the discovery tests, built through the real storage
API (``tests.reports.builders``): weeks of posts, some matched to the one
configured topic (bins), the rest unmatched."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from listener.config import Settings, parse_settings
from storage import Store
from storage.timefmt import parse_week
from tests.nlp.discovery_texts import random_posts
from tests.paths import STORE_FILE
from tests.reports.builders import Spec, add

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)  # Wednesday of 2026-W48: W47 is complete
CONFIG = f"""
storage: {{path: {STORE_FILE}}}
topics:
  waste_recycling: {{label: Bin collections, terms: [bin, recycling]}}
"""

_STREETS = ["High Street", "Mill Road", "Station Road", "Church Lane", "Park Avenue",
            "the bypass", "London Road", "Queen Street"]
_CLOSURE = ["road closure on {s} again, traffic is at a standstill",
            "the road closure on {s} has no diversion signs",
            "who approved the road closure on {s} this week",
            "stuck for an hour because of the road closure near {s}",
            "another road closure on {s}, buses are all late",
            "surprise road closure at {s}, nobody was told"]


def settings_for(tmp_path: Path, extra: str = "", reports: str = "") -> Settings:
    """Settings whose database is the ``store`` fixture's file; ``reports``:
    lines added to the reports section, ``extra``: sections added."""
    text = CONFIG + "reports:\n  timezone: Europe/London\n" + reports + extra
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return parse_settings(text, str(path), check_credentials=False)


def monday(week: str) -> date:
    return date.fromisocalendar(*parse_week(week), 1)


def at(week: str, k: int) -> datetime:
    """The k-th post's time in ``week``: spread over its days, 09:00 to 18:00 UTC."""
    day = monday(week) + timedelta(days=k % 7)
    return datetime(day.year, day.month, day.day, 9 + (k // 7) % 9, k % 60, tzinfo=UTC)


def posts(week: str, texts: list[str], author: str, *, topics: bool = False,
          sentiment: str | None = "neutral", authors: int | None = None) -> list[Spec]:
    """One post per text in ``week``; ``authors`` distinct authors (default:
    one per post)."""
    n = authors or len(texts)
    return [Spec(when=at(week, k), text=text, author=f"{author}-{week}-{k % n}",
                 topics=[("waste_recycling", ("bin",))] if topics else [],
                 sentiment=sentiment) for k, text in enumerate(texts)]


def bins(week: str, n: int = 20) -> list[Spec]:
    return posts(week, [f"missed bin collection again on street {k}" for k in range(n)], "bin",
                 topics=True)


def noise(week: str, n: int = 60, seed: int = 0) -> list[Spec]:
    return posts(week, random_posts(n, seed=seed), "noise")


def closures(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(_CLOSURE).format(s=rng.choice(_STREETS)) + f" ({k})" for k in range(n)]


def build(store: Store, specs: list[Spec]) -> list[int]:
    return add(store, specs)
