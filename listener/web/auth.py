"""Password hashes for ``web.users`` (the PBKDF2 format datasette-auth-passwords
reads), and the check a log-in makes.

The check runs on a small thread pool of its own, never on the server's
event loop: PBKDF2 with 480,000 iterations takes a CPU for about a tenth of
a second, and three guessers on the loop stalled every other request. An
unknown user name is checked against a throw-away hash with the same
iterations, so an answer takes as long whether or not the user exists.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from datasette_auth_passwords.utils import hash_password as _hash
from datasette_auth_passwords.utils import verify_password as _verify

ITERATIONS = 480_000
_POOL: ThreadPoolExecutor | None = None


def hash_password(password: str, iterations: int = ITERATIONS) -> str:
    """``pbkdf2_sha256$480000$salt$hash`` for ``password``."""
    return str(_hash(password, iterations=iterations))


def verify_password(password: str, password_hash: str) -> bool:
    return bool(_verify(password, password_hash))


def iterations_of(password_hash: str) -> int:
    parts = password_hash.split("$")
    return int(parts[1]) if len(parts) == 4 and parts[1].isdigit() else ITERATIONS


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="login-hash")
    return _POOL


class Passwords:
    """The configured users' hashes, checked off the event loop."""

    def __init__(self, hashes: Mapping[str, str], actors: Mapping[str, dict[str, Any]]) -> None:
        self._hashes = dict(hashes)
        self._actors = {name: dict(actor) for name, actor in actors.items()}
        most = max((iterations_of(h) for h in self._hashes.values()), default=ITERATIONS)
        self._decoy = hash_password(secrets.token_hex(16), iterations=most)

    def knows(self, user: str) -> bool:
        return user in self._hashes

    async def check(self, user: str, password: str) -> dict[str, Any] | None:
        """The user's actor when the password is right, else None; always one
        PBKDF2 computation of the same cost, on the login thread pool."""
        stored = self._hashes.get(user)
        loop = asyncio.get_running_loop()
        right = await loop.run_in_executor(_pool(), verify_password, password,
                                           stored if stored is not None else self._decoy)
        return dict(self._actors[user]) if right and stored is not None else None
