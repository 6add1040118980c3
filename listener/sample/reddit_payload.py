"""Sample pages shaped like Reddit Listings: ``/r/AshbyMarsh/new`` (t3
submissions) and ``/r/AshbyMarsh/comments`` (t1 comments)."""

from __future__ import annotations

import html
import re
from typing import Any

from listener.sample.ids import base36, metric
from listener.sample.plan import PlannedPost

SUBREDDIT = "AshbyMarsh"
QUERIES = {"reddit:posts": "r/AshbyMarsh/new", "reddit:comments": "r/AshbyMarsh/comments"}
_FLAIRS = {"waste_recycling": "Bins", "roads_potholes": "Roads", "buses_trains": "Transport",
           "planning": "Planning", "housing_repairs": "Housing"}
_SLUG = re.compile(r"[^a-z0-9]+")


def _short(i: int, kind: str) -> str:
    return base36((1_800_000_000 if kind == "t3" else 48_000_000_000) + i * 37)


def child(i: int, posts: list[PlannedPost]) -> dict[str, Any]:
    post = posts[i]
    created = float(int(post.created.timestamp()))
    common: dict[str, Any] = {
        "subreddit": SUBREDDIT, "subreddit_id": "t5_3xmpl",
        "subreddit_name_prefixed": f"r/{SUBREDDIT}",
        "author": post.author.handle, "author_fullname": f"t2_{base36(int(post.author.user_id))}",
        "created": created, "created_utc": created, "score": metric(i, 5, 120) - metric(i, 6, 4),
        "ups": metric(i, 5, 120), "downs": 0, "edited": False, "distinguished": None,
        "stickied": False, "archived": False, "locked": False, "gilded": 0, "likes": None,
    }
    if post.kind == "comment" and post.parent is not None:
        short, link = _short(i, "t1"), _short(post.parent, "t3")
        title = posts[post.parent].title or ""
        data = {**common, "id": short, "name": f"t1_{short}", "link_id": f"t3_{link}",
                "parent_id": f"t3_{link}", "body": post.text, "replies": "",
                "body_html": f'<div class="md"><p>{html.escape(post.text)}</p>\n</div>',
                "permalink": f"/r/{SUBREDDIT}/comments/{link}/{_slug(title)}/{short}/",
                "controversiality": 0, "score_hidden": False, "depth": 0}
        kind = "t1"
    else:
        short = _short(i, "t3")
        permalink = f"/r/{SUBREDDIT}/comments/{short}/{_slug(post.title or post.text)}/"
        data = {**common, "id": short, "name": f"t3_{short}", "title": post.title or post.text,
                "selftext": post.text, "is_self": True, "domain": f"self.{SUBREDDIT}",
                "permalink": permalink, "url": f"https://www.reddit.com{permalink}",
                "num_comments": metric(i, 7, 40), "over_18": False, "upvote_ratio": 0.9,
                "link_flair_text": _FLAIRS.get(post.topic or ""), "thumbnail": "self"}
        kind = "t3"
    if post.broken:
        del data["name"]
    return {"kind": kind, "data": data}


def _slug(title: str) -> str:
    return _SLUG.sub("_", title.lower()).strip("_")[:50]


def page(entries: list[int], posts: list[PlannedPost], stream: str,
         next_token: str | None) -> dict[str, Any]:
    """A Listing, newest first, as ``/new`` returns it."""
    children = [child(i, posts) for i in reversed(entries)]
    after = children[-1]["data"].get("name") if next_token else None
    return {"kind": "Listing", "data": {"after": after, "dist": len(children), "modhash": "",
                                        "geo_filter": "", "children": children, "before": None}}
