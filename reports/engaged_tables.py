"""The "How we engaged" tables, with suppression applied: no count under 10
as a number, no percentage on a part or a base under 10, no figure over
fewer than 10 authors, no median or percentile over fewer than 10 answers."""

from __future__ import annotations

from reports.engaged import EngagedFigures, WeekMeasures
from reports.stats import MIN_COUNT, count_shown, share
from reports.tables import Table, fmt_average
from reports.text import FEWER, SUPPRESSED, fmt_count, fmt_pct
from storage import SENTIMENTS

FEW_ANSWERED = "fewer than 10 answered"
WAITING_SHOWN = 20  # the longest-waiting; all of them: listener query --unanswered
REACH = (("likes", "Likes"), ("reposts", "Reposts"), ("replies", "Replies"),
         ("quotes", "Quotes"))


def _authors_ok(n: int, authors: int) -> bool:
    return n < MIN_COUNT or authors >= MIN_COUNT


def _answered(m: WeekMeasures, k: int) -> str:
    a = m.answered[k]
    if not _authors_ok(m.received, m.received_authors):
        return SUPPRESSED
    value = share(a.within, a.due)
    return FEWER if value is None else f"{fmt_pct(value)} ({a.within:,} of {a.due:,})"


def _hours(value: float | None) -> str:
    return FEW_ANSWERED if value is None else f"{value:.1f} h"


def _replies_share(m: WeekMeasures, name: str) -> str:
    whole = sum(n for label, n in m.replies.items() if label in SENTIMENTS)
    if not _authors_ok(whole, m.replies_authors):
        return SUPPRESSED
    return fmt_pct(share(m.replies.get(name, 0), whole))


def _count(m: WeekMeasures, n: int, average: bool = False) -> str:
    ok = _authors_ok(m.received, m.received_authors)
    return fmt_average(n, ok) if average else fmt_count(n, ok)


def _column(m: WeekMeasures, average: bool = False) -> tuple[str, ...]:
    replies = sum(m.replies.values())
    reach = tuple(f"{m.reach.get(k, 0):,}" if m.reach_given.get(k) else "not given by platform"
                  for k, _ in REACH)
    return (
        _count(m, m.received, average), _count(m, m.questions, average),
        _count(m, m.complaints, average), _answered(m, 0), _answered(m, 1),
        _hours(m.median_hours), _hours(m.p90_hours),
        fmt_count(replies, _authors_ok(replies, m.replies_authors)) if not average else
        fmt_average(replies, _authors_ok(replies, m.replies_authors)),
        *(_replies_share(m, s) for s in SENTIMENTS),
        f"{m.own_posts:,}", *reach,
    )


ROWS = ("Questions and complaints to us", "  of which questions", "  of which complaints",
        "Answered within 1 working day", "Answered within 5 working days",
        "Median first response (working hours)", "90th percentile first response",
        "Residents' replies to our posts",
        *(f"  {s.capitalize()} share of replies" for s in SENTIMENTS),
        "Our posts", *(f"{label} on our posts (as the platforms report)" for _, label in REACH))


def engaged_tables(e: EngagedFigures) -> list[Table]:
    columns = [_column(e.this), _column(e.previous), _column(e.average4, average=True)]
    summary = tuple((name, *(c[i] for c in columns)) for i, name in enumerate(ROWS))
    topics = tuple(
        (t.label, fmt_count(t.measures.received, _authors_ok(t.measures.received,
                                                             t.measures.received_authors)),
         _answered(t.measures, 0), _answered(t.measures, 1), _hours(t.measures.median_hours))
        for t in e.topics)
    buckets = tuple((b, fmt_count(n, good)) for b, n, good in e.buckets)
    waiting = tuple((w.asked, w.platform, ", ".join(w.kinds), "; ".join(w.topics) or "none",
                     f"{w.waited_hours:.1f}", w.text, w.url or "no link without the handle")
                    for w in e.waiting[:WAITING_SHOWN])
    top = tuple((p.post.created, p.post.platform, p.post.text, f"{p.stored_replies:,}"
                 if count_shown(p.stored_replies, _authors_ok(p.stored_replies,
                                                              p.replies_authors))
                 else fmt_count(p.stored_replies, False),
                 *(_top_share(p.replies, p.replies_authors, s) for s in SENTIMENTS))
                for p in e.top_own)
    return [
        Table("engaged_summary", "How we engaged",
              ("Measure", "This week", "Last week", "4-week average"), summary),
        Table("engaged_topics", "Questions and complaints to us by topic",
              ("Topic", "Received", "Answered within 1 working day",
               "Answered within 5 working days", "Median first response"), topics),
        Table("engaged_response_times", "First response times, this week's questions",
              ("Response time", "Questions and complaints"), buckets),
        Table("engaged_top_posts", "Our most-replied posts",
              ("Posted", "Platform", "Post", "Replies collected",
               *(f"{s.capitalize()} share of replies" for s in SENTIMENTS)), top),
        Table("engaged_waiting", "Waiting for an answer",
              ("Asked", "Platform", "Kind", "Topic", "Waiting (working hours)", "Post",
               "Link"), waiting),
    ]


def _top_share(replies: dict[str, int], authors: int, name: str) -> str:
    whole = sum(n for label, n in replies.items() if label in SENTIMENTS)
    if not _authors_ok(whole, authors):
        return SUPPRESSED
    return fmt_pct(share(replies.get(name, 0), whole))

