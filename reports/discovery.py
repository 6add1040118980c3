"""The report's section "New this week: not in your topic lists": the
themes discovery found among the week's posts that no topic matched, and
the bursting terms of all its posts, each with a one-line suggestion and
its proposed terms as a config.yaml snippet. Read from the stored run
(``store.themes``), suppression applied: nothing under 10 posts from 10
people is shown, and no percentage on a count under 10.

``listener discover`` prints the same figures.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from zoneinfo import ZoneInfo

from nlp.bursts import describe
from reports.context import LinkForm
from reports.discovery_figures import BurstView, DiscoveryFigures, ThemeView
from reports.posts import post_view
from reports.stats import MIN_COUNT, count_shown, share
from reports.text import FEWER, fmt_pct
from storage import Store
from storage.discovery_records import DAY, TOO_FEW, WEEK, StoredRun, StoredTheme

METHODS = (
    "Themes: the week's posts that no topic matched are grouped by meaning (sentence "
    "embeddings, average-linkage clustering); a theme is named by the words and phrases that "
    "set it apart from the other groups (c-TF-IDF). Only themes of at least 10 posts from at "
    "least 10 people are shown; the posts quoted are those nearest the theme's centre, one "
    "per person, with handles masked. The nearest topic is the configured topic with a word "
    "most similar to the theme's centre; a theme continues an earlier week's when their "
    "centres are very similar, which is how a report can say it is the third week running. "
    "Bursting terms are words and phrases of all the week's posts, not yet in any topic "
    "list, far above their own baseline. Suggestions are hints for whoever keeps the topic "
    "lists: nothing changes until config.yaml is edited.")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")


def ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 0 < n <= len(_ORDINALS) else f"{n}th"


def running_text(theme: StoredTheme, run: StoredRun) -> str:
    """How long the theme has been seen: "new this week", "third week running"."""
    if run.info.kind not in (WEEK, DAY):
        return ""
    unit = "week" if run.info.kind == WEEK else "day"
    if theme.streak >= 2:
        return f"{ordinal(theme.streak)} {unit} running"
    if theme.first_period != run.info.period:
        return f"seen before (first in {theme.first_period})"
    return f"new this {unit}"


def discovery_figures(store: Store, run: StoredRun | None, *, period: str, tz: ZoneInfo,
                      official: Collection[str], topic_labels: Mapping[str, str],
                      themes_shown: int, terms_shown: int, link: LinkForm,
                      baseline_weeks: int = 8,
                      min_unmatched: int | None = None) -> DiscoveryFigures:
    out = DiscoveryFigures(period=period, test=describe(baseline_weeks), methods=METHODS)
    if run is None:
        out.explanation = (f"Discovery has not been run for {period}: `listener discover "
                           f"--week {period}` runs it (the weekly report runs it itself).")
        return out
    info = run.info
    out.status, out.posts, out.unmatched, out.model_id = (info.status, info.posts,
                                                          info.unmatched, info.model_id)
    themes = [t for t in run.themes if count_shown(t.size, t.authors >= MIN_COUNT)]
    if info.status == TOO_FEW:
        needed = f" (at least {min_unmatched:,} are needed)" if min_unmatched else ""
        out.explanation = (f"Too few posts matched no topic this period to look for themes "
                           f"among them: {_few(info.unmatched)}{needed}.")
    elif not themes:
        out.explanation = (f"No theme: the {_few(info.unmatched)} posts that matched no topic "
                           f"formed no group of at least {MIN_COUNT} posts from at least "
                           f"{MIN_COUNT} people saying the same thing.")
    for t in themes[:themes_shown]:
        out.themes.append(ThemeView(
            label=t.label, terms=t.terms, posts=t.size, authors=t.authors, negative=t.negative,
            classified=t.classified, negative_share=share(t.negative, t.classified),
            negative_text=negative_text(t.negative, t.classified),
            nearest_topic=topic_labels.get(t.nearest_topic, t.nearest_topic)
            if t.nearest_topic else None,
            topic_similarity=t.topic_similarity, topic_evidence=t.topic_evidence,
            running=running_text(t, run), suggestion=str(t.suggestion["text"]),
            suggestion_kind=str(t.suggestion["kind"]), yaml=str(t.suggestion["yaml"]),
            examples=tuple(post_view(p, tz, official, link)
                           for p in store.themes.theme_posts(t.id))))
    out.more_themes = max(0, len(themes) - themes_shown)
    bursts = [b for b in run.bursts if count_shown(b.posts, b.authors >= MIN_COUNT)]
    for b in bursts[:terms_shown]:
        out.bursts.append(BurstView(
            term=b.term, posts=b.posts, baseline_mean=b.baseline_mean,
            baseline_sd=b.baseline_sd, threshold=b.threshold,
            baseline_periods=b.baseline_periods, suggestion=str(b.suggestion["text"]),
            suggestion_kind=str(b.suggestion["kind"]), yaml=str(b.suggestion["yaml"]),
            examples=tuple(post_view(p, tz, official, link)
                           for p in store.themes.burst_posts(b.id))))
    out.more_bursts = max(0, len(bursts) - terms_shown)
    return out


def negative_text(negative: int, classified: int) -> str:
    """The negative share, or in words why it is not given (a count under 10)."""
    if classified < MIN_COUNT:
        return "too few posts with a sentiment label"
    if negative == 0:
        return "none"
    value = share(negative, classified)
    return f"{FEWER} posts" if value is None else fmt_pct(value)


def _few(n: int) -> str:
    return f"{n:,}" if n >= MIN_COUNT or n == 0 else "fewer than 10"
