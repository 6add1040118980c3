"""The discovery section's tables, as every renderer prints them and as
the CSV files hold them: new themes, and bursting terms."""

from __future__ import annotations

from reports.discovery_figures import TITLE
from reports.figures import Figures
from reports.tables import Table
from reports.text import fmt_count

THEME_COLUMNS = ("Theme", "Posts", "People (distinct authors)", "Negative share",
                 "Nearest topic", "Similarity to it", "Seen", "Suggestion",
                 "config.yaml snippet")
TERM_COLUMNS = ("Term", "Posts this week", "Baseline mean a week", "Baseline SD", "Threshold",
                "Baseline weeks", "Suggestion", "config.yaml snippet")


def discovery_tables(fig: Figures) -> list[Table]:
    d = fig.discovery
    themes = tuple((
        t.label, fmt_count(t.posts), fmt_count(t.authors), t.negative_text,
        t.nearest_topic or "none configured",
        f"{t.topic_similarity:.2f}" if t.topic_similarity is not None else "",
        t.running, t.suggestion, t.yaml) for t in d.themes)
    terms = tuple((
        b.term, fmt_count(b.posts), f"{b.baseline_mean:.1f}", f"{b.baseline_sd:.1f}",
        f"{b.threshold:.1f}", str(b.baseline_periods), b.suggestion, b.yaml) for b in d.bursts)
    return [Table("new_themes", f"{TITLE}: themes", THEME_COLUMNS, themes),
            Table("bursting_terms", f"{TITLE}: bursting terms", TERM_COLUMNS, terms)]
