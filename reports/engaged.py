"""The report section "How we engaged": questions and complaints addressed to
the body and how fast it answered, residents' replies to its posts, and its
own posts' reach (as the platforms report them), against last week and the
4-week average; the open questions still waiting for an answer.

Response times are in the body's working hours (``reports.workhours``). A
question counts towards "answered within 1 working day" (``day_hours``
working hours) or within 5 once that much working time has passed since it
was asked, or it was answered: a question asked late on Friday is not
"unanswered within a day" on Saturday. Median and 90th percentile are over
the questions of the week that were answered. Pure computation over
``store.engagement`` rows; suppression is applied when tables are made
(``reports.engaged_tables``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean, median, quantiles
from zoneinfo import ZoneInfo

from reports.context import LinkForm
from reports.figures import PostView
from reports.posts import post_view
from reports.stats import MIN_COUNT
from reports.weeks import Span
from reports.workhours import WorkingHours
from storage.engagement import EngagementReader, Request
from storage.report_queries import PostRow
from storage.timefmt import iso

TOP_OWN_POSTS = 3
WITHIN_DAYS = (1, 5)
BUCKETS = ("under 1 working hour", "1-4 working hours", "4 hours to 1 working day",
           "1-2 working days", "2-5 working days", "over 5 working days", "not answered yet")


@dataclass(frozen=True)
class Answered:
    """Of the questions asked in a period that could have been answered within
    the limit by now (``due``), those that were (``within``)."""

    within: int = 0
    due: int = 0


@dataclass(frozen=True)
class WeekMeasures:
    received: int = 0
    received_authors: int = 0
    questions: int = 0
    complaints: int = 0
    answered: tuple[Answered, ...] = (Answered(), Answered())  # within 1 and 5 working days
    response_hours: tuple[float, ...] = ()  # first-response times of answered ones
    replies: dict[str, int] = field(default_factory=dict)  # residents' replies by sentiment
    replies_authors: int = 0
    own_posts: int = 0
    reach: dict[str, int] = field(default_factory=dict)  # likes, reposts, replies, quotes
    reach_given: dict[str, int] = field(default_factory=dict)  # posts the platform gave it for

    @property
    def median_hours(self) -> float | None:
        return median(self.response_hours) if len(self.response_hours) >= MIN_COUNT else None

    @property
    def p90_hours(self) -> float | None:
        if len(self.response_hours) < MIN_COUNT:
            return None
        return quantiles(self.response_hours, n=10, method="inclusive")[-1]


@dataclass(frozen=True)
class TopicMeasures:
    slug: str
    label: str
    measures: WeekMeasures


@dataclass(frozen=True)
class OwnPostReplies:
    post: PostView
    stored_replies: int
    replies: dict[str, int]
    replies_authors: int


@dataclass(frozen=True)
class Waiting:
    platform: str
    asked: str  # local time
    waited_hours: float
    kinds: tuple[str, ...]
    topics: tuple[str, ...]  # display names
    text: str  # masked
    url: str | None


@dataclass
class EngagedFigures:
    working_hours: str  # e.g. "Mon-Fri 09:00-17:00 Europe/London, England bank holidays"
    day_hours: float
    this: WeekMeasures
    previous: WeekMeasures
    average4: WeekMeasures  # the mean of the 4 weeks before (counts as floats, rounded)
    topics: list[TopicMeasures]
    buckets: list[tuple[str, int, bool]]  # response-time chart: (bucket, questions, authors ok)
    top_own: list[OwnPostReplies]
    waiting: list[Waiting]
    waiting_after_hours: float
    classified: bool  # a question/complaint classifier has labelled this week's posts


def describe(hours: WorkingHours) -> str:
    days = hours.days
    span = f"{days[0].title()}-{days[-1].title()}" if len(days) > 1 else days[0].title()
    holidays = ("no bank holidays" if hours.bank_holidays == "none" else
                f"{hours.bank_holidays.replace('_', ' ').title()} bank holidays")
    closed = f", {len(hours.closed_days)} more closed days" if hours.closed_days else ""
    return f"{span} {hours.start}-{hours.end} {hours.timezone}, {holidays}{closed}"


def measures(requests: Sequence[Request], hours: WorkingHours, now: datetime,
             reader: EngagementReader, span: Span | None = None) -> WeekMeasures:
    """One period's measures from its requests (and, given the span, its own
    posts and the replies to them)."""
    answered = []
    response: list[float] = []
    for limit in WITHIN_DAYS:
        budget = limit * hours.day_hours
        within = due = 0
        for r in requests:
            asked = datetime.fromisoformat(r.created_at)
            took = hours.between(asked, datetime.fromisoformat(r.answered_at)) \
                if r.answered_at else None
            if took is not None and took <= budget:
                within, due = within + 1, due + 1
            elif hours.between(asked, now) >= budget or took is not None:
                due += 1
        answered.append(Answered(within, due))
    for r in requests:
        if r.answered_at:
            response.append(hours.between(datetime.fromisoformat(r.created_at),
                                          datetime.fromisoformat(r.answered_at)))
    base = WeekMeasures(
        received=len(requests),
        received_authors=reader.authors([r.post_id for r in requests]) if requests else 0,
        questions=sum("question" in r.kinds for r in requests),
        complaints=sum("complaint" in r.kinds for r in requests),
        answered=tuple(answered), response_hours=tuple(sorted(response)))
    if span is None:
        return base
    start, end = span.utc
    replies = reader.reply_sentiment(start, end)
    own = reader.own_posts(start, end)
    reach: dict[str, int] = {}
    given: dict[str, int] = {}
    for post in own:
        for name in ("likes", "reposts", "replies", "quotes"):
            value = getattr(post, name)
            if value is not None:
                reach[name] = reach.get(name, 0) + int(value)
                given[name] = given.get(name, 0) + 1
    return WeekMeasures(base.received, base.received_authors, base.questions, base.complaints,
                        base.answered, base.response_hours, replies.counts, replies.authors,
                        len(own), reach, given)


def _average(weeks: Sequence[WeekMeasures]) -> WeekMeasures:
    """The mean of several weeks' counts (rounded), for the 4-week column."""
    if not weeks:
        return WeekMeasures()

    def mean(values: Sequence[int]) -> int:
        return round(fmean(values))

    return WeekMeasures(
        received=mean([w.received for w in weeks]),
        received_authors=mean([w.received_authors for w in weeks]),
        questions=mean([w.questions for w in weeks]),
        complaints=mean([w.complaints for w in weeks]),
        answered=tuple(Answered(mean([w.answered[k].within for w in weeks]),
                                mean([w.answered[k].due for w in weeks]))
                       for k in range(len(WITHIN_DAYS))),
        response_hours=tuple(h for w in weeks for h in w.response_hours),
        replies={k: mean([w.replies.get(k, 0) for w in weeks])
                 for k in {k for w in weeks for k in w.replies}},
        replies_authors=mean([w.replies_authors for w in weeks]),
        own_posts=mean([w.own_posts for w in weeks]),
        reach={k: mean([w.reach.get(k, 0) for w in weeks])
               for k in {k for w in weeks for k in w.reach}},
        reach_given={k: mean([w.reach_given.get(k, 0) for w in weeks])
                     for k in {k for w in weeks for k in w.reach_given}})


