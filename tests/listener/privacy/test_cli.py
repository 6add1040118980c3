"""The privacy commands as a user runs them: ``listener forget`` and
``listener purge --dry-run`` print counts, never the handle or pseudonym."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from listener.config import Settings
from storage import Store, fts
from tests.cli import Cli
from tests.pg import sqlite_only

from .conftest import count, make_post, pseudonymiser, save


def test_forget_author_from_stdin_and_by_url(settings: Settings, store: Store, cli: Cli) -> None:
    save(store, [make_post("1", "first post by the objector", handle="Objector_77"),
                 make_post("2", "second post by the objector", handle="objector_77"),
                 make_post("3", "someone else", handle="other")])
    key = pseudonymiser().pseudonym("x", "objector_77")

    done = cli("-c", settings.path, "forget", "--platform", "x", "--author", "-",
               input="@Objector_77\n")

    assert done.returncode == 0, done.stderr
    assert "posts: 2" in done.stdout
    out = (done.stdout + done.stderr).lower()
    assert "objector_77" not in out and key not in out
    assert count(store, "posts") == 1

    by_url = cli("-c", settings.path, "forget", "--url", "https://x.com/other/status/3")
    assert by_url.returncode == 0 and "posts: 1" in by_url.stdout
    assert count(store, "posts") == 0


def test_forget_needs_one_target(settings: Settings, cli: Cli) -> None:
    for args in (["--author", "a"], [], ["--url", "https://x.com/a/status/1", "--platform", "x",
                                        "--author", "a"]):
        done = cli("-c", settings.path, "forget", *args)
        assert (done.returncode, done.stdout) == (2, "")
        assert done.stderr == "give either --platform P --author HANDLE, or --url URL\n"


@sqlite_only("FTS5's segments; on PostgreSQL a post's words go with its row")
def test_a_large_erasure_says_when_its_words_leave_the_index_and_status_shows_it(
        settings: Settings, store: Store, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a person running ``forget`` for an author with many posts sees:
    the posts are gone and unsearchable now; the note says their words leave
    the index's storage at the next purge; ``status`` shows the wait until a
    purge, and ``status --check`` fails once it has lasted two days."""
    monkeypatch.setattr(fts, "AT_ONCE_LIMIT", 1)
    save(store, [make_post("1", "first post by the objector", handle="objector_77"),
                 make_post("2", "second post by the objector", handle="objector_77"),
                 make_post("3", "someone else", handle="other")])

    done = cli("-c", settings.path, "forget", "--platform", "x", "--author", "objector_77")

    assert done.returncode == 0, done.stderr
    assert "posts: 2" in done.stdout and "fts_pending" not in done.stdout
    assert ("no search finds these posts any more; the words of 2 of them leave the full-text "
            "index's storage at the next retention purge") in done.stdout
    status = cli("-c", settings.path, "status")
    assert "full-text index: the words of 2 erased posts leave its storage at the next" \
        " retention purge" in status.stdout
    with time_machine.travel(datetime.now(UTC) + timedelta(days=2, minutes=1)):
        late = cli("-c", settings.path, "status", "--check")
    assert late.returncode == 1 and "waiting 2+ days for a purge" in late.stdout

    purged = cli("-c", settings.path, "purge")
    assert purged.returncode == 0 and "erased_posts_cleared_from_index: 2" in purged.stdout
    after = cli("-c", settings.path, "status")
    assert "full-text index" not in after.stdout
