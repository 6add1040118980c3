"""Computing "What we did and what changed since" from storage: the actions
dated in the 12 weeks up to the report week's end (``store.actions``), and
for each its topic's posts and negative share over whole local days, in
the 4 weeks before the action's day and from that day to the report
week's end (one report window per action: two periods)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from nlp.estimate import weekly_rate
from reports.action_figures import (
    ACTION_WEEKS,
    BEFORE_DAYS,
    ActionEffect,
    ActionFigures,
    PeriodFigures,
)
from reports.stats import wilson
from reports.weeks import Span
from storage import SENTIMENTS, Store
from storage.actions import Action
from storage.report_queries import Bounds
from storage.timefmt import format_week, iso, local_midnight, week_of
from storage.windows import Window

NEGATIVE = SENTIMENTS.index("negative")


def _period(win: Window, w: int, slug: str, first: date, after: date) -> PeriodFigures:
    counts = win.topic_counts().get(slug, [0, 0])
    codes = win.topic_sentiment(w).get(slug, {})
    posts = counts[w]
    negative = codes.get(NEGATIVE, 0)
    classified = sum(codes.get(k, 0) for k in range(len(SENTIMENTS)))
    days = (after - first).days
    per_week, interval = weekly_rate(posts, days)
    return PeriodFigures(
        first_day=first.isoformat(), last_day=(after - timedelta(1)).isoformat(), days=days,
        posts=posts, posts_ok=win.has_authors(w, topic=slug),
        per_week=per_week, per_week_interval=interval, negative=negative,
        classified=classified,
        negative_ok=win.has_authors(w, topic=slug, sentiment=NEGATIVE),
        negative_interval=wilson(negative, classified))


def _effect(store: Store, action: Action, end: date, tz: ZoneInfo,
            topic_labels: Mapping[str, str], place_labels: Mapping[str, str]) -> ActionEffect:
    day = date.fromisoformat(action.day)
    start = day - timedelta(BEFORE_DAYS)
    bounds: list[Bounds] = [
        (iso(local_midnight(start, tz)), iso(local_midnight(day, tz))),
        (iso(local_midnight(day, tz)), iso(local_midnight(end, tz))),
    ]
    with store.report_window(bounds) as win:
        before = _period(win, 0, action.topic, start, day)
        since = _period(win, 1, action.topic, day, end)
    place = action.fields.place
    return ActionEffect(
        action_id=action.id, day=action.day, day_text=f"{day:%a %d %b %Y}",
        topic=action.topic, topic_label=topic_labels.get(action.topic, action.topic),
        place_label=place_labels.get(place, place) if place else None,
        text=action.fields.text, link=action.fields.link, before=before, since=since)


def actions_section(store: Store, week: Span, topic_labels: Mapping[str, str],
                    place_labels: Mapping[str, str], tz: ZoneInfo) -> ActionFigures:
    """The section for the report week ``week`` (a local span)."""
    end = week.end.date()  # the local day after the week
    first = end - timedelta(weeks=ACTION_WEEKS)
    out = ActionFigures(first_day=first.isoformat(), last_day=(end - timedelta(1)).isoformat())
    for action in store.actions.listed(first_day=out.first_day, last_day=out.last_day):
        out.effects.append(_effect(store, action, end, tz, topic_labels, place_labels))
        label = format_week(*week_of(local_midnight(date.fromisoformat(action.day), tz), tz))
        weeks = out.weeks_by_topic.setdefault(action.topic, [])
        if label not in weeks:
            weeks.append(label)
    return out
