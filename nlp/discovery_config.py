"""The ``discovery`` config section: themes among the posts no topic
matched, and bursting terms (see docs/discovery.md). The defaults are the
settings measured in bench/discover.py on the core static embeddings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DiscoverySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(default=True, description="Run discovery before each weekly report")
    embeddings: Literal["static", "minilm", "auto"] = Field(
        default="static",
        description="static: the core WordLlama embeddings (the measured default); minilm: "
        "MiniLM (the ml extra; about 100x slower); auto: MiniLM when installed")
    link_similarity: float = Field(
        default=0.4, gt=0.0, lt=1.0,
        description="Mean cosine between two groups of posts to join them into one theme")
    min_size: int = Field(default=10, ge=3, description="Fewest posts in a theme")
    sample_size: int = Field(default=6000, ge=500,
                             description="Most posts clustered exactly (the rest are assigned)")
    min_unmatched: int = Field(
        default=50, ge=10,
        description="Fewest posts matching no topic in a week to look for themes at all")
    near_topic: float = Field(
        default=0.6, gt=0.0, le=1.0,
        description="Similarity to a topic's words above which a theme is 'add to topic'")
    same_theme: float = Field(
        default=0.8, gt=0.0, le=1.0,
        description="Centroid similarity above which a theme continues an earlier one")
    lookback_weeks: int = Field(default=4, ge=1,
                                description="Earlier weeks whose themes a theme may continue")
    baseline_weeks: int = Field(default=8, ge=4,
                                description="Trailing weeks a bursting term is tested against")
    max_terms: int = Field(default=20, ge=1, description="Most bursting terms kept per run")
