"""Erasure of report files is resumable (issue 16, High: "A crash during
`forget` leaves the erased person in the written reports, and a re-run
doesn't fix it"), and others' replies lose their pointer to an erased post
(issue 16, Low)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime

from listener.config import Settings
from listener.pipeline import classify
from listener.privacy.forget import forget_author, forget_url
from listener.privacy.retention import purge
from listener.reporting import write_weekly_report
from storage import Post, Store
from tests.cli import Cli
from tests.paths import ROOT

from .conftest import make_post, save

WEEK = "2026-W47"
VICTIM = "vale_walker"
NOW = datetime(2026, 11, 25, tzinfo=UTC)


def _reports_quoting_the_victim(settings: Settings, store: Store) -> tuple[str, str]:
    """Posts in 2026-W47 and a report of the week in three formats. Returns
    the handle of a post the report quotes (the victim's) and the link the
    report gives it (one that names no account)."""
    handles = {n: VICTIM if n == 0 else f"resident{n}" for n in range(14)}
    posts = [make_post(str(7000 + n), f"Bins not collected on Quorndale Road again, day {n} #bins",
                       handle=handles[n], created=datetime(2026, 11, 18, 8, n, tzinfo=UTC))
             for n in range(14)]
    save(store, posts)
    classify(settings, store)
    paths = write_weekly_report(settings, store, WEEK, formats=["html", "md", "json"], now=NOW)
    texts = [p.read_text(encoding="utf-8") for p in paths]
    quoted = [n for n in range(14) if any(f"/status/{7000 + n}" in t for t in texts)]
    assert quoted, "the report quotes no example post: nothing to test"
    return handles[quoted[0]], f"https://x.com/i/status/{7000 + quoted[0]}"


def _quoting(settings: Settings, needle: str) -> list[str]:
    out = settings.resolve(settings.reports.out_dir)
    return sorted(p.name for p in out.iterdir()
                  if p.suffix != ".pdf" and needle in p.read_text(encoding="utf-8"))


# The child runs the real `listener forget` and SIGKILLs itself the moment the
# erasure's transaction has committed (on return from Erasure.forget_author),
# before any report file is written again.
CHILD = textwrap.dedent("""
    import os, signal, sys

    def profile(frame, event, arg):
        if event == "return" and frame.f_code.co_name == "forget_author" \\
                and frame.f_code.co_filename.endswith(os.path.join("storage", "erasure.py")):
            os.kill(os.getpid(), signal.SIGKILL)

    sys.setprofile(profile)
    sys.argv = ["listener", *sys.argv[1:]]
    from listener.cli import main
    main()
""")


def test_a_forget_killed_after_the_erasure_commit_is_finished_by_the_next_run(
        settings: Settings, store: Store, cli: Cli) -> None:
    victim, url = _reports_quoting_the_victim(settings, store)
    assert f"report-{WEEK}.html" in _quoting(settings, url)

    killed = subprocess.run(
        [sys.executable, "-c", CHILD, "-c", str(settings.path), "forget", "--platform", "x",
         "--author", victim], cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert killed.returncode == -9, (killed.stdout, killed.stderr)
    native = url.rsplit("/", 1)[1]
    assert store.sql.execute("SELECT count(*) FROM posts WHERE native_id = ?",
                            [native]).fetchone()[0] == 0  # the erasure committed...
    assert _quoting(settings, url)  # ...and the files were not written again

    again = cli("-c", settings.path, "forget", "--platform", "x", "--author", victim)

    assert again.returncode == 0, again.output
    assert "report_weeks_rewritten: 1" in again.stdout
    assert _quoting(settings, url) == [] and _quoting(settings, f"/status/{native}") == []
    assert _quoting(settings, "Quorndale Road")  # the week's report is still there
    assert store.report_rewrites.pending() == {}


def test_purge_and_the_service_start_finish_a_pending_rewrite(settings: Settings,
                                                             store: Store) -> None:
    _, url = _reports_quoting_the_victim(settings, store)
    # what a killed erasure leaves behind: the rows gone, the week recorded
    ids = [r[0] for r in store.sql.execute("SELECT id FROM posts WHERE native_id = ?",
                                          [url.rsplit("/", 1)[1]])]
    store.erasure.forget_posts(ids, rewrites={WEEK: {"html", "md", "json"}})
    assert _quoting(settings, url)

    report = purge(settings, store, now=NOW)

    assert report.counts["report_weeks_rewritten"] == 1 and _quoting(settings, url) == []
    assert store.report_rewrites.pending() == {}

    from listener.service.runner import Service

    store.erasure.forget_posts([], rewrites={WEEK: {"md"}})
    (settings.resolve(settings.reports.out_dir) / f"report-{WEEK}.md").write_text(
        f"stale quote {url}", encoding="utf-8")
    service = Service(settings)
    try:
        service.finish_interrupted_work()
    finally:
        service.pool.close_all()
    assert _quoting(settings, url) == [] and store.report_rewrites.pending() == {}


def test_a_crash_while_rewriting_leaves_no_temporary_copy_behind(settings: Settings,
                                                                store: Store) -> None:
    victim, url = _reports_quoting_the_victim(settings, store)
    out = settings.resolve(settings.reports.out_dir)
    leftover = out / f".report-{WEEK}.html.0123456789ab.tmp"  # a killed write's temporary file
    leftover.write_text(f"half a report quoting {url}", encoding="utf-8")
    forget_author(settings, store, "x", victim)
    assert not leftover.exists() and _quoting(settings, url) == []


TOOT = "https://mastodon.example/users/vale/statuses/11223344"


def _toot(native: str | int, user: str, text: str) -> Post:
    """A Mastodon post: ``native`` is its URI, or a status number on other.example."""
    uri = native if isinstance(native, str) else \
        f"https://other.example/users/{user}/statuses/{native}"
    host, number = uri.split("/")[2], uri.rsplit("/", 1)[1]
    return make_post(uri, text, platform="mastodon", handle=f"{user}@{host}",
                     url=f"https://{host}/@{user}/{number}")


def test_replies_lose_their_pointer_to_an_erased_post(settings: Settings, any_store: Store) -> None:
    store = any_store  # both backends
    save(store, [
        make_post("500", "the original complaint", handle=VICTIM),
        make_post("501", "a reply to it", handle="neighbour"),
        make_post("502", "an unrelated reply", handle="neighbour"),
    ])
    with store.sql.transaction():
        store.sql.execute("UPDATE posts SET in_reply_to = '500' WHERE native_id = '501'")
        store.sql.execute("UPDATE posts SET in_reply_to = '999' WHERE native_id = '502'")

    report = forget_author(settings, store, "x", VICTIM)

    assert report.counts["replies_unlinked"] == 1
    pointers = dict(store.sql.execute("SELECT native_id, in_reply_to FROM posts").fetchall())
    assert pointers == {"501": None, "502": "999"}


def test_a_mastodon_reply_loses_its_pointer_when_the_post_is_forgotten_by_url(
        settings: Settings, any_store: Store) -> None:
    store = any_store  # both backends
    parent, reply = _toot(TOOT, "vale", "the original toot"), _toot(5, "jo", "replying")
    save(store, [parent, reply], raws={TOOT: {"uri": TOOT}, reply.native_id: {"uri": "x"}})
    with store.sql.transaction():
        store.sql.execute("UPDATE posts SET in_reply_to = '11223344' WHERE native_id = ?",
                          [reply.native_id])

    report = forget_url(settings, store, "https://mastodon.example/@vale/11223344")

    assert report.counts["posts"] == 1 and report.counts["replies_unlinked"] == 1
    assert store.sql.execute("SELECT in_reply_to FROM posts").fetchall() == [(None,)]


def test_the_conversation_model_loses_its_pointers_to_an_erased_post(
        settings: Settings, any_store: Store) -> None:
    store = any_store  # both backends
    posts = [_toot(TOOT, "vale", "the original toot"), _toot(5, "jo", "replying"),
             _toot(6, "jo", "and again")]
    save(store, posts, raws={p.native_id: {"uri": p.native_id} for p in posts})
    with store.sql.transaction():
        store.sql.execute(
            "UPDATE conversations SET parent_native = ?, thread = ?, thread_native = ?"
            " WHERE post_id != (SELECT id FROM posts WHERE native_id = ?)",
            [TOOT, TOOT, TOOT, TOOT])

    forget_url(settings, store, "https://mastodon.example/@vale/11223344")

    rows = store.sql.execute("SELECT parent_native, thread, thread_native FROM conversations"
                            ).fetchall()
    assert len(rows) == 2
    assert all(parent is None for parent, _, _ in rows)
    assert not any("vale" in str(cell) for row in rows for cell in row)
    assert len({thread for _, thread, _ in rows}) == 1  # the two replies still share a thread
