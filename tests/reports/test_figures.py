from __future__ import annotations

import pytest

from reports import compute_figures, latest_complete_week
from reports.stats import wilson
from storage import Store
from tests.reports.conftest import CONTEXT, LABELS, NOW


def figures(store: Store, settings, week: str = "2026-W47"):
    return compute_figures(store, week, settings=settings, topic_labels=LABELS,
                           context=CONTEXT, now=NOW)


def test_totals_and_sentiment(known: Store, settings) -> None:
    fig = figures(known, settings)
    assert (fig.this.posts, fig.this.authors) == (30, 30)
    assert (fig.previous.posts, fig.previous.authors) == (10, 10)
    assert fig.average4 == (10.0, 10.0)  # W43..W46: 10 posts each
    s = fig.sentiment
    # 12 + 5 roads = 17 negative; 5 + 3 unclassified-topic posts = 8 neutral; 3 positive
    assert (s.negative, s.neutral, s.positive, s.unclassified, s.pending) == (17, 8, 3, 0, 2)
    assert fig.sentiment_previous.negative == 2
    # W43 (20 Oct), W44 (27 Oct), W45 (3 Nov): 5 negative each; W46: 2
    assert fig.sentiment_4wk.negative == 17


def test_topics_rows(known: Store, settings) -> None:
    fig = figures(known, settings)
    rows = {r.slug: r for r in fig.topics}
    bins = rows["waste_recycling"]
    assert (bins.posts, bins.authors_ok, bins.previous, bins.previous_ok) == (20, True, 10, True)
    assert bins.sentiment_ok == (True, True, True)  # 5 and 3 are under 10: nothing to check
    assert bins.label == "Bin collections"
    assert (bins.sentiment.negative, bins.sentiment.neutral, bins.sentiment.positive) == (12, 5, 3)
    assert bins.negative_interval == wilson(12, 20)
    assert bins.top_terms == (("bin", 20, True),)
    assert rows["roads_potholes"].posts == 5
    assert rows["parks"].posts == 0  # configured topics are always listed
    assert fig.topics[0].slug == "waste_recycling"
    assert (fig.topic_unclassified, fig.topic_pending) == (3, 2)


def test_latest_complete_week(known: Store) -> None:
    assert latest_complete_week(known, "Europe/London", NOW) == "2026-W47"


def test_latest_complete_week_empty(store: Store) -> None:
    assert latest_complete_week(store, "Europe/London", NOW) is None


def test_bad_week(known: Store, settings) -> None:
    with pytest.raises(ValueError, match="2026-W60"):
        figures(known, settings, "2026-W60")
