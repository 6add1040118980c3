"""Stories, not flags: emerging flags whose posts are largely the same posts
are told as one story, each flag with its overlap with other topics, a
note when its topic changed this week, and quotes no other section repeats.

A flag joins a story when at least half of its posts (or of the story
lead's) are shared with the lead, or when it would not be unusual without
the posts it shares with the lead (a bin strike seen from the school gate
is spillover, not a second event).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from reports.emerging import Flag
from reports.figures import ConfigChange, Emerging, PostView, Story, StoryFlag
from storage.windows import Window

GROUP_SHARE = 0.5  # share of posts in common that makes two flags one story


@dataclass(frozen=True)
class Found:
    """A flag with the ids of its posts this week."""

    flag: Flag
    ids: frozenset[int]


def group(found: Sequence[Found]) -> list[list[Found]]:
    """Flags in stories: the flag with most posts leads; the rest join the
    first story whose lead they share most posts with, or that they spill
    over from."""
    stories: list[list[Found]] = []
    for item in sorted(found, key=lambda f: (-len(f.ids), f.flag.slug, f.flag.term or "")):
        for story in stories:
            lead = story[0]
            shared = len(item.ids & lead.ids)
            smaller = min(len(item.ids), len(lead.ids)) or 1
            if shared / smaller >= GROUP_SHARE or spills_over(item, shared):
                story.append(item)
                break
        else:
            stories.append([item])
    return stories


def spills_over(item: Found, shared: int) -> bool:
    """Not unusual once the posts it shares with the lead are taken away."""
    return shared > 0 and item.flag.test.current - shared <= item.flag.test.threshold


def config_note(slug: str, changes: Sequence[ConfigChange]) -> str:
    """Why a topic's counts are not comparable with its baseline this week."""
    for change in changes:
        if slug in change.topics_added:
            return (f"New topic, added to the configuration on {change.loaded_at}: its "
                    "baseline holds only what a relabel of history gave it.")
        added = [term for s, term in change.added if s == slug]
        if added:
            return (f"Terms added on {change.loaded_at} ({', '.join(added)}): part of the "
                    "rise may be the new terms, not more posts.")
    return ""


def tell(stories: list[list[Found]], win: Window, last: int,
         labels: Mapping[str, str], changes: Sequence[ConfigChange],
         emerging: Mapping[tuple[str, str | None], Callable[[tuple[PostView, ...]], Emerging]],
         quote: Callable[..., list[PostView]], per_flag: int) -> list[Story]:
    """The stories in words: overlaps, notes and quotes. ``quote(topic=,
    term=, also=, limit=)`` samples posts not yet quoted and marks them quoted."""
    out = []
    for story in stories:
        lead_slug = story[0].flag.slug
        told = []
        for k, item in enumerate(story):
            f = item.flag
            overlap = win.topic_overlap(last, f.slug, f.term)
            ordered = tuple(sorted(((labels.get(t, t), n) for t, n in overlap.items()),
                                   key=lambda tn: (-tn[1], tn[0])))
            shared = len(item.ids & story[0].ids) if k else 0
            spill = k > 0 and spills_over(item, shared)
            posts = quote(topic=f.slug, term=f.term,
                          also=lead_slug if spill and f.slug != lead_slug else None,
                          limit=per_flag if k == 0 else 1)
            told.append(StoryFlag(emerging[(f.slug, f.term)](tuple(posts)), ordered[:3],
                                  spill, config_note(f.slug, changes)))
        out.append(Story(told[0], tuple(told[1:])))
    return out
