"""Per-platform deletion checkers: is each stored post still public at its
source? Each checker goes through the platform's real client library.

A checker answers, per native id, ``present``, ``gone`` (deleted, removed or
made private at the source), or leaves it out (unknown: asked again next
run). ``uncheckable`` marks ids that cannot be looked up at all (an id form
the platform's API does not take); they are not asked again until their next
re-check is due. RSS, file imports and the sample source have no platform to
ask: their posts are kept until retention removes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

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
