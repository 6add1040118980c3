"""Importing this module registers every built-in classifier factory."""

from __future__ import annotations

from nlp import (
    combined,
    hybrid,
    keywords,
    language,
    places,
    questions,
    semantic,
    transformer,
    vader,
    vader_rules,
)

__all__ = ["combined", "hybrid", "keywords", "language", "places", "questions", "semantic",
           "transformer", "vader", "vader_rules"]
