"""Reddit OAuth and Listing bodies in the real shape (as ``oauth.reddit.com``
sends them with ``raw_json=1``), written for these tests."""

from __future__ import annotations

from typing import Any

TOKEN_URL = "https://www.reddit.com/api/v1/access_token"
OAUTH = "https://oauth.reddit.com"
ACCESS_TOKEN = "-reddit-access-token-for-tests-1234"


def token_body() -> dict[str, Any]:
    return {"access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 86400,
            "scope": "*"}


def rate_headers(remaining: float = 598.0, used: int = 2, reset: int = 420) -> dict[str, str]:
    return {"x-ratelimit-remaining": f"{remaining:.1f}", "x-ratelimit-used": str(used),
            "x-ratelimit-reset": str(reset), "content-type": "application/json; charset=UTF-8"}


def submission(short: str, title: str, created: float, *, selftext: str = "",
               author: str = "leeds_resident", sub: str = "Leeds",
               num_comments: int = 0) -> dict[str, Any]:
    return {"kind": "t3", "data": {
        "approved_at_utc": None, "subreddit": sub, "selftext": selftext,
        "author_fullname": "t2_8xk2p", "saved": False, "gilded": 0, "clicked": False,
        "title": title, "subreddit_name_prefixed": f"r/{sub}", "hidden": False, "pwls": 6,
        "downs": 0, "name": f"t3_{short}", "upvote_ratio": 0.92, "ups": 12, "score": 12,
        "domain": f"self.{sub}", "is_self": True, "created": created, "created_utc": created,
        "subreddit_id": "t5_2qhg1", "id": short, "author": author,
        "num_comments": num_comments, "over_18": False, "locked": False, "stickied": False,
        "permalink": f"/r/{sub}/comments/{short}/{title.lower().replace(' ', '_')[:30]}/",
        "url": f"https://www.reddit.com/r/{sub}/comments/{short}/", "edited": False,
        "link_flair_text": None, "distinguished": None, "media": None,
    }}


def comment(short: str, body: str, created: float, link: str, *,
            author: str = "another_resident", sub: str = "Leeds") -> dict[str, Any]:
    return {"kind": "t1", "data": {
        "subreddit_id": "t5_2qhg1", "link_id": f"t3_{link}", "replies": "", "saved": False,
        "id": short, "gilded": 0, "archived": False, "author": author, "parent_id": f"t3_{link}",
        "score": 3, "body": body, "edited": False, "downs": 0, "stickied": False,
        "body_html": f"<div class=\"md\"><p>{body}</p>\n</div>", "subreddit": sub,
        "name": f"t1_{short}", "score_hidden": False, "created": created,
        "created_utc": created, "depth": 0, "distinguished": None, "controversiality": 0,
        "permalink": f"/r/{sub}/comments/{link}/_/{short}/", "ups": 3,
    }}


def listing(children: list[Any], after: str | None = None) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"after": after, "dist": len(children), "modhash": "",
                                        "geo_filter": "", "children": children,
                                        "before": None}}


def comments_response(post: dict[str, Any], comments: list[Any]) -> list[Any]:
    return [listing([post]), listing(comments)]
