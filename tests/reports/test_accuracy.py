"""The accuracy figures as pure computation over a week's counts and
hand-built audits: known answers for the measured precision and recall and
for the corrected shares, by where the audit came from."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from reports import compute_figures
from reports.accuracy_section import accuracy_section
from reports.accuracy_tables import accuracy_tables
from reports.figures import Figures
from storage import Store
from storage.audit_records import ClassifierVersion
from tests.reports.audits import SENTIMENT_V1, TOPICS_V1, Group, audit_of
from tests.reports.conftest import CONTEXT, LABELS, NOW

W47 = ("2026-11-16T00:00:00+00:00", "2026-11-23T00:00:00+00:00")
W46 = ("2026-11-09T00:00:00+00:00", "2026-11-16T00:00:00+00:00")
LONDON = ZoneInfo("Europe/London")
USED = [("sentiment", "sentiment.vader", "v1", 28), ("topic", "topics.keywords", "v1", 28)]
WASTE, ROADS = ("waste_recycling",), ("roads_potholes",)
# Every classified post of the known week, labelled by hand (a census of it):
# 4 of the 12 negative bin posts are truly neutral, 1 of the 3 positive ones is
# sarcasm (negative), and 1 of the 3 posts with no topic is about roads.
CENSUS = [
    Group("waste_recycling|negative", WASTE, "negative", WASTE, "negative", 8),
    Group("waste_recycling|negative", WASTE, "negative", WASTE, "neutral", 4),
    Group("waste_recycling|neutral", WASTE, "neutral", WASTE, "neutral", 5),
    Group("waste_recycling|positive", WASTE, "positive", WASTE, "positive", 2),
    Group("waste_recycling|positive", WASTE, "positive", WASTE, "negative", 1),
    Group("roads_potholes|negative", ROADS, "negative", ROADS, "negative", 5),
    Group("none|neutral", (), "neutral", (), "neutral", 2),
    Group("none|neutral", (), "neutral", ROADS, "neutral", 1),
]
SIZES = {"waste_recycling|negative": 12, "waste_recycling|neutral": 5,
         "waste_recycling|positive": 3, "roads_potholes|negative": 5, "none|neutral": 3}


@pytest.fixture
def fig(known: Store, settings) -> Figures:  # type: ignore[no-untyped-def]
    return compute_figures(known, "2026-W47", settings=settings, topic_labels=LABELS,
                           context=CONTEXT, now=NOW)


def section(fig: Figures, audits: dict[ClassifierVersion, list], used=USED):  # type: ignore[no-untyped-def]
    return accuracy_section(fig, used, audits, W47, LABELS, LONDON)


def test_no_audit_says_accuracy_is_not_measured_and_what_to_run(fig: Figures) -> None:
    acc = section(fig, {})
    assert acc.measured == [] and acc.corrections == []
    assert acc.unmeasured == [SENTIMENT_V1, TOPICS_V1]
    assert acc.statement.startswith("Accuracy not measured")
    assert "sentiment.vader v1" in acc.statement and "topics.keywords v1" in acc.statement
    assert "listener audit draw --week 2026-W47" in acc.statement
    assert "listener audit load" in acc.statement
    fig.accuracy = acc
    assert [t.name for t in accuracy_tables(fig)] == ["accuracy"]  # no corrected table


def test_a_census_of_the_week_gives_exact_precision_recall_and_corrected_shares(
        fig: Figures) -> None:
    audit = audit_of(CENSUS, SIZES, W47)
    acc = section(fig, {SENTIMENT_V1: [audit], TOPICS_V1: [audit]})
    assert acc.unmeasured == []
    sentiment = next(m for m in acc.measured if m.version == SENTIMENT_V1)
    assert (sentiment.n, sentiment.same_period, sentiment.period) == (28, True, "2026-W47")
    assert sentiment.date == "24 Nov 2026"
    negative = next(r for r in sentiment.rows if r.label == "Negative")
    # predicted negative: 17, of which 13 truly; truly negative: 14, of which 13 predicted
    assert negative.precision.value == pytest.approx(13 / 17) and negative.precision.n == 17
    assert negative.recall.value == pytest.approx(13 / 14) and negative.recall.n == 14
    assert negative.precision.low is not None and negative.precision.low < 13 / 17

    corrected = {c.task: c for c in acc.corrections}
    s = corrected["sentiment"]
    assert s.method == "ppi++" and s.same_period and (s.raw_base, s.base) == (28, 28)
    rows = {r.slug: r for r in s.rows}
    assert rows["negative"].raw == 17 and rows["negative"].raw_share == pytest.approx(17 / 28)
    # a census: the corrected share is the truth, with no sampling error left
    assert rows["negative"].share == pytest.approx(14 / 28)
    assert rows["negative"].interval == pytest.approx((14 / 28, 14 / 28))
    assert rows["positive"].share == pytest.approx(2 / 28)
    t = {r.slug: r for r in corrected["topic"].rows}
    assert t["roads_potholes"].raw == 5 and t["roads_potholes"].share * 28 == pytest.approx(6)
    assert t["none"].share * 28 == pytest.approx(2)
    assert acc.statement.startswith("Label accuracy measured by staff audit")
    assert "corrected for the measured error" in acc.statement


def test_the_tables_show_raw_beside_corrected_and_suppress_small_bases(fig: Figures) -> None:
    audit = audit_of(CENSUS, SIZES, W47)
    fig.accuracy = section(fig, {SENTIMENT_V1: [audit], TOPICS_V1: [audit]})
    tables = {t.name: t for t in accuracy_tables(fig)}
    corrected = {row[0]: row for row in tables["corrected"].rows}
    assert corrected["Negative share"][1:4] == ("61%", corrected["Negative share"][2], "50%")
    assert corrected["Negative share"][5].startswith("prediction-powered inference (PPI++)")
    assert corrected["Positive share"][1] == "fewer than 10"  # 3 posts: no percentage
    assert corrected["Posts: Bin collections"][1:4] == ("20", "", "20")
    accuracy = [r for r in tables["accuracy"].rows if r[1] == "sentiment"]
    positive = next(r for r in accuracy if r[2] == "Positive")
    assert positive[3] == "fewer than 10 audited"  # precision of 3 posts
    assert next(r for r in accuracy if r[2] == "Negative")[3] == "76%"


def test_an_audit_of_another_period_corrects_with_the_confusion_matrix(fig: Figures) -> None:
    earlier = audit_of(CENSUS, SIZES, W46, label="2026-W46")
    acc = section(fig, {SENTIMENT_V1: [earlier], TOPICS_V1: [earlier]})
    s = next(c for c in acc.corrections if c.task == "sentiment")
    assert s.method == "confusion-matrix (earlier audit)" and not s.same_period
    assert s.method_name == "confusion-matrix correction with an audit of another period"
    negative = next(r for r in s.rows if r.slug == "negative")
    # the same errors as this week's: inverting them recovers this week's truth
    assert negative.share == pytest.approx(0.5)
    assert negative.interval is not None and negative.interval[0] < 0.5 < negative.interval[1]
    assert all(not m.same_period for m in acc.measured)


def test_the_latest_audit_of_the_version_is_measured_and_a_same_week_one_corrects(
        fig: Figures) -> None:
    older = audit_of(CENSUS, SIZES, W47, audit_id=1, labelled_at="2026-11-24T10:00:00+00:00")
    newer = audit_of(CENSUS[:1], {"waste_recycling|negative": 12}, W46, audit_id=2,
                     label="2026-W46", labelled_at="2026-11-25T10:00:00+00:00")
    acc = section(fig, {SENTIMENT_V1: [older, newer], TOPICS_V1: [older]})
    assert next(m for m in acc.measured if m.version == SENTIMENT_V1).audit_id == 2
    assert next(c for c in acc.corrections if c.task == "sentiment").audit_id == 1


def test_two_versions_in_one_week_are_not_corrected(fig: Figures) -> None:
    used = [*USED, ("sentiment", "sentiment.vader", "v2", 3)]
    audit = audit_of(CENSUS, SIZES, W47)
    acc = section(fig, {SENTIMENT_V1: [audit], TOPICS_V1: [audit]}, used)
    s = next(c for c in acc.corrections if c.task == "sentiment")
    assert s.method is None and "sentiment.vader v1 and sentiment.vader v2" in s.note
    assert ClassifierVersion("sentiment", "sentiment.vader", "v2") in acc.unmeasured
