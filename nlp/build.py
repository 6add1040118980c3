"""The entry point the pipeline calls: the configured classifiers."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

from nlp.config import NlpSettings, TopicSpec
from nlp.registry import BuildContext, UnknownClassifierError, known_names, resolve, split_name
from nlp.types import Classifier

GAZETTEER = "places.gazetteer"


def configured_names(settings: NlpSettings) -> list[str]:
    """Every classifier the settings ask for, topic and sentiment first. The
    gazetteer (on by default) is left out while ``nlp.places`` is empty: it
    would look for nothing."""
    names = [settings.topic_classifier, settings.sentiment_classifier]
    if settings.request_classifier:
        names.append(settings.request_classifier)
    names.extend(n for n in settings.extra_classifiers if n not in names
                 and (settings.places or split_name(n)[0] != GAZETTEER))
    return names


def build_classifiers(
    settings: NlpSettings, topics: Mapping[str, TopicSpec], data_dir: Path
) -> list[Classifier]:
    """Build every configured classifier. Each ``classify(texts)`` returns one
    list of labels per text (topic: zero or more; sentiment: exactly one)."""
    ctx = BuildContext(settings=settings, topics=topics, data_dir=Path(data_dir))
    return [build_one(name, ctx) for name in configured_names(settings)]


def build_one(spec: str, ctx: BuildContext) -> Classifier:
    """A registered classifier, or else one trained into ``data_dir``."""
    try:
        registration = resolve(spec)
    except UnknownClassifierError:
        from nlp import cards

        name, version = split_name(spec)
        if not cards.versions(ctx.data_dir, name):
            raise
        from nlp.trained import load_trained

        return load_trained(ctx.data_dir, name, version, threads=ctx.settings.torch_threads,
                        model_path=ctx.settings.embedding_model_path)
    return registration.factory(ctx)


def describe_one(spec: str, data_dir: Path) -> tuple[str, str, str]:
    """(name, version, task) of one configured classifier, from the registry
    or a trained classifier's model card, without building it. Raises
    ``UnknownClassifierError`` in plain words (with the closest known name)."""
    try:
        registration = resolve(spec)
    except UnknownClassifierError as exc:
        from nlp import cards

        name, version = split_name(spec)
        saved = cards.versions(Path(data_dir), name)
        if not saved:
            if any(n == name for n in known_names()):
                raise  # registered, but not in this version
            raise UnknownClassifierError(
                f"unknown classifier {name!r}" + _closest(name, data_dir)) from exc
        card = cards.load_card(Path(data_dir), name, version)
        if card is None:
            raise UnknownClassifierError(
                f"trained classifier {name!r} has no version {version}; saved: "
                f"{', '.join(saved)}") from exc
        return str(card["name"]), str(card["version"]), str(card["task"])
    return registration.name, registration.version, registration.task


def _closest(name: str, data_dir: Path) -> str:
    folder = Path(data_dir) / "classifiers"
    trained = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    candidates = [*known_names(), *trained]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; known: {', '.join(candidates)}"


def describe_configured(settings: NlpSettings, data_dir: Path) -> list[tuple[str, str, str]]:
    """(name, version, task) of each configured classifier, read from the
    registry or a model card, without building any (no model is loaded)."""
    return [describe_one(spec, data_dir) for spec in configured_names(settings)]
