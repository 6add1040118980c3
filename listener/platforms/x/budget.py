"""The X read budget as ``listener status`` shows it: reads used this
month, the budget, and the estimated cost at the configured price."""

from __future__ import annotations

from listener.platforms.x.config import XSourceConfig
from storage.timefmt import month_period
from storage.usage import Usage


def x_budget_line(name: str, config: XSourceConfig, usage: Usage,
                  period: str | None = None) -> str:
    month = period or month_period()
    used = usage.reads_used(name, month)
    budget = config.monthly_read_budget
    cost = used * config.cost_per_read_usd
    state = "spent: collection paused until next month" if used >= budget else (
        f"{budget - used:,} left")
    return (f"reads {month}: {used:,} of {budget:,} ({state}); estimated cost "
            f"${cost:,.2f} at ${config.cost_per_read_usd:g} per read")
