"""What policy staff can filter on, validated and turned into UTC bounds."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from listener.query.search import match_expression
from listener.query.weeks import week
from storage import SENTIMENTS
from storage.queries import PostFilter
from storage.timefmt import check_day, iso, local_midnight, parse_week

SENTIMENT_ERROR = f"sentiment must be {', '.join(SENTIMENTS[:-1])} or {SENTIMENTS[-1]}"


class FilterError(ValueError):
    """A filter that cannot be used, explained in plain words."""


def parse_day(text: str | None) -> date | None:
    """A ``YYYY-MM-DD`` day typed by staff, or a ``FilterError`` in plain words."""
    if text is None or not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise FilterError(f"'{text[:40]}' is not a date; write it like 2026-11-23") from None
    try:
        return check_day(day)
    except ValueError as exc:
        raise FilterError(str(exc)) from None


def plain_errors(errors: list[Any]) -> str:
    """pydantic validation errors of the filters, as one plain sentence."""
    out = []
    for error in errors:
        where = ".".join(str(p) for p in error["loc"])
        if where == "sentiments" or where.startswith("sentiments."):
            out.append(SENTIMENT_ERROR)
        else:
            out.append(f"{where}: {error['msg']}")
    return "; ".join(out)


class QueryFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topics: list[str] = Field(default_factory=list)
    sentiments: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)  # gazetteer slugs or names
    since: date | None = None  # first day, inclusive, in the reporting time zone
    until: date | None = None  # last day, inclusive
    week: str | None = None  # ISO week, e.g. 2026-W47
    text: str | None = None
    advanced: bool = False

    @field_validator("sentiments")
    @classmethod
    def _known_sentiments(cls, values: list[str]) -> list[str]:
        if any(v not in SENTIMENTS for v in values):
            raise ValueError(SENTIMENT_ERROR)
        return values

    def topic_slugs(self, known: Mapping[str, str],
                    words: Mapping[str, Collection[str]] | None = None) -> tuple[str, ...]:
        """Topics given by slug or by display name (any case) as slugs; an
        unknown one is refused with the topics it may have meant (by spelling,
        or because it is one of a topic's terms: ``bins`` -> waste_recycling)."""
        return _slugs(self.topics, known, words or {}, "topic")

    def place_slugs(self, known: Mapping[str, str]) -> tuple[str, ...]:
        """Places (gazetteer slugs or names) as slugs."""
        return _slugs(self.places, known, {}, "place")

    def bounds(self, zone: str) -> tuple[str | None, str | None]:
        if self.week and (self.since or self.until):
            raise FilterError("give either a week or a date range, not both")
        if self.week:
            try:
                _, start, end = week(*parse_week(self.week), zone)
            except ValueError as exc:
                raise FilterError(str(exc)) from None
            return start, end
        if self.since and self.until and self.since > self.until:
            raise FilterError(f"the range starts ({self.since}) after it ends ({self.until})")
        since = iso(local_midnight(self.since, zone)) if self.since else None
        until = iso(local_midnight(self.until + timedelta(days=1), zone)) if self.until else None
        return since, until

    def to_post_filter(self, known_topics: Mapping[str, str], zone: str,
                       words: Mapping[str, Collection[str]] | None = None,
                       known_places: Mapping[str, str] | None = None) -> PostFilter:
        since, until = self.bounds(zone)
        return PostFilter(
            topics=self.topic_slugs(known_topics, words),
            places=self.place_slugs(known_places or {}),
            sentiments=tuple(dict.fromkeys(self.sentiments)),
            platforms=tuple(dict.fromkeys(p.strip().lower() for p in self.platforms)),
            sources=tuple(dict.fromkeys(self.sources)),
            since=since,
            until=until,
            match=match_expression(self.text, advanced=self.advanced),
        )



def _slugs(given: list[str], known: Mapping[str, str], words: Mapping[str, Collection[str]],
           what: str) -> tuple[str, ...]:
    by_name = {name.lower(): slug for slug, name in known.items()}
    by_name.update({slug.lower(): slug for slug in known})
    out = []
    for typed in given:
        slug = by_name.get(typed.strip().lower())
        if slug is None:
            raise FilterError(unknown(typed, what, known, words))
        out.append(slug)
    return tuple(dict.fromkeys(out))


def unknown(typed: str, what: str, known: Mapping[str, str],
            words: Mapping[str, Collection[str]]) -> str:
    """'unknown topic 'bins'; did you mean waste_recycling (Bins, waste and
    recycling)? known topics: ...'"""
    word = typed.strip().lower().lstrip("#")
    stems = {word, word.removesuffix("s"), word.removesuffix("es")}
    meant = [slug for slug, terms in words.items()
             if any(t.lower().lstrip("#") in stems or t.lower().lstrip("#").removesuffix("s")
                    in stems for t in terms)]
    names = {name.lower(): slug for slug, name in known.items()} | {s.lower(): s for s in known}
    meant += [names[n] for n in difflib.get_close_matches(word, list(names), n=3, cutoff=0.6)]
    choices = ", ".join(sorted(known)) or "(none configured)"
    hint = ", ".join(f"{slug} ({known[slug]})" for slug in dict.fromkeys(meant))
    if hint:
        return f"unknown {what} '{typed}'; did you mean {hint}? Known {what}s: {choices}"
    return f"unknown {what} '{typed}'; known {what}s: {choices}"
