"""A routed post as it leaves the listener, for a team's digest or a case
export: handles masked in the text, and a link that names no author.

A post's stored URL may carry its author's handle (x.com/<handle>/status/1,
bsky.app/profile/<handle>/post/..., <instance>/@<user>/1). The link that
goes out is a form without it where the platform has one (X:
x.com/i/status/<id>; Bluesky, in digests only: the profile's DID instead of
its handle; an export names no account in any form, so no Bluesky link);
Reddit: the permalink by the post's id (a stored /r/u_<name>/ or /user/
URL names its author); news (RSS) links as stored; a Mastodon link names
its author in every form, so none goes out (the case says so). The forms
are the platform registry's (``post_link``), as in reports.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from listener.platforms.registry import post_link
from reports.text import mask_handles
from storage.routing import RoutedPost

NO_LINK = "link withheld: on this platform every link to a post names its author"


def public_link(post: RoutedPost, *, account_ids: bool = True) -> str | None:
    """The platform registry's link to the post that names no author
    (``post_link``), or None. ``account_ids`` false (exports): no link that
    names the author's account in any form either (a Bluesky DID)."""
    if post.platform == "bluesky" and not account_ids:
        return None
    link = post_link(post.platform, post.native_id, post.url)
    return link if link and link.startswith(("https://", "http://")) else None


@dataclass(frozen=True)
class CasePost:
    """One post as a team or a case system gets it."""

    id: int
    posted: str  # local time, ISO 8601 with offset
    platform: str
    link: str | None
    text: str  # handles masked
    topics: tuple[str, ...]  # topic slugs
    topic_labels: tuple[str, ...]
    terms: tuple[str, ...]
    places: tuple[str, ...]  # place names
    sentiment: str | None
    request: str | None

    @property
    def link_text(self) -> str:
        return self.link or NO_LINK


def case_post(post: RoutedPost, *, official: Collection[str], topic_labels: Mapping[str, str],
              place_labels: Mapping[str, str], zone: str, export: bool = False) -> CasePost:
    """``export``: for a system outside the council (no account id in the link)."""
    posted = datetime.fromisoformat(post.created_at).astimezone(ZoneInfo(zone))
    title = post.title or ""
    words = post.text if not title or post.text.startswith(title) else f"{title}\n{post.text}"
    text = mask_handles(" ".join(words.split()), official)
    return CasePost(
        id=post.id, posted=posted.isoformat(timespec="seconds"), platform=post.platform,
        link=public_link(post, account_ids=not export), text=text, topics=post.topics,
        topic_labels=tuple(topic_labels.get(t, t) for t in post.topics), terms=post.terms,
        places=tuple(place_labels.get(p, p) for p in post.places), sentiment=post.sentiment,
        request=post.request)
