"""Stories, not flags: a week in which two flagged topics share most of
their posts is told as one story; a topic flagged only because of posts it
shares with the story is spillover; no quote is repeated."""

from __future__ import annotations

from reports import ReportSettings, compute_figures
from reports.figures import Figures
from storage import Store
from tests.reports.builders import Spec, add, at
from tests.reports.conftest import CONTEXT, NOW, week_posts

LABELS = {"waste_recycling": "Bins", "industrial_action": "Industrial action",
          "schools_send": "Schools and SEND", "parks": "Parks"}
QUIET = ("2026-09-22", "2026-09-29", "2026-10-06", "2026-10-13", "2026-10-20", "2026-10-27",
         "2026-11-03", "2026-11-10")


def strike(store: Store) -> Figures:
    for k, day in enumerate(QUIET):
        add(store, week_posts(day, "waste_recycling", 20, ["neutral"], first_author=1000 * k))
        add(store, week_posts(day, "schools_send", 10, ["neutral"], first_author=1000 * k + 500,
                              terms=("school",)))
    both = [("waste_recycling", ("bin",)), ("industrial_action", ("strike",))]
    week = [Spec(when=at("2026-11-17", 9, k % 60), author=f"s{k}", topics=both,
                 sentiment="negative", text=f"bin strike day {k}") for k in range(60)]
    # 12 posts about the strike outside schools: bins and schools at once
    week += [Spec(when=at("2026-11-18", 9, k), author=f"g{k}", sentiment="negative",
                  topics=[("waste_recycling", ("bin",)), ("schools_send", ("school",))],
                  text=f"overflowing bins outside the school gates {k}") for k in range(12)]
    week += week_posts("2026-11-19", "schools_send", 10, ["neutral"], first_author=90_000,
                       terms=("school",))
    add(store, week)
    return compute_figures(store, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                           context=CONTEXT, now=NOW)


def test_topics_sharing_most_posts_are_one_story(store: Store) -> None:
    fig = strike(store)
    assert len(fig.stories) == 1
    story = fig.stories[0]
    assert story.lead.flag.slug == "waste_recycling" and story.lead.flag.current == 72
    others = {s.flag.slug: s for s in story.others}
    assert set(others) == {"industrial_action", "schools_send"}
    # every industrial-action post is a bin post too: the same posts
    assert others["industrial_action"].overlaps == (("Bins", 60),)
    # schools: 22 posts against 10 a week (threshold 19.5), 12 of them shared with
    # bins: the 10 left are not unusual, so the flag is the strike's spillover
    schools = others["schools_send"]
    assert schools.flag.current == 22 and schools.overlaps == (("Bins", 12),)
    assert schools.spillover
    assert dict(story.lead.overlaps) == {"Industrial action": 60, "Schools and SEND": 12}


def test_quotes_explain_the_spillover_and_never_repeat(store: Store) -> None:
    fig = strike(store)
    story = fig.stories[0]
    schools = next(s for s in story.others if s.flag.slug == "schools_send")
    assert schools.flag.posts and all("outside the school gates" in p.text
                                      for p in schools.flag.posts)
    quoted = [p.id for s in (story.lead, *story.others) for p in s.flag.posts]
    quoted += [p.id for _, _, posts in fig.representative for p in posts]
    quoted += [p.id for p in fig.most_engaged]
    assert quoted and len(quoted) == len(set(quoted))


def test_the_headline_names_the_story_once(store: Store) -> None:
    fig = strike(store)
    assert fig.headline[0] == (
        "The week was dominated by Bins: posts rose from 20 to 72, and 100% were negative; "
        "the rise in Industrial action and Schools and SEND came from the same posts.")
