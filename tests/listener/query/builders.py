"""A small hand-built database and config for the query tests.

Posts are stored through the real ``Store.save_page`` and labelled through
``save_labels``; author pseudonyms, raw payloads and a quarantined item
carry marker strings that must never appear on a page or in an export.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storage import LabelRecord, Post, Quarantined, Store, StoredItem

PSEUDONYM_MARK = "PSEUDOKEY"
RAW_MARK = "RAWPAYLOADMARK"
QUARANTINE_MARK = "QUARANTINEMARK"
PASSWORD = "correct horse battery staple"

# (platform, id, text, created (UTC), topics, sentiment, official handle)
POSTS = [
    ("x", "1", "Huge pothole on Mill Lane again, @bob_smith reported it twice",
     datetime(2026, 11, 17, 9, 0), ["roads_potholes"], "negative", None),
    ("reddit", "2", "The pothole on the high street was fixed quickly, thanks",
     datetime(2026, 11, 18, 12, 0), ["roads_potholes"], "positive", None),
    ("mastodon", "3", "Bin collection missed again on our street",
     datetime(2026, 11, 10, 8, 30), ["waste_recycling"], "negative", None),
    ("x", "4", "Pothole repairs start on Monday, report more at @ExampleCouncil",
     datetime(2026, 11, 19, 15, 0), ["roads_potholes"], "neutral", "ExampleCouncil"),
    ("bluesky", "5", "Potholes everywhere and the bins are overflowing",
     datetime(2026, 11, 24, 18, 0), ["roads_potholes", "waste_recycling"], "negative", None),
    ("x", "6", "Library opening hours extended, lovely news",
     datetime(2026, 11, 11, 10, 0), ["libraries"], "positive", None),
    ("x", "7", '=HYPERLINK("http://evil.invalid","pothole help") click',
     datetime(2026, 11, 20, 10, 0), ["roads_potholes"], "negative", None),
    ("reddit", "8", "Sunday night: 23:30 in London is Monday 00:30 nowhere, pothole",
     datetime(2026, 11, 22, 23, 30), ["roads_potholes"], "negative", None),
    # Sunday 28 June 23:30 UTC is Monday 00:30 in London (BST): ISO week 27 there
    ("x", "9", "Summer pothole by the bridge",
     datetime(2026, 6, 28, 23, 30), ["roads_potholes"], "neutral", None),
]
TOPICS_YAML = """
nlp:
  places:
    mill_lane: {label: Mill Lane, kind: street}
    high_street: {label: High Street, kind: street}
topics:
  roads_potholes:
    label: Roads and potholes
    terms: [pothole]
  waste_recycling:
    label: Bins, waste and recycling
    terms: [bin]
  libraries:
    label: Libraries
    terms: [library]
"""


def build_db(path: Path) -> Path:
    with Store.open(path) as store:
        fill(store)
    return path


def fill(store: Store) -> None:
    """The fixture's posts, labels and quarantined item, on either backend."""
    run = store.runs.start("fixture")
    items = []
    for platform, native, text, created, _, _, handle in POSTS:
        post = Post(platform=platform, native_id=native, text=text,
                    created_at=created.replace(tzinfo=UTC),
                    url=f"https://example.invalid/{platform}/{native}",
                    author_handle=handle, author_official=handle is not None,
                    author_key=f"{PSEUDONYM_MARK}{native}")
        items.append(StoredItem(post, {"id": native, "secret": RAW_MARK}))
    store.collect.save_page(source="fixture", run_id=run, items=items, query="pothole",
                            quarantined=[Quarantined("x", "bad shape", {"x": QUARANTINE_MARK})])
    ids = {r[1]: r[0] for r in store.sql.execute("SELECT id, native_id FROM posts")}
    for task in ("topic", "sentiment"):
        labels = [
            LabelRecord(ids[native], task, label, 1.0, f"{task}.fixture", "1")
            for _, native, _, _, topics, sentiment, _ in POSTS
            for label in (topics if task == "topic" else [sentiment])
        ]
        store.labels.save(task, f"{task}.fixture", "1", None, list(ids.values()), labels)
    places = [LabelRecord(ids["1"], "place", "mill_lane", 1.0, "places.fixture", "1"),
              LabelRecord(ids["2"], "place", "high_street", 1.0, "places.fixture", "1")]
    store.labels.save("place", "places.fixture", "1", None, list(ids.values()), places)
    store.runs.finish(run, "ok")


def write_config(folder: Path, db: Path) -> Path:
    config = folder / "config.yaml"
    config.write_text(
        f"storage:\n  path: {db}\n  data_dir: {folder / 'data'}\n"
        + TOPICS_YAML
        + "privacy:\n  official_accounts: ['x:ExampleCouncil']\n"
        + "web:\n  users:\n    policy:\n      password_hash_env: TEST_WEB_HASH\n"
        + "  time_limit_ms: 2000\n  max_rows: 100\n",
        encoding="utf-8",
    )
    return config


def post_key(platform: str, text: str) -> str:
    """``platform/id`` of a row as shown (its text masked, its link handle-free)."""
    for posted, native, written, *_ in POSTS:
        if posted == platform and written[:12] in (text[:12], text[1:13]):  # CSV: '=...
            return f"{platform}/{native}"
    raise KeyError(f"no fixture post {platform}: {text[:40]}")
