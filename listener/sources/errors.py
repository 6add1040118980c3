"""Errors every source raises in the same words."""

from __future__ import annotations

import os


class SourceError(RuntimeError):
    """A collection failure worth a clear, secret-free message."""


class CredentialError(SourceError):
    """A credential is missing or was rejected; names the variable, never the value."""


def require_env(var: str, role: str, source: str) -> str:
    value = os.environ.get(var)
    if not value:
        raise CredentialError(
            f"source {source!r}: the {role} environment variable {var} is not set"
        )
    return value


def rejected(var: str, role: str, source: str, status: int | None = None) -> CredentialError:
    code = f" (HTTP {status})" if status else ""
    return CredentialError(
        f"source {source!r}: the platform rejected the {role} from {var}{code}; "
        "check the value and its permissions"
    )
