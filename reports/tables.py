"""Every table of the report, with suppression applied, as the HTML,
Markdown, CSV and JSON outputs all print it."""

from __future__ import annotations

from dataclasses import dataclass

from reports.accuracy import audit_of
from reports.figures import EngagementRow, Figures, SourceCoverage, TopicRow
from reports.stats import MIN_COUNT, count_shown, share
from reports.text import FEWER, SUPPRESSED, fmt_count, fmt_interval, fmt_share, pct_change
from storage import SENTIMENTS

NOT_GIVEN = "not given by platform"


@dataclass(frozen=True)
class Table:
    name: str  # file stem for CSV
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def fmt_average(value: float, authors_ok: bool = True) -> str:
    if value < MIN_COUNT:
        return FEWER
    return f"{value:,.0f}" if authors_ok else SUPPRESSED


def change_cell(now: int, now_ok: bool, before: int, before_ok: bool) -> str:
    """The change on last week: a percentage when both weeks are shown,
    otherwise in words (never blank, so every row reads the same way)."""
    if not (now_ok and before_ok):
        return "suppressed"
    if now >= MIN_COUNT and before >= MIN_COUNT:
        return pct_change(now, before)
    if now >= MIN_COUNT:
        return "new this week" if before == 0 else "up from fewer than 10"
    if before >= MIN_COUNT:
        return "down to none" if now == 0 else "down to fewer than 10"
    return "none either week" if now == before == 0 else "fewer than 10 both weeks"


def terms_cell(terms: tuple[tuple[str, int, bool], ...]) -> str:
    """The top matched terms with their counts; terms under 10 posts (or from
    fewer than 10 authors) are counted, not listed one by one."""
    shown = [f"{t} ({n:,})" for t, n, good in terms if count_shown(n, good)]
    rest = len(terms) - len(shown)
    if rest:
        shown.append(f"{rest} more under 10 posts" if shown else f"{rest} under 10 posts")
    return ", ".join(shown)


def topic_cells(row: TopicRow, total: int) -> tuple[str, ...]:
    last_week = fmt_count(row.previous, row.previous_ok)
    change = change_cell(row.posts, row.authors_ok, row.previous, row.previous_ok)
    if not count_shown(row.posts, row.authors_ok):
        return (row.label, fmt_count(row.posts, row.authors_ok), "", "", "", "", "", "", "",
                last_week, change, "", "")
    s = row.sentiment
    neg_ok = row.sentiment_ok[0]
    neg = share(s.negative, s.classified) if neg_ok else None
    return (
        row.label, fmt_count(row.posts), fmt_share(row.posts, total),
        *(fmt_count(s.get(name), good)
          for name, good in zip(SENTIMENTS, row.sentiment_ok, strict=True)),
        fmt_count(s.unclassified + s.pending),
        fmt_share(s.negative, s.classified, neg_ok),
        fmt_interval(row.negative_interval) if neg is not None else "",
        last_week, change,
        fmt_average(row.average4),
        terms_cell(row.top_terms),
    )


