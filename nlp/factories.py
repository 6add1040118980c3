"""Importing this module registers every built-in classifier factory."""

from __future__ import annotations

from nlp import combined, keywords, vader

__all__ = ["combined", "keywords", "vader"]
