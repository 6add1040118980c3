"""What posts add to (or take from) the rollups: every table's rows as
signed changes, so a label change is the post's new contribution minus its
old one, and a rebuilt day is its posts' contributions from nothing.

Groups whose authors are sampled (``AUTHOR_GROUPS``) are the cells the
reports check for "at least 10 authors": a whole day, a platform, a
sentiment, a topic, a topic's sentiment, a topic's matched term, a place
and a place's sentiment (sentiment only for the three labels).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from storage.records import SENTIMENTS
from storage.rollup_facts import PUBLIC, LocalDays, PostFacts, terms_of
from storage.rollup_sketch import Entry

SEP = "\x1f"  # joins a composite group or list key (topic SEP term, ...)
AUTHOR_GROUPS = ("all", "platform", "sentiment", "topic", "topic_sentiment", "term", "place",
                 "place_sentiment")
EXAMPLE_KINDS = ("topic", "term", "engaged")

PostKey = tuple[str, str, str, str, str]  # day, voice, platform, sentiment, topic state
GroupKey = tuple[str, str, str, str]  # dim, key, day, voice
ListKey = tuple[str, str, str]  # kind, key, day


def engagement(values: tuple[int | None, ...]) -> int:
    return sum(v or 0 for v in values)


@dataclass
class Delta:
    days: LocalDays
    posts: dict[PostKey, list[int]] = field(default_factory=dict)  # posts, then (n, sum) x4
    topics: Counter[tuple[str, str, str, str, str]] = field(default_factory=Counter)
    terms: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    places: Counter[tuple[str, str, str, str, str]] = field(default_factory=Counter)
    sources: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    classifiers: Counter[tuple[str, str, str, str, str]] = field(default_factory=Counter)
    week_authors: Counter[tuple[str, int, str]] = field(default_factory=Counter)
    samples: defaultdict[GroupKey, Counter[int]] = field(
        default_factory=lambda: defaultdict(Counter))
    added: defaultdict[ListKey, dict[int, Entry]] = field(
        default_factory=lambda: defaultdict(dict))
    removed: defaultdict[ListKey, dict[int, Entry]] = field(
        default_factory=lambda: defaultdict(dict))

    def add_all(self, posts: Iterable[PostFacts], sign: int) -> Delta:
        for post in posts:
            self.add(post, sign)
        return self

    def change(self, before: PostFacts, after: PostFacts) -> None:
        """One post's ``after`` facts in place of its ``before`` ones. When
        only the classifiers that looked at it differ (a task whose labels
        changed nothing else the rollups count), only their rows change."""
        if (before.sentiment, before.topic_state, before.topics, sorted(before.places)) != (
                after.sentiment, after.topic_state, after.topics, sorted(after.places)):
            self.add(before, -1)
            self.add(after, 1)
            return
        day = self.days.day(before.created_at)
        for task, classifier, version in before.looked:
            self.classifiers[(day, before.voice, task, classifier, version)] -= 1
        for task, classifier, version in after.looked:
            self.classifiers[(day, after.voice, task, classifier, version)] += 1

    def add(self, post: PostFacts, sign: int) -> None:
        day = self.days.day(post.created_at)
        voice, sentiment = post.voice, post.sentiment
        cell = (day, voice, post.platform, sentiment, post.topic_state)
        row = self.posts.get(cell)
        if row is None:
            row = self.posts[cell] = [0] * 9
        row[0] += sign
        for k, value in enumerate(post.engagement):
            if value is not None:
                row[1 + 2 * k] += sign
                row[2 + 2 * k] += sign * value
        labelled = sentiment in SENTIMENTS
        groups = [("all", ""), ("platform", post.platform)]
        if labelled:
            groups.append(("sentiment", sentiment))
        lists: list[tuple[ListKey, Entry]] = []
        for slug, evidence in post.topics.items():
            self.topics[(day, voice, post.platform, slug, sentiment)] += sign
            groups.append(("topic", slug))
            if labelled:
                groups.append(("topic_sentiment", slug + SEP + sentiment))
            entry = (-evidence.count(","), post.spread, post.id)
            lists.append((("topic", slug, day), entry))
            for term in terms_of(evidence):
                self.terms[(day, voice, slug, term)] += sign
                groups.append(("term", slug + SEP + term))
                lists.append((("term", slug + SEP + term, day), entry))
        for place in post.places or [""]:
            for slug in ("", *post.topics):
                self.places[(day, voice, place, slug, sentiment)] += sign
            if place:
                groups.append(("place", place))
                if labelled:
                    groups.append(("place_sentiment", place + SEP + sentiment))
        for source in post.sources:
            self.sources[(day, voice, source)] += sign
        for task, classifier, version in post.looked:
            self.classifiers[(day, voice, task, classifier, version)] += sign
        self.week_authors[(self.days.week(day), post.author, voice)] += sign
        for dim, name in groups:
            self.samples[(dim, name, day, voice)][post.author] += sign
        engaged = engagement(post.engagement)
        if engaged > 0:
            lists.append((("engaged", "", day), (-engaged, post.spread, post.id)))
        if voice != PUBLIC:
            return  # example lists serve the residents' report only
        target = self.added if sign > 0 else self.removed
        for list_key, entry in lists:
            target[list_key][entry[2]] = entry

    def net_lists(self) -> dict[ListKey, tuple[list[int], list[Entry]]]:
        """Per example list: the post ids to remove, then the entries to add
        (a post whose entry did not change is left alone)."""
        out: dict[ListKey, tuple[list[int], list[Entry]]] = {}
        for key in set(self.added) | set(self.removed):
            gone, new = self.removed.get(key, {}), self.added.get(key, {})
            drop = [pid for pid, entry in gone.items() if new.get(pid) != entry]
            add = [entry for pid, entry in new.items() if gone.get(pid) != entry]
            if drop or add:
                out[key] = (drop, add)
        return out
