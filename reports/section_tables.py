"""The tables of the stories, places, sentiment-over-time and what-changed
sections (suppression applied), as every output prints them."""

from __future__ import annotations

from reports.figures import Figures, PlaceRow, StoryFlag
from reports.stats import count_shown
from reports.tables import Table
from reports.text import fmt_count, fmt_interval, fmt_share


def overlap_text(s: StoryFlag) -> str:
    """'9 of 32 also in Bins' style, suppression applied to each count."""
    total = fmt_count(s.flag.current)
    return "; ".join(f"{fmt_count(n)} of {total} also in {label}" for label, n in s.overlaps)


def flag_name(s: StoryFlag) -> str:
    return s.flag.label + (f": “{s.flag.term}”" if s.flag.term else "")


def place_cells(r: PlaceRow) -> tuple[str, ...]:
    if not count_shown(r.posts, r.authors_ok):
        return (r.label, fmt_count(r.posts, r.authors_ok), "", "")
    top = (f"{r.top_topic} ({fmt_count(r.top_topic_posts, r.top_topic_ok)})"
           if r.top_topic else "no topic")
    return (r.label, fmt_count(r.posts), fmt_share(r.negative, r.classified, r.negative_ok), top)


def section_tables(fig: Figures) -> list[Table]:
    return [
        Table("stories", "Emerging issues, grouped into stories",
              ("Story", "Flag", "Posts this week", "Usual posts a week (baseline mean)",
               "Threshold", "Shared with other topics", "Note"),
              tuple((str(k), flag_name(s), fmt_count(s.flag.current),
                     f"{s.flag.baseline_mean:.1f}", f"{s.flag.threshold:.1f}",
                     overlap_text(s), s.config_note)
                    for k, story in enumerate(fig.stories, start=1)
                    for s in (story.lead, *story.others))),
        Table("places", "Places", ("Place", "Posts", "Negative share", "Top topic"),
              tuple(place_cells(r) for r in fig.places)),
        Table("sentiment_weeks", "Negative share by week",
              ("Week", "Posts with a sentiment label", "Negative share",
               "95% interval (negative share)"),
              tuple((w.week, fmt_count(w.classified, w.ok),
                     fmt_share(w.negative, w.classified, w.ok), fmt_interval(w.interval))
                    for w in fig.sentiment_weeks)),
        Table("config_changes", "What changed", ("Config", "Recorded", "What changed"),
              tuple((c.config_hash[:12], c.loaded_at, " ".join(c.words))
                    for c in fig.changes)),
    ]
