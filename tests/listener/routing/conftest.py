"""Two teams (waste by e-mail and webhook, highways by webhook only) over a
store holding posts with topic, sentiment, place and request labels, as the
classifiers would leave them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from listener.config import Settings, parse_settings
from storage import LabelRecord, Post, Store, StoredItem
from tests.paths import STORE_FILE

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
HANDLE = "angry_resident_77"
KEY = "key-of-angry-resident-0123456789"

CONFIG = f"""storage:
  path: {STORE_FILE}
topics:
  waste_recycling: {{label: Bins and recycling, terms: [bin]}}
  roads_potholes: {{label: Roads and potholes, terms: [pothole]}}
  parks: {{label: Parks, terms: [park]}}
nlp:
  places:
    mill_lane: {{label: Mill Lane, kind: street}}
reports:
  timezone: Europe/London
  email: {{sender: listener@council.example, smtp_host: 127.0.0.1, smtp_port: 2525,
           starttls: false}}
routing:
  jurisdiction: Example Council
  service_codes: {{roads_potholes: POTHOLE}}
  teams:
    - name: waste
      label: Waste services
      topics: [waste_recycling]
      email: [waste@council.example]
      webhook_url_env: WASTE_HOOK
    - name: highways
      topics: [roads_potholes]
      places: [mill_lane]
      webhook_url_env: HIGHWAYS_HOOK
      webhook_format: slack
      schedule: immediate
"""


@dataclass(frozen=True)
class P:
    native_id: str  # digits: an X status id
    text: str
    topic: str | None = "waste_recycling"
    sentiment: str = "negative"
    place: str | None = None
    request: str | None = None
    when: datetime = datetime(2026, 11, 24, 18, 30, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return parse_settings(CONFIG, str(path), check_credentials=False)


def add(store: Store, posts: Sequence[P]) -> list[int]:
    """Store ``posts`` by one author whose handle is in each URL and raw payload."""
    run = store.runs.start("x-search")
    result = store.collect.save_page(source="x-search", run_id=run, query="q", items=[
        StoredItem(Post(platform="x", native_id=p.native_id, text=p.text, created_at=p.when,
                        url=f"https://x.com/{HANDLE}/status/{p.native_id}",
                        author_key=KEY), {"id": p.native_id, "user": HANDLE})
        for p in posts])
    store.runs.finish(run, "ok")
    ids = result.new_ids
    pairs = list(zip(ids, posts, strict=True))
    store.labels.save("topic", "topics.keywords", "v2", "cfg", ids, [
        LabelRecord(i, "topic", p.topic, 1.0, "topics.keywords", "v2", None,
                    ("bin",) if p.topic == "waste_recycling" else ("pothole",))
        for i, p in pairs if p.topic])
    store.labels.save("sentiment", "sentiment.vader", "v8", "cfg", ids, [
        LabelRecord(i, "sentiment", p.sentiment, 0.5, "sentiment.vader", "v8")
        for i, p in pairs])
    store.labels.save("place", "places.gazetteer", "v1", "cfg", ids, [
        LabelRecord(i, "place", p.place, 1.0, "places.gazetteer", "v1", None, ("mill lane",))
        for i, p in pairs if p.place])
    store.labels.save("request", "request.rules", "v1", "cfg", ids, [
        LabelRecord(i, "request", p.request, 1.0, "request.rules", "v1")
        for i, p in pairs if p.request])
    return ids
