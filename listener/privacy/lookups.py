"""Finding one post or one author, and logging that someone did.

The covert-surveillance code of practice is wary of staff repeatedly
viewing one person. Every lookup of a single post (by its link: ``forget
--url``, ``query --url``, the page's look-up by link) or of a single
author (``forget --author``) is therefore logged through
``store.lookups`` with who asked (a web login, or ``cli:<account>`` for
the command line) and when, before anything else happens. ``listener
audit-log`` shows the log to an administrator.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from urllib.parse import urlsplit

from storage import Store
from storage.lookups import Lookup, author_target, post_target


@dataclass(frozen=True)
class Viewer:
    """Who looks: ``user`` as recorded, through ``channel`` (cli, page)."""

    user: str
    channel: str


def cli_viewer() -> Viewer:
    """The operating-system account running a command."""
    try:
        return Viewer(f"cli:{getpass.getuser()}", "cli")
    except (KeyError, OSError):  # no account name in this environment
        return Viewer("cli:unknown", "cli")


@dataclass(frozen=True)
class UrlMatch:
    """The stored posts a link points to."""

    platform: str | None  # as read from the link
    native_ids: list[str]
    ambiguous: bool  # several stored posts match a partial id (a Bluesky link)
    posts: list[tuple[int, str, str]]  # (id, platform, native id)

    @property
    def ids(self) -> list[int]:
        return [pid for pid, _, _ in self.posts]


def ids_from_url(url: str) -> tuple[str | None, list[str], str | None]:
    """(platform, native id candidates, native id LIKE pattern) parsed from a
    post's public URL, for posts stored under another URL form."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("old.")
    segs = [s for s in parts.path.split("/") if s]
    if host in ("x.com", "twitter.com", "mobile.twitter.com") and "status" in segs:
        i = segs.index("status")
        if i + 1 < len(segs):
            return "x", [segs[i + 1]], None
    if host == "reddit.com" and "comments" in segs:
        i = segs.index("comments")
        rest = segs[i + 1:]
        if len(rest) >= 3:
            return "reddit", [f"t1_{rest[2]}"], None
        if rest:
            return "reddit", [f"t3_{rest[0]}"], None
    if host == "bsky.app" and len(segs) == 4 and segs[0] == "profile" and segs[2] == "post":
        return "bluesky", [], f"at://%/app.bsky.feed.post/{segs[3]}"
    if len(segs) == 2 and segs[0].startswith("@") and segs[1].isdigit():
        user = segs[0][1:]
        return "mastodon", [f"{parts.scheme}://{parts.netloc}/users/{user}/statuses/{segs[1]}"], \
            None
    return None, [], None


def posts_at_url(store: Store, url: str) -> UrlMatch:
    """The stored posts at ``url``: by the URL as stored, by the native id
    the link carries, or (RSS) by the entry id."""
    platform, native_ids, like = ids_from_url(url)
    found = store.erasure.find_posts(url=url.strip(), platform=platform, native_ids=native_ids,
                                     native_id_like=like)
    if not found:
        found = store.erasure.find_posts(platform="rss", native_ids=[url.strip()])
    if found and platform is None:
        platform, native_ids = found[0][1], [found[0][2]]
    return UrlMatch(platform, native_ids, len(found) > 1 and like is not None, found)


def log_post_lookup(store: Store, viewer: Viewer, action: str, match: UrlMatch) -> Lookup:
    """Record a lookup of a post by link (named by a hash, never its URL)."""
    ids = match.native_ids or [nid for _, _, nid in match.posts[:1]]
    return store.lookups.record(
        user=viewer.user, channel=viewer.channel, action=action,
        target=post_target(match.platform, ids, len(match.posts)), post_ids=match.ids)


def log_author_lookup(store: Store, viewer: Viewer, action: str, platform: str,
                      author_key: str) -> Lookup:
    """Record a lookup of an author (named by a pseudonym prefix, never the handle)."""
    return store.lookups.record(user=viewer.user, channel=viewer.channel, action=action,
                                target=author_target(platform, author_key),
                                author_key=author_key)
