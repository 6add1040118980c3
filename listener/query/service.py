"""One entry point for the CLI and the web page: filters in, shown rows out.

Rows are what policy staff may see: local time, platform, topic names,
sentiment, text with @handles masked, the author only for official
accounts, and the link to the original. Nothing else leaves this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from listener.query.filters import QueryFilters
from listener.query.masking import mask_handles, official_handles, shown_author
from storage import Store
from storage.queries import PostFilter, PostHit
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
    topic_words: dict[str, frozenset[str]] = field(default_factory=dict)  # slug -> its terms
    place_names: dict[str, str] = field(default_factory=dict)  # gazetteer slug -> name
    link: Callable[[str, str, str | None], str | None] | None = None  # handle-free post link

    @classmethod
    def from_settings(cls, settings: Settings, *, time_limit_ms: int = 5_000,
                      max_rows: int = 1_000) -> QueryContext:
        from listener.platforms.registry import post_link

        return cls(settings.reports.timezone,
                   {slug: spec.label for slug, spec in settings.topics.items()},
                   official_handles(settings.privacy.official_accounts),
                   time_limit_ms, max_rows,
                   {slug: frozenset([*spec.terms, *spec.phrases, *spec.hashtags])
                    for slug, spec in settings.topics.items()},
                   {slug: spec.label for slug, spec in settings.nlp.places.items()},
                   post_link)

    def post_filter(self, filters: QueryFilters) -> PostFilter:
        return filters.to_post_filter(self.topic_names, self.zone, self.topic_words,
                                      self.place_names)


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
    link = ctx.link(hit.platform, hit.native_id, hit.url) if ctx.link else None
    url = link if link and link.startswith(("https://", "http://")) else ""
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
    post_filter = ctx.post_filter(filters)
    rows = min(limit if limit is not None else ctx.max_rows, ctx.max_rows)
    with store.queries.time_limit(ctx.time_limit_ms):
        hits = store.queries.find_posts(post_filter, limit=rows, offset=offset)
        total = store.queries.count_posts(post_filter)
    return QueryResult(total, [shown(hit, ctx) for hit in hits])
