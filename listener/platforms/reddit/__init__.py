"""Reddit: subreddit listings and searches through praw."""

from __future__ import annotations

from urllib.parse import urlsplit

from listener.platforms.entry import Lazy, OwnChannel, Platform
from listener.platforms.reddit.config import RedditOwnConfig, RedditSourceConfig
from listener.platforms.reddit.normalise import normalise
from listener.platforms.reddit.split import split_listing

_DATA = ["name", "id", "title", "selftext", "body", "created_utc", "permalink", "link_id",
         "subreddit", "author", "score", "num_comments", "parent_id"]

ALLOWED_FIELDS = ("kind", *[f"data.{f}" for f in _DATA])


def link(native_id: str, url: str | None) -> str | None:
    """``reddit.com/comments/<post>/_/<comment>/``: without the subreddit,
    which for a post on a user's profile is ``u_<their name>``."""
    segs = [s for s in urlsplit(url or "").path.split("/") if s]
    if "comments" in segs[:-1]:
        rest = segs[segs.index("comments") + 1:]
        comment = f"_/{rest[2]}/" if len(rest) >= 3 else ""
        return f"https://www.reddit.com/comments/{rest[0]}/{comment}"
    if native_id.startswith("t3_"):
        return f"https://www.reddit.com/comments/{native_id[3:]}/"
    return None


PLATFORM = Platform(
    id="reddit", name="Reddit", config=RedditSourceConfig,
    source=Lazy("listener.platforms.reddit.source:RedditSource"),
    collects="Reddit API search and new posts in r/{subreddits}; queries: {queries}",
    normalise=normalise, split=split_listing, allowed_fields=ALLOWED_FIELDS,
    checker=Lazy("listener.platforms.reddit.checker:make_checker"), link=link,
    hosted="the USA",
    own_channel=OwnChannel(
        RedditOwnConfig, Lazy("listener.platforms.reddit.own:RedditOwnSource"),
        "the body's Reddit account u/{account}: its comments and posts, and the replies "
        "to them"),
)
