"""The training and evaluation workflows behind ``listener train`` and
``listener eval``: files in, a saved classifier or scored figures out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nlp import cards
from nlp.build import build_one
from nlp.config import NlpSettings, TopicSpec
from nlp.labelled import LabelledDataError, map_labels, predict_one, read_labelled
from nlp.metrics import evaluate
from nlp.registry import BuildContext
from nlp.types import Classifier


def train_from_csv(data: Path, task: str, data_dir: Path, *, text_col: str = "text",
                   label_col: str = "label", name: str | None = None,
                   features: str = "minilm+vader", threads: int | None = None,
                   folds: int = 5, model_path: str | None = None,
                   step: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Train a head on a labelled CSV and save it as a new version; returns its
    card. ``step(words)`` is told each stage as it starts (a progress display)."""
    from nlp import training
    from nlp.features import Featurizer

    say = step or (lambda words: None)
    say(f"reading {Path(data).name}")
    texts, labels = read_labelled(data, text_col, label_col)
    say("loading the embedding model")
    featurizer = Featurizer(features, threads=threads,
                            model_path=Path(model_path) if model_path else None)
    say(f"embedding {len(texts):,} posts")
    matrix = featurizer(texts)
    say(f"training and cross-validating ({folds} folds)")
    text, weight, decision = None, None, None
    if featurizer.text_head:
        head, text, figures, chosen = training.train_with_text_head(matrix, texts, labels,
                                                                    folds=folds)
        c, weight, decision = chosen["C"], chosen["text_weight"], chosen["decision"]
    else:
        head, figures, c = training.train(
            matrix, labels, folds=folds,
            groups=[training.near_duplicate_key(t) for t in texts])
    _, card = training.save(
        data_dir, name or training.default_name(task), task, head, feature_spec=features,
        embed_model_id=featurizer.embedding_model_id, n_train=len(texts),
        data=f"{Path(data).name} ({text_col} -> {label_col})", metrics=figures, c=c,
        label_counts=dict(Counter(labels)), text=text, text_weight=weight, decision=decision)
    return card


def classifier_for(task: str, settings: NlpSettings, topics: dict[str, TopicSpec],
                   data_dir: Path, name: str | None = None) -> Classifier:
    """The named classifier, or the one configured for ``task``, or the latest
    trained ``<task>.head``."""
    if name is None:
        if task == "topic":
            name = settings.topic_classifier
        elif task == "sentiment":
            name = settings.sentiment_classifier
        else:
            from nlp.training import default_name

            name = default_name(task)
    ctx = BuildContext(settings=settings, topics=topics, data_dir=Path(data_dir))
    return build_one(name, ctx)


def eval_csv(classifier: Classifier, data: Path, *, text_col: str, label_col: str,
             task: str, classes: Sequence[str] | None = None,
             mapping: dict[str, str] | None = None) -> dict[str, Any]:
    """Score ``classifier`` on a labelled CSV. ``mapping`` relabels gold
    labels (gold label -> label) and drops the rows it does not name;
    ``classes`` restricts the macro-F1 to those classes (see nlp.metrics)."""
    texts, gold = read_labelled(data, text_col, label_col)
    dropped = 0
    if mapping:
        texts, gold, dropped = map_labels(texts, gold, mapping)
        if not texts:
            raise LabelledDataError(f"{data}: no rows left after --map (gold labels it names:"
                                    f" {', '.join(mapping)})")
    pred = predict_one(classifier, texts)
    figures = evaluate(gold, pred, classes)
    figures.update({
        "task": task, "classifier": classifier.name, "version": classifier.version,
        "model_id": classifier.model_id, "data": str(data), "text_col": text_col,
        "label_col": label_col, "mapping": mapping or {}, "dropped_unmapped": dropped,
        "evaluated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    })
    return figures


def save_eval(data_dir: Path, figures: dict[str, Any], out: Path | None = None) -> Path:
    import json

    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
        return out
    return cards.write_eval(data_dir, figures["classifier"], figures["version"], figures)
