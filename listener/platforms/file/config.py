"""The config model of ``type: file`` sources: file imports (CSV, JSONL, twarc)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from listener.platforms.file.encoding import AUTO, known_encoding
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
    encoding: str = Field(
        default=AUTO, description="auto (byte-order mark, UTF-16, UTF-8, else Windows-1252, "
        "else Latin-1), or a name such as utf-8, cp1252, latin-1, utf-16")
    page_size: int = Field(default=500, ge=1)

    @field_validator("encoding")
    @classmethod
    def _known(cls, value: str) -> str:
        return known_encoding(value)

    def resolve_paths(self, resolve: Callable[[str], Path]) -> None:
        self.path = str(resolve(self.path))
