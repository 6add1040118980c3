"""One post by its link, for the CLI (``query --url``) and the page: shown
as every query shows posts (handles masked, no author but an official
account's), and logged first (``listener.privacy.lookups``)."""

from __future__ import annotations

from listener.privacy.lookups import Viewer, log_post_lookup, posts_at_url
from listener.query.service import QueryContext, QueryResult, shown
from storage import Store


def post_at_url(store: Store, ctx: QueryContext, url: str, viewer: Viewer,
                action: str) -> QueryResult:
    """The stored posts at ``url`` (usually one); the lookup is logged as
    ``action`` by ``viewer`` whether or not anything matched."""
    match = posts_at_url(store, url)
    log_post_lookup(store, viewer, action, match)
    hits = store.queries.posts_by_id(match.ids)
    return QueryResult(len(hits), [shown(hit, ctx) for hit in hits])
