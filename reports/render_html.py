"""The self-contained HTML report: Jinja2 with autoescape, inline CSS and SVG."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from reports.accuracy import METHODS, NOT_MEASURED
from reports.charts import bar_chart, line_chart, share_chart
from reports.figures import Figures
from reports.tables import tables
from reports.text import FEWER, SUPPRESSED, TEMPLATE_FILTERS

_LINK = re.compile(r"^https://\S+$")
_NUMERIC = re.compile(r"^[+\-−]?[\d,.]+%?$|^\d[\d,]* on |^\d+–\d+%$")


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(TEMPLATE_FILTERS)
    env.filters["compact"] = compact
    env.filters["code"] = code
    env.tests["numeric_text"] = lambda s: bool(_NUMERIC.match(str(s)))
    env.tests["suppressed_text"] = lambda s: str(s) in (FEWER, SUPPRESSED)
    return env


def compact(cell: str) -> Markup | str:
    """A table cell as the page shows it: "fewer than 10" and the suppression
    note as short abbreviations carrying their words (the CSV keeps them)."""
    if cell == FEWER:
        return Markup('<abbr title="fewer than 10">&lt;10</abbr>')
    if cell == SUPPRESSED:
        return Markup('<abbr title="suppressed: fewer than 10 authors">suppressed</abbr>')
    if _LINK.match(cell):  # a link that names no account: clickable, not 60 characters
        return Markup('<a href="{0}" rel="noopener noreferrer nofollow">open the post</a>'
                      ).format(cell)
    return cell


def code(text: str) -> Markup:
    """Plain text whose `backticked` commands are shown as code."""
    parts = str(text).split("`")
    return Markup("").join(Markup("<code>{0}</code>").format(p) if k % 2 else escape(p)
                           for k, p in enumerate(parts)) if len(parts) % 2 else escape(text)


ENV = _env()


def window_text(fig: Figures) -> str:
    start = datetime.fromisoformat(fig.window_start)
    last = datetime.fromisoformat(fig.window_end) - timedelta(days=1)
    return f"Monday {start:%d %B %Y} to Sunday {last:%d %B %Y}"


def render_html(fig: Figures, *, stale_hours: float = 36.0, for_pdf: bool = False) -> str:
    """The report page; ``for_pdf`` leaves out the screen-only CSS that
    WeasyPrint does not understand."""
    by_name = {t.name: t for t in tables(fig)}
    marks = fig.change_weeks
    acted = fig.actions.weeks_by_topic
    charts = {
        "days": bar_chart(fig.days, "Posts by day",
                          f"Bar chart of posts per day in week {fig.week}; figures in the "
                          "table that follows."),
        "platforms": bar_chart(fig.platforms, "Posts by platform",
                               f"Bar chart of posts per platform in week {fig.week}; figures "
                               "in the table that follows."),
        "sentiment": share_chart(
            [w.week for w in fig.sentiment_weeks],
            [w.negative / w.classified if w.interval else None for w in fig.sentiment_weeks],
            [w.interval for w in fig.sentiment_weeks], "Negative share by week",
            "Line chart of the weekly share of negative posts"
            + (f" from {fig.sentiment_weeks[0].week} to {fig.sentiment_weeks[-1].week}"
               if fig.sentiment_weeks else "")
            + ", with 95% intervals; figures in the table that follows."),
        "engaged": bar_chart(fig.engaged.buckets, "First response times",
                             f"Bar chart of this week's questions and complaints to us by how "
                             f"soon we first answered, week {fig.week}; figures in the table "
                             "that follows.") if fig.engaged else "",
        "trends": [
            (line_chart(fig.trend_weeks, [c if good else 0 for c, good in zip(
                t.counts, t.ok, strict=True)], f"{t.label}: weekly posts",
                        f"Line chart of weekly posts on {t.label} from {fig.trend_weeks[0]} "
                        f"to {fig.trend_weeks[-1]}" + (
                            f"; configuration changed in {', '.join(marks)}" if marks else "")
                        + (f"; an action was recorded in {', '.join(acted[t.slug])}"
                           if acted.get(t.slug) else "")
                        + "; figures in the trend table.", marks, acted.get(t.slug, ())), t)
            for t in fig.trends
        ],
    }
    return ENV.get_template("report.html.j2").render(
        fig=fig, t=by_name, charts=charts, window=window_text(fig),
        stale_hours=f"{stale_hours:g}", for_pdf=for_pdf,
        accuracy_methods=METHODS, accuracy_not_measured=NOT_MEASURED,
    )
