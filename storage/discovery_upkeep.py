# ruff: noqa: S608 - SQL here is joined from constant fragments; every value is a ? parameter
"""Keeping stored discovery true to the posts: a theme's or bursting term's
size, distinct authors and sentiment counts are counted from its members,
again whenever posts are deleted (retention, erasure, platform deletion
sync: all go through ``storage.deletion``), and a theme or term left under
the publication floor is deleted with its members. Week term counts that
included a deleted post are dropped, to be counted again when needed.

``check`` compares every stored count with a fresh count from the members,
as ``listener rollups check`` does for the rollups; ``repair`` recounts.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.backend import Sql
from storage.db import in_chunks

FLOOR = 10  # the report's floor: 10 posts from 10 distinct authors (reports.stats.MIN_COUNT)




def _theme_counts(t: str) -> str:
    """Size, distinct authors, negative and sentiment-labelled members of theme ``t``."""
    return (f"(SELECT count(*) FROM theme_posts m WHERE m.theme_id = {t}.id),"
            " (SELECT count(DISTINCT p.author_key) FROM theme_posts m JOIN posts p"
            f" ON p.id = m.post_id WHERE m.theme_id = {t}.id),"
            " (SELECT count(*) FROM theme_posts m JOIN labels l ON l.post_id = m.post_id"
            f" AND l.task = 'sentiment' AND l.label = 'negative' WHERE m.theme_id = {t}.id),"
            " (SELECT count(DISTINCT l.post_id) FROM theme_posts m JOIN labels l"
            f" ON l.post_id = m.post_id AND l.task = 'sentiment' WHERE m.theme_id = {t}.id)")


def _burst_counts(b: str) -> str:
    """Posts and distinct authors of bursting term ``b``."""
    return (f"(SELECT count(*) FROM burst_posts m WHERE m.burst_id = {b}.id),"
            " (SELECT count(DISTINCT p.author_key) FROM burst_posts m JOIN posts p"
            f" ON p.id = m.post_id WHERE m.burst_id = {b}.id)")


_THEMES, _BURSTS = _theme_counts("themes"), _burst_counts("bursts")


class DiscoveryUpkeep:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def recount(self, theme_ids: Sequence[int], burst_ids: Sequence[int]) -> dict[str, int]:
        """Count these themes and terms again from their members; delete
        those under the floor. The caller holds the transaction. Returns
        how many of each were deleted."""
        dropped = {"themes": 0, "bursts": 0}
        for marks, chunk in in_chunks(sorted(set(theme_ids))):
            self.db.execute(  # marks are placeholders only; the ids are bound
                f"UPDATE themes SET (size, authors, negative, classified) = ({_THEMES})"
                f" WHERE id IN ({marks})", chunk)
            dropped["themes"] += self.db.execute(
                f"DELETE FROM themes WHERE id IN ({marks}) AND (size < ? OR authors < ?)",
                [*chunk, FLOOR, FLOOR]).rowcount
        for marks, chunk in in_chunks(sorted(set(burst_ids))):
            self.db.execute(
                f"UPDATE bursts SET (posts, authors) = ({_BURSTS}) WHERE id IN ({marks})", chunk)
            dropped["bursts"] += self.db.execute(
                f"DELETE FROM bursts WHERE id IN ({marks}) AND (posts < ? OR authors < ?)",
                [*chunk, FLOOR, FLOOR]).rowcount
        return dropped

    def touched_by_staged(self) -> tuple[list[int], list[int]]:
        """Before the posts staged in ``_doomed`` are deleted: the themes and
        terms they are members of. The week term counts of the span they
        were written in are dropped here (counted again when next needed)."""
        themes = [int(r[0]) for r in self.db.execute(
            "SELECT DISTINCT theme_id FROM theme_posts WHERE post_id IN (SELECT id FROM _doomed)")]
        bursts = [int(r[0]) for r in self.db.execute(
            "SELECT DISTINCT burst_id FROM burst_posts WHERE post_id IN (SELECT id FROM _doomed)")]
        self.db.execute(
            "DELETE FROM term_weeks WHERE period_end > (SELECT min(created_at) FROM posts"
            " WHERE id IN (SELECT id FROM _doomed)) AND period_start <= (SELECT max(created_at)"
            " FROM posts WHERE id IN (SELECT id FROM _doomed))")
        return themes, bursts

    def check(self) -> list[str]:
        """Every stored count that differs from a fresh count of its members,
        and every theme or term under the floor, in words."""
        problems = []
        for tid, period, label, *pairs in self.db.execute(
                "SELECT t.id, r.period, t.label, t.size, t.authors, t.negative, t.classified,"
                f" {_theme_counts('t')} FROM themes t JOIN discovery_runs r ON r.id = t.run_id"
                " ORDER BY t.id"):
            problems += _differences(f"theme {tid} ({period}, {label})",
                                     ("posts", "authors", "negative", "with sentiment"), pairs)
        for bid, period, term, *pairs in self.db.execute(
                "SELECT b.id, r.period, b.term, b.posts, b.authors,"
                f" {_burst_counts('b')} FROM bursts b JOIN discovery_runs r ON r.id = b.run_id"
                " ORDER BY b.id"):
            problems += _differences(f"bursting term {bid} ({period}, {term})",
                                     ("posts", "authors"), pairs)
        return problems

    def repair(self) -> dict[str, int]:
        """Recount every stored theme and term (deleting those under the floor)."""
        with self.db.transaction():
            themes = [int(r[0]) for r in self.db.execute("SELECT id FROM themes")]
            bursts = [int(r[0]) for r in self.db.execute("SELECT id FROM bursts")]
            dropped = self.recount(themes, bursts)
        return {"themes_recounted": len(themes), "bursts_recounted": len(bursts),
                "themes_deleted": dropped["themes"], "bursts_deleted": dropped["bursts"]}


def _differences(what: str, names: Sequence[str], values: Sequence[int]) -> list[str]:
    stored, fresh = values[:len(names)], values[len(names):]
    out = [f"{what}: {name} stored {s}, counted {f}"
           for name, s, f in zip(names, stored, fresh, strict=True) if s != f]
    if fresh[0] < FLOOR or fresh[1] < FLOOR:
        out.append(f"{what}: under the floor of {FLOOR} posts from {FLOOR} authors")
    return out