def tables(fig: Figures) -> list[Table]:
    total = fig.this.posts
    week_ok = fig.this.authors >= MIN_COUNT
    s, p = fig.sentiment, fig.sentiment_previous
    out = [
        Table("summary", "Summary", ("Measure", "This week", "Last week", "4-week average"), (
            ("Posts", fmt_count(total, fig.this.authors >= MIN_COUNT),
             fmt_count(fig.previous.posts, fig.previous.authors >= MIN_COUNT),
             fmt_average(fig.average4[0], fig.average4[1] >= MIN_COUNT)),
            ("Unique authors (pseudonymous count)", fmt_count(fig.this.authors),
             fmt_count(fig.previous.authors), fmt_average(fig.average4[1])),
            *((f"{name.capitalize()} share", fmt_share(s.get(name), s.classified, good),
               fmt_share(p.get(name), p.classified),
               fmt_share(fig.sentiment_4wk.get(name), fig.sentiment_4wk.classified))
              for name, good in zip(SENTIMENTS, fig.sentiment_ok, strict=True)),
            ("Posts with no sentiment label (unclassified or not yet classified)",
             fmt_count(s.unclassified + s.pending), fmt_count(p.unclassified + p.pending), ""),
        )),
        Table("topics", "Posts by topic", (
            "Topic", "Posts", "Share of all posts", "Negative", "Neutral", "Positive",
            "No sentiment", "Negative share", "95% interval (negative share)",
            "Last week", "Change on last week", "4-week average", "Top matched terms"),
            (*(topic_cells(r, total) for r in fig.topics),
             ("Unclassified (no topic matched)", fmt_count(fig.topic_unclassified),
              fmt_share(fig.topic_unclassified, total), *[""] * 10),
             ("Not yet classified", fmt_count(fig.topic_pending),
              fmt_share(fig.topic_pending, total), *[""] * 10))),
        Table("days", "Posts by day", ("Day", "Posts"),
              tuple((d, fmt_count(n, good)) for d, n, good in fig.days)),
        Table("platforms", "Posts by platform", ("Platform", "Posts", "Share of posts"),
              tuple((pl, fmt_count(n, good), fmt_share(n, total) if count_shown(n, good)
                     else "") for pl, n, good in fig.platforms)),
        Table("trends", "Weekly posts per top topic", ("Topic", *fig.trend_weeks),
              tuple((t.label, *(fmt_count(c, good) for c, good in zip(t.counts, t.ok,
                                                                       strict=True)))
                    for t in fig.trends)),
        Table("engagement", "Engagement by platform",
              ("Platform", "Posts", "Replies", "Reposts", "Likes", "Quotes"),
              tuple(_engagement(r) for r in fig.engagement)),
        Table("coverage", "Sources collected",
              ("Source", "Posts this week", "Runs started this week", "Last successful run",
               "Stale"),
              tuple((c.source, fmt_count(c.posts, week_ok), runs_cell(c),
                     c.last_ok or "never", "yes" if c.stale else "no")
                    for c in fig.sources)),
        Table("run_problems", "Failed or interrupted runs",
              ("Source", "Started", "Status", "Error"),
              tuple((r.source, r.started, r.status, r.error) for r in fig.problems)),
        *_engaged(fig),
        Table("classifiers", "Classifiers",
              ("Task", "Classifier", "Version", "Posts labelled", "Evaluated (score)",
               "Evaluation", "Staff audit"),
              tuple((c.task, c.name, c.version, fmt_count(c.posts, week_ok),
                     c.score,
                     c.evaluation, audit_of(fig.accuracy, c.task, c.name, c.version))
                    for c in fig.classifiers)),
    ]
    from reports.accuracy_tables import accuracy_tables  # they build on Table, defined here
    from reports.action_tables import actions_table
    from reports.discovery_tables import discovery_tables
    from reports.section_tables import section_tables

    return (out + section_tables(fig) + accuracy_tables(fig) + [actions_table(fig)]
            + discovery_tables(fig))


def runs_cell(c: SourceCoverage) -> str:
    """'2 ok, 1 failed'; 'none this week' (a source's last run may be later)."""
    parts = [f"{n} {word}" for n, word in ((c.runs_ok, "ok"), (c.runs_failed, "failed"),
                                            (c.runs_interrupted, "interrupted")) if n]
    return ", ".join(parts) or "none this week"


def _engaged(fig: Figures) -> list[Table]:
    if fig.engaged is None:
        return []
    from reports.engaged_tables import engaged_tables

    return engaged_tables(fig.engaged)


def _engagement(r: EngagementRow) -> tuple[str, ...]:
    if not count_shown(r.posts, r.authors_ok):
        return (r.platform, fmt_count(r.posts, r.authors_ok), "", "", "", "")
    cells = [r.platform, fmt_count(r.posts)]
    for given, total in (r.replies, r.reposts, r.likes, r.quotes):
        cells.append(NOT_GIVEN if given == 0 else f"{total:,} on {given:,} posts")
    return tuple(cells)
