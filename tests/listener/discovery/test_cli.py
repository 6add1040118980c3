"""``listener discover``: a week (stored for the report), a span of days
(--since), three formats, and the consistency check of what is stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from storage import Store
from tests.cli import Cli
from tests.listener.discovery.helpers import build, noise, posts, settings_for
from tests.nlp.discovery_texts import HEATING, random_posts
from tests.reports.builders import Spec


def test_discover_a_week_in_each_format(store: Store, tmp_path: Path, cli: Cli) -> None:
    build(store, posts("2026-W47", [f"{t} @someone" for t in HEATING], "parent")
          + noise("2026-W47"))
    config = settings_for(tmp_path).path
    assert config is not None
    table = cli("-c", config, "discover", "--week", "2026w47")
    assert table.returncode == 0, table.output
    assert "Discovery, 2026-W47: 90 posts, 90 matched no topic" in table.stdout
    assert "1. heating, oakfield primary, school: 30 posts from 30 people" in table.stdout
    assert 'suggestion: consider a new topic "Heating"' in table.stdout
    assert "label: Heating" in table.stdout and "@someone" not in table.stdout
    data = json.loads(cli("-c", config, "discover", "--week", "2026-W47",
                          "--format", "json").stdout)
    (theme,) = data["themes"]
    assert (theme["posts"], theme["authors"], theme["running"]) == (30, 30, "new this week")
    assert len(theme["examples"]) == 3 and "@[user]" in theme["examples"][0]["text"]
    assert yaml.safe_load(cli("-c", config, "discover", "--week", "2026-W47",
                              "--format", "yaml").stdout)["themes"][0]["label"] == \
        theme["label"]
    assert store.themes.run("week", "2026-W47") is not None  # stored for the report


def test_discover_since_a_date_covers_the_days_to_yesterday(store: Store, tmp_path: Path,
                                                            cli: Cli) -> None:
    today = datetime.now(UTC).date()
    start = today - timedelta(days=10)

    def day(k: int) -> datetime:
        d = start + timedelta(days=k % 9)
        return datetime(d.year, d.month, d.day, 12, k % 60, tzinfo=UTC)

    build(store, [Spec(when=day(k), text=t, author=f"p{k}", topics=[])
                  for k, t in enumerate(HEATING + random_posts(60))])
    config = settings_for(tmp_path).path
    assert config is not None
    done = cli("-c", config, "discover", "--since", start.isoformat(), "--format", "json")
    assert done.returncode == 0, done.output
    data = json.loads(done.stdout)
    assert data["period"] == f"{start.isoformat()} to {(today - timedelta(1)).isoformat()}"
    assert [t["label"].split(", ")[0] for t in data["themes"]] == ["heating"]
    assert data["themes"][0]["running"] == ""  # a span is not a week: no "weeks running"
    assert cli("-c", config, "discover", "--since", today.isoformat()).returncode == 2


def test_discover_check_and_repair(store: Store, tmp_path: Path, cli: Cli) -> None:
    build(store, posts("2026-W47", HEATING, "parent") + noise("2026-W47"))
    config = settings_for(tmp_path).path
    assert config is not None
    assert cli("-c", config, "discover", "--week", "2026-W47").returncode == 0
    ok = cli("-c", config, "discover", "--check")
    assert ok.returncode == 0 and "agree with their posts" in ok.stdout
    assert cli("-c", config, "discover", "--week", "2026-W47", "--since",
               "2026-11-01").returncode == 2
