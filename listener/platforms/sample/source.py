"""The ``sample`` source: the embedded default. It replays the seeded sample
(``listener.sample``) page by page, cut into items by the live platforms'
splitters and read by their normalisers. No credentials, no network.

The cursor is the replay position, saved with each page: a second run yields
nothing new, and a run killed after page k resumes at page k + 1. A cursor
written for another seed, scale or page size starts the replay again (posts
already stored are recognised by their keys, so nothing is stored twice).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping

from listener.platforms.sample.config import SampleSourceConfig
from listener.sample import SAMPLE_END, SAMPLE_POSTS, SAMPLE_WEEKS, generate_pages
from listener.sources.base import Page


class SampleSource:
    """Replays the embedded sample: ``Page.platform`` is each page's real platform."""

    platform = "sample"

    def __init__(self, name: str, config: SampleSourceConfig) -> None:
        self.name = name
        self.config = config
        self.n_posts = max(1, round(SAMPLE_POSTS * config.scale))

    @property
    def fingerprint(self) -> str:
        """What the saved position refers to."""
        return f"seed={self.config.seed} posts={self.n_posts} page_size={self.config.page_size}"

    def pages(self, cursor: Mapping[str, str]) -> Iterator[Page]:
        after = -1
        if cursor.get("sample") == self.fingerprint and cursor.get("position", "").isdigit():
            after = int(cursor["position"])
        for n, page in enumerate(generate_pages(
            self.n_posts, self.config.seed, SAMPLE_WEEKS, SAMPLE_END,
            page_size=self.config.page_size, after=after,
        )):
            if n and self.config.page_delay_seconds:
                time.sleep(self.config.page_delay_seconds)
            page.cursor["sample"] = self.fingerprint
            yield page
