"""Sample pages cut to one size, or to each platform's own API page size."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from listener.sample import generate_pages
from listener.sample.pages import REAL_PAGE_SIZES


def sizes(page_size: int | dict[str, int]) -> dict[str, int]:
    largest: dict[str, int] = defaultdict(int)
    for page in generate_pages(6000, seed=1, weeks=1, end=date(2026, 11, 22),
                               page_size=page_size):
        largest[page.platform] = max(largest[page.platform], len(page.items))
    return dict(largest)


def test_pages_follow_each_platforms_page_size() -> None:
    assert sizes(dict(REAL_PAGE_SIZES)) == {"x": 100, "reddit": 100, "bluesky": 100,
                                            "mastodon": 40, "rss": 50}
    assert set(sizes(30).values()) == {30}
