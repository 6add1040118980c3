"""The storage package's own config section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StorageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = "data/civic-listener.db"
