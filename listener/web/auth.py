"""Password hashes for ``web.users`` (the PBKDF2 format datasette-auth-passwords reads)."""

from __future__ import annotations

from datasette_auth_passwords.utils import hash_password as _hash
from datasette_auth_passwords.utils import verify_password as _verify


def hash_password(password: str) -> str:
    """``pbkdf2_sha256$480000$salt$hash`` for ``password``."""
    return str(_hash(password))


def verify_password(password: str, password_hash: str) -> bool:
    return bool(_verify(password, password_hash))
