"""What the own-channel tests share: the body's official accounts, the
pseudonymiser that knows them, and the stored conversation read back."""

from __future__ import annotations

from typing import Any

from listener.privacy.pseudonym import Pseudonymiser
from storage import Store

OFFICIAL = frozenset({("x", "examplecouncil"), ("mastodon", "examplecouncil@mastodon.social"),
                      ("bluesky", "examplecouncil.bsky.social"), ("reddit", "examplecouncil"),
                      ("rss", "example council")})
PSEUDO = Pseudonymiser(b"k" * 32, OFFICIAL)


def conversation(store: Store) -> dict[str, dict[str, Any]]:
    """native id -> thread, parent (native id, when stored), voice, handle kept."""
    out = {}
    for native, thread, parent, parent_native, voice, handle in store.db.execute(
            "SELECT p.native_id, c.thread, q.native_id, c.parent_native, c.voice,"
            " p.author_handle FROM posts p JOIN conversations c ON c.post_id = p.id"
            " LEFT JOIN posts q ON q.id = c.parent_id"):
        out[str(native)] = {"thread": thread, "parent": parent, "parent_native": parent_native,
                            "voice": voice, "handle": handle}
    return out
