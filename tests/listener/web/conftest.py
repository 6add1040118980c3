"""The audit tests' config and database (one labelled week, 2026-W47), and
web users for it: ``policy`` (reader) and ``alice`` (labeller)."""

from __future__ import annotations

from pathlib import Path

from listener.web.auth import hash_password
from tests.listener.audit.conftest import config, db

__all__ = ["config", "db", "with_users"]

PASSWORDS = {"policy": "reader pass", "alice": "labeller pass"}


def with_users(config: Path) -> dict[str, str]:
    """Add the labeller ``alice`` to the config's web users; returns the
    environment holding both users' password hashes."""
    text = config.read_text(encoding="utf-8")
    assert "  users:\n" in text
    config.write_text(text.replace(
        "  users:\n", "  users:\n    alice:\n      password_hash_env: TEST_LABELLER_HASH\n"
        "      role: labeller\n", 1), encoding="utf-8")
    return {"CIVIC_LISTENER_WEB_POLICY_HASH": hash_password(PASSWORDS["policy"]),
            "TEST_LABELLER_HASH": hash_password(PASSWORDS["alice"])}
