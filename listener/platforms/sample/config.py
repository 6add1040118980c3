"""The config model of ``type: sample`` sources: the embedded sample."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from listener.sources.config import SourceConfigBase


class SampleSourceConfig(SourceConfigBase):
    type: Literal["sample"]
    enabled: bool = True
    seed: int = 20261122
    page_size: int = Field(default=50, ge=1)
    page_delay_seconds: float = Field(default=0.0, ge=0)
    scale: float = Field(default=1.0, gt=0)
