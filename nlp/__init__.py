"""NLP: texts in, labels out. Imports nothing of the project's other packages."""

from __future__ import annotations

from nlp.build import build_classifiers, describe_configured
from nlp.config import NlpSettings, TopicSpec
from nlp.types import Classifier, Label
from nlp.validate import validate_topics

__all__ = [
    "Classifier",
    "Label",
    "NlpSettings",
    "TopicSpec",
    "build_classifiers",
    "describe_configured",
    "validate_topics",
]
