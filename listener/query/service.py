"""One entry point for the CLI and the web page: filters in, shown rows out.

Rows are what policy staff may see: local time, platform, topic names,
sentiment, text with @handles masked, the author only for official
accounts, and the link to the original. Nothing else leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from listener.query.filters import QueryFilters
from listener.query.masking import mask_handles, official_handles, shown_author
from storage import Store
from storage.queries import PostHit
from storage.timefmt import format_week, week_of

if TYPE_CHECKING:
    from listener.config import Settings

COLUMNS = ("created", "week", "platform", "topics", "sentiment", "author", "text", "url")


@dataclass(frozen=True)
class QueryContext:
    zone: str
    topic_names: dict[str, str]  # slug -> display name
    official: frozenset[str]
    time_limit_ms: int = 5_000
    max_rows: int = 1_000

    @classmethod
    def from_settings(cls, settings: Settings, *, time_limit_ms: int = 5_000,
                      max_rows: int = 1_000) -> QueryContext:
        return cls(settings.reports.timezone,
                   {slug: spec.label for slug, spec in settings.topics.items()},
                   official_handles(settings.privacy.official_accounts),
                   time_limit_ms, max_rows)


@dataclass(frozen=True)
class ShownPost:
    created: str
    week: str
    platform: str
    topics: str
    sentiment: str
    author: str
    text: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in COLUMNS}


@dataclass(frozen=True)
class QueryResult:
    total: int
    posts: list[ShownPost]


def shown(hit: PostHit, ctx: QueryContext) -> ShownPost:
    moment = datetime.fromisoformat(hit.created_at)
    week = format_week(*week_of(moment, ctx.zone))
    text = hit.text if not hit.title else f"{hit.title} — {hit.text}"
    url = hit.url if hit.url and hit.url.startswith(("https://", "http://")) else ""
    return ShownPost(
        created=moment.astimezone(ZoneInfo(ctx.zone)).strftime("%Y-%m-%d %H:%M"),
        week=week,
        platform=hit.platform,
        topics="; ".join(ctx.topic_names.get(t, t) for t in hit.topics),
        sentiment=hit.sentiment or "",
        author=shown_author(hit.author_handle, ctx.official),
        text=mask_handles(text, ctx.official),
        url=url,
    )


def run_query(store: Store, ctx: QueryContext, filters: QueryFilters,
              *, limit: int | None = None, offset: int = 0) -> QueryResult:
    """Matching posts, newest first, at most ``ctx.max_rows``. Raises
    ``FilterError``/``SearchError`` (bad input), ``SearchSyntaxError``
    (advanced search SQLite rejected) or ``QueryTimeout``."""
    post_filter = filters.to_post_filter(ctx.topic_names, ctx.zone)
    rows = min(limit if limit is not None else ctx.max_rows, ctx.max_rows)
    with store.queries.time_limit(ctx.time_limit_ms):
        hits = store.queries.find_posts(post_filter, limit=rows, offset=offset)
        total = store.queries.count_posts(post_filter)
    return QueryResult(total, [shown(hit, ctx) for hit in hits])
