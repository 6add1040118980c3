"""Estimators of corrected shares (nlp.estimate): hand-built data with known
answers, the edge cases (singular matrix, a class never predicted, an audit
of 5) and interval coverage on a small seeded simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nlp.estimate import (
    Audit,
    Period,
    ShareEstimate,
    Shares,
    audit_accuracy,
    choose,
    confusion_shares,
    correct_shares,
    ppi_shares,
    raw_shares,
    wilson,
)

Z = 1.959963984540054


def rows(*groups: tuple[str, str, int]) -> tuple[list[str], list[str]]:
    """(predicted, gold, how many) groups -> predicted and gold lists."""
    pred = [p for p, _, n in groups for _ in range(n)]
    gold = [g for _, g, n in groups for _ in range(n)]
    return pred, gold


# -- PPI++, simple random sample ---------------------------------------------------

def test_plain_ppi_is_the_predicted_share_plus_the_audits_mean_error() -> None:
    period = Period.from_counts({"neg": 600, "pos": 400})
    audit = Audit.of(*rows(("neg", "neg", 4), ("neg", "pos", 2), ("pos", "neg", 1),
                           ("pos", "pos", 3)))
    est = ppi_shares(period, audit, tune=False).estimates["neg"]
    # 0.6 + mean(y - f) = 0.6 + (5 - 6) / 10; residuals -1,-1,+1 and seven 0s
    s2 = (2 * 0.9 ** 2 + 1.1 ** 2 + 7 * 0.1 ** 2) / 9
    half = Z * math.sqrt((1 - 10 / 1000) * s2 / 10)
    assert est.share == pytest.approx(0.5)
    assert est.low == pytest.approx(0.5 - half) and est.high == pytest.approx(0.5 + half)
    assert est.method == "ppi" and est.n_audit == 10 and est.n_period == 1000


def test_ppi_plus_plus_tunes_lambda_as_cov_over_var() -> None:
    period = Period.from_counts({"neg": 700, "pos": 300})
    audit = Audit.of(*rows(("neg", "neg", 4), ("neg", "pos", 2), ("pos", "neg", 1),
                           ("pos", "pos", 3)))
    shares = ppi_shares(period, audit)
    lam = 0.1 / 0.24  # cov(y, f) = 0.1 and var(f) = 0.24 on these ten posts
    assert shares.details["lambda"]["neg"]["all"] == pytest.approx(lam)
    # lam * 0.7 + mean(y - lam * f) = 0.5 + 0.1 * lam
    assert shares.estimates["neg"].share == pytest.approx(0.5 + 0.1 * lam)
    assert shares.method == "ppi++"


def test_ppi_with_a_perfect_classifier_returns_the_predicted_shares() -> None:
    period = Period.from_counts({"neg": 500, "neu": 300, "pos": 200})
    audit = Audit.of(*rows(("neg", "neg", 40), ("neu", "neu", 30), ("pos", "pos", 30)))
    shares = ppi_shares(period, audit)
    for label, want in {"neg": 0.5, "neu": 0.3, "pos": 0.2}.items():
        est = shares.estimates[label]
        assert est.share == pytest.approx(want)
        assert est.low is not None and est.high is not None
        assert est.low < want < est.high and (est.high - est.low) < 0.1


# -- PPI++, stratified ------------------------------------------------------------

def stratified_example() -> tuple[Period, Audit]:
    """800 posts predicted neg, 200 predicted pos; 10 audited from each."""
    period = Period.from_labels(["neg"] * 800 + ["pos"] * 200, ["neg"] * 800 + ["pos"] * 200)
    pred, gold = rows(("neg", "neg", 8), ("neg", "pos", 2), ("pos", "neg", 3),
                      ("pos", "pos", 7))
    return period, Audit.of(pred, gold, strata=pred, sizes={"neg": 800, "pos": 200})


def test_stratified_ppi_is_the_post_stratified_predictive_value_estimate() -> None:
    period, audit = stratified_example()
    est = ppi_shares(period, audit).estimates["neg"]
    # sum_h W_h * P(true neg | stratum h) = 0.8 * 0.8 + 0.2 * 0.3
    var = (0.8 ** 2 * (1 - 10 / 800) * (8 * 0.2 ** 2 + 2 * 0.8 ** 2) / 9 / 10
           + 0.2 ** 2 * (1 - 10 / 200) * (3 * 0.7 ** 2 + 7 * 0.3 ** 2) / 9 / 10)
    assert est.share == pytest.approx(0.70)
    assert est.low == pytest.approx(0.70 - Z * math.sqrt(var))
    assert est.high == pytest.approx(0.70 + Z * math.sqrt(var))


def test_the_design_matters_ignoring_strata_gives_another_answer() -> None:
    period, audit = stratified_example()
    as_if_random = Audit.of(audit.predicted, audit.gold)
    flat = Period.from_counts({"neg": 800, "pos": 200})
    # plain PPI treating the over-drawn "pos" stratum as random: 0.8 + (0.55 - 0.5)
    assert ppi_shares(flat, as_if_random, tune=False).estimates["neg"].share == (
        pytest.approx(0.85))
    assert ppi_shares(period, audit, tune=False).estimates["neg"].share == pytest.approx(0.70)
    # tuned PPI++ with one binary prediction is the regression estimator, which
    # post-stratifies by itself: 0.70 here too
    assert ppi_shares(flat, as_if_random).estimates["neg"].share == pytest.approx(0.70)
    assert audit.weights()[:1] == [80.0] and audit.weights()[-1:] == [20.0]


def test_a_stratum_with_no_audited_post_keeps_its_prediction_and_widens_the_interval() -> None:
    period = Period.from_labels(["neg"] * 900 + ["pos"] * 100, ["a"] * 900 + ["b"] * 100)
    pred, gold = rows(("neg", "neg", 15), ("neg", "pos", 5))
    audit = Audit.of(pred, gold, strata=["a"] * 20, sizes={"a": 900, "b": 100})
    shares = ppi_shares(period, audit)
    pos = shares.estimates["pos"]
    assert pos.share == pytest.approx(0.9 * 0.25 + 0.1 * 1.0)
    assert pos.low is not None and pos.low <= 0.9 * 0.25 - 0.1 + 1e-9  # could all be wrong
    assert shares.details["unaudited_share"] == pytest.approx(0.1)
    assert "did not sample" in shares.note


# -- confusion-matrix correction --------------------------------------------------

def test_confusion_matrix_correction_is_rogan_gladen_for_two_classes() -> None:
    audit = Audit.of(*rows(("neg", "neg", 8), ("pos", "neg", 2), ("neg", "pos", 2),
                           ("pos", "pos", 8)))
    period = Period.from_counts({"neg": 620, "pos": 380})
    shares = confusion_shares(period, audit, n_boot=200)
    # (q - FPR) / (TPR - FPR) = (0.62 - 0.2) / 0.6
    assert shares.ok and shares.estimates["neg"].share == pytest.approx(0.7)
    assert shares.estimates["pos"].share == pytest.approx(0.3)
    est = shares.estimates["neg"]
    assert est.low is not None and est.high is not None and est.low < 0.7 < est.high


def test_confusion_matrix_recovers_three_known_shares() -> None:
    m = np.array([[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.2, 0.7]])  # P(pred | true)
    names = ["neg", "neu", "pos"]
    groups = [(names[j], names[k], round(m[j, k] * 100)) for j in range(3)
              for k in range(3)]
    audit = Audit.of(*rows(*groups))
    truth = np.array([0.5, 0.3, 0.2])
    q = m @ truth
    period = Period.from_counts({c: round(v * 10_000) for c, v in zip(names, q)})
    shares = confusion_shares(period, audit, n_boot=200)
    for c, want in zip(names, truth, strict=True):
        assert shares.estimates[c].share == pytest.approx(want, abs=1e-3)


def test_correction_outside_zero_one_is_clipped_and_renormalised() -> None:
    audit = Audit.of(*rows(("neg", "neg", 8), ("pos", "neg", 2), ("neg", "pos", 2),
                           ("pos", "pos", 8)))
    shares = confusion_shares(Period.from_counts({"neg": 90, "pos": 10}), audit, n_boot=100)
    assert shares.estimates["neg"].share == 1.0 and shares.estimates["pos"].share == 0.0


def test_a_stratified_audit_is_reweighted_before_the_matrix_is_estimated() -> None:
    period, audit = stratified_example()
    shares = confusion_shares(period, audit, n_boot=200)
    # with strata = predicted classes, the weighted correction equals the
    # post-stratified estimate; unweighted it would not
    assert shares.estimates["neg"].share == pytest.approx(0.70)
    unweighted = confusion_shares(period, Audit.of(audit.predicted, audit.gold), n_boot=50)
    assert unweighted.estimates["neg"].share != pytest.approx(0.70)


def test_a_singular_matrix_is_refused_in_plain_words() -> None:
    # the classifier says "neg" whatever the truth: no "pos" prediction at all
    audit = Audit.of(*rows(("neg", "neg", 6), ("neg", "pos", 4)))
    shares = confusion_shares(Period.from_counts({"neg": 100}), audit, n_boot=50)
    assert not shares.ok and shares.estimates["neg"].share is None
    assert "never saw pos predicted" in shares.note and "singular" in shares.note


def test_an_uninformative_classifier_is_refused_as_ill_conditioned() -> None:
    audit = Audit.of(*rows(("neg", "neg", 5), ("pos", "neg", 5), ("neg", "pos", 5),
                           ("pos", "pos", 5)))
    shares = confusion_shares(Period.from_counts({"neg": 60, "pos": 40}), audit, n_boot=50)
    assert not shares.ok and "ill-conditioned" in shares.note
    assert all(e.share is None and e.low is None for e in shares.estimates.values())


def test_a_true_class_missing_from_the_audit_is_refused() -> None:
    audit = Audit.of(*rows(("neg", "neg", 6), ("pos", "neg", 4)))
    shares = confusion_shares(Period.from_counts({"neg": 60, "pos": 40}), audit, n_boot=50)
    assert not shares.ok and "no audited post is truly pos" in shares.note


def test_a_class_never_predicted_in_the_period_is_still_estimated() -> None:
    audit = Audit.of(*rows(("neg", "neg", 30), ("neg", "pos", 5), ("pos", "neg", 5),
                           ("pos", "pos", 20)))
    period = Period.from_counts({"neg": 1000, "pos": 0})
    cm, ppi = confusion_shares(period, audit, n_boot=200), ppi_shares(period, audit)
    assert cm.ok and ppi.ok
    # under the matrix's assumption nothing predicted pos means (clipped) none is pos
    assert cm.estimates["pos"].share == 0.0 and cm.estimates["neg"].share == 1.0
    pos = ppi.estimates["pos"]  # PPI++ trusts the audit, which found some
    assert pos.share is not None and 0.0 < pos.share < 0.2
    assert pos.low is not None and pos.high is not None and pos.low < pos.share < pos.high


def test_a_class_the_classifier_never_predicts_gets_its_share_from_the_audit() -> None:
    period = Period.from_counts({"neg": 700, "pos": 300})
    audit = Audit.of(*rows(("neg", "neg", 10), ("neg", "neu", 5), ("pos", "pos", 5)))
    shares = ppi_shares(period, audit)
    assert shares.estimates["neu"].share == pytest.approx(0.25)
    assert not confusion_shares(period, audit, n_boot=50).ok  # neu never predicted


def test_an_audit_of_five_gives_wide_honest_intervals_or_a_refusal() -> None:
    period = Period.from_counts({"neg": 600, "neu": 250, "pos": 150})
    audit = Audit.of(["neg", "neg", "neu", "pos", "neg"], ["neg", "neu", "neu", "pos", "neg"])
    ppi = ppi_shares(period, audit)
    assert ppi.details["lambda"]["neg"]["all"] == 0.0  # too few to tune: the audit alone
    for est in ppi.estimates.values():
        assert est.low is not None and est.high is not None and est.share is not None
        assert 0.0 <= est.low <= est.share <= est.high <= 1.0
        assert est.high - est.low > 0.3
    cm = confusion_shares(period, audit, n_boot=200)
    if cm.ok:
        values = [e.share for e in cm.estimates.values()]
        assert all(v is not None and 0 <= v <= 1 for v in values)
        assert sum(v for v in values if v is not None) == pytest.approx(1.0)
    else:
        assert cm.note


# -- several labels per post (topics) ----------------------------------------------

def test_topics_with_several_labels_are_corrected_one_class_at_a_time() -> None:
    period = Period.from_labels([{"roads"}] * 300 + [{"roads", "bins"}] * 100
                                + [{"bins"}] * 200 + [set()] * 400)
    assert period.counts() == {"roads": 400, "bins": 300, "none": 400}
    assert not period.single_label
    audit = Audit.of(*rows(("roads", "roads", 16), ("roads", "bins", 4),
                           ("bins", "bins", 18), ("bins", "none", 2),
                           ("none", "none", 36), ("none", "roads", 4)))
    cm = confusion_shares(period, audit, n_boot=100)
    # roads: TPR 16/20, FPR 4/60 -> (0.4 - 1/15) / (0.8 - 1/15)
    assert cm.estimates["roads"].share == pytest.approx((0.4 - 1 / 15) / (0.8 - 1 / 15))
    ppi = ppi_shares(period, audit)
    assert set(ppi.estimates) == {"bins", "none", "roads"}


# -- raw, chooser -------------------------------------------------------------------

def test_raw_shares_carry_wilson_intervals() -> None:
    raw = raw_shares(Period.from_counts({"neg": 39, "pos": 61}))
    assert raw.estimates["neg"].share == pytest.approx(0.39)
    assert (raw.estimates["neg"].low, raw.estimates["neg"].high) == wilson(39, 100)


def test_the_chooser_publishes_the_narrower_correction_and_keeps_raw_beside_it() -> None:
    period = Period.from_counts({"neg": 4000, "neu": 3500, "pos": 2500})
    rng = np.random.default_rng(3)
    truth = rng.choice(["neg", "neu", "pos"], size=200, p=[0.5, 0.3, 0.2])
    pred = [t if rng.random() < 0.6 else str(rng.choice(["neg", "neu", "pos"]))
            for t in truth]
    audit = Audit.of(pred, list(truth))
    result = correct_shares(period, current=audit, n_boot=200)
    widths = {c.method: c.mean_width() for c in result.candidates}
    assert set(widths) == {"ppi++", "confusion-matrix"}
    assert result.chosen is not None
    assert result.chosen.mean_width() == min(w for w in widths.values() if w is not None)
    assert result.raw.method == "raw" and result.method == result.chosen.method
    earlier = correct_shares(period, earlier=audit, n_boot=200)
    assert earlier.method == "confusion-matrix (earlier audit)"


def test_a_correction_too_wide_to_be_useful_is_published_with_a_warning() -> None:
    wide = Shares("confusion-matrix", {
        "neg": ShareEstimate("neg", 0.6, 0.35, 0.8, "confusion-matrix", 200, 1000),
        "pos": ShareEstimate("pos", 0.4, 0.2, 0.65, "confusion-matrix", 200, 1000)})
    result = choose(raw_shares(Period.from_counts({"neg": 500, "pos": 500})), [wide])
    assert result.chosen is wide
    assert "uncertain" in result.note and "45 points" in result.note


def test_the_chooser_falls_back_with_a_reason_when_no_correction_works() -> None:
    audit = Audit.of(*rows(("neg", "neg", 6), ("neg", "pos", 4)))
    result = correct_shares(Period.from_counts({"neg": 100}), earlier=audit, n_boot=50)
    assert result.chosen is None and "singular" in result.note
    none = choose(raw_shares(Period.from_counts({"neg": 5})), [])
    assert none.chosen is None and "no audit" in none.note


# -- accuracy from an audit ---------------------------------------------------------

def test_precision_and_recall_are_design_weighted() -> None:
    _period, audit = stratified_example()
    acc = audit_accuracy(audit)
    assert acc["neg"].precision.value == pytest.approx(0.8)
    # truly neg: 8 drawn of weight 80 predicted neg, 3 of weight 20 predicted pos
    assert acc["neg"].recall.value == pytest.approx(640 / (640 + 60))
    assert acc["neg"].recall.n == 11 and acc["neg"].recall.n_effective < 11
    simple = audit_accuracy(Audit.of(audit.predicted, audit.gold))
    assert simple["neg"].recall.value == pytest.approx(8 / 11)
    assert (simple["neg"].recall.low, simple["neg"].recall.high) == wilson(8, 11)


# -- what callers get wrong -----------------------------------------------------------

def test_an_empty_audit_or_period_gives_no_figures_and_says_why() -> None:
    empty = Audit.of([], [])
    period = Period.from_counts({"neg": 60, "pos": 40})
    for shares in (ppi_shares(period, empty), confusion_shares(period, empty, n_boot=10)):
        assert not shares.ok and shares.note
        assert all(e.share is None for e in shares.estimates.values())
    audit = Audit.of(["neg"], ["neg"])
    nothing = ppi_shares(Period.from_counts({}), audit)
    assert not nothing.ok and nothing.note == "no posts in the period"
    assert correct_shares(Period.from_counts({}), current=audit, n_boot=10).chosen is None


def test_bad_audits_are_refused_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="2 predicted labels but 1 gold"):
        Audit.of(["a", "b"], ["a"])
    with pytest.raises(ValueError, match="needs the stratum sizes"):
        Audit.of(["a"], ["a"], strata=["x"])
    with pytest.raises(ValueError, match="more audited posts than posts"):
        Audit.of(["a", "a"], ["a", "a"], strata=["x", "x"], sizes={"x": 1})
    _, audit = stratified_example()
    with pytest.raises(ValueError, match="summarise the period with the strata"):
        ppi_shares(Period.from_counts({"neg": 800, "pos": 200}), audit)


# -- coverage on a small seeded simulation ------------------------------------------

def simulate(stratified: bool, draws: int = 200) -> dict[str, list[float]]:
    rng = np.random.default_rng(7)
    names = np.array(["neg", "neu", "pos"])
    m = np.array([[0.75, 0.25, 0.15], [0.15, 0.55, 0.2], [0.1, 0.2, 0.65]])
    truth = rng.choice(3, size=3000, p=[0.55, 0.3, 0.15])
    pred = np.array([rng.choice(3, p=m[:, t]) for t in truth])
    share = {c: float(np.mean(truth == i)) for i, c in enumerate(names)}
    labels = list(names[pred])
    period = Period.from_labels(labels, labels if stratified else None)
    sizes = {c: int(np.sum(pred == i)) for i, c in enumerate(names)}
    hits: dict[str, list[float]] = {"ppi++": [], "confusion-matrix": [], "err": []}
    for _ in range(draws):
        if stratified:
            idx = np.concatenate([rng.choice(np.flatnonzero(pred == i), 67, replace=False)
                                  for i in range(3)])
            audit = Audit.of(list(names[pred[idx]]), list(names[truth[idx]]),
                             list(names[pred[idx]]), sizes)
        else:
            idx = rng.choice(3000, 200, replace=False)
            audit = Audit.of(list(names[pred[idx]]), list(names[truth[idx]]))
        ppi = ppi_shares(period, audit)
        cm = confusion_shares(period, audit, n_boot=100, seed=int(rng.integers(1 << 30)))
        for shares in (ppi, cm):
            for c, est in shares.estimates.items():
                assert est.low is not None and est.high is not None and est.share is not None
                hits[shares.method].append(float(est.low <= share[c] <= est.high))
                if shares is ppi:
                    hits["err"].append(abs(est.share - share[c]))
    return hits


@pytest.mark.parametrize("stratified", [False, True], ids=["simple", "stratified"])
def test_intervals_cover_the_truth_about_95_percent_of_the_time(stratified: bool) -> None:
    hits = simulate(stratified)
    assert np.mean(hits["ppi++"]) >= 0.92
    assert np.mean(hits["confusion-matrix"]) >= 0.88  # bootstrap of 100: rougher
    assert np.mean(hits["err"]) < 0.04
