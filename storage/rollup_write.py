# ruff: noqa: S608 - table and column names below are constants; every value is a ? parameter
"""Writing rollup rows: signed changes added to the stored rows (``apply``)
or whole days written afresh (``replace_days``). Callers hold the write
transaction. Upserts are ``INSERT ... ON CONFLICT ... DO UPDATE``, which
SQLite and PostgreSQL both read the same way (``storage.backend``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storage.backend import Sql
from storage.rollup_delta import Delta
from storage.rollup_sketch import AuthorSample, ExampleList


@dataclass(frozen=True)
class CountTable:
    name: str
    keys: tuple[str, ...]
    values: tuple[str, ...]
    attribute: str  # the Delta field holding its changes

    def upsert(self) -> str:
        cols = (*self.keys, *self.values)
        sets = ", ".join(f"{v} = {self.name}.{v} + excluded.{v}" for v in self.values)
        return (f"INSERT INTO {self.name} ({', '.join(cols)}) VALUES"
                f" ({', '.join('?' for _ in cols)}) ON CONFLICT ({', '.join(self.keys)})"
                f" DO UPDATE SET {sets}")

    def delete_empty(self) -> str:
        return (f"DELETE FROM {self.name} WHERE "
                + " AND ".join(f"{k} = ?" for k in self.keys) + f" AND {self.values[0]} = 0")

    def changes(self, delta: Delta) -> list[tuple[tuple[Any, ...], tuple[int, ...]]]:
        found: Mapping[Any, Any] = getattr(delta, self.attribute)
        out = []
        for key, value in found.items():
            values = tuple(value) if isinstance(value, list) else (value,)
            if any(values):
                out.append((tuple(key), values))
        return out


ENGAGEMENT = ("replies_n", "replies", "reposts_n", "reposts", "likes_n", "likes",
              "quotes_n", "quotes")
DAY_TABLES = (
    CountTable("rollup_posts", ("day", "voice", "platform", "sentiment", "topic_state"),
               ("posts", *ENGAGEMENT), "posts"),
    CountTable("rollup_topics", ("day", "voice", "platform", "topic", "sentiment"), ("posts",),
               "topics"),
    CountTable("rollup_terms", ("day", "voice", "topic", "term"), ("posts",), "terms"),
    CountTable("rollup_places", ("day", "voice", "place", "topic", "sentiment"), ("posts",),
               "places"),
    CountTable("rollup_sources", ("day", "voice", "source"), ("posts",), "sources"),
    CountTable("rollup_classifiers", ("day", "voice", "task", "classifier", "version"),
               ("posts",), "classifiers"),
)
WEEK_AUTHORS = CountTable("rollup_week_authors", ("week", "author", "voice"), ("posts",),
                          "week_authors")
SAMPLED_TABLES = ("rollup_author_samples", "rollup_examples")
_SAMPLE_GET = ("SELECT truncated, members FROM rollup_author_samples WHERE dim = ? AND key = ?"
               " AND day = ? AND voice = ?")
_SAMPLE_PUT = ("INSERT INTO rollup_author_samples (dim, key, day, voice, truncated, members)"
               " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dim, key, day, voice) DO UPDATE SET"
               " truncated = excluded.truncated, members = excluded.members")
_SAMPLE_DEL = ("DELETE FROM rollup_author_samples WHERE dim = ? AND key = ? AND day = ?"
               " AND voice = ?")
_LIST_GET = "SELECT truncated, entries FROM rollup_examples WHERE kind = ? AND key = ? AND day = ?"
_SAMPLE_DAY = ("SELECT dim, key, voice, truncated, members FROM rollup_author_samples"
               " WHERE day = ?")
_LIST_DAY = "SELECT kind, key, truncated, entries FROM rollup_examples WHERE day = ?"
_SAMPLE_ALL = "SELECT dim, key, day, voice, truncated, members FROM rollup_author_samples"
_LIST_ALL = "SELECT kind, key, day, truncated, entries FROM rollup_examples"
_WHOLE_DAY = 40  # keys of one day above which the day's rows are read at once
# keys above which a whole table is read in one scan: a read by key costs about
# what twenty rows of a scan do (a day's read looks each row up through the day
# index, so no cheaper). At 10M posts the samples table holds about 55,000 rows
# and an erasure of an author's 5,000 posts over a year wants 14,000 of them
_WHOLE_TABLE = 3000
_LIST_PUT = ("INSERT INTO rollup_examples (kind, key, day, truncated, entries)"
             " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, key, day) DO UPDATE SET"
             " truncated = excluded.truncated, entries = excluded.entries")
_LIST_DEL = "DELETE FROM rollup_examples WHERE kind = ? AND key = ? AND day = ?"


class Settled:
    """Rows of one bounded table to write back: upserts, deletions of the
    emptied ones, and the days left without enough (day: third key part)."""

    def __init__(self, put: str, delete: str) -> None:
        self.put, self.delete = put, delete
        self.puts: list[tuple[Any, ...]] = []
        self.dels: list[tuple[Any, ...]] = []
        self.broken: set[str] = set()

    def add(self, key: tuple[str, ...], item: AuthorSample | ExampleList,
            stored: AuthorSample | ExampleList | None = None) -> None:
        """``item`` to write under ``key``; not written again when it equals
        ``stored``, the row as read (an erased author outside a group's
        sample, a deleted post beyond a day's listed examples: most of an
        erasure's groups)."""
        if item == stored and not item.empty:
            pass
        elif item.empty:
            self.dels.append(key)
        else:
            self.puts.append((*key, int(item.truncated), item.encode()))
        if not item.valid:
            self.broken.add(key[2])

    def write(self, db: Sql) -> set[str]:
        db.executemany(self.delete, self.dels)
        db.executemany(self.put, self.puts)
        return self.broken


def _not_listed(members: str, changes: Mapping[int, int]) -> bool:
    """Whether ``changes`` only remove authors the encoded sample does not
    list (``AuthorSample.encode``: ``[[author,posts],...]``), so it stays as
    stored without being decoded: most groups of an erasure."""
    return all(n < 0 and f"[{a}," not in members for a, n in changes.items())


def _not_listed_posts(entries: str, post_ids: Iterable[int]) -> bool:
    """Whether none of ``post_ids`` is in the encoded example list
    (``ExampleList.encode``: ``[[order,spread,post id],...]``)."""
    return all(f",{p}]" not in entries for p in post_ids)


class RollupWriter:
    def __init__(self, db: Sql) -> None:
        self.db = db

    def add_counts(self, tables: Sequence[CountTable], delta: Delta) -> None:
        conn = self.db
        for table in tables:
            changes = table.changes(delta)
            if not changes:
                continue
            conn.executemany(table.upsert(), [(*k, *v) for k, v in changes])
            conn.executemany(table.delete_empty(), [k for k, v in changes if v[0] < 0])

    def apply(self, delta: Delta) -> set[str]:
        """Add ``delta`` to the stored rows. Returns the days left with a
        sample or list that no longer says enough (to be rebuilt)."""
        self.add_counts((*DAY_TABLES, WEEK_AUTHORS), delta)
        changed = {key: {a: n for a, n in authors.items() if n}
                   for key, authors in delta.samples.items()}
        changed = {key: c for key, c in changed.items() if c}
        stored = self._read(_SAMPLE_GET, _SAMPLE_DAY, _SAMPLE_ALL, list(changed))
        samples = Settled(_SAMPLE_PUT, _SAMPLE_DEL)
        for key, changes in changed.items():
            if key in stored and _not_listed(stored[key][1], changes):
                continue  # an erased author outside the group's sample: the row stays
            sample = AuthorSample.decode(*stored[key]) if key in stored else AuthorSample()
            before = AuthorSample(dict(sample.members), sample.truncated) if key in stored else None
            for author in sorted(changes, key=lambda a: (changes[a] > 0, a)):  # removals first
                sample.change(author, changes[author])
            samples.add(key, sample, before)
        lists = delta.net_lists()
        kept = self._read(_LIST_GET, _LIST_DAY, _LIST_ALL, list(lists))
        examples = Settled(_LIST_PUT, _LIST_DEL)
        for list_key, (drop, add) in lists.items():
            if list_key in kept and not add and _not_listed_posts(kept[list_key][1], drop):
                continue  # deleted posts beyond the day's listed examples: the row stays
            found = ExampleList.decode(*kept[list_key]) if list_key in kept else ExampleList()
            was = ExampleList(list(found.entries), found.truncated) if list_key in kept else None
            for post_id in drop:
                found.remove(post_id)
            for entry in sorted(add):
                found.add(entry)
            examples.add(list_key, found, was)
        return samples.write(self.db) | examples.write(self.db)

    def _read(self, one: str, whole_day: str, whole: str, keys: Sequence[tuple[str, ...]]
              ) -> dict[tuple[str, ...], tuple[int, str]]:
        """Stored (truncated, JSON) of these keys (day third): very many of
        them from one read of the table, else a day with many of them is read
        whole, the others key by key."""
        if len(keys) > _WHOLE_TABLE:
            chosen = set(keys)
            return {key: (int(r[-2]), str(r[-1])) for r in self.db.execute(whole)
                    if (key := tuple(r[:-2])) in chosen}
        by_day: dict[str, list[tuple[str, ...]]] = {}
        for key in keys:
            by_day.setdefault(key[2], []).append(key)
        out: dict[tuple[str, ...], tuple[int, str]] = {}
        for day, wanted in by_day.items():
            if len(wanted) > _WHOLE_DAY:
                found = {(r[0], r[1], day, *r[2:-2]): (int(r[-2]), str(r[-1]))
                         for r in self.db.execute(whole_day, [day])}
                out.update((k, found[k]) for k in wanted if k in found)
            else:
                for key in wanted:
                    row = self.db.execute(one, key).fetchone()
                    if row is not None:
                        out[key] = (int(row[0]), str(row[1]))
        return out

    def drop_days(self, days: Iterable[str]) -> None:
        """Delete every day-keyed rollup row of ``days``."""
        chosen = [(d,) for d in sorted(set(days))]
        conn = self.db
        for name in (*(t.name for t in DAY_TABLES), *SAMPLED_TABLES):
            conn.executemany(f"DELETE FROM {name} WHERE day = ?", chosen)

    def replace_days(self, delta: Delta, days: Iterable[str]) -> None:
        """Write ``days`` afresh from ``delta`` (their posts' contributions,
        all added); week authors are not touched."""
        self.drop_days(days)
        self.add_counts(DAY_TABLES, delta)
        conn = self.db
        conn.executemany(_SAMPLE_PUT, [
            (*key, int(sample.truncated), sample.encode())
            for key, authors in delta.samples.items()
            if (sample := AuthorSample.fresh({a: n for a, n in authors.items() if n})).members])
        conn.executemany(_LIST_PUT, [
            (*key, int(examples.truncated), examples.encode())
            for key, entries in delta.added.items()
            if (examples := ExampleList.fresh(entries.values())).entries])
