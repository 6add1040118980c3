"""The optional TF-IDF text head: trained next to the embedding head, saved as
plain arrays with its checksum in the card, averaged in at prediction."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import numpy as np
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


FILLERS = ["since monday", "on elm road", "near the school", "again tonight", "by the shops",
           "outside number four", "at the corner", "this week", "for days", "all evening",
           "on the high street", "behind the library"]


def _fit_and_score(train: list[tuple[str, str]], test: list[tuple[str, str]],
                   version: int) -> float:
    from nlp.text_head import fit_text_head

    head = fit_text_head([t for t, _ in train], [lab for _, lab in train], version=version)
    probs = head.scores([t for t, _ in test])
    pred = [head.classes[i] for i in probs.argmax(axis=1)]
    return sum(p == lab for p, (_, lab) in zip(pred, test, strict=True)) / len(test)


def test_word_pairs_carry_what_character_ngrams_cannot() -> None:
    """'light out' and 'out light' have the same words and the same
    character n-grams within words: only text head v2's word pairs tell
    them apart, on posts whose other words it has never seen."""
    pytest.importorskip("sklearn")
    rows = [(f"{f} light out {g}", "a") for f, g in itertools.pairwise(FILLERS)]
    rows += [(f"{f} out light {g}", "b") for f, g in zip(FILLERS, FILLERS[2:], strict=False)]
    test = [("light out in quarry close", "a"), ("out light in quarry close", "b"),
            ("light out outside the church", "a"), ("out light outside the church", "b")]
    assert _fit_and_score(rows, test, version=2) == 1.0
    assert _fit_and_score(rows, test, version=1) <= 0.75  # v1 (characters alone) cannot


def test_character_ngrams_carry_words_never_seen() -> None:
    """Unseen words that share a spelling (-ville, -port) are told apart by
    the character block of text head v2: its word block has never seen them."""
    pytest.importorskip("sklearn")
    stems = ["bram", "cold", "ash", "lark", "moss", "fern", "pine", "oak", "elm", "wood"]
    rows = [(f"report from {s}ville", "inland") for s in stems]
    rows += [(f"report from {s}port", "coast") for s in stems]
    test = [("report from hazelville", "inland"), ("report from hazelport", "coast"),
            ("report from quillville", "inland"), ("report from quillport", "coast")]
    assert _fit_and_score(rows, test, version=2) == 1.0


def test_hashtags_also_count_as_their_words() -> None:
    from nlp.text_head import head_text

    assert head_text("#PotholeHell on @council's road https://x.co/a") == (
        "#PotholeHell Pothole Hell on @user's road http")


def test_a_text_head_written_before_v2_loads_and_predicts_as_before(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from nlp.text_head import TextHead, fit_text_head

    old = fit_text_head([t for t, _ in ROWS], [lab for _, lab in ROWS], version=1)
    old.save(tmp_path)
    with np.load(tmp_path / "text_head.npz") as saved:  # the arrays v1 has always written
        assert sorted(saved.files) == ["classes", "coef", "idf", "intercept", "vocabulary"]
    loaded = TextHead.load(tmp_path)
    texts = ["bins left out #BinDay", "pothole https://x.co/p", "&amp; road"]
    assert loaded.version == 1 and loaded.n_features == len(old.vocabulary)
    assert np.array_equal(loaded.scores(texts), old.scores(texts))


def test_trainer_v2_saved_and_loaded_predicts_the_same(tmp_path: Path, tiny_bert: Path) -> None:
    pytest.importorskip("sklearn")
    from nlp import training
    from nlp.features import Featurizer
    from nlp.static_embed import static_model_id
    from nlp.text_head import average
    from nlp.trained import load_trained

    texts = [t for t, _ in ROWS] * 3
    labels = [lab for _, lab in ROWS] * 3
    featurizer = Featurizer("minilm+wordllama+tfidf", model_path=tiny_bert)
    head, text, figures, chosen = training.train_with_text_head(
        featurizer(texts), texts, labels, folds=2, trainer=2)
    _, card = training.save(tmp_path, "topics.head", "topic", head,
                            feature_spec=featurizer.spec,
                            embed_model_id=featurizer.embedding_model_id, n_train=len(texts),
                            data="rows", metrics=figures, c=chosen["C"], label_counts={},
                            text=text, text_weight=chosen["text_weight"])
    assert card["trainer"] == 2 and card["text_head"]["version"] == 2
    assert card["text_head"]["weight"] == chosen["text_weight"]
    assert card["embedding_model"] == f"tiny-bert0+{static_model_id()}"

    clf = load_trained(tmp_path, "topics.head", model_path=str(tiny_bert))
    new = ["bins not collected #BinDay", "a pothole on the road", "road bins"]
    expected = average(head.scores(featurizer(new)), text.scores(new), chosen["text_weight"])
    labels_out, scores = clf.predict(new)
    assert labels_out == [head.classes[i] for i in expected.argmax(axis=1)]
    assert np.allclose(scores, expected.max(axis=1))
    assert clf.text is not None and clf.text.version == 2

    # the card's weight is the one used: all on the text head
    card["text_head"]["weight"] = 1.0
    (tmp_path / "classifiers/topics.head/v1/card.json").write_text(json.dumps(card))
    clf = load_trained(tmp_path, "topics.head", model_path=str(tiny_bert))
    assert np.allclose(clf.predict(new)[1], text.scores(new).max(axis=1))
