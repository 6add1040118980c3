"""Splitting one X API v2 response page into per-tweet items: the one X
splitter, used by the X source, the file import (twarc lines) and the sample.

A ``GET /2/tweets/search/recent`` page (and each line of a twarc JSONL
export, which is such a page) holds ``data`` (tweets) and ``includes``
shared by all of them. Each item keeps its tweet and only the includes it
references: its author, its place, the tweets it references and their
authors (an ``includes`` list with nothing in it is left out). This is the
item shape ``listener.platforms.x.normalise`` reads.
"""

from __future__ import annotations

from typing import Any

from listener.sources.base import RawItem


def _index(objects: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(objects, list):
        return {}
    return {str(o["id"]): o for o in objects if isinstance(o, dict) and "id" in o}


def _refs(tweet: dict[str, Any]) -> list[str]:
    refs = tweet.get("referenced_tweets")
    if not isinstance(refs, list):
        return []
    return [str(r["id"]) for r in refs if isinstance(r, dict) and r.get("id")]


def split_page(body: dict[str, Any]) -> list[RawItem]:
    """One item per element of ``data`` (malformed elements included: the
    normaliser quarantines them, nothing is dropped here)."""
    data = body.get("data") or []
    if not isinstance(data, list):
        data = [data]
    found = body.get("includes")
    includes: dict[str, Any] = found if isinstance(found, dict) else {}
    users = _index(includes.get("users"))
    places = _index(includes.get("places"))
    tweets = _index(includes.get("tweets"))
    items: list[RawItem] = []
    for tweet in data:
        if not isinstance(tweet, dict):
            items.append(RawItem({"tweet": tweet, "includes": {}}))
            continue
        referenced = [tweets[i] for i in _refs(tweet) if i in tweets]
        author_ids = [str(tweet.get("author_id"))] + [
            str(t.get("author_id")) for t in referenced if t.get("author_id")
        ]
        geo = tweet.get("geo")
        place_id = str(geo.get("place_id")) if isinstance(geo, dict) else ""
        subset: dict[str, list[dict[str, Any]]] = {}
        wanted_users = [users[a] for a in dict.fromkeys(author_ids) if a in users]
        if wanted_users:
            subset["users"] = wanted_users
        if place_id in places:
            subset["places"] = [places[place_id]]
        if referenced:
            subset["tweets"] = referenced
        items.append(RawItem({"tweet": tweet, "includes": subset}))
    return items
