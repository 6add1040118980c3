"""Golden outputs: every registered classifier version, on one fixed set of
texts, must give exactly the labels recorded in ``tests/nlp/golden/``.

A behaviour change to a released version fails here: ship it as a new
version instead (a new golden file). To record the file of a NEW version:
``UPDATE_GOLDEN=1 python -m pytest tests/nlp/test_golden.py``, then review
the diff; never regenerate the file of a version already released.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest

from nlp.config import NlpSettings, PlaceSpec, TopicSpec, TransformersSettings
from nlp.registry import BuildContext, Registration, registered

GOLDEN = Path(__file__).parent / "golden"

TEXTS = [
    "Huge pothole on Mill Lane again, nearly lost a wheel. Sort it out!",
    "Bins not collected for two weeks, rubbish everywhere #bincollection",
    "Thank you to the lovely staff at the library, brilliant service",
    "Parking on the pavement outside the school every morning",
    "The street light on Elm Road has been out for a month",
    "Planning committee meets on Tuesday at 7pm in the town hall",
    "Housing repairs still waiting, damp and mould in the kids' room 😡",
    "Day 4 of the bin strike. Quarry Close looks like a landfill 🤬",
    "Bin men left half the street... Brilliant.",
    "Missing grey wallet near the park, reward if found",
    "Great job fixing the potholes on the high street 👍",
    "Le conseil municipal se réunit mardi soir",
    "",
    "@council when will the recycling centre reopen? https://example.org/x",
    "Lighting up the park for the winter festival, lovely evening",
    "GP surgery never call back, three days trying",
]
TOPICS = {
    "roads": TopicSpec(label="Roads", terms=["pothole", "road"], phrases=["high street"]),
    "bins": TopicSpec(label="Bins", terms=["bin", "rubbish", "recycling"],
                      hashtags=["#bincollection"], exclusions=["bin strike"]),
    "parks": TopicSpec(label="Parks", terms=["park"]),
    "lights": TopicSpec(label="Street lights", phrases=["street light"], terms=["light"]),
    "housing": TopicSpec(label="Housing", terms=["house", "damp", "mould"]),
    "planning": TopicSpec(label="Planning", terms=["plan"]),
}
PLACES = {
    "mill_lane": PlaceSpec(label="Mill Lane", kind="street"),
    "elm_road": PlaceSpec(label="Elm Road", kind="street", aliases=["Elm Rd"]),
    "quarry_close": PlaceSpec(label="Quarry Close", kind="street"),
}


def _settings(reg: Registration, model: Path | None) -> NlpSettings:
    base: dict[str, Any] = {"places": PLACES}
    if reg.needs_torch and model is not None:
        base.update(embedding_model_path=str(model), learned_topic="topics.head",
                    transformers=TransformersSettings(path=str(model)))
    return NlpSettings(**base)


def _outputs(reg: Registration, data_dir: Path, model: Path | None) -> list[list[list[Any]]]:
    ctx = BuildContext(settings=_settings(reg, model), topics=TOPICS, data_dir=data_dir)
    clf = reg.factory(ctx)
    assert (clf.name, clf.version, clf.task) == (reg.name, reg.version, reg.task)
    exact = not reg.needs_torch  # torch models: labels and who made them, not float scores
    return [[[lab.label, lab.classifier, lab.version, list(lab.evidence)]
             + ([round(lab.score, 3) if lab.score is not None else None] if exact else [])
             for lab in labels] for labels in clf.classify(TEXTS)]


@pytest.fixture(scope="module")
def head_dir(tmp_path_factory: pytest.TempPathFactory, tiny_bert: Path) -> Path:
    """A data directory holding a topic head trained on a few fixed rows."""
    from nlp.workflows import train_from_csv

    folder = tmp_path_factory.mktemp("golden-head")
    rows = [("lovely park thanks", "parks"), ("great lovely park", "parks"),
            ("the park is great", "parks"), ("love the park", "parks"),
            ("awful service again", "other"), ("terrible service broken", "other"),
            ("hate the service", "other"), ("service not fixed", "other")]
    path = folder / "topics.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([("text", "label"), *rows])
    train_from_csv(path, "topic", folder, model_path=str(tiny_bert), folds=2)
    return folder


@pytest.mark.parametrize("reg", registered(), ids=lambda r: f"{r.name}@{r.version}")
def test_registered_version_gives_its_golden_output(reg: Registration, request: Any,
                                                    tmp_path: Path) -> None:
    model = data_dir = None
    if reg.needs_torch:
        model = request.getfixturevalue("tiny_bert")
        data_dir = request.getfixturevalue("head_dir")
    got = _outputs(reg, data_dir or tmp_path, model)
    path = GOLDEN / f"{reg.name}@{reg.version}.json"
    if os.environ.get("UPDATE_GOLDEN") and not path.exists():
        path.write_text(json.dumps({"texts": TEXTS, "labels": got}, ensure_ascii=False,
                                   indent=1) + "\n", encoding="utf-8")
    assert path.exists(), f"no golden file for {reg.name} {reg.version}: record it (see top)"
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert golden["texts"] == TEXTS, "the golden texts changed: they are fixed"
    assert got == golden["labels"]


def test_every_golden_file_names_a_registered_version() -> None:
    names = {f"{r.name}@{r.version}.json" for r in registered()}
    assert {p.name for p in GOLDEN.glob("*.json")} <= names
