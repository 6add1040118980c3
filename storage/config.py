"""The storage package's own config section."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class StorageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(default="data/civic-listener.db", description="The SQLite file")
    data_dir: str = Field(
        default="data", description="Trained classifiers, model cards, key file live here"
    )
