"""``listener export cases``: a team's posts over a period in a shape a CRM
or case system takes: CSV, JSON, or Open311 GeoReport v2 service requests.

The Open311 mapping (docs/routing.md): ``service_request_id`` is
``listener-<post id>``; ``status`` ``open``; ``service_code`` comes from the
post's first matched topic through ``routing.service_codes`` (default: the
topic key); ``service_name`` is the topic's name; ``description`` the post's
text, handles masked (at most 4,000 characters); ``agency_responsible`` is
``routing.jurisdiction`` or the team's label; ``requested_datetime`` and
``updated_datetime`` the time of the post (ISO 8601 with offset);
``address`` the places named, where known; ``media_url`` the post's link in
a form without its author's handle (``listener.routing.posts.public_link``).
``lat``/``long`` are left out: the listener stores no coordinates.

No export holds an author handle or pseudonym: only the fields of
``CasePost`` go out, and its text and link are already cleaned.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from listener.config import Settings
from listener.routing.digest import digest_posts, rule_of
from listener.routing.posts import CasePost
from listener.routing.settings import TeamSettings
from reports.csvfile import csv_text
from storage import Store
from storage.timefmt import iso, local_midnight

FORMATS = ("csv", "json", "open311")
MAX_DESCRIPTION = 4000
CSV_COLUMNS = ("case_id", "posted", "platform", "topics", "topic_names", "places", "sentiment",
               "request", "matched_terms", "text", "link")


class CaseError(ValueError):
    """The export cannot be made as asked; the message says why."""


def cases(settings: Settings, store: Store, team: TeamSettings, since: date,
          until: date | None = None, *, export: bool = True) -> list[CasePost]:
    """The team's posts from local day ``since`` (to before ``until``);
    ``export`` false: with links as a digest gives them (a preview)."""
    tz = ZoneInfo(settings.reports.timezone)
    rows = store.routing.cases(rule_of(team), iso(local_midnight(since, tz)),
                               iso(local_midnight(until, tz)) if until else None)
    return digest_posts(settings, store, team, [r.id for r in rows], export=export)


def open311(settings: Settings, team: TeamSettings, posts: Sequence[CasePost]
            ) -> list[dict[str, Any]]:
    """GeoReport v2 service requests (the shape of GET requests.json)."""
    agency = settings.routing.jurisdiction or team.shown
    out = []
    for p in posts:
        topic = p.topics[0] if p.topics else ""
        request: dict[str, Any] = {
            "service_request_id": f"listener-{p.id}",
            "status": "open",
            "service_code": settings.routing.service_code(topic),
            "service_name": p.topic_labels[0] if p.topic_labels else topic,
            "description": p.text[:MAX_DESCRIPTION],
            "agency_responsible": agency,
            "requested_datetime": p.posted,
            "updated_datetime": p.posted,
        }
        if p.places:
            request["address"] = ", ".join(p.places)
        if p.link:
            request["media_url"] = p.link
        out.append(request)
    return out


def _row(p: CasePost) -> dict[str, Any]:
    return {"case_id": f"listener-{p.id}", "posted": p.posted, "platform": p.platform,
            "topics": list(p.topics), "topic_names": list(p.topic_labels),
            "places": list(p.places), "sentiment": p.sentiment, "request": p.request,
            "matched_terms": list(p.terms), "text": p.text, "link": p.link}


def render(settings: Settings, team: TeamSettings, posts: Sequence[CasePost], fmt: str) -> str:
    if fmt == "open311":
        return json.dumps(open311(settings, team, posts), ensure_ascii=False, indent=2) + "\n"
    if fmt == "json":
        return json.dumps([_row(p) for p in posts], ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":  # the project's one formula-safe CSV writer
        return csv_text(CSV_COLUMNS, [
            ["; ".join(v) if isinstance(v, list) else (v or "")
             for v in (_row(p)[k] for k in CSV_COLUMNS)] for p in posts])
    raise CaseError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")


def parse_since(text: str, zone: str) -> date:
    """A local date (YYYY-MM-DD) or a number of days back (``7d``)."""
    text = text.strip()
    if text.endswith("d") and text[:-1].isdigit():
        return datetime.now(ZoneInfo(zone)).date() - timedelta(days=int(text[:-1]))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CaseError(f"'{text[:40]}' is not a date; write it like 2026-11-01 or 7d") \
            from None
