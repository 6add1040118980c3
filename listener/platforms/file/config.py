"""The config model of ``type: file`` sources: file imports (CSV, JSONL, twarc)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import Field

from listener.sources.config import SourceConfigBase


class FileSourceConfig(SourceConfigBase):
    type: Literal["file"]
    path: str
    format: Literal["auto", "csv", "jsonl", "twarc"] = Field(
        default="auto", description="auto: by extension; JSONL lines that are X API v2 "
        "pages (twarc) are recognised either way")
    columns: dict[str, str] = Field(
        default_factory=dict,
        description="Our field -> column name in the file (a dotted path in JSONL)",
    )
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8-sig"
    page_size: int = Field(default=500, ge=1)

    def resolve_paths(self, resolve: Callable[[str], Path]) -> None:
        self.path = str(resolve(self.path))
