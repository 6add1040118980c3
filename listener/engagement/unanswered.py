""""Waiting for an answer": the open questions and complaints to the body,
as ``listener query --unanswered`` and the web page show them (the weekly
report shows the same list: ``reports.engaged.waiting_list``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from listener.config import Settings
from listener.platforms.registry import post_link
from listener.query.export import terminal_text
from listener.query.masking import official_handles
from reports.csvfile import csv_text
from reports.engaged import Waiting, waiting_list
from storage import Store

COLUMNS = ("asked", "platform", "kind", "topics", "waiting_hours", "text", "url")


def unanswered(store: Store, settings: Settings, *, now: datetime | None = None,
               after_hours: float | None = None) -> list[Waiting]:
    engagement = settings.engagement
    return waiting_list(
        store.engagement, hours=engagement.working_hours,
        after=engagement.unanswered_after_hours if after_hours is None else after_hours,
        days=engagement.unanswered_days,
        topic_labels={slug: t.label for slug, t in settings.topics.items()},
        official=official_handles(settings.privacy.official_accounts),
        now=now or datetime.now(UTC), tz=ZoneInfo(settings.reports.timezone), link=post_link)


def as_dict(row: Waiting) -> dict[str, str]:
    return {"asked": row.asked, "platform": row.platform, "kind": ", ".join(row.kinds),
            "topics": "; ".join(row.topics), "waiting_hours": f"{row.waited_hours:.1f}",
            "text": row.text, "url": row.url or ""}


def render(rows: list[Waiting], fmt: str) -> str:
    """``table`` (control characters escaped, as ``query``'s table),
    ``csv`` (the project's one formula-safe writer) or ``json``."""
    dicts = [as_dict(r) for r in rows]
    if fmt == "json":
        return json.dumps({"rows": dicts}, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return csv_text(COLUMNS, [list(d.values()) for d in dicts])
    lines = []
    for d in ({k: terminal_text(v) for k, v in d.items()} for d in dicts):
        lines.append(f"{d['asked']}  {d['platform']}  {d['kind']}  waiting "
                     f"{d['waiting_hours']} working hours  [{d['topics'] or 'no topic'}]")
        lines.append(f"    {d['text'][:200]}")
        lines.append(f"    {d['url'] or '(no link without the handle)'}")
    return "\n".join(lines)
