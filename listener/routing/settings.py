"""The ``routing:`` section of config.yaml: which service team hears about
which posts, how, and when.

Each team names the topics it owns (optionally narrowed to places and
sentiments), its recipients (e-mail addresses and/or the NAME of an
environment variable holding a Teams or Slack webhook URL) and its
schedule: a daily digest at a local time, or ``immediate`` (after each
collection) for urgent matches. ``routing_problems`` is what ``config
check`` adds: an unknown topic or place, a bad address or a team written
twice, each with a suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field, field_validator

from listener.config_errors import suggestion

Loc = tuple[str | int, ...]
Sentiment = Literal["negative", "neutral", "positive"]
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class TeamSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="The team's short name: in commands (--team waste) and records")
    enabled: bool = Field(default=True, description="false: configured, but nothing is sent")
    label: str = Field(default="", description="Shown in digests; default: the name")
    topics: list[str] = Field(min_length=1, description="Topic slugs the team owns")
    places: list[str] = Field(
        default_factory=list,
        description="Only posts about these places (nlp.places slugs); empty: anywhere")
    sentiment: list[Sentiment] = Field(
        default_factory=lambda: list[Sentiment](["negative"]),
        description="Posts of these sentiments")
    requests: bool = Field(
        default=True,
        description="Also questions and complaints, where a classifier labels them (task "
                    "'request')")
    email: list[str] = Field(default_factory=list, description="Addresses the digest goes to")
    webhook_url_env: str = Field(
        default="", description="Environment variable holding a Teams or Slack webhook URL")
    webhook_format: Literal["auto", "teams", "slack"] = Field(
        default="auto", description="teams: an Adaptive Card; slack: text; auto: by the URL")
    schedule: Literal["daily", "immediate"] = Field(
        default="daily",
        description="daily: one digest a day at 'at'; immediate: after each collection "
                    "(for urgent matches)")
    at: str = Field(default="08:00", description="Local time (HH:MM) of the daily digest")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("a team name is lower-case letters, digits, _ and -, e.g. waste "
                             "(at most 40)")
        return value

    @field_validator("at")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError("must be a 24-hour time written HH:MM, e.g. 08:00")
        return value

    @property
    def shown(self) -> str:
        return self.label or self.name

    def channels(self) -> list[str]:
        """The channels the team's digest goes out on."""
        return (["email"] if self.email else []) + (["webhook"] if self.webhook_url_env else [])


class RoutingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    teams: list[TeamSettings] = Field(default_factory=list)
    max_age_days: int = Field(
        default=7, ge=1, le=90,
        description="A post older than this when first routed is left out (a backfill "
                    "does not flood the teams)")
    service_codes: dict[str, str] = Field(
        default_factory=dict,
        description="Open311 service_code per topic slug, for `export cases --format "
                    "open311`; default: the slug")
    jurisdiction: str = Field(
        default="", description="Open311 agency_responsible / the body named in exports")

    def team(self, name: str) -> TeamSettings | None:
        return next((t for t in self.teams if t.name == name), None)

    def service_code(self, topic: str) -> str:
        return self.service_codes.get(topic, topic)


def _unknown(kind: str, value: str, known: Collection[str]) -> str:
    hint = suggestion(value, sorted(known), what=f"known {kind}s")
    return f"unknown {kind} '{value}'{hint or f'; no {kind}s are configured'}"


def _address_problem(address: str) -> str | None:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return (f"'{address}' is not an e-mail address: {exc} Write it like "
                "waste-team@council.example")
    return None


def routing_problems(routing: RoutingSettings, topics: Collection[str],
                     places: Collection[str], line_of: Callable[[Loc], int | None],
                     email_ready: bool, env: Mapping[str, str] | None = None
                     ) -> Iterator[tuple[Loc, str]]:
    """(location, message) for each problem the models alone cannot see:
    topics and places that are not configured, addresses that are not
    addresses, a team name used twice, a team with nobody to tell; for an
    enabled team, a relay without a sender (``email_ready`` false: digests
    use reports.email) and, when ``env`` is given, an unset webhook variable."""
    base: Loc = ("routing",)
    first: dict[str, int] = {}
    for k, team in enumerate(routing.teams):
        here: Loc = (*base, "teams", k)
        if team.name in first:
            line = line_of((*base, "teams", first[team.name], "name"))
            yield ((*here, "name"),
                   f"team '{team.name}' is defined twice (first at line {line}): merge the "
                   "two, or give this one another name")
        first.setdefault(team.name, k)
        for i, slug in enumerate(team.topics):
            if slug not in topics:
                yield (*here, "topics", i), _unknown("topic", slug, topics)
        for i, slug in enumerate(team.places):
            if slug not in places:
                yield (*here, "places", i), _unknown("place", slug, places) + \
                    " (places are the keys of nlp.places)"
        for i, address in enumerate(team.email):
            problem = _address_problem(address)
            if problem:
                yield (*here, "email", i), problem
        if team.webhook_url_env and not _ENV.match(team.webhook_url_env):
            # checked here, not by the model, so that the value (a URL is a secret) is
            # never echoed back
            yield ((*here, "webhook_url_env"),
                   "give the NAME of an environment variable holding the webhook URL "
                   "(e.g. WASTE_TEAMS_WEBHOOK), never the URL itself")
        if not team.channels():
            yield here, (f"team '{team.name}' has no recipients: give email (addresses) "
                         "and/or webhook_url_env")
        if not team.enabled:
            continue
        if team.email and not email_ready:
            yield here, ("digests are e-mailed through reports.email: set its sender "
                         "(and smtp_host) to e-mail a team, or set enabled: false")
        if env is not None and team.webhook_url_env and not env.get(team.webhook_url_env):
            yield here, (f"enabled, but its webhook environment variable "
                         f"{team.webhook_url_env} is not set (set it, or set enabled: false)")
    for slug in routing.service_codes:
        if slug not in topics:
            yield (*base, "service_codes", slug), _unknown("topic", slug, topics)

