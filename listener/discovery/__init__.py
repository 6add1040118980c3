"""Discovery wired in: what residents raise that no topic list covers.

Reads a period's posts through storage, finds themes among those no topic
matched and bursting terms among all of them with ``nlp`` (``nlp.themes``,
``nlp.bursts``), matches each theme to the themes of earlier periods, and
stores the run (``store.themes``). The weekly report, ``listener
discover`` and the daily alert check read what is stored.
"""

from listener.discovery.alerts import discovery_alerts
from listener.discovery.periods import Period, day_period, span_period, week_period
from listener.discovery.run import discover, ensure_week

__all__ = ["Period", "day_period", "discover", "discovery_alerts", "ensure_week",
           "span_period", "week_period"]
