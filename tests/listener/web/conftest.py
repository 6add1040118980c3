"""The audit tests' config and database (one labelled week, 2026-W47)."""

from tests.listener.audit.conftest import config, db

__all__ = ["config", "db"]
