"""The action section's table, suppression applied, as every renderer
prints it (HTML, Markdown, CSV, JSON)."""

from __future__ import annotations

from reports.action_figures import PeriodFigures
from reports.figures import Figures
from reports.tables import Table
from reports.text import FEWER, SUPPRESSED, fmt_count, fmt_interval, fmt_pct

COLUMNS = ("Action", "Topic", "Place", "Day", "Posts in the 4 weeks before",
           "A week before (95% interval)", "Negative before (95% interval)", "Days since",
           "Posts since", "A week since (95% interval)", "Negative since (95% interval)")


def _rate(p: PeriodFigures) -> str:
    if not p.shown:
        return ""
    low, high = p.per_week_interval
    return f"{p.per_week:,.0f} ({low:,.0f}–{high:,.0f})"


def _negative(p: PeriodFigures) -> str:
    if not p.shown:
        return ""
    if not p.share_shown:
        return FEWER if p.negative_ok or p.negative < 10 else SUPPRESSED
    return f"{fmt_pct(p.negative_share)} ({fmt_interval(p.negative_interval)})"


def actions_table(fig: Figures) -> Table:
    return Table("actions", "What we did and what changed since", COLUMNS, tuple(
        (a.text, a.topic_label, a.place_label or "", a.day_text,
         fmt_count(a.before.posts, a.before.posts_ok), _rate(a.before), _negative(a.before),
         str(a.since.days), fmt_count(a.since.posts, a.since.posts_ok), _rate(a.since),
         _negative(a.since))
        for a in fig.actions.effects))
