"""Labels stored through the real Store by the real pipeline: versioned
(classifier, version, model id), and relabelled after a topic config change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from listener.config import load_settings
from listener.pipeline import classify
from storage import Post, Store, StoredItem

CONFIG = """storage:
  path: {db}
  data_dir: {data}
sources: {{}}
topics:
  roads:
    label: Roads
    terms: [pothole]
{extra}"""
BINS = """  bins:
    label: Bins
    terms: [bin]
    phrases: [not collected]
"""


def write_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(CONFIG.format(db=tmp_path / "t.db", data=tmp_path / "data", extra=extra))
    return path


def posts(store: Store) -> list[int]:
    run = store.runs.start("s")
    items = [
        StoredItem(Post(platform="x", native_id=str(i), text=text, author_key=f"k{i}",
                        created_at=datetime(2026, 11, 17, 9, i, tzinfo=UTC)), {"id": str(i)})
        for i, text in enumerate(["Potholes!! on Mill Road", "bins NOT collected again",
                                  "Lovely day in the park"])
    ]
    return store.collect.save_page(source="s", run_id=run, items=items).new_ids


def topic_labels(store: Store, pid: int) -> list[tuple[str, str, str, str | None]]:
    return [(lab.label, lab.classifier, lab.version, lab.model_id)
            for lab in store.labels.for_post(pid) if lab.task == "topic"]


def test_labels_are_versioned_and_relabelled_after_a_config_change(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path), check_credentials=False)
    store = Store.open(settings.database_path)
    pothole, bins, park = posts(store)

    counts = classify(settings, store)
    assert counts["topic"] == 3 and counts["sentiment"] == 3
    [(label, name, version, model_id)] = topic_labels(store, pothole)
    # the latest version of the configured (unversioned) classifier
    assert (label, name, version) == ("roads", "topics.keywords", "v3") and model_id
    assert topic_labels(store, bins) == [] and topic_labels(store, park) == []
    sentiment = [lab for lab in store.labels.for_post(bins) if lab.task == "sentiment"]
    assert len(sentiment) == 1 and sentiment[0].classifier == "sentiment.vader"
    assert sentiment[0].model_id and sentiment[0].version.startswith("v")
    first_hash = store.db.execute(
        "SELECT config_hash FROM label_state WHERE post_id = ? AND task = 'topic'",
        [bins]).fetchone()[0]

    # the admin adds a topic: new config, same posts
    changed = load_settings(write_config(tmp_path, BINS), check_credentials=False)
    assert classify(changed, store).get("topic", 0) == 0  # history waits for a relabel
    assert topic_labels(store, bins) == []
    assert classify(changed, store, relabel=True)["topic"] == 3
    [(label, _, _, _)] = topic_labels(store, bins)
    assert label == "bins"
    evidence = next(lab.evidence for lab in store.labels.for_post(bins) if lab.task == "topic")
    assert set(evidence) == {"bin", "not collected"}
    assert [x[0] for x in topic_labels(store, pothole)] == ["roads"]
    assert topic_labels(store, park) == []
    new_hash = store.db.execute(
        "SELECT config_hash FROM label_state WHERE post_id = ? AND task = 'topic'",
        [bins]).fetchone()[0]
    assert new_hash != first_hash


LIGHTS = """  lights:
    label: Street lighting
    phrases: [street light]
    examples: [The street light outside our house is broken]
"""


def test_hybrid_labels_store_their_evidence_and_pinned_old_labels_stay(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path, LIGHTS), check_credentials=False)
    store = Store.open(settings.database_path)
    run = store.runs.start("s")
    lamp = store.collect.save_page(source="s", run_id=run, items=[StoredItem(
        Post(platform="x", native_id="lamp", text="The lamp at the end of our road is dark",
             author_key="k", created_at=datetime(2026, 11, 17, 9, 0, tzinfo=UTC)),
        {"id": "lamp"})]).new_ids[0]
    pothole = posts(store)[0]
    assert classify(settings, store)["topic"] == 4  # topics.keywords: the lamp is missed
    assert topic_labels(store, lamp) == []

    # the admin switches to the hybrid: stored labels stay until an explicit relabel
    settings.nlp.topic_classifier = "topics.hybrid.v1"
    assert classify(settings, store).get("topic", 0) == 0
    assert topic_labels(store, lamp) == []
    assert classify(settings, store, relabel=True)["topic"] == 4
    [(label, name, version, model_id)] = topic_labels(store, lamp)
    assert (label, name, version) == ("lights", "topics.semantic", "v1")
    assert model_id and "prototypes:" in model_id
    [stored] = [lab for lab in store.labels.for_post(lamp) if lab.task == "topic"]
    assert len(stored.evidence) == 1 and stored.evidence[0].startswith("semantic: near '")
    assert stored.score is not None and 0.35 <= stored.score <= 1.0
    assert topic_labels(store, pothole)[0][:3] == ("roads", "topics.keywords", "v2")

    # pinning the keyword version gives back exactly the old labels
    settings.nlp.topic_classifier = "topics.keywords.v2"
    classify(settings, store, relabel=True)
    assert topic_labels(store, lamp) == []
    assert topic_labels(store, pothole)[0][:3] == ("roads", "topics.keywords", "v2")

    # the bare name is the latest hybrid (v2: keywords v3 inside); v1 stays as it was
    settings.nlp.topic_classifier = "topics.hybrid"
    classify(settings, store, relabel=True)
    assert topic_labels(store, pothole)[0][:3] == ("roads", "topics.keywords", "v3")
    assert topic_labels(store, lamp)[0][:3] == ("lights", "topics.semantic", "v1")
    settings.nlp.topic_classifier = "topics.hybrid.v1"
    classify(settings, store, relabel=True)
    assert topic_labels(store, pothole)[0][:3] == ("roads", "topics.keywords", "v2")
