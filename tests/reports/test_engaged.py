"""The "How we engaged" section: response measures in working hours, the
body's own posts kept out of residents' figures, suppression, and the list
of questions waiting for an answer."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reports import ReportSettings, compute_figures
from reports.engaged_tables import FEW_ANSWERED, engaged_tables
from reports.render_html import render_html
from reports.render_md import render_md
from reports.text import FEWER, SUPPRESSED
from reports.workhours import WorkingHours
from storage import LabelRecord, Post, Store, StoredItem
from tests.reports.conftest import CONTEXT, LABELS

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday of 2026-W48; London on GMT
CTX = dataclasses.replace(CONTEXT, working_hours=WorkingHours(), waiting_after_hours=8.0,
                          official_handles=frozenset({"ExampleCouncil"}))
_ids = iter(range(1, 10**6))


@dataclasses.dataclass(frozen=True)
class P:
    when: datetime
    text: str = "a post"
    author: str = "a0"
    own: bool = False
    reply_to: str | None = None  # native id
    addressed: bool = False
    kinds: Sequence[str] = ()  # question, complaint
    topics: Sequence[str] = ()
    sentiment: str = "neutral"
    likes: int | None = None
    native: str = ""


def put(store: Store, posts: Sequence[P]) -> list[str]:
    run = store.runs.start("x-own")
    items, natives = [], []
    for p in posts:
        native = p.native or f"e{next(_ids)}"  # apart from tests.reports.builders
        natives.append(native)
        items.append(StoredItem(Post(
            "x", native, p.text, p.when, url=f"https://x.com/i/status/{native}",
            author_key=f"key-{p.author}", author_handle="ExampleCouncil" if p.own else None,
            author_official=p.own, in_reply_to=p.reply_to, addressed=p.addressed,
            likes=p.likes), {"id": native}))
    ids = store.collect.save_page(source="x-own", run_id=run, items=items).new_ids
    store.labels.save("topic", "topics.keywords", "v1", "cfg", ids, [
        LabelRecord(i, "topic", t, 1.0, "topics.keywords", "v1") for i, p in zip(
            ids, posts, strict=True) for t in p.topics])
    store.labels.save("sentiment", "sentiment.vader", "v1", None, ids, [
        LabelRecord(i, "sentiment", p.sentiment, 0.5, "sentiment.vader", "v1")
        for i, p in zip(ids, posts, strict=True)])
    store.labels.save("request", "request.rules", "v1", None, ids, [
        LabelRecord(i, "request", k, 1.0, "request.rules", "v1") for i, p in zip(
            ids, posts, strict=True) for k in p.kinds])
    return natives


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)  # GMT = London in November


def figures(store: Store, ctx=CTX):  # type: ignore[no-untyped-def]
    return compute_figures(store, "2026-W47", settings=ReportSettings(timezone="Europe/London"),
                           topic_labels=LABELS, context=ctx, now=NOW)


def questions_and_answers(store: Store) -> None:
    """W47: an own post; 13 residents ask (Mon 16th 10:00 or Fri 20th 16:30);
    the body answers 10 within two working hours, 2 on Thursday 19th 10:00,
    the Friday one never."""
    put(store, [P(at(16, 9), "Bins run a day late this week", own=True, likes=40,
                  native="own1")])
    asks = [P(at(16, 10), f"@ExampleCouncil when is my bin coming? {k}", author=f"r{k}",
              addressed=True, kinds=("question",), topics=("waste_recycling",),
              native=f"q{k}") for k in range(12)]
    asks.append(P(at(20, 16, 30), "@ExampleCouncil still waiting for the tip to reopen",
                  author="r12", addressed=True, kinds=("complaint",), native="q12"))
    put(store, asks)
    answers = [P(at(16, 10) + timedelta(minutes=10 * (k + 1)), f"@[user] answer {k}",
                 own=True, reply_to=f"q{k}") for k in range(10)]
    answers += [P(at(19, 10), f"answer late {k}", own=True, reply_to=f"q{k}")
                for k in (10, 11)]
    put(store, answers)


def test_response_measures_count_working_hours(store: Store) -> None:
    questions_and_answers(store)
    e = figures(store).engaged
    assert e is not None and e.classified  # the request labels were saved with their state
    m = e.this
    assert (m.received, m.questions, m.complaints, m.received_authors) == (13, 12, 1, 13)
    # within 1 working day: 10 of 13 (the Friday one has waited 16.5 working hours)
    assert (m.answered[0].within, m.answered[0].due) == (10, 13)
    # within 5: 12 of 12 due; the Friday question has not had 40 working hours yet
    assert (m.answered[1].within, m.answered[1].due) == (12, 12)
    assert m.response_hours[:3] == (10 / 60, 20 / 60, 30 / 60)
    assert m.response_hours[-2:] == (24.0, 24.0)  # Mon 10:00 -> Thu 10:00: 7 + 8 + 8 + 1
    assert m.median_hours == pytest.approx((60 + 70) / 2 / 60)
    rows = {r[0]: r[1] for r in engaged_tables(e)[0].rows}
    assert rows["Answered within 1 working day"] == "77% (10 of 13)"
    assert rows["Answered within 5 working days"] == "100% (12 of 12)"
    assert rows["Median first response (working hours)"] == "1.1 h"
    waiting = e.waiting
    assert [w.text for w in waiting] == ["@ExampleCouncil still waiting for the tip to reopen"]
    assert waiting[0].waited_hours == 16.5 and waiting[0].kinds == ("complaint",)


def test_own_posts_never_count_in_residents_figures(store: Store) -> None:
    residents = [P(at(17, 10), f"bins missed again {k}", author=f"r{k}",
                   topics=("waste_recycling",), sentiment="negative") for k in range(10)]
    council = [P(at(17, 11), f"Bin collections update {k}", own=True,
                 topics=("waste_recycling",), sentiment="positive", likes=5)
               for k in range(15)]
    put(store, residents + council)
    fig = figures(store)
    assert fig.this.posts == 10
    assert (fig.sentiment.negative, fig.sentiment.positive) == (10, 0)
    bins = next(r for r in fig.topics if r.slug == "waste_recycling")
    assert (bins.posts, bins.sentiment.positive) == (10, 0)
    assert all(p.official_handle is None for p in fig.most_engaged)
    assert fig.engaged is not None and fig.engaged.this.own_posts == 15
    assert fig.engaged.this.reach["likes"] == 75


def test_small_counts_are_suppressed_in_the_section(store: Store) -> None:
    put(store, [P(at(16, 9), "Bins update", own=True, native="own1")])
    put(store, [P(at(16, 10), f"@ExampleCouncil when? {k}", author=f"r{k}", addressed=True,
                  kinds=("question",), topics=("waste_recycling",), native=f"q{k}",
                  sentiment="negative", reply_to="own1") for k in range(5)])
    # 12 questions from only 3 authors: a count from fewer than 10 authors
    put(store, [P(at(17, 10), f"@ExampleCouncil and? {k}", author=f"s{k % 3}", addressed=True,
                  kinds=("complaint",), topics=("parks",)) for k in range(12)])
    put(store, [P(at(16, 11), "answer", own=True, reply_to="q0")])
    e = figures(store).engaged
    assert e is not None
    tables = {t.name: t for t in engaged_tables(e)}
    summary = {r[0]: r[1:] for r in tables["engaged_summary"].rows}
    assert summary["Questions and complaints to us"][0] == SUPPRESSED  # 17 from 8 authors
    assert summary["  of which questions"][0] == FEWER
    assert summary["Answered within 1 working day"][0] == SUPPRESSED
    assert summary["Median first response (working hours)"][0] == FEW_ANSWERED
    assert summary["Residents' replies to our posts"][0] == FEWER
    assert summary["  Negative share of replies"][0] == FEWER
    topics = {r[0]: r[1:] for r in tables["engaged_topics"].rows}
    assert topics["Bin collections"][0] == FEWER and topics["Parks"][0] == SUPPRESSED
    assert topics["Bin collections"][1] == FEWER  # no percentage on 1 of 5
    buckets = dict(tables["engaged_response_times"].rows)
    assert buckets["not answered yet"] == SUPPRESSED  # 16 from 7 authors
    assert buckets["under 1 working hour"] == FEWER
    html = render_html(figures(store))
    assert "How we engaged" in html and "77%" not in html and "fewer than 10 answered" in html


def test_the_section_renders_and_its_waiting_list_masks_handles(store: Store,
                                                                tmp_path: Path) -> None:
    questions_and_answers(store)
    put(store, [P(at(23, 9), "@ExampleCouncil @neighbour_jo the lamp on Elm Road is out",
                  author="r50", addressed=True, kinds=("complaint",), topics=("parks",))])
    fig = figures(store)
    html = render_html(fig)
    assert "How we engaged" in html and "Waiting for an answer" in html
    assert "77% (10 of 13)" in html and "<svg" in html.split('id="s-engaged"')[1]
    md = render_md(fig)
    assert "## How we engaged" in md and "@\\[user\\] the lamp" in md
    assert "neighbour_jo" not in html and "neighbour_jo" not in md
    waiting = {w.text: w for w in fig.engaged.waiting} if fig.engaged else {}
    lamp = waiting["@ExampleCouncil @[user] the lamp on Elm Road is out"]
    assert lamp.topics == ("Parks",) and lamp.url and lamp.url.startswith("https://x.com/i/")
    assert lamp.waited_hours == 16.0  # Mon 23rd 09:00 -> Wed 25th 09:00: Mon and Tue


def test_no_working_hours_no_section(store: Store) -> None:
    questions_and_answers(store)
    fig = figures(store, CONTEXT)
    assert fig.engaged is None and "How we engaged" not in render_html(fig)
