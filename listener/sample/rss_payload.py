"""Sample feeds as real XML documents: the council's news as RSS 2.0 and a
local paper as Atom, newest first, parsed by feedparser as the RSS source
parses what it fetches."""

from __future__ import annotations

import re
from email.utils import format_datetime
from xml.sax.saxutils import escape

import feedparser

from listener.platforms.rss.split import FeedDocument
from listener.sample.ids import iso_z
from listener.sample.plan import PlannedPost

FEEDS = {
    "rss:council": ("Example Council news", "https://www.example-council.gov.uk/news",
                    "https://www.example-council.gov.uk/news.rss"),
    "rss:gazette": ("Ashby Marsh Gazette", "https://gazette.example/",
                    "https://gazette.example/feed.atom"),
}
_SLUG = re.compile(r"[^a-z0-9]+")


def _link(i: int, post: PlannedPost, base: str) -> str:
    return f"{base.rstrip('/')}/{_SLUG.sub('-', (post.title or '').lower()).strip('-')}-{i}"


def _rss(entries: list[int], posts: list[PlannedPost], title: str, site: str) -> str:
    items = []
    for i in reversed(entries):
        post = posts[i]
        link = _link(i, post, site)
        items.append(
            f"<item><title>{escape(post.title or '')}</title><link>{escape(link)}</link>"
            f'<guid isPermaLink="true">{escape(link)}</guid>'
            f"<description>{escape('<p>' + escape(post.text) + '</p>')}</description>"
            f"<pubDate>{format_datetime(post.created)}</pubDate>"
            f"<dc:creator>{escape(post.author.handle)}</dc:creator></item>"
        )
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            f"<title>{escape(title)}</title><link>{escape(site)}</link>"
            "<description>News and service updates</description><language>en-gb</language>"
            + "".join(items) + "</channel></rss>")


def _atom(entries: list[int], posts: list[PlannedPost], title: str, site: str, feed: str) -> str:
    items = []
    for i in reversed(entries):
        post = posts[i]
        link = _link(i, post, site)
        items.append(
            f"<entry><title>{escape(post.title or '')}</title>"
            f'<link rel="alternate" href="{escape(link)}"/><id>{escape(link)}</id>'
            f"<published>{iso_z(post.created)}</published><updated>{iso_z(post.created)}</updated>"
            f"<author><name>{escape(post.author.handle)}</name></author>"
            f'<summary type="html">{escape("<p>" + escape(post.text) + "</p>")}</summary></entry>'
        )
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><link href=\"{escape(site)}\"/><id>{escape(feed)}</id>"
            f"<updated>{iso_z(posts[entries[-1]].created)}</updated>" + "".join(items) + "</feed>")


def page(entries: list[int], posts: list[PlannedPost], stream: str,
         next_token: str | None) -> FeedDocument:
    """The feed document for ``stream`` holding these posts, fetched from its
    address and parsed."""
    title, site, feed = FEEDS[stream]
    xml = _rss(entries, posts, title, site) if stream == "rss:council" else \
        _atom(entries, posts, title, site, feed)
    return FeedDocument(feed, feedparser.parse(xml))
