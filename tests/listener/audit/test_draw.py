"""Drawing an audit: one stratum per post (best topic x sentiment, unclassified
included), proportional allocation with a floor, reproducible by seed, and
the design the estimators weight by."""

from __future__ import annotations

from collections import Counter

from listener.audit.draw import draw, single_versions, stratum_of, topics_of
from storage.audit_records import ClassifierVersion, DrawCandidate

V = (ClassifierVersion("sentiment", "sentiment.vader", "v8"),
     ClassifierVersion("topic", "topics.keywords", "v2"))
PERIOD = ("2026-11-16T00:00:00+00:00", "2026-11-23T00:00:00+00:00")


def posts() -> list[DrawCandidate]:
    """600 bins-negative, 300 roads-neutral (120 also about bins, scored lower),
    95 with no topic and no sentiment, 5 parks-positive."""
    out = [DrawCandidate(i, (("bins", 1.0),), "negative") for i in range(600)]
    out += [DrawCandidate(600 + i, (("bins", 0.5), ("roads", 0.9)) if i < 120
                          else (("roads", 1.0),), "neutral") for i in range(300)]
    out += [DrawCandidate(900 + i, (), None) for i in range(95)]
    out += [DrawCandidate(995 + i, (("parks", 1.0),), "positive") for i in range(5)]
    return out


def test_each_post_falls_in_one_stratum_of_best_topic_and_sentiment() -> None:
    two = DrawCandidate(1, (("bins", 0.5), ("roads", 0.9)), "neutral")
    assert topics_of(two) == ("roads", "bins") and stratum_of(two) == "roads|neutral"
    tie = DrawCandidate(2, (("roads", 1.0), ("bins", 1.0)), "negative")
    assert stratum_of(tie) == "bins|negative"  # ties go to the first slug
    assert stratum_of(DrawCandidate(3, (), None)) == "none|none"


def test_the_sample_is_proportional_with_at_least_five_per_stratum() -> None:
    made = draw(posts(), 100, seed=1, period=PERIOD, label="2026-W47", versions=V)
    assert made.sizes == {"bins|negative": 600, "none|none": 95, "parks|positive": 5,
                          "roads|neutral": 300}
    # 5 each, then the 80 left by the 980 posts left: 80 * 595/980 = 53.6, 80 * 295/980
    # = 24.1, 80 * 90/980 = 7.3; the post still owed goes to the largest remainder
    assert made.drawn == {"bins|negative": 54, "roads|neutral": 29, "none|none": 12,
                          "parks|positive": 5}
    assert len(made.items) == 100 and sorted(i.position for i in made.items) == list(
        range(1, 101))
    assert len({i.post_id for i in made.items}) == 100
    assert (made.requested, made.seed, made.versions) == (100, 1, V)
    unclassified = [i for i in made.items if i.stratum == "none|none"]
    assert unclassified and all(i.predicted == {"sentiment": (), "topic": ()}
                                for i in unclassified)


def test_the_same_seed_draws_the_same_sample_and_another_seed_another() -> None:
    a = draw(posts(), 100, seed=1, period=PERIOD, label="w", versions=V)
    b = draw(list(reversed(posts())), 100, seed=1, period=PERIOD, label="w", versions=V)
    c = draw(posts(), 100, seed=2, period=PERIOD, label="w", versions=V)
    assert [i.post_id for i in a.items] == [i.post_id for i in b.items]
    assert {i.post_id for i in a.items} != {i.post_id for i in c.items}


def test_strata_do_not_come_in_blocks() -> None:
    made = draw(posts(), 100, seed=1, period=PERIOD, label="w", versions=V)
    first_half = Counter(i.stratum for i in made.items[:50])
    assert len(first_half) >= 3


def test_the_design_counts_each_strata_predicted_classes() -> None:
    made = draw(posts(), 100, seed=1, period=PERIOD, label="w", versions=V)
    topics = made.predicted_counts["topic"]
    assert topics["roads|neutral"] == {"roads": 300, "bins": 120}  # several per post
    assert topics["none|none"] == {"none": 95}
    assert made.predicted_counts["sentiment"]["none|none"] == {"none": 95}
    assert made.predicted_counts["sentiment"]["bins|negative"] == {"negative": 600}


def test_a_period_labelled_by_two_versions_is_refused_in_plain_words() -> None:
    found = Counter({V[0]: 90, ClassifierVersion("sentiment", "sentiment.vader", "v7"): 10,
                     V[1]: 100})
    versions, why = single_versions(found)
    assert versions == []
    assert "sentiment.vader v7 (10 posts) and sentiment.vader v8 (90 posts)" in why
    assert "listener classify --relabel" in why
    assert single_versions(Counter({V[0]: 5, V[1]: 5})) == (list(V), "")
