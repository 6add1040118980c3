"""The optional TF-IDF text head: trained next to the embedding head, saved as
plain arrays with its checksum in the card, averaged in at prediction."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlp.modelfiles import ModelFileError

ROWS = [("bins not collected again", "bins"), ("the bins are overflowing", "bins"),
        ("bin collection missed", "bins"), ("recycling bins left out", "bins"),
        ("pothole on the road", "roads"), ("road surface is broken", "roads"),
        ("potholes everywhere on this road", "roads"), ("resurface the road please", "roads")]


def test_text_head_round_trip(tmp_path: Path, tiny_bert: Path) -> None:
    pytest.importorskip("sklearn")
    from nlp.trained import load_trained
    from nlp.workflows import train_from_csv

    data = tmp_path / "topics.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("text", "label"), *ROWS])
    card = train_from_csv(data, "topic", tmp_path, features="minilm+tfidf",
                          model_path=str(tiny_bert), folds=2)
    assert card["features"] == "minilm+tfidf"
    assert card["text_head"]["n_features"] > 0 and len(card["text_head"]["sha256"]) == 64
    clf = load_trained(tmp_path, "topics.head", model_path=str(tiny_bert))
    assert clf.text is not None
    labels, scores = clf.predict(["bins not collected", "a pothole on the road"])
    # character n-grams carry these two even when the tiny embedding model cannot
    assert labels == ["bins", "roads"] and all(0.5 <= s <= 1.0 for s in scores)

    folder = tmp_path / "classifiers" / "topics.head" / "v1"
    (folder / "text_head.npz").write_bytes(b"tampered")
    with pytest.raises(ModelFileError, match="does not match"):
        load_trained(tmp_path, "topics.head", model_path=str(tiny_bert))
