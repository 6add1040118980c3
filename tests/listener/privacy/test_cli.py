"""The privacy commands as a user runs them: ``listener forget`` and
``listener purge --dry-run`` print counts, never the handle or pseudonym."""

from __future__ import annotations

from listener.config import Settings
from storage import Store
from tests.cli import Cli

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
