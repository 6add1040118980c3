"""Importing this module registers every built-in classifier factory."""

from __future__ import annotations

from nlp import (
    combined,
    keywords,
    language,
    places,
    questions,
    transformer,
    vader,
    vader_rules,
)

__all__ = ["combined", "keywords", "language", "places", "questions", "transformer", "vader",
           "vader_rules"]
