"""Erasure, retention and deletion reach discovery: a deleted post leaves
its themes and bursting terms, which are counted again, and deleted when
left under 10 posts from 10 authors; the week's term counts that included
it are dropped."""

from __future__ import annotations

from pathlib import Path

from listener.discovery import ensure_week
from storage import Store
from tests.listener.discovery.helpers import NOW, bins, build, closures, noise, posts, settings_for
from tests.nlp.discovery_texts import HEATING


def test_erased_posts_leave_their_theme_which_goes_under_the_floor(store: Store,
                                                                   tmp_path: Path) -> None:
    planted = build(store, posts("2026-W47", HEATING, "parent") + noise("2026-W47"))[:30]
    settings = settings_for(tmp_path)
    theme = ensure_week(settings, store, "2026-W47", now=NOW).themes[0]
    assert "2026-W47" in store.term_counts.periods()
    first = store.themes.theme_posts(theme.id)[0].id  # a quoted post; its author asks
    counts = store.erasure.forget_author("x", f"key-parent-2026-W47-{planted.index(first)}")
    assert counts["posts"] == 1 and counts["theme_posts"] == 1
    after = store.themes.run("week", "2026-W47")
    assert after is not None and after.themes[0].size == theme.size - 1
    assert after.themes[0].authors == theme.authors - 1
    assert first not in {p.id for p in store.themes.theme_posts(theme.id)}
    assert store.themes.check() == []
    assert "2026-W47" not in store.term_counts.periods()  # counted again when next needed
    left = [p for p in planted if p != first]
    store.erasure.forget_posts(left[: theme.size - 10])  # leaves 9 of the theme's posts
    gone = store.themes.run("week", "2026-W47")
    assert gone is not None and gone.themes == ()
    assert store.themes.check() == []


def test_retention_purge_removes_themes_and_terms_of_purged_posts(store: Store,
                                                                  tmp_path: Path) -> None:
    specs = posts("2026-W47", HEATING, "parent") + noise("2026-W47")
    specs += posts("2026-W47", closures(30), "driver")
    for n in range(39, 47):
        specs += bins(f"2026-W{n}")
    build(store, specs)
    run = ensure_week(settings_for(tmp_path), store, "2026-W47", now=NOW)
    assert run.themes and run.bursts
    store.retention.purge_expired(posts_before="2026-11-30T00:00:00+00:00",
                                  raw_before="2026-11-30T00:00:00+00:00")
    purged = store.themes.run("week", "2026-W47")
    assert purged is not None and purged.themes == () and purged.bursts == ()
    assert store.term_counts.periods() == []


def test_an_erased_example_post_leaves_its_bursting_term(store: Store, tmp_path: Path) -> None:
    specs = posts("2026-W47", closures(30), "driver") + noise("2026-W47")
    for n in range(39, 47):
        specs += bins(f"2026-W{n}")
    build(store, specs)
    burst = next(b for b in ensure_week(settings_for(tmp_path), store, "2026-W47",
                                        now=NOW).bursts if b.term == "road closure")
    example = store.themes.burst_posts(burst.id)[0]
    store.erasure.forget_posts([example.id])
    run = store.themes.run("week", "2026-W47")
    assert run is not None
    (after,) = [b for b in run.bursts if b.term == "road closure"]
    assert after.posts == 29 and after.authors == 29
    assert example.id not in {p.id for p in store.themes.burst_posts(burst.id)}
    assert store.themes.check() == []


def test_deletions_run_the_foreign_keys_actions_themselves_and_leave_no_orphan(
        store: Store, tmp_path: Path) -> None:
    """Purge and erasure delete with the foreign keys off for their
    transaction (``PostDeletion.transaction``: SQLite's per-post probe of
    every referencing table is about half of a month's delete) and do the
    keys' actions themselves: the discovery rows a deletion drops take their
    members with them, replies' and audit items' pointers are cleared, and
    SQLite's own check finds no row pointing at nothing. The keys are on
    again afterwards."""
    specs = posts("2026-W47", HEATING, "parent") + noise("2026-W47")
    specs += posts("2026-W47", closures(30), "driver")
    for n in range(39, 47):
        specs += bins(f"2026-W{n}")
    planted = build(store, specs)
    run = ensure_week(settings_for(tmp_path), store, "2026-W47", now=NOW)
    assert run.themes and run.bursts
    members = int(store.db.execute("SELECT count(*) FROM theme_posts").fetchone()[0])
    assert members and store.db.execute("SELECT count(*) FROM burst_posts").fetchone()[0]
    with store.db.conn:  # a reply to an erased post (SET NULL), a queued erased post (CASCADE)
        store.db.execute("UPDATE conversations SET parent_id = ? WHERE post_id = ?",
                         [planted[0], planted[30]])
        store.db.execute("INSERT OR IGNORE INTO rollup_queue (post_id) VALUES (?)", [planted[1]])
    ran: list[str] = []
    store.db.conn.set_trace_callback(ran.append)
    store.erasure.forget_posts(planted[:25])  # the theme goes under the floor: dropped
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.db.execute("SELECT parent_id FROM conversations WHERE post_id = ?",
                            [planted[30]]).fetchone() == (None,)
    store.retention.purge_expired(posts_before="2026-11-30T00:00:00+00:00",
                                  raw_before="2026-11-30T00:00:00+00:00")
    store.db.conn.set_trace_callback(None)

    assert ran.count("PRAGMA foreign_keys = OFF") == 2  # each deletion's transaction
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.db.execute("SELECT count(*) FROM themes").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM theme_posts").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM burst_posts").fetchone()[0] == 0
    assert store.themes.check() == [] and store.rollups.check() == []