def _bucket(took: float | None, day: float) -> str:
    if took is None:
        return BUCKETS[-1]
    for bound, name in ((1, BUCKETS[0]), (4, BUCKETS[1]), (day, BUCKETS[2]),
                        (2 * day, BUCKETS[3]), (5 * day, BUCKETS[4])):
        if took <= bound:
            return name
    return BUCKETS[5]


def _row(r: Request) -> PostRow:  # a question as a post to show
    return PostRow(r.post_id, r.platform, r.native_id, r.created_at, r.url, r.text, r.title,
                   None, None, None, None, None)


def waiting_list(reader: EngagementReader, *, hours: WorkingHours, after: float, days: int,
                 topic_labels: dict[str, str], official: Collection[str], now: datetime,
                 tz: ZoneInfo, link: LinkForm) -> list[Waiting]:
    """Open questions and complaints to the body of the last ``days``, not
    answered after ``after`` working hours, longest waiting first: text with
    handles masked, the post's link that names no account (``link``, as every
    post in the report), its topics. The report, ``listener query
    --unanswered`` and the web page all show this list."""
    waiting = []
    for r in reader.unanswered(iso(now - timedelta(days=days)), iso(now)):
        waited = hours.between(datetime.fromisoformat(r.created_at), now)
        if waited >= after:
            view = post_view(_row(r), tz, official, link)
            waiting.append(Waiting(r.platform, view.created, round(waited, 1), r.kinds,
                                   tuple(topic_labels.get(t, t) for t in r.topics), view.text,
                                   view.url))
    waiting.sort(key=lambda w: -w.waited_hours)
    return waiting


def engaged_figures(reader: EngagementReader, spans: Sequence[Span], *, hours: WorkingHours,
                    waiting_after: float, waiting_days: int, topic_labels: dict[str, str],
                    official: Collection[str], now: datetime, tz: ZoneInfo,
                    link: LinkForm) -> EngagedFigures:
    """The section for the last of ``spans`` (the report week), with the week
    before and the 4 weeks before that."""
    weeks = list(spans[-6:])
    requests = [reader.requests(*s.utc) for s in weeks]
    per_week = [measures(reqs, hours, now, reader, span)
                for reqs, span in zip(requests, weeks, strict=True)]
    this_requests = requests[-1]
    slugs = sorted({t for r in this_requests for t in r.topics},
                   key=lambda s: (-sum(s in r.topics for r in this_requests), s))
    topics = [TopicMeasures(s, topic_labels.get(s, s),
                            measures([r for r in this_requests if s in r.topics], hours, now,
                                     reader))
              for s in slugs]
    counts: dict[str, list[int]] = {b: [] for b in BUCKETS}
    for r in this_requests:
        took = hours.between(datetime.fromisoformat(r.created_at),
                             datetime.fromisoformat(r.answered_at)) if r.answered_at else None
        counts[_bucket(took, hours.day_hours)].append(r.post_id)
    buckets = [(b, len(ids), len(ids) < MIN_COUNT or reader.authors(ids) >= MIN_COUNT)
               for b, ids in counts.items()]
    start, end = weeks[-1].utc
    own = sorted(reader.own_posts(start, end), key=lambda p: (-p.stored_replies, p.created_at))
    top = [OwnPostReplies(post_view(PostRow(p.post_id, p.platform, p.native_id, p.created_at,
                                            p.url, p.text, p.title, p.author_handle, p.replies,
                                            p.reposts, p.likes, p.quotes), tz, official, link),
                          p.stored_replies, p.replies_sentiment, p.replies_authors)
           for p in own[:TOP_OWN_POSTS] if p.stored_replies > 0]
    waiting = waiting_list(reader, hours=hours, after=waiting_after, days=waiting_days,
                           topic_labels=topic_labels, official=official, now=now, tz=tz,
                           link=link)
    return EngagedFigures(describe(hours), hours.day_hours, per_week[-1],
                          per_week[-2] if len(per_week) > 1 else WeekMeasures(),
                          _average(per_week[:-2][-4:]), topics, buckets, top, waiting,
                          waiting_after, reader.classified(*weeks[-1].utc))
