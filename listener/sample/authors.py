"""Invented authors for the sample: a few hundred residents with a long-tail
(Zipf-like) share of posts, and the council's official accounts."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from listener.sample.draw import cumulative, pick, weighted

MASTODON_INSTANCES = ("mastodon.example.uk", "social.example.org", "toot.example.wales")
OFFICIAL = {
    "x": "ExampleCouncil",
    "bluesky": "examplecouncil.bsky.social",
    "mastodon": "examplecouncil@mastodon.social",
    "rss": "Example Council",
}
_FIRST = ("marsh", "ashby", "kettle", "fen", "quay", "holloway", "thorn", "wex", "brampton",
          "mill", "stan", "dunsford", "vale", "heath", "hazel", "tanner")
_SECOND = ("mum", "dad", "runner", "cyclist", "local", "resident", "gran", "lad", "lass",
           "walker", "baker", "nurse", "teacher", "birder", "gardener", "knitter")
_REPORTERS = ("Priya Shah", "Tom Hale", "Gazette newsdesk", "Aled Price", "Joanna Kowalska")


@dataclass(frozen=True)
class Author:
    key: int
    handle: str  # as the platform shows it (X username, reddit name, acct, bsky handle)
    user_id: str  # the platform's own account id
    official: bool = False


def _handle(platform: str, first: str, second: str, number: int, key: int) -> str:
    suffix = "" if number == 0 else str(number)
    if platform == "x":
        return f"{first}_{second}{suffix}"
    if platform == "reddit":
        return f"{first.title()}{second.title()}{suffix or key}"
    if platform == "mastodon":
        return f"{first}{second}{suffix}@{MASTODON_INSTANCES[key % len(MASTODON_INSTANCES)]}"
    return f"{first}{second}{suffix}.bsky.social"


class AuthorPool:
    """Per-platform authors; ``pick`` draws with weight 1/rank**0.9."""

    def __init__(self, platform: str, size: int, rng: random.Random) -> None:
        names = list(itertools.product(_FIRST, _SECOND))
        rng.shuffle(names)
        self.platform = platform
        if platform == "rss":
            self.authors = [Author(i, name, f"rss-{i}") for i, name in enumerate(_REPORTERS)]
        else:
            self.authors = [
                Author(i, _handle(platform, *names[i % len(names)],
                                  pick((0, 0, 7, 12, 23, 77, 82, 99), rng) + i // len(names), i),
                       str(1_000_000_000 + 7919 * i + len(platform)))
                for i in range(size)
            ]
        weights = [1.0 / (rank + 1) ** 0.9 for rank in range(len(self.authors))]
        self._cum = cumulative(weights)
        self.official = Author(-1, OFFICIAL.get(platform, ""), "100000001", official=True)

    def pick(self, rng: random.Random) -> Author:
        return weighted(self.authors, self._cum, rng)
