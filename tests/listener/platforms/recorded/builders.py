"""Recorded bodies in the real shape, varied per test (ids, texts, times).

The JSON templates beside this file were written for the project in the
shape of real responses: a Mastodon status and ``/api/v2/instance``, a
Bluesky ``postView`` and ``createSession``.
"""

from __future__ import annotations

import base64
import copy
import json
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


def load(name: str) -> Any:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


# -- Mastodon ---------------------------------------------------------------

def mastodon_status(local_id: int, seq: int, *, origin: str = "mastodon.social",
                    text: str | None = None) -> dict[str, Any]:
    """Status number ``seq`` (its ActivityPub uri lives on ``origin``) as an
    instance that gave it the id ``local_id`` serves it."""
    status = load("mastodon_status.json")
    status["id"] = str(local_id)
    status["uri"] = f"https://{origin}/users/roadwatcher/statuses/{seq}"
    status["url"] = f"https://{origin}/@roadwatcher/{seq}"
    status["created_at"] = f"2026-11-20T09:{seq % 60:02d}:02.117Z"
    body = text or f"Pothole number {seq} on Mill Road"
    status["content"] = f"<p>{body} <a href=\"https://{origin}/tags/potholes\" " \
        "class=\"mention hashtag\" rel=\"tag\">#<span>potholes</span></a></p>"
    return status


def mastodon_headers(host: str, *, link_ids: tuple[str, str] | None = None,
                     tag: str = "potholes", date: datetime | None = None,
                     reset: datetime | None = None, remaining: int = 299) -> dict[str, str]:
    moment = date or datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    headers = {
        "Date": format_datetime(moment, usegmt=True),
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "private, no-store",
        "Vary": "Authorization, Origin",
        "X-RateLimit-Limit": "300",
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": (reset or moment.replace(minute=5)).isoformat().replace(
            "+00:00", "Z"),
        "X-Request-Id": "c7af8932-a23f-44c2-9cec-41227348f53c",
    }
    if link_ids is not None:
        oldest, newest = link_ids
        base = f"https://{host}/api/v1/timelines/tag/{tag}"
        headers["Link"] = (f'<{base}?max_id={oldest}>; rel="next", '
                           f'<{base}?min_id={newest}>; rel="prev"')
    return headers


def mastodon_page(statuses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A timeline page as Mastodon sends it: newest first."""
    return sorted(statuses, key=lambda s: int(s["id"]), reverse=True)


def snowflake(moment: datetime) -> str:
    """The id Mastodon.py sends for a datetime ``min_id``."""
    return str((int(moment.timestamp()) << 16) * 1000)


# -- Bluesky ----------------------------------------------------------------

def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def fake_jwt(scope: str, lifetime: int = 7200) -> str:
    """A structurally real JWT (atproto reads ``exp`` to decide when to refresh)."""
    now = int(time.time())
    header = {"typ": "at+jwt", "alg": "ES256K"}
    payload = {"scope": scope, "sub": "did:plc:examplecollector0001", "iat": now,
               "exp": now + lifetime, "aud": "did:web:porcini.us-east.host.bsky.network"}
    return f"{_b64(header)}.{_b64(payload)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"


def bluesky_session() -> dict[str, Any]:
    session = load("bluesky_create_session.json")
    session["accessJwt"] = fake_jwt("com.atproto.appPass")
    session["refreshJwt"] = fake_jwt("com.atproto.refresh", 90 * 86400)
    return session


def bluesky_post(seq: int, *, indexed: str = "2026-11-25T07:58:13.001Z",
                 created: str | None = None, text: str | None = None) -> dict[str, Any]:
    post = copy.deepcopy(load("bluesky_post_view.json"))
    rkey = f"3m{seq:011d}"
    post["uri"] = f"at://did:plc:4xq2example7n3k5m2ab/app.bsky.feed.post/{rkey}"
    post["cid"] = f"bafyreiexample{seq:040d}"
    post["record"]["text"] = text or f"bus number {seq} never came #buses"
    post["record"]["createdAt"] = created or indexed
    post["indexedAt"] = indexed
    return post


def bluesky_headers(*, remaining: int = 2999, reset: int | None = None,
                    date: datetime | None = None) -> dict[str, str]:
    moment = date or datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    return {
        "date": format_datetime(moment, usegmt=True),
        "content-type": "application/json; charset=utf-8",
        "ratelimit-limit": "3000",
        "ratelimit-remaining": str(remaining),
        "ratelimit-reset": str(reset if reset is not None else int(moment.timestamp()) + 300),
        "ratelimit-policy": "3000;w=300",
    }


# -- RSS / Atom -------------------------------------------------------------

def rss_item(seq: int, *, guid: str | None = None, title: str | None = None,
             pub: str | None = None, description: str | None = None) -> str:
    guid = guid or f"https://www.example.gov.uk/news/item-{seq}"
    title = f"<title>{title or f'Road closure notice {seq}'}</title>" if title != "" else ""
    pub = pub or f"Wed, 25 Nov 2026 {seq % 24:02d}:00:00 GMT"
    desc = description if description is not None else \
        f"&lt;p&gt;Mill Road closes for resurfacing, phase {seq}.&lt;/p&gt;"
    return (f"<item>{title}<link>https://www.example.gov.uk/news/item-{seq}</link>"
            f"<description>{desc}</description><pubDate>{pub}</pubDate>"
            f"<guid isPermaLink=\"true\">{guid}</guid>"
            f"<dc:creator>Press Office</dc:creator></item>")


def rss_feed(items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            "<title>Example Council news</title><link>https://www.example.gov.uk/news</link>"
            "<description>News from Example Council</description><language>en-gb</language>"
            "<lastBuildDate>Wed, 25 Nov 2026 12:00:00 GMT</lastBuildDate>"
            + "".join(items) + "</channel></rss>")


def atom_entry(seq: int) -> str:
    return (f"<entry><title>Planning decision {seq}</title>"
            f'<link rel="alternate" href="https://www.example.gov.uk/planning/{seq}"/>'
            f"<id>tag:example.gov.uk,2026:planning-{seq}</id>"
            f"<updated>2026-11-{1 + seq % 28:02d}T10:00:00Z</updated>"
            f"<published>2026-11-{1 + seq % 28:02d}T09:30:00Z</published>"
            f"<author><name>Planning team</name></author>"
            f'<summary type="html">&lt;p&gt;Application {seq} was decided.&lt;/p&gt;</summary>'
            "</entry>")


def atom_feed(entries: list[int], *, next_href: str | None = None,
              self_href: str = "https://www.example.gov.uk/planning.atom") -> str:
    links = f'<link rel="self" href="{self_href}"/>'
    links += '<link rel="alternate" href="https://www.example.gov.uk/planning"/>'
    if next_href:
        links += f'<link rel="next" href="{next_href}"/>'
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Example Council planning decisions</title>"
            "<id>tag:example.gov.uk,2026:planning</id>"
            "<updated>2026-11-25T10:00:00Z</updated>" + links
            + "".join(atom_entry(n) for n in entries) + "</feed>")
