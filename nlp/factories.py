"""Importing this module registers every built-in classifier factory."""

from __future__ import annotations

from nlp import keywords, vader

__all__ = ["keywords", "vader"]
