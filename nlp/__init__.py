"""NLP: texts in, labels out. Imports nothing of the project's other packages.

Importing the package registers every built-in classifier (``nlp.factories``),
so the registry is full before any name is looked up.
"""

from __future__ import annotations

from nlp import factories
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
    "factories",
    "validate_topics",
]
