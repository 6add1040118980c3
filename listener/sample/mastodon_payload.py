"""Sample pages shaped like Mastodon ``GET /api/v1/timelines/tag/AshbyMarsh``
on two instances: the same status seen on both keeps its ``uri`` but gets
each instance's own ``id`` and ``acct`` form."""

from __future__ import annotations

import html
import re
from typing import Any

from listener.sample.ids import iso_z, mastodon_id, metric
from listener.sample.plan import PlannedPost

INSTANCES = ("mastodon.example.uk", "social.example.org", "toot.example.wales")
_TAG = re.compile(r"#(\w+)")
_MENTION = re.compile(r"@(\w+)")


def content_html(text: str, instance: str) -> str:
    """Mastodon's HTML for a plain text: paragraphs, hashtag links, h-card mentions."""
    def tag(m: re.Match[str]) -> str:
        return (f'<a href="https://{instance}/tags/{m.group(1).lower()}" class="mention hashtag"'
                f' rel="tag">#<span>{m.group(1)}</span></a>')

    def mention(m: re.Match[str]) -> str:
        return (f'<span class="h-card" translate="no"><a href="https://{instance}/@{m.group(1)}"'
                f' class="u-url mention">@<span>{m.group(1)}</span></a></span>')

    paragraphs = [_MENTION.sub(mention, _TAG.sub(tag, html.escape(p, quote=False)))
                  for p in text.split("\n\n")]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _number(instance: str) -> int:
    return INSTANCES.index(instance) if instance in INSTANCES else len(INSTANCES)


def status(i: int, posts: list[PlannedPost], instance: str) -> dict[str, Any]:
    post = posts[i]
    user, home = post.author.handle.split("@")
    home_no = INSTANCES.index(home) if home in INSTANCES else 0
    home_id = mastodon_id(i, post.created, home_no)
    local_id = mastodon_id(i, post.created, _number(instance))
    parent = None
    if post.kind == "reply" and post.parent is not None:
        parent = mastodon_id(post.parent, posts[post.parent].created, _number(instance))
    account = {
        "id": post.author.user_id, "username": user,
        "acct": user if home == instance else f"{user}@{home}",
        "display_name": user.title(), "locked": False, "bot": False, "discoverable": True,
        "group": False, "created_at": "2022-11-07T00:00:00.000Z", "note": "",
        "url": f"https://{home}/@{user}", "uri": f"https://{home}/users/{user}",
        "followers_count": metric(i, 8, 900), "following_count": metric(i, 9, 400),
        "statuses_count": metric(i, 10, 5000), "emojis": [], "fields": [],
    }
    obj: dict[str, Any] = {
        "id": local_id, "created_at": iso_z(post.created, i * 7),
        "in_reply_to_id": parent, "in_reply_to_account_id": None, "sensitive": False,
        "spoiler_text": "", "visibility": "public", "language": post.lang,
        "uri": f"https://{home}/users/{user}/statuses/{home_id}",
        "url": f"https://{home}/@{user}/{home_id}",
        "replies_count": metric(i, 11, 8), "reblogs_count": metric(i, 12, 20),
        "favourites_count": metric(i, 13, 60), "quotes_count": 0, "edited_at": None,
        "content": content_html(post.text, home), "reblog": None,
        "account": account, "media_attachments": [], "mentions": [],
        "tags": [{"name": t.lower(), "url": f"https://{instance}/tags/{t.lower()}"}
                 for t in _TAG.findall(post.text)],
        "emojis": [], "card": None, "poll": None,
    }
    if post.broken:
        del obj["uri"]
    return obj


def page(entries: list[int], posts: list[PlannedPost], stream: str,
         next_token: str | None) -> list[dict[str, Any]]:
    """A tag timeline page (a JSON array, newest first) as ``stream``'s instance serves it."""
    instance = stream.split(":", 1)[1]
    return [status(i, posts, instance) for i in reversed(entries)]
