"""Erasure and objection: ``listener forget``.

``--platform P --author HANDLE`` pseudonymises the handle with the same key
as collection, removes every post of that pseudonym (with matches, labels,
raw payloads, full-text entries), their retweets and the raw payloads of
others' quotes of and replies to them (X), the quarantined items that name
the handle, and their quotes in written reports (those weeks are written
again); then blocks the pseudonym so that future collection drops their
posts. ``--url URL`` removes one post and blocks it from being collected
again. The log and the report carry counts and at most the first 8
characters of the pseudonym: never the handle.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from listener.config import Settings
from listener.platforms.registry import post_platforms
from listener.privacy.lookups import (
    Viewer,
    cli_viewer,
    log_author_lookup,
    log_post_lookup,
    posts_at_url,
)
from listener.privacy.pseudonym import Pseudonymiser, load_key
from listener.privacy.report_files import finish_rewrites, weeks_quoting
from storage import Store

log = logging.getLogger(__name__)


class ForgetError(ValueError):
    """The request cannot be carried out as given."""


@dataclass(frozen=True)
class ForgetReport:
    what: str
    counts: dict[str, int]

    def lines(self) -> list[str]:
        waiting = self.counts.get("fts_pending", 0)
        return [f"forget {self.what}: removed"] + [
            f"  {table}: {n}" for table, n in self.counts.items()
            if table not in ("compacted", "fts_pending")
        ] + ([] if self.counts.get("compacted", 1) else [
            "  note: a reader kept the WAL checkpoint from completing; the deleted "
            "pages leave the WAL at the next checkpoint"]) + ([] if not waiting else [
            f"  note: no search finds these posts any more; the words of {waiting} of them "
            "leave the full-text index's storage at the next retention purge (the daily "
            "housekeeping, or `listener purge` now)"])


def _normal(handle: str) -> str:
    return handle.strip().lstrip("@").lower()


def names_handle(platform: str, payload: str, handle: str) -> bool:
    """Whether a quarantined payload carries ``handle`` as a value (an author
    field, a username) rather than merely somewhere in a text."""
    wanted = _normal(handle)
    local, _, host = wanted.partition("@") if platform == "mastodon" else (wanted, "", "")
    try:
        data: Any = json.loads(payload)
    except ValueError:
        quoted = re.compile(r'"@?' + re.escape(wanted) + '"', re.IGNORECASE)
        return bool(quoted.search(payload))
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            acct, url = node.get("acct"), node.get("url")
            if (host and isinstance(acct, str) and _normal(acct) == local
                    and isinstance(url, str) and urlsplit(url).hostname == host):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and _normal(node) == wanted:
            return True
    return False


def forget_author(settings: Settings, store: Store, platform: str, handle: str, *,
                  viewer: Viewer | None = None) -> ForgetReport:
    """Erase and block an author; the lookup is logged first (as ``viewer``,
    by default the account running the command), by pseudonym."""
    if platform not in post_platforms():
        raise ForgetError(f"unknown platform {platform!r}; known: {', '.join(post_platforms())}")
    if platform == "reddit":  # u/name and /u/name are how Reddit users write it
        handle = handle.strip().removeprefix("/").removeprefix("u/")
    if not _normal(handle):
        raise ForgetError("the handle is empty")
    key = Pseudonymiser(load_key(settings.privacy, settings.base_dir)).pseudonym(platform, handle)
    log_author_lookup(store, viewer or cli_viewer(), "forget-author", platform, key)
    quarantined = [qid for qid, payload in store.erasure.quarantine_payloads(platform)
                   if names_handle(platform, payload, handle)]
    weeks = functools.partial(weeks_quoting, settings)
    # the posts' weeks are found in the erasure's transaction (one scan of the raw payloads)
    counts = store.erasure.forget_author(platform, key, quarantined, rewrites=weeks)
    previous = os.environ.get(settings.privacy.previous_key_env or "", "")
    if previous:  # during a key rotation: posts stored under the old key, and its block entry
        old = Pseudonymiser(previous.encode()).pseudonym(platform, handle)
        more = store.erasure.forget_author(platform, old, rewrites=weeks)
        compacted = min(counts["compacted"], more["compacted"])
        counts = {k: counts.get(k, 0) + more.get(k, 0) for k in {**counts, **more}}
        counts["compacted"] = compacted
    # the weeks were recorded with the erasure: written now, or by the next run after a crash
    counts["report_weeks_rewritten"] = finish_rewrites(settings, store)
    what = f"author {platform}:{key[:8]}…"
    log.info("forget %s: %s", what, ", ".join(f"{t}={n}" for t, n in counts.items()))
    return ForgetReport(what, counts)


def forget_url(settings: Settings, store: Store, url: str, *,
               viewer: Viewer | None = None) -> ForgetReport:
    """Erase and block the post at ``url``; the lookup is logged first (as
    ``viewer``, by default the account running the command)."""
    if not url.strip():
        raise ForgetError("the URL is empty")
    match = posts_at_url(store, url)
    log_post_lookup(store, viewer or cli_viewer(), "forget-url", match)
    found = match.posts
    if match.ambiguous:
        raise ForgetError(f"{len(found)} stored posts match this URL; give the exact URL "
                          "the post was stored with")
    weeks = weeks_quoting(settings, store.erasure.post_refs(match.ids))
    counts = store.erasure.forget_posts(match.ids, rewrites=weeks)
    counts["report_weeks_rewritten"] = finish_rewrites(settings, store)
    if not found and match.platform is not None and match.native_ids:
        counts["blocked_posts"] = sum(store.blocklist.block_post(match.platform, nid)
                                      for nid in match.native_ids)
    what = f"post by URL ({len(found)} matched)"
    log.info("forget %s: %s", what, ", ".join(f"{t}={n}" for t, n in counts.items()))
    return ForgetReport(what, counts)
