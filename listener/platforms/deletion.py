"""What a platform's deletion checker implements: is each stored post still
public at its source? Each checker (``listener.platforms.<id>.checker``) goes
through the platform's real client library; ``listener.privacy.deletion_sync``
asks them.

A checker answers, per native id, ``present``, ``gone`` (deleted, removed or
made private at the source), or leaves it out (unknown: asked again next
run). ``uncheckable`` marks ids that cannot be looked up at all (an id form
the platform's API does not take); they are not asked again until their next
re-check is due. Platforms whose entry has no checker (RSS, file imports,
the sample) have no platform to ask: their posts are kept until retention
removes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from listener.config import Settings

Status = Literal["present", "gone", "uncheckable"]


@dataclass(frozen=True)
class Due:
    post_id: int
    native_id: str
    url: str | None


@dataclass(frozen=True)
class Billing:
    """Reads of this checker count against a source's monthly read budget
    (X bills every post read): the source's name and its budget."""

    source: str
    monthly_budget: int


class Checker(Protocol):
    platform: str
    batch_size: int
    billing: Billing | None

    def check(self, batch: Sequence[Due]) -> dict[str, Status]:
        """Status per native id; an id left out is unknown (asked again later).
        Raises when the platform cannot be asked at all (credentials, rate
        limit, outage): the run stops asking that platform."""
        ...


def configured(settings: Settings, platform: str) -> list[tuple[str, Any]]:
    """The configured sources of one type, enabled ones first: the first
    names the credentials a checker uses."""
    sources = [(n, c) for n, c in settings.sources.items() if c.type == platform]
    return sorted(sources, key=lambda item: not item[1].enabled)
