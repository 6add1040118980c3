"""The policy-staff page and its CSV export: request in, figures out.

Both read the same filters from the query string and run the same
``run_query`` call, so the CSV holds exactly the rows the page shows.
Both run on a ``Store`` over a connection Datasette opened
(``Store.for_page``; see ``storage.page_access``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from listener.query.compare import Comparison, compare
from listener.query.filters import FilterError, QueryFilters, parse_day, plain_errors
from listener.query.search import SearchError, explain_syntax_error
from listener.query.service import QueryContext, QueryResult, run_query
from listener.query.trends import TrendWeek, trend
from listener.query.weeks import Week, clipped, weeks_between, weeks_ending
from storage import Store
from storage.queries import Facet, QueryTimeout, SearchSyntaxError
from storage.timefmt import parse_week, week_of

ARGS = ("q", "advanced", "topic", "sentiment", "platform", "place", "since", "until", "week",
        "page")
FACETS: tuple[Facet, ...] = ("topic", "sentiment", "platform", "place")


class BadRequest(ValueError):
    """Input the page cannot use, in plain words."""


@dataclass
class PageData:
    filters: QueryFilters
    page: int
    result: QueryResult | None = None
    trend: list[TrendWeek] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    error: str | None = None


def filters_from(args: Any) -> tuple[QueryFilters, int]:
    """QueryFilters and page number from a Datasette ``request.args``."""
    def one(name: str) -> str | None:
        value = args.get(name)
        return value if value not in (None, "") else None

    try:
        page = max(0, min(int(one("page") or 0), 1_000))
    except ValueError:
        raise BadRequest("the page number must be a whole number") from None
    try:
        filters = QueryFilters(
            text=one("q"), advanced=one("advanced") in ("1", "on", "true"),
            topics=[v for v in args.getlist("topic") if v],
            sentiments=[v for v in args.getlist("sentiment") if v],
            platforms=[v for v in args.getlist("platform") if v],
            places=[v for v in args.getlist("place") if v],
            since=parse_day(one("since")), until=parse_day(one("until")), week=one("week"))
    except ValidationError as exc:
        raise BadRequest(plain_errors(list(exc.errors()))) from None
    except FilterError as exc:
        raise BadRequest(str(exc)) from None
    return filters, page


def chart_weeks(filters: QueryFilters, ctx: QueryContext,
                count: int) -> tuple[list[Week], dict[str, str]]:
    """The chart's weeks, and the part of each week cut short by a date range:
    with a range, its first and last weeks hold only its days, so the bars
    add up to the matching posts."""
    now = datetime.now(UTC)
    if filters.week:
        return weeks_ending(*parse_week(filters.week), count, ctx.zone), {}
    if filters.since or filters.until:
        last = filters.until or now.date()
        first = filters.since or last
        return clipped(weeks_between(first, last, ctx.zone, cap=104), filters.since,
                       filters.until, ctx.zone)
    return weeks_ending(*week_of(now, ctx.zone), count, ctx.zone), {}


def compute(store: Store, ctx: QueryContext, filters: QueryFilters, page: int,
            page_size: int, trend_weeks: int, min_group: int,
            facet_limit: int = 50_000) -> PageData:
    """Everything the page shows; bad input and timeouts become ``error``."""
    data = PageData(filters, page)
    try:
        offset = page * page_size
        if offset >= ctx.max_rows:
            raise BadRequest(f"only the first {ctx.max_rows} matching posts can be shown; "
                             "narrow the search")
        data.result = run_query(store, ctx, filters, limit=min(page_size, ctx.max_rows - offset),
                                offset=offset)
        weeks, parts = chart_weeks(filters, ctx, trend_weeks)
        data.trend = trend(store, ctx, filters, weeks, min_group=min_group, parts=parts)
        data.comparisons = compare(store, ctx, filters, weeks, min_group=min_group,
                                   parts=parts)
        if data.result.total > facet_limit:
            return data  # counts per filter value would cost more than they help
        post_filter = ctx.post_filter(filters)
        with store.queries.time_limit(ctx.time_limit_ms):
            facets: dict[str, dict[str, int]] = {
                facet: dict(store.queries.facet_counts(post_filter, facet)) for facet in FACETS}
        data.facets = facets  # all of them or none
    except Exception as exc:
        data.error = describe_error(exc)
        if data.error is None:
            raise
    return data


def describe_error(exc: Exception) -> str | None:
    """Plain words for an input or time-limit problem; None for anything else."""
    if isinstance(exc, SearchSyntaxError):
        return explain_syntax_error(exc.detail)
    if isinstance(exc, BadRequest | FilterError | SearchError | QueryTimeout):
        return str(exc)
    return None


def export_rows(store: Store, ctx: QueryContext, filters: QueryFilters) -> QueryResult:
    """Every matching post, newest first, up to ``ctx.max_rows`` (web.max_rows):
    the page says how many that is of how many match."""
    return run_query(store, ctx, filters, limit=ctx.max_rows)


def export_name(filters: QueryFilters) -> str:
    """A file name that says what the export holds:
    ``posts_waste_recycling_negative_2026-11-01_to_2026-11-30.csv``."""
    parts = [*filters.topics, *filters.places, *filters.sentiments, *filters.platforms]
    if filters.week:
        parts.append(filters.week)
    if filters.since or filters.until:
        parts.append(f"{filters.since or 'start'}_to_{filters.until or 'now'}")
    if filters.text:
        parts.append(filters.text)
    name = "_".join(["posts", *parts])
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)[:120].strip("-_") + ".csv"
