"""The ``web`` section of config.yaml: who may log in to ``listener serve``
and the limits every query runs under.

Passwords are stored only as PBKDF2 hashes (``pbkdf2_sha256$iterations$salt$hash``,
made with ``listener web-hash-password``), written in the config or, better,
kept in an environment variable named by ``password_hash_env``.
"""

from __future__ import annotations

import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# labeller: also labels audits on /-/audit; editor: also records and corrects actions
# on /-/actions. Every role reads the action log and may look up one post by its link.
ROLES = ("reader", "labeller", "editor")


class WebUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password_hash: str | None = Field(default=None, description="pbkdf2_sha256$... hash")
    password_hash_env: str | None = Field(
        default=None, description="Environment variable holding the hash instead")
    role: Literal["reader", "labeller", "editor"] = Field(
        default="reader",
        description="reader: read-only search; labeller: search, and label audits (/-/audit);"
                    " editor: search, and record actions (/-/actions)")

    @model_validator(mode="after")
    def _one_source(self) -> WebUser:
        if (self.password_hash is None) == (self.password_hash_env is None):
            raise ValueError("give exactly one of password_hash or password_hash_env")
        if self.password_hash is not None and self.password_hash.count("$") != 3:
            raise ValueError("password_hash must be a pbkdf2_sha256$iterations$salt$hash "
                             "value (make one with: listener web-hash-password)")
        return self

    def resolved_hash(self) -> str | None:
        if self.password_hash is not None:
            return self.password_hash
        return os.environ.get(self.password_hash_env or "") or None


class WebSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8001, ge=1, le=65535)
    users: dict[str, WebUser] = Field(default_factory=dict)
    secret_env: str = Field(
        default="CIVIC_LISTENER_WEB_SECRET",
        description="Environment variable with the secret that signs the login form's "
                    "CSRF token (a random one per start when unset)")
    session_hours: float = Field(
        default=8.0, gt=0, le=24 * 7,
        description="A login ends this long after it started, however active")
    session_idle_minutes: float = Field(
        default=30.0, gt=0, le=24 * 60,
        description="A login ends after this long without a request")
    secure_cookies: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="Mark the login cookie Secure: auto when the request came over HTTPS "
                    "(behind a TLS proxy that sends X-Forwarded-Proto)")
    login_free_attempts: int = Field(
        default=5, ge=1, le=100,
        description="Failed log-ins per user name and per address before backing off")
    login_backoff_max_minutes: float = Field(
        default=15.0, gt=0, le=24 * 60,
        description="Longest wait after repeated failures (30 s, doubling per failure)")
    time_limit_ms: int = Field(default=2_000, ge=50, le=60_000)
    max_rows: int = Field(default=500, ge=1, le=10_000, description="Rows shown and exported")
    page_size: int = Field(default=50, ge=1, le=1_000)
    trend_weeks: int = Field(default=12, ge=1, le=104)
    facet_limit: int = Field(
        default=50_000, ge=0,
        description="Counts beside each filter are worked out only up to this many matches")
