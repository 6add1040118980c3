"""Keyed pseudonyms for authors (HMAC-SHA256).

The key comes from an environment variable, or from a key file that is
generated once with 0600 permissions, outside the database. It never enters
the database, logs or reports. The same handle on the same platform always
gives the same pseudonym under the same key, so counts of unique authors and
erasure requests work without storing who anyone is.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import stat
from functools import cached_property
from pathlib import Path

from listener.privacy.settings import PrivacySettings
from storage.records import Post

log = logging.getLogger(__name__)


class PseudonymKeyError(RuntimeError):
    """The pseudonymisation key cannot be read or is unsafe."""


def load_key(settings: PrivacySettings, base_dir: Path) -> bytes:
    """The key from ``settings.key_env`` if set, else the key file (created
    on first use with 0600 permissions)."""
    from_env = os.environ.get(settings.key_env)
    if from_env:
        if len(from_env) < 16:
            raise PseudonymKeyError(
                f"the pseudonymisation key in {settings.key_env} is shorter than 16 characters"
            )
        return from_env.encode()
    path = Path(settings.key_file)
    if not path.is_absolute():
        path = base_dir / path
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise PseudonymKeyError(
                f"key file {path} is readable by others (mode {mode:o}); run: chmod 600 {path}"
            )
        key = path.read_bytes().strip()
        if len(key) < 32:
            raise PseudonymKeyError(f"key file {path} holds fewer than 32 bytes")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32).encode()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key + b"\n")
    log.warning("generated a new pseudonymisation key file at %s (keep it out of backups "
                "of the database, and keep it safe: losing it breaks author linkage)", path)
    return key


# Pseudonyms remembered per (platform, handle) as given, so that an author
# seen again (most are, within a run) costs a look-up instead of an HMAC;
# forgotten all at once when full (the process's memory only, never written).
_REMEMBERED = 65_536


class Pseudonymiser:
    def __init__(self, key: bytes, official: frozenset[tuple[str, str]] = frozenset()) -> None:
        self._key = key
        self._official = official
        self._seen: dict[tuple[str, str], str] = {}

    def __repr__(self) -> str:  # never show the key
        return f"Pseudonymiser(official={len(self._official)} accounts)"

    def pseudonym(self, platform: str, handle: str) -> str:
        found = self._seen.get((platform, handle))
        if found is not None:
            return found
        normal = handle.strip().lstrip("@").lower()
        digest = hmac.new(self._key, f"{platform}:{normal}".encode(), hashlib.sha256)
        key = digest.hexdigest()[:32]
        if len(self._seen) >= _REMEMBERED:
            self._seen.clear()
        self._seen[(platform, handle)] = key
        return key

    def is_official(self, platform: str, handle: str) -> bool:
        return (platform, handle.strip().lstrip("@").lower()) in self._official

    @cached_property
    def _mention_patterns(self) -> dict[str, re.Pattern[str]]:
        """Per platform, the official accounts as a post's text mentions them:
        ``@handle``; on Mastodon also ``@user`` alone (a status's text shows
        the local part); on Reddit ``u/name``."""
        forms: dict[str, set[str]] = {}
        for platform, handle in self._official:
            found = forms.setdefault(platform, set())
            found.add("@" + re.escape(handle))
            if platform == "mastodon" and "@" in handle:
                found.add("@" + re.escape(handle.split("@", 1)[0]))
            if platform == "reddit":
                found.add("/?u/" + re.escape(handle))
        return {platform: re.compile(r"(?<![\w@/.])(?:" + "|".join(sorted(f, key=len,
                                     reverse=True)) + r")(?![\w@.-]*\w)", re.IGNORECASE)
                for platform, f in forms.items()}

    def addresses_body(self, post: Post) -> bool:
        """Whether the post mentions one of the body's allow-listed accounts
        on its platform (the normaliser's mention list, or its text)."""
        if any(self.is_official(post.platform, m) for m in post.mentions):
            return True
        pattern = self._mention_patterns.get(post.platform)
        return pattern is not None and pattern.search(post.text) is not None

    def apply(self, post: Post) -> Post:
        """The post with its author replaced by a pseudonym; the clear handle
        is kept only for allow-listed official accounts. The handles it
        mentions are reduced to whether it addresses the body."""
        addressed = post.addressed or self.addresses_body(post)
        if post.author_handle is None:
            return post.but(author_key=None, author_official=False, mentions=(),
                            addressed=addressed)
        official = self.is_official(post.platform, post.author_handle)
        return post.but(
            author_key=self.pseudonym(post.platform, post.author_handle),
            author_handle=post.author_handle if official else None,
            author_official=official,
            mentions=(),
            addressed=addressed and not official,
        )
