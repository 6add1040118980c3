"""The embedded sample: replayed through the other platforms' splitters and
normalisers (its pages carry their platforms' ids), so it has none of its own."""

from __future__ import annotations

from listener.platforms.entry import Lazy, Platform
from listener.platforms.sample.config import SampleSourceConfig

PLATFORM = Platform(
    id="sample", name="the sample", config=SampleSourceConfig,
    source=Lazy("listener.platforms.sample.source:SampleSource"),
    collects="built-in synthetic sample data (no personal data; for demonstration)",
    live=False, synthetic=True,
)
