"""The storage package's own config section."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class StorageSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(default="data/civic-listener.db", description="The SQLite file")
    data_dir: str = Field(
        default="data", description="Trained classifiers, model cards, key file live here"
    )
    # before backend: backend's check reads it
    dsn_env: str | None = Field(
        default=None,
        description="postgresql: the NAME of the environment variable holding the DSN "
        "(the DSN itself never goes in config.yaml)",
    )
    backend: Literal["sqlite", "postgresql"] = Field(
        default="sqlite",
        description="sqlite (the default: one file, `path`) or postgresql (a server; "
        "docs/postgresql.md)",
    )

    @property
    def server_name(self) -> str:
        """The PostgreSQL database as output names it: by the variable that
        holds its DSN, never the DSN."""
        return f"PostgreSQL (DSN in ${self.dsn_env})"

    @field_validator("dsn_env")
    @classmethod
    def _a_variable_name(cls, value: str | None) -> str | None:
        # The message never repeats the value: a DSN pasted here holds a password.
        if value is not None and not _ENV_NAME.fullmatch(value):
            raise ValueError(
                "must be the name of an environment variable (letters, digits, _), e.g. "
                "CIVIC_LISTENER_DSN; put the DSN itself in that variable, never in the config")
        return value

    @field_validator("backend")
    @classmethod
    def _dsn_for_postgresql(cls, value: str, info: ValidationInfo) -> str:
        # (dsn_env absent from info.data: it failed its own check, said already)
        if value == "postgresql" and "dsn_env" in info.data and not info.data["dsn_env"]:
            raise ValueError("'postgresql' needs dsn_env: the name of the environment "
                             "variable that holds the DSN")
        return value
