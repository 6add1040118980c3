"""What the share estimators give back: per class a share, its interval
(None when it cannot be given) and the numbers behind it; per method the
classes' estimates, whether it worked, and why not in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ShareEstimate:
    """One class's share: point, interval (None when it cannot be given) and
    the numbers behind it."""

    label: str
    share: float | None
    low: float | None
    high: float | None
    method: str
    n_audit: int
    n_period: int

    @property
    def width(self) -> float | None:
        return None if self.low is None or self.high is None else self.high - self.low


@dataclass(frozen=True)
class Shares:
    """Every class's share by one method. ``ok`` is False when the method
    could not give figures; ``note`` then says why in plain words."""

    method: str
    estimates: dict[str, ShareEstimate]
    ok: bool = True
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def mean_width(self) -> float | None:
        widths = [e.width for e in self.estimates.values()]
        if not self.ok or not widths or any(w is None for w in widths):
            return None
        return sum(w for w in widths if w is not None) / len(widths)
