"""The action log ("you said, we did") as editors write it, from the CLI
(``listener action``) or the page (``/-/actions``): what they typed,
checked against the config and turned into ``storage.actions`` fields.

A topic or place may be given by its key or its name; the day is a local
date, not in the future; the text is one line of plain words; a link is
an http(s) address. Every problem is one plain sentence (``ActionError``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from listener.config import Settings
from listener.config_errors import suggestion
from listener.query.filters import FilterError, QueryFilters
from storage.actions import ActionFields

MAX_TEXT = 500
MAX_LINK = 500
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_URL = re.compile(r"^https?://[^\s<>\"']+$")


class ActionError(ValueError):
    """What an editor wrote cannot be recorded; the message says why."""


@dataclass(frozen=True)
class Vocabulary:
    """What an action may name: topics and places (key -> name), and the
    time zone its day is in."""

    topics: Mapping[str, str]
    places: Mapping[str, str]
    zone: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Vocabulary:
        return cls({slug: spec.label for slug, spec in settings.topics.items()},
                   {slug: spec.label for slug, spec in settings.nlp.places.items()},
                   settings.reports.timezone)


def topic_slug(topics: Mapping[str, str], given: str) -> str:
    try:
        return QueryFilters(topics=[given]).topic_slugs(topics)[0]
    except FilterError as exc:
        raise ActionError(str(exc)) from None


def place_slug(places: Mapping[str, str], given: str) -> str:
    """A place of ``nlp.places`` by key or name (slug -> name)."""
    wanted = given.strip().lower()
    for slug, name in places.items():
        if wanted in (slug.lower(), name.lower()):
            return slug
    hint = suggestion(wanted.replace(" ", "_"), sorted(places), what="known places")
    raise ActionError(f"unknown place '{given.strip()}'{hint or '; no places are configured'}"
                      " (places are the keys of nlp.places)")


def parse_day(text: str, zone: str, today: date | None = None) -> str:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ActionError(f"'{text.strip()[:40]}' is not a date; write it like 2026-11-19") \
            from None
    today = today or datetime.now(ZoneInfo(zone)).date()
    if day > today:
        raise ActionError(f"{day} is in the future: record an action once it has been taken")
    return day.isoformat()


def clean_text(text: str) -> str:
    cleaned = " ".join(_CONTROL.sub(" ", text).split())
    if not cleaned:
        raise ActionError("say what was done (the text is empty)")
    if len(cleaned) > MAX_TEXT:
        raise ActionError(f"keep the text to {MAX_TEXT} characters (it has {len(cleaned)}); "
                          "put the detail on the linked page")
    return cleaned


def clean_link(link: str) -> str:
    link = link.strip()
    if len(link) > MAX_LINK or not _URL.match(link):
        raise ActionError("the link must be a web address starting https:// (or http://), "
                          f"at most {MAX_LINK} characters, without spaces")
    return link


def fields_from(words: Vocabulary, *, topic: str, day: str, text: str,
                place: str | None = None, link: str | None = None,
                today: date | None = None) -> ActionFields:
    """A new action's fields, checked; ``ActionError`` names the first problem."""
    return ActionFields(
        topic=topic_slug(words.topics, topic),
        day=parse_day(day, words.zone, today),
        text=clean_text(text),
        place=place_slug(words.places, place) if place and place.strip() else None,
        link=clean_link(link) if link and link.strip() else None)


def changes_from(words: Vocabulary, given: Mapping[str, str | None],
                 today: date | None = None) -> dict[str, Any]:
    """A correction's changed fields from what was given (None: unchanged;
    an empty place or link clears it)."""
    out: dict[str, Any] = {}
    for name, value in given.items():
        if value is None:
            continue
        if name == "topic":
            out[name] = topic_slug(words.topics, value)
        elif name == "day":
            out[name] = parse_day(value, words.zone, today)
        elif name == "text":
            out[name] = clean_text(value)
        elif name == "place":
            out[name] = place_slug(words.places, value) if value.strip() else None
        elif name == "link":
            out[name] = clean_link(value) if value.strip() else None
        else:
            raise ActionError(f"'{name}' cannot be corrected")
    return out
