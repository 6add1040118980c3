"""Written reports quote example posts: erasure rewrites the weeks that link
to an erased post, and retention deletes report files past retention."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from listener.config import Settings
from listener.pipeline import classify
from listener.privacy.forget import forget_author
from listener.privacy.retention import purge
from listener.reporting import write_weekly_report
from storage import Store

from .conftest import make_post, save

WEEK = "2026-W47"


def _week_with_reports(settings: Settings, store: Store) -> list[str]:
    posts = [make_post(str(7000 + n), f"Bins not collected on Quorndale Road again, day {n} #bins",
                       handle=f"resident{n}", created=datetime(2026, 11, 18, 8, n, tzinfo=UTC))
             for n in range(14)]
    save(store, posts)
    classify(settings, store)
    paths = write_weekly_report(settings, store, WEEK, formats=["html", "md", "json"],
                                now=datetime(2026, 11, 25, tzinfo=UTC))
    return [p.read_text(encoding="utf-8") for p in paths]


def test_forget_rewrites_reports_that_quote_the_erased_posts(settings: Settings,
                                                              store: Store) -> None:
    texts = _week_with_reports(settings, store)
    quoted = [n for n in range(14) if any(f"/status/{7000 + n}" in t for t in texts)]
    assert quoted, "the report quotes no example post: nothing to test"
    victim = f"resident{quoted[0]}"
    url = f"https://x.com/{victim}/status/{7000 + quoted[0]}"

    report = forget_author(settings, store, "x", victim)

    assert report.counts["report_weeks_rewritten"] == 1
    out = settings.resolve(settings.reports.out_dir)
    for name in (f"report-{WEEK}.html", f"report-{WEEK}.md", f"report-{WEEK}.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert url not in text and f"/status/{7000 + quoted[0]}" not in text, name


def test_forget_leaves_reports_alone_when_they_do_not_quote_the_author(
        settings: Settings, store: Store) -> None:
    _week_with_reports(settings, store)
    out = settings.resolve(settings.reports.out_dir)
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert forget_author(settings, store, "x", "nobody_here").counts[
        "report_weeks_rewritten"] == 0
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_purge_deletes_report_files_past_retention(settings: Settings, store: Store) -> None:
    _week_with_reports(settings, store)
    out = settings.resolve(settings.reports.out_dir)
    old = out / f"report-{WEEK}.md"
    ancient = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    os.utime(old, (ancient, ancient))
    (out / "notes.txt").write_text("not a report")
    os.utime(out / "notes.txt", (ancient, ancient))

    dry = purge(settings, store, now=datetime(2026, 11, 25, tzinfo=UTC), dry_run=True)
    assert dry.counts["report_files"] == 1 and old.exists()
    done = purge(settings, store, now=datetime(2026, 11, 25, tzinfo=UTC))
    assert done.counts["report_files"] == 1
    assert not old.exists() and (out / f"report-{WEEK}.html").exists()
    assert (out / "notes.txt").exists()


def test_forget_rewrites_another_week_that_links_to_the_post_without_its_handle(
        settings: Settings, store: Store) -> None:
    """A report can quote a post of an earlier week (the waiting list reaches
    back 28 days): erasure finds it by the handle-free link it carries."""
    texts = _week_with_reports(settings, store)
    quoted = [n for n in range(14) if any(f"/status/{7000 + n}" in t for t in texts)]
    assert quoted, "the report quotes no example post: nothing to test"
    out = settings.resolve(settings.reports.out_dir)
    later = out / "report-2026-W49.md"
    later.write_text(f"waiting: https://x.com/i/status/{7000 + quoted[0]}\n", encoding="utf-8")
    untouched = out / "report-2026-W50.md"
    untouched.write_text("waiting: https://x.com/i/status/1\n", encoding="utf-8")

    report = forget_author(settings, store, "x", f"resident{quoted[0]}")

    assert report.counts["report_weeks_rewritten"] == 2  # W47 and W49
    assert not later.exists() or f"/status/{7000 + quoted[0]}" not in later.read_text(
        encoding="utf-8")
    assert untouched.exists()
