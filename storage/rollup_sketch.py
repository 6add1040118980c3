"""The two bounded structures the rollups keep per day, and the rules that
keep them true when posts are added and removed one at a time.

``AuthorSample``: the authors of a group (say, the posts about one topic on
one day) with the *smallest hashes*, at most ``SAMPLE_SIZE``, each with its
exact number of posts in the group; ``truncated`` when the group has authors
not listed. Every unlisted author hashes above every listed one, so a
removal leaves the smallest of those left, and an added author below the
largest listed one is new to the group. Hence the union of samples holds
only real, distinct authors (a lower bound), and it is exact when no
sample is truncated. A truncated sample never lists fewer than
``SAMPLE_FLOOR`` (the reports' threshold of 10): when removals would make
it, its day is rebuilt from the posts (``valid``).

``ExampleList``: the first posts of a day in the report's example order,
``(-order key, spread, post id)`` ascending, at most ``EXAMPLES``; it is
always a prefix of that day's full order, so lists of several days merge
into the week's order up to the end of the shortest truncated one.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

SAMPLE_SIZE = 16
SAMPLE_FLOOR = 10
EXAMPLES = 12
EXAMPLES_FLOOR = 6

Entry = tuple[int, int, int]  # (-order key, spread, post id)


@dataclass
class AuthorSample:
    members: dict[int, int] = field(default_factory=dict)  # author hash -> posts
    truncated: bool = False

    @classmethod
    def fresh(cls, posts_by_author: Mapping[int, int]) -> AuthorSample:
        kept = sorted(posts_by_author)[:SAMPLE_SIZE]
        return cls({a: posts_by_author[a] for a in kept}, len(posts_by_author) > SAMPLE_SIZE)

    @classmethod
    def decode(cls, truncated: int, members: str) -> AuthorSample:
        return cls({int(a): int(n) for a, n in json.loads(members)}, bool(truncated))

    def encode(self) -> str:
        return json.dumps(sorted(self.members.items()), separators=(",", ":"))

    def change(self, author: int, posts: int) -> None:
        """Add (``posts`` > 0) or remove (< 0) an author's posts in the group."""
        if posts < 0:
            if author in self.members:
                left = self.members[author] + posts
                if left > 0:
                    self.members[author] = left
                else:
                    del self.members[author]
            return
        if author in self.members:
            self.members[author] += posts
        elif not self.truncated or (self.members and author < max(self.members)):
            self.members[author] = posts
            if len(self.members) > SAMPLE_SIZE:
                del self.members[max(self.members)]
                self.truncated = True

    @property
    def valid(self) -> bool:
        return not self.truncated or len(self.members) >= SAMPLE_FLOOR

    @property
    def empty(self) -> bool:
        return not self.members and not self.truncated


def at_least(samples: Iterable[AuthorSample], n: int, extra: Iterable[int] = ()) -> bool | None:
    """Whether the groups of ``samples`` (plus the authors ``extra``) hold at
    least ``n`` distinct authors; None when the samples cannot tell (a
    truncated one lists fewer than ``n``)."""
    union = set(extra)
    short = False
    for sample in samples:
        union.update(sample.members)
        short = short or (sample.truncated and len(sample.members) < n)
    if len(union) >= n:
        return True
    return None if short else False


@dataclass
class ExampleList:
    entries: list[Entry] = field(default_factory=list)
    truncated: bool = False

    @classmethod
    def fresh(cls, entries: Iterable[Entry]) -> ExampleList:
        ordered = sorted(entries)
        return cls(ordered[:EXAMPLES], len(ordered) > EXAMPLES)

    @classmethod
    def decode(cls, truncated: int, entries: str) -> ExampleList:
        return cls([(int(k), int(h), int(i)) for k, h, i in json.loads(entries)], bool(truncated))

    def encode(self) -> str:
        return json.dumps(self.entries, separators=(",", ":"))

    def remove(self, post_id: int) -> None:
        self.entries = [e for e in self.entries if e[2] != post_id]

    def add(self, entry: Entry) -> None:
        if self.truncated and not (self.entries and entry < self.entries[-1]):
            return  # beyond the listed prefix
        bisect.insort(self.entries, entry)
        if len(self.entries) > EXAMPLES:
            self.entries.pop()
            self.truncated = True

    @property
    def valid(self) -> bool:
        return not self.truncated or len(self.entries) >= EXAMPLES_FLOOR

    @property
    def empty(self) -> bool:
        return not self.entries and not self.truncated
