"""Every lookup of a single post or author is logged with the user and the
time, before anything else happens: ``forget --author``, ``forget --url``,
``query --url``; ``listener audit-log`` shows the log and who was looked
up more than once. No row holds a handle or a URL."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime, timedelta

from listener.config import Settings
from listener.privacy.forget import ForgetError, forget_url
from listener.privacy.lookups import Viewer
from storage import Store
from storage.blocklist import post_hash
from tests.cli import Cli

from .conftest import make_post, pseudonymiser, save

ME = f"cli:{getpass.getuser()}"


def rows(store: Store) -> list[tuple[str, str, str, str, str | None, int]]:
    return [(r.user, r.channel, r.action, r.target, r.subject, r.found)
            for r in reversed(store.lookups.listed())]


def test_each_command_lookup_is_logged_with_user_and_time(settings: Settings, store: Store,
                                                          cli: Cli) -> None:
    save(store, [make_post("11", "bins again @Neighbour_Jo", handle="Resident_Ann"),
                 make_post("12", "still no bins", handle="resident_ann"),
                 make_post("13", "potholes", handle="other_person")])
    ann = pseudonymiser().pseudonym("x", "resident_ann")
    other = pseudonymiser().pseudonym("x", "other_person")
    started = datetime.now(UTC) - timedelta(seconds=1)

    shown = cli("-c", settings.path, "query", "--url", "https://x.com/Resident_Ann/status/11",
                "--format", "json")
    assert shown.returncode == 0, shown.output
    assert "bins again @[user]" in shown.stdout and "Neighbour_Jo" not in shown.stdout
    none = cli("-c", settings.path, "query", "--url", "https://x.com/someone/status/999")
    assert none.returncode == 0 and "0 of 0 matching posts" in none.output
    alone = cli("-c", settings.path, "query", "--url", "https://x.com/a/status/1", "--topic", "x")
    assert alone.returncode == 2 and "without other filters" in alone.stderr
    assert cli("-c", settings.path, "forget", "--url",
               "https://x.com/other_person/status/13").returncode == 0
    assert rows(store) == [
        (ME, "cli", "query-url", f"post x:{post_hash('x', '11')[:12]}", ann, 1),
        (ME, "cli", "query-url", f"post x:{post_hash('x', '999')[:12]}", None, 0),
        (ME, "cli", "forget-url", f"post x:{post_hash('x', '13')[:12]}", other, 1),
    ]
    assert set(store.lookups.repeated(at_least=1)) == {(ann, 1, 1), (other, 1, 1)}

    assert cli("-c", settings.path, "forget", "--platform", "x", "--author", "-",
               input="@Resident_Ann\n").returncode == 0
    # logged (found: her 2 posts), then unlinked from her pseudonym by the erasure: who
    # looked, when and how often stay; only the block list still names her pseudonym
    after = rows(store)
    token = after[0][4]
    assert token is not None and token.startswith("erased:")
    assert after == [
        (ME, "cli", "query-url", f"post x:{post_hash('x', '11')[:12]}", token, 1),
        (ME, "cli", "query-url", f"post x:{post_hash('x', '999')[:12]}", None, 0),
        (ME, "cli", "forget-url", f"post x:{post_hash('x', '13')[:12]}", other, 1),
        (ME, "cli", "forget-author", "author (erased)", token, 2),
    ]
    for lookup in store.lookups.listed():
        assert datetime.fromisoformat(lookup.at) >= started.replace(microsecond=0)
    dump = "\n".join(str(r) for r in store.sql.execute("SELECT * FROM lookups")).lower()
    for secret in ("resident_ann", "other_person", "neighbour_jo", "x.com", "status/", ann,
                   ann[:8]):
        assert secret not in dump
    assert store.lookups.repeated() == [(token, 2, 1)]


def test_a_lookup_is_logged_even_when_the_erasure_refuses(settings: Settings,
                                                          store: Store) -> None:
    save(store, [make_post("at://did:plc:a/app.bsky.feed.post/3kx", "one", platform="bluesky",
                           url="https://bsky.app/profile/a/post/3kx"),
                 make_post("at://did:plc:b/app.bsky.feed.post/3kx", "two", platform="bluesky",
                           url="https://bsky.app/profile/b/post/3kx")])
    page = Viewer("policy", "page")
    try:
        forget_url(settings, store, "https://bsky.app/profile/c/post/3kx", viewer=page)
    except ForgetError:
        pass
    else:
        raise AssertionError("two posts match: forget must refuse")
    (logged,) = store.lookups.listed()
    assert (logged.user, logged.channel, logged.action, logged.found) == (
        "policy", "page", "forget-url", 2)


def test_audit_log_shows_the_log_and_repeated_lookups(settings: Settings, store: Store,
                                                      cli: Cli) -> None:
    save(store, [make_post("21", "first", handle="watched"),
                 make_post("22", "second", handle="watched")])
    for native_id in ("21", "22", "21"):
        cli("-c", settings.path, "query", "--url", f"https://x.com/watched/status/{native_id}")
    store.lookups.record(user="policy", channel="page", action="page-url",
                         target="post x:abc", post_ids=[1])
    key = pseudonymiser().pseudonym("x", "watched")

    shown = cli("-c", settings.path, "audit-log")
    assert shown.returncode == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("Lookups of a single post or author since ")
    assert "policy" in lines[1] and "page-url" in lines[1]  # newest first
    assert sum(ME in line and "query-url" in line for line in lines) == 3
    assert f"  {key[:8]}…  4 lookups by 2 users" in lines
    assert key not in shown.stdout and "watched" not in shown.stdout  # a prefix, never a handle

    mine = cli("-c", settings.path, "audit-log", "--by", "policy").stdout
    assert "page-url" in mine and "query-url" not in mine
