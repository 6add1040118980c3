"""Bursting terms against their own trailing baseline, by the stated
emerging-issue test; the term counts use discovery's tokenisation."""

from __future__ import annotations

from collections import Counter

from nlp.bursts import bursting_terms, describe
from nlp.terms import term_counts, terms_of


def period(**counts: int) -> Counter[str]:
    return Counter({k.replace("_", " "): v for k, v in counts.items()})


def weeks_with_a_road_closure() -> list[Counter[str]]:
    steady = [48, 52, 50, 47, 53, 49, 51, 50]
    past = [period(bin=n, road_closure=k % 2, closure=1 + k % 2, tip=3)
            for k, n in enumerate(steady)]
    return [*past, period(bin=54, road_closure=40, closure=43, tip=3)]


def test_a_term_far_above_its_own_baseline_bursts_and_a_steady_one_does_not() -> None:
    bursts = bursting_terms(weeks_with_a_road_closure())
    assert [b.term for b in bursts] == ["road closure"]
    burst = bursts[0]
    assert burst.count == 40
    assert burst.test.baseline_mean == 0.5 and burst.test.weeks == 8
    assert burst.test.threshold == 0.5 + 3 * 1.0  # mean + 3 x max(sd, sqrt(mean), 1)
    assert "bin" not in {b.term for b in bursts}  # 54 against ~50: steady


def test_a_word_is_left_out_when_its_bursting_phrase_explains_it() -> None:
    weeks = weeks_with_a_road_closure()
    assert "closure" not in {b.term for b in bursting_terms(weeks)}
    # with overlap 1.0 the word stays: 40 of its 43 posts is not all of them
    assert {b.term for b in bursting_terms(weeks, overlap=1.0)} == {"road closure", "closure"}


def test_baselines_need_four_periods_and_skip_periods_before_collection() -> None:
    weeks = weeks_with_a_road_closure()
    assert bursting_terms(weeks[-4:]) == []  # three baseline periods only
    silent = [Counter[str]()] * 5 + weeks[-5:]
    bursts = bursting_terms(silent)
    assert bursts and bursts[0].test.weeks == 4  # the empty periods are not zeros
    assert bursting_terms([]) == []


def test_the_baseline_is_the_trailing_eight_periods() -> None:
    old_spike = [period(flood=60)] + [period(flood=1, x=5) for _ in range(8)]
    weeks = [*old_spike, period(flood=30, x=5)]
    bursts = bursting_terms(weeks)
    assert [b.term for b in bursts] == ["flood"] and bursts[0].test.baseline_mean == 1.0
    assert bursting_terms(weeks, baseline_periods=9) == []  # the old spike now counts


def test_the_stated_test_names_terms() -> None:
    text = describe(8, "weeks")
    assert text.startswith("A term is flagged") and "trailing 8 weeks" in text


def test_term_counts_count_posts_with_the_same_tokenisation_as_theme_terms() -> None:
    texts = ["Road closure on Mill Road again!", "road closures everywhere", "Mill Road closed",
             "https://example.org @council #RoadClosure"]
    counts = term_counts(texts, min_df=2)
    assert counts["road"] == 4 and counts["road closure"] == 3
    assert counts["mill road"] == 2
    assert "everywhere" not in counts  # used by one post only
    assert terms_of("the road is not working, don't @me") == ["road", "working"]
    assert "closure" in terms_of("closures!") and "http" not in counts
