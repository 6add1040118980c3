"""Post texts for the sample: templates (``templates.yaml``) with slots, then
the noise real posts have (typos, emoji, hashtags, lower case)."""

from __future__ import annotations

import random
from functools import cache
from importlib import resources
from typing import Any

import yaml

from listener.sample.draw import pick

TONES = ("negative", "neutral", "positive")
# Share of each tone among a topic's ordinary posts, and during the spike.
TONE_WEIGHTS = (0.55, 0.2, 0.25)
SPIKE_TONE_WEIGHTS = (0.85, 0.1, 0.05)

_SLOT_LISTS = {
    "place": "places", "street": "streets", "school": "schools", "surgery": "surgeries",
    "hospital": "hospitals", "park": "parks", "library": "libraries", "route": "routes",
    "day": "days", "time": "times",
}
_ORDINALS = ("second", "third", "fourth", "5th")
_SHORTHAND = {" you ": " u ", " are ": " r ", " because ": " cos ", " tonight": " 2nite"}


@cache
def templates() -> dict[str, Any]:
    """The template data, loaded once with ``yaml.safe_load``."""
    text = resources.files("listener.sample").joinpath("templates.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def topic_slugs() -> tuple[str, ...]:
    return tuple(templates()["topics"])


class _Slots(dict[str, str]):
    """Fills a template slot on first use, from the seeded generator."""

    def __init__(self, rng: random.Random, tone: str, mention: str, council: str) -> None:
        super().__init__()
        self.rng, self.tone, self.mention, self.council = rng, tone, mention, council

    def __missing__(self, key: str) -> str:
        rng, data = self.rng, templates()
        value: str
        if key in _SLOT_LISTS:
            value = pick(data[_SLOT_LISTS[key]], rng)
        elif key == "n":
            value = str(2 + int(rng.random() * 8))
        elif key == "big":
            value = str(pick((12, 20, 40, 60, 120, 150, 180, 240, 300), rng))
        elif key == "weeks":
            value = pick(_ORDINALS, rng)
        elif key == "emoji":
            value = pick(data["emoji"]["negative" if self.tone == "negative" else "positive"], rng)
        elif key == "mention":
            value = self.mention
        elif key == "council":
            value = self.council
        else:
            raise KeyError(key)
        self[key] = value
        return value


def fill(template: str, rng: random.Random, *, tone: str = "neutral",
         mention: str = "@neighbour", council: str = "the council") -> str:
    return template.format_map(_Slots(rng, tone, mention, council))


def add_noise(text: str, rng: random.Random, tone: str, hashtags: list[str]) -> str:
    """Typos, text-speak, emoji and hashtags, each with a modest probability."""
    roll = rng.random()
    if roll < 0.08:
        words = text.split(" ")
        i = int(rng.random() * len(words))
        word = words[i]
        if len(word) > 4 and word.isalpha():
            j = 1 + int(rng.random() * (len(word) - 3))
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2:]
            text = " ".join(words)
    elif roll < 0.14:
        text = text.lower()
    elif roll < 0.18:
        for full, short in _SHORTHAND.items():
            text = text.replace(full, short)
    if hashtags and rng.random() < 0.3:
        text = f"{text} {pick(hashtags, rng)}"
    if rng.random() < 0.15:
        pool = templates()["emoji"]["negative" if tone == "negative" else "positive"]
        text = f"{text} {pick(pool, rng)}"
    return text
