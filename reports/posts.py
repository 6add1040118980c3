"""Stored post rows turned into what a report may show."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from zoneinfo import ZoneInfo

from reports.context import LinkForm
from reports.figures import PostView
from reports.text import mask_handles, normalise_handle
from storage.report_queries import PostRow

MAX_CHARS = 400


def local_time(utc_iso: str, tz: ZoneInfo) -> str:
    if not utc_iso:
        return ""
    return datetime.fromisoformat(utc_iso).astimezone(tz).strftime("%a %d %b %Y %H:%M")


def post_view(row: PostRow, tz: ZoneInfo, official: Collection[str],
              link: LinkForm) -> PostView:
    """Mask every @handle except allow-listed official accounts; show the
    author only when the post itself comes from one of them; link to the
    post only by a URL that names no account (``link``), never the stored
    URL, which often carries the author's handle."""
    title = (row.title or "").strip()
    text = row.text if not title or row.text.startswith(title) else f"{title}\n{row.text}"
    text = mask_handles(text, official)
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1].rstrip() + "…"
    allowed = {normalise_handle(h) for h in official}
    handle = row.author_handle
    shown = handle if handle and normalise_handle(handle) in allowed else None
    url = link(row.platform, row.native_id, row.url)
    return PostView(
        id=row.id,
        platform=row.platform,
        created=local_time(row.created_at, tz),
        url=url if url and url.startswith(("https://", "http://")) else None,
        text=text,
        official_handle=shown,
        replies=row.replies,
        reposts=row.reposts,
        likes=row.likes,
    )
