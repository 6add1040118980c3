"""The entry point the pipeline calls: the configured classifiers."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nlp.config import NlpSettings, TopicSpec
from nlp.registry import BuildContext, resolve
from nlp.types import Classifier


def configured_names(settings: NlpSettings) -> list[str]:
    """Every classifier the settings ask for, topic and sentiment first."""
    names = [settings.topic_classifier, settings.sentiment_classifier]
    names.extend(n for n in settings.extra_classifiers if n not in names)
    return names


def build_classifiers(
    settings: NlpSettings, topics: Mapping[str, TopicSpec], data_dir: Path
) -> list[Classifier]:
    """Build every configured classifier. Each ``classify(texts)`` returns one
    list of labels per text (topic: zero or more; sentiment: exactly one)."""
    ctx = BuildContext(settings=settings, topics=topics, data_dir=Path(data_dir))
    return [resolve(name).factory(ctx) for name in configured_names(settings)]
