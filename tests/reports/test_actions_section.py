""""What we did and what changed since" on a hand-built database: each
action's topic before (4 weeks) and since (to the report week's end), with
intervals, the report's suppression, plain words that never claim cause,
and the action drawn on the topic's trend chart."""

from __future__ import annotations

import re
from datetime import date, timedelta

from nlp.estimate import weekly_rate, wilson
from reports import ReportContext, ReportSettings, compute_figures
from reports.render_html import render_html
from reports.render_md import render_md
from reports.tables import tables
from storage import Store
from storage.actions import ActionFields
from tests.reports.builders import Spec, add, at
from tests.reports.conftest import CONTEXT, LABELS, NOW

ACTION_DAY = date(2026, 11, 19)  # Thursday of 2026-W47 (Mon 16 to Sun 22 Nov)


def bins(day: date, n: int, sentiments: list[str], *, first: int, authors: int | None = None,
         slug: str = "waste_recycling") -> list[Spec]:
    """``n`` posts on ``day`` (noon UTC) by ``authors`` distinct authors (default n)."""
    return [Spec(when=at(day.isoformat(), 12, k % 60), text=f"{slug} {k}",
                 author=f"{slug}-{first + k % (authors or n)}", topics=[(slug, ("bin",))],
                 sentiment=sentiments[k % len(sentiments)]) for k in range(n)]


def build(store: Store) -> None:
    before = ACTION_DAY - timedelta(days=28)  # Thu 22 Oct: the first day before
    specs = []
    for k in range(4):  # 40 posts, 40 authors, 12 negative, over the 4 weeks before
        specs += bins(before + timedelta(days=7 * k + 1), 10, ["negative"] + ["neutral"] * 3,
                      first=100 * k)
    specs += bins(before - timedelta(days=1), 7, ["negative"], first=900)  # the day before them
    specs += bins(ACTION_DAY, 12, ["negative", "negative", "negative", "neutral"], first=1000)
    specs += bins(ACTION_DAY + timedelta(days=3), 12, ["negative", "negative", "negative",
                                                       "neutral"], first=2000)  # Sunday
    specs += bins(ACTION_DAY + timedelta(days=4), 9, ["negative"], first=3000)  # next week
    # roads: 14 posts since the roads action, but from 3 authors; 5 before
    specs += bins(ACTION_DAY - timedelta(days=10), 5, ["negative"], first=0,
                  slug="roads_potholes")
    specs += bins(ACTION_DAY - timedelta(days=1), 14, ["negative"], first=0, authors=3,
                  slug="roads_potholes")
    add(store, specs)
    store.actions.add(ActionFields("waste_recycling", ACTION_DAY.isoformat(),
                                   "Extra crews sent", link="https://www.example.gov.uk/bins"),
                      "alice")
    store.actions.add(ActionFields("roads_potholes", "2026-11-18", "Potholes filled",
                                   place="mill_lane"), "bob")
    store.actions.add(ActionFields("waste_recycling", "2026-08-30", "Too old"), "alice")
    store.actions.add(ActionFields("waste_recycling", "2026-11-23", "After the week"), "alice")
    gone = store.actions.add(ActionFields("waste_recycling", "2026-11-17", "Withdrawn"), "alice")
    store.actions.correct(gone.id, "bob", {"withdrawn": True})


def figures(store: Store):  # type: ignore[no-untyped-def]
    context = ReportContext(**{**CONTEXT.__dict__, "place_labels": {"mill_lane": "Mill Lane"}})
    return compute_figures(store, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                           context=context, now=NOW)


def test_before_and_since_figures(store: Store) -> None:
    build(store)
    fig = figures(store)
    assert (fig.actions.first_day, fig.actions.last_day) == ("2026-08-31", "2026-11-22")
    assert [e.text for e in fig.actions.effects] == ["Potholes filled", "Extra crews sent"]
    roads, crews = fig.actions.effects

    b, s = crews.before, crews.since
    assert (b.first_day, b.last_day, b.days) == ("2026-10-22", "2026-11-18", 28)
    assert (b.posts, b.negative, b.classified, b.posts_ok, b.negative_ok) == (40, 12, 40, True,
                                                                               True)
    assert (b.per_week, b.per_week_interval) == weekly_rate(40, 28)
    assert b.negative_interval == wilson(12, 40)
    assert b.negative_share == 0.3
    assert (s.first_day, s.last_day, s.days) == ("2026-11-19", "2026-11-22", 4)
    assert (s.posts, s.negative, s.classified, s.posts_ok) == (24, 18, 24, True)
    assert s.per_week == 42.0 and s.negative_share == 0.75
    assert crews.volume_words() == "Posts a week were higher since than before."
    assert crews.share_words() == "The negative share was higher since than before."
    assert crews.words() == (
        "Bin collections: Extra crews sent (Thu 19 Nov 2026). In the 4 weeks before: 40 posts, "
        "10 a week (7–14); 30% negative (18–45%). In the 4 days since: 24 posts, 42 a week "
        "(27–62); 75% negative (55–88%). Posts a week were higher since than before. The "
        "negative share was higher since than before.")

    # roads: 5 posts before (under 10), 14 since but from 3 authors: nothing compared
    assert (roads.place_label, roads.before.posts, roads.since.posts) == ("Mill Lane", 5, 14)
    assert not roads.since.posts_ok and not roads.before.shown and not roads.since.shown
    assert "fewer than 10 posts" in roads.words()
    assert "posts suppressed: fewer than 10 authors" in roads.words()
    assert "Too few posts to compare" in roads.words()
    for effect in fig.actions.effects:
        assert not re.search(r"\b(caus|because|due to|thanks to|led to|result)", effect.words(),
                             re.IGNORECASE)


def test_the_table_the_renderers_and_the_trend_marker(store: Store) -> None:
    build(store)
    fig = figures(store)
    (table,) = [t for t in tables(fig) if t.name == "actions"]
    assert table.rows[1] == ("Extra crews sent", "Bin collections", "", "Thu 19 Nov 2026", "40",
                             "10 (7–14)", "30% (18–45%)", "4", "24", "42 (27–62)",
                             "75% (55–88%)")
    assert table.rows[0][4:] == ("fewer than 10", "", "", "5",
                                 "suppressed: fewer than 10 authors", "", "")
    assert fig.actions.weeks_by_topic == {"roads_potholes": ["2026-W47"],
                                          "waste_recycling": ["2026-W47"]}

    html = render_html(fig)
    section = html[html.index('id="s-actions"'):html.index('id="s-volume"')]
    assert "Extra crews sent" in section and "do not show that the action caused" in section
    assert 'href="https://www.example.gov.uk/bins"' in section
    assert "Too old" not in html and "After the week" not in html and "Withdrawn" not in html
    assert "an action was recorded in 2026-W47" in html  # the trend chart's description
    assert ">action</text>" in html

    md = render_md(fig)
    assert "## What we did and what changed since" in md
    assert "In the 4 days since: 24 posts, 42 a week" in md
    assert "[About this action](<https://www.example.gov.uk/bins>)" in md


def test_no_action_says_so(store: Store) -> None:
    add(store, bins(ACTION_DAY, 12, ["neutral"], first=0))
    fig = figures(store)
    assert fig.actions.effects == [] and fig.actions.weeks_by_topic == {}
    assert "No action was recorded for these 12 weeks." in render_html(fig)
