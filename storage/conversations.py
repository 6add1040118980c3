"""The conversation model: each post's thread, the post it replies to, and
its voice (``own`` / ``to_us`` / ``about_us``), kept in ``conversations``
inside the transaction that stores the page (``Collection.save_page``).

Replies and parents arrive in any order. A reply stored before its parent
keeps the parent's native id (``parent_native``) and a provisional thread
(the parent's native id); when the parent is stored, every reply waiting for
it is adopted: ``parent_id`` is set, a reply to the body's own post becomes
``to_us``, and every post whose provisional thread was that parent moves to
the parent's thread. A parent that never comes (deleted before it could be
collected) leaves its replies with ``parent_id`` NULL; a stored parent that
is later removed (forget, retention, deletion sync) sets it back to NULL
(``ON DELETE SET NULL``) and leaves the reply's voice as it was; erasure
also clears the replies' ``parent_native`` and renames a thread named by
the erased post's id to an opaque key (``storage.erasure``: a Mastodon or
Bluesky id names its author).

- ``own``: the post's author is an allow-listed official account (storage
  keeps a clear handle for those only);
- ``to_us``: a direct reply to an ``own`` post, or ``addressed`` (it
  mentions the body, or the platform delivered it as a mention or reply);
- ``about_us``: everything else collected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from storage.backend import Sql
from storage.db import in_chunks

_COLUMNS = ("post_id", "platform", "thread_native", "thread", "parent_native", "parent_id",
            "voice", "addressed", "created_at")
_INSERT = f"INSERT INTO conversations ({', '.join(_COLUMNS)})"
# An addressed flag once set stays (a mention seen again through a search
# that does not say so), and the voice follows it.
_ON_CONFLICT = (
    " ON CONFLICT (post_id) DO UPDATE SET thread_native = COALESCE(excluded.thread_native,"
    " conversations.thread_native), thread = CASE WHEN excluded.thread_native IS NULL AND"
    " conversations.thread_native IS NOT NULL THEN conversations.thread ELSE excluded.thread"
    " END, parent_native = excluded.parent_native,"
    " parent_id = excluded.parent_id, voice = CASE WHEN excluded.voice = 'about_us' AND"
    " (conversations.addressed = 1 OR excluded.addressed = 1) THEN 'to_us' ELSE excluded.voice"
    " END, addressed = CASE WHEN excluded.addressed > conversations.addressed"
    " THEN excluded.addressed ELSE conversations.addressed END,"
    " created_at = excluded.created_at"
)
# a stored post adopts the replies that arrived before it
_ADOPT = (
    "UPDATE conversations SET parent_id = :post_id, voice = CASE WHEN :own = 1 AND voice ="
    " 'about_us' THEN 'to_us' ELSE voice END WHERE platform = :platform"
    " AND parent_native = :native_id AND parent_id IS DISTINCT FROM :post_id"
)
# ... and moves posts whose provisional thread was its native id into its thread
_RETHREAD = (
    "UPDATE conversations SET thread = :thread WHERE platform = :platform"
    " AND thread = :native_id AND thread_native IS NULL AND post_id != :post_id"
    " AND :thread != :native_id"
)
# Which of a page's posts have rows for _ADOPT / _RETHREAD to change: one
# read per platform instead of an UPDATE per post (most have none).
_WAITING = (
    "SELECT parent_native, parent_id FROM conversations WHERE platform = ?"
    " AND parent_native IN ({marks})"
)
_PROVISIONAL = (
    "SELECT thread, post_id FROM conversations WHERE platform = ? AND thread IN ({marks})"
    " AND thread_native IS NULL"
)


class Linked(NamedTuple):
    """One stored post as the conversation model needs it (a tuple: a page
    makes one per post, and a frozen dataclass sets each field by a call)."""

    post_id: int
    platform: str
    native_id: str
    created_at: str
    own: bool
    addressed: bool
    thread_native: str | None
    parent_native: str | None


@dataclass
class _Node:
    post_id: int
    thread: str
    own: bool
    voice: str


class Conversations:
    """Writes of the conversation model (reads: ``storage.engagement``)."""

    def __init__(self, db: Sql) -> None:
        self.db = db

    def _stored(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], _Node]:
        by_platform: dict[str, list[str]] = {}
        for platform, native in keys:
            by_platform.setdefault(platform, []).append(native)
        found: dict[tuple[str, str], _Node] = {}
        for platform, natives in by_platform.items():
            for marks, chunk in in_chunks(natives):
                for native, pid, thread, voice in self.db.execute(
                        "SELECT p.native_id, p.id, c.thread, c.voice FROM posts p"  # noqa: S608
                        " JOIN conversations c ON c.post_id = p.id WHERE p.platform = ?"
                        f" AND p.native_id IN ({marks})", [platform, *chunk]).fetchall():
                    found[(platform, str(native))] = _Node(int(pid), str(thread),
                                                           voice == "own", str(voice))
        return found

    def link(self, posts: Sequence[Linked]) -> None:
        """Record (or refresh) the conversation rows of ``posts`` and adopt
        the replies that were waiting for them. Runs inside the caller's
        transaction; idempotent."""
        if not posts:
            return
        page = {(p.platform, p.native_id): p for p in posts}
        parents = {(p.platform, p.parent_native) for p in posts if p.parent_native}
        known = self._stored(parents - set(page))
        nodes: dict[tuple[str, str], _Node] = {}

        def resolve(key: tuple[str, str], depth: int = 0) -> _Node | None:
            if key in nodes:
                return nodes[key]
            post = page.get(key)
            if post is None:
                return known.get(key)
            parent = None
            if post.parent_native and depth < 200:  # a cycle in forged data ends here
                parent = resolve((post.platform, post.parent_native), depth + 1)
            thread = (post.thread_native or (parent.thread if parent else None)
                      or post.parent_native or post.native_id)
            voice = "own" if post.own else "to_us" if post.addressed or (
                parent is not None and parent.own) else "about_us"
            nodes[key] = _Node(post.post_id, thread, post.own, voice)
            return nodes[key]

        rows: list[tuple[Any, ...]] = []
        for key, post in page.items():
            node = resolve(key)
            assert node is not None
            parent = (resolve((post.platform, post.parent_native))
                      if post.parent_native else None)
            rows.append((post.post_id, post.platform, post.thread_native, node.thread,
                         post.parent_native, parent.post_id if parent else None, node.voice,
                         int(post.addressed), post.created_at))
        conn = self.db
        conn.insert_values(_INSERT, rows, _ON_CONFLICT)
        linked = [(row[1], key[1], row[0]) for key, row in zip(page, rows, strict=True)]
        waiting = self._having(_WAITING, linked)
        conn.executemany(_ADOPT, [
            {"post_id": post_id, "platform": platform, "native_id": native,
             "own": int(nodes[(platform, native)].own)}
            for platform, native, post_id in linked if (platform, native) in waiting])
        rethread = [(platform, native, post_id) for (platform, native, post_id), row
                    in zip(linked, rows, strict=True) if row[3] != native]
        provisional = self._having(_PROVISIONAL, rethread)
        conn.executemany(_RETHREAD, [
            {"post_id": post_id, "platform": platform, "native_id": native,
             "thread": nodes[(platform, native)].thread}
            for platform, native, post_id in rethread if (platform, native) in provisional])

    def _having(self, select: str, posts: Sequence[tuple[str, str, int]]
                ) -> set[tuple[str, str]]:
        """(platform, native id) of the ``posts`` (platform, native id, post
        id) that ``select`` finds a row for (by native id) other than their own id."""
        by_platform: dict[str, dict[str, int]] = {}
        for platform, native, post_id in posts:
            by_platform.setdefault(platform, {})[native] = post_id
        found: set[tuple[str, str]] = set()
        for platform, ids in by_platform.items():
            for marks, chunk in in_chunks(list(ids)):
                for native, other in self.db.execute(select.format(marks=marks),
                                                     [platform, *chunk]):
                    if other != ids[native]:
                        found.add((platform, str(native)))
        return found
