"""Audits in storage: what a draw reads (no text, no author), recording a
draw and reading it back, staff labels (who, when, how; the latest wins;
unknown items refused), and an audit that outlives a deleted post."""

from __future__ import annotations

import pytest

from storage import Store
from storage.audit_records import AuditDraw, ClassifierVersion, DrawnItem
from storage.audits import GoldLabel
from tests.reports.builders import Spec, add, at

W47 = ("2026-11-16T00:00:00+00:00", "2026-11-23T00:00:00+00:00")
SENTIMENT = ClassifierVersion("sentiment", "sentiment.vader", "v1")
TOPICS = ClassifierVersion("topic", "topics.keywords", "v1")


def week(store: Store) -> list[int]:
    return add(store, [
        Spec(when=at("2026-11-17"), author="a", topics=[("roads", ("pothole",)),
                                                         ("bins", ("bin",))],
             sentiment="negative"),
        Spec(when=at("2026-11-18"), author="b", topics=[], sentiment=None),
        Spec(when=at("2026-11-19"), author="c", topic_state=False, sentiment="pending"),
        Spec(when=at("2026-11-25"), author="d", topics=[("bins", ("bin",))]),  # next week
    ])


def a_draw(ids: list[int], versions: tuple[ClassifierVersion, ...] = (SENTIMENT, TOPICS)
           ) -> AuditDraw:
    return AuditDraw(*W47, "2026-W47", 7, 2, versions,
                     {"bins|negative": 1, "none|none": 1},
                     {"sentiment": {"bins|negative": {"negative": 1}, "none|none": {"none": 1}},
                      "topic": {"bins|negative": {"bins": 1, "roads": 1},
                                "none|none": {"none": 1}}},
                     (DrawnItem(1, ids[1], "none|none", {"sentiment": (), "topic": ()}),
                      DrawnItem(2, ids[0], "bins|negative",
                                {"sentiment": ("negative",), "topic": ("bins", "roads")})))


def test_a_draw_reads_the_periods_classified_posts_without_text(any_store: Store) -> None:
    store = any_store
    ids = week(store)
    found = store.audit_draws.period_posts(*W47)
    assert [c.post_id for c in found.candidates] == ids[:2]  # not pending, not next week
    first, second = found.candidates
    assert sorted(first.topics) == [("bins", 1.0), ("roads", 1.0)]
    assert first.sentiment == "negative"
    assert (second.topics, second.sentiment) == ((), None)  # looked at, no label
    assert found.posts == 3 and found.unclassified == 1
    assert found.versions == {SENTIMENT: 2, TOPICS: 2}
    assert not hasattr(first, "text") and not hasattr(first, "author")


def test_a_recorded_draw_reads_back_whole(any_store: Store) -> None:
    store = any_store
    ids = week(store)
    audit_id = store.audit_draws.record(a_draw(ids))
    audit = store.audits.get(audit_id)
    assert audit is not None
    assert (audit.period_start, audit.period_end, audit.period_label, audit.seed) == (
        *W47, "2026-W47", 7)
    assert audit.versions == (SENTIMENT, TOPICS)
    assert audit.sizes == {"bins|negative": 1, "none|none": 1}
    assert audit.predicted_counts["topic"]["bins|negative"] == {"bins": 1, "roads": 1}
    assert [(i.position, i.post_id, i.stratum) for i in audit.items] == [
        (1, ids[1], "none|none"), (2, ids[0], "bins|negative")]
    assert audit.items[1].predicted == {"sentiment": ("negative",), "topic": ("bins", "roads")}
    assert audit.labelled("sentiment") == [] and audit.labelled_at is None
    assert store.audits.get(audit_id + 1) is None


def test_labels_are_kept_with_who_when_and_how_and_the_latest_wins(any_store: Store) -> None:
    store = any_store
    audit_id = store.audit_draws.record(a_draw(week(store)))
    store.audits.save_labels(audit_id, [GoldLabel(1, "sentiment", ("neutral",)),
                                        GoldLabel(1, "topic", ())], "alice", "csv:a.csv")
    store.audits.save_labels(audit_id, [GoldLabel(1, "sentiment", ("negative",))], "bob",
                             "page")
    audit = store.audits.get(audit_id)
    assert audit is not None
    item = audit.items[0]
    assert item.gold == {"sentiment": ("negative",), "topic": ()}
    assert item.labeller == "bob" and item.labelled_at is not None
    assert audit.labelled_at == item.labelled_at
    assert [i.position for i in audit.labelled("topic")] == [1]
    summary = store.audits.summaries()[0]
    assert (summary.id, summary.items, summary.labelled) == (audit_id, 2, 1)


def test_labels_for_items_the_audit_lacks_are_refused_and_nothing_is_stored(
        any_store: Store) -> None:
    store = any_store
    audit_id = store.audit_draws.record(a_draw(week(store)))
    with pytest.raises(ValueError, match=r"no item\(s\) \[9\]"):
        store.audits.save_labels(audit_id, [GoldLabel(1, "sentiment", ("neutral",)),
                                            GoldLabel(9, "sentiment", ("neutral",))], "a", "page")
    audit = store.audits.get(audit_id)
    assert audit is not None and audit.labelled("sentiment") == []


def test_audits_are_found_by_the_version_they_judged(any_store: Store) -> None:
    store = any_store
    ids = week(store)
    first = store.audit_draws.record(a_draw(ids))
    other = ClassifierVersion("sentiment", "sentiment.vader", "v2")
    second = store.audit_draws.record(a_draw(ids, (other, TOPICS)))
    assert [a.id for a in store.audits.judging(SENTIMENT)] == [first]
    assert [a.id for a in store.audits.judging(other)] == [second]
    assert [a.id for a in store.audits.judging(TOPICS)] == [second, first]  # newest first


def test_items_to_label_carry_text_and_given_labels_but_no_prediction(any_store: Store) -> None:
    store = any_store
    audit_id = store.audit_draws.record(a_draw(week(store)))
    store.audits.save_labels(audit_id, [GoldLabel(2, "topic", ("roads",))], "a", "page")
    items = store.audits.items_to_label(audit_id)
    assert [(i.position, i.text) for i in items] == [(1, "a post"), (2, "a post")]
    assert items[1].gold == {"topic": ("roads",)} and items[0].gold == {}
    assert [i.position for i in store.audits.items_to_label(audit_id, after=1)] == [2]


def test_an_audit_keeps_its_labels_when_a_post_is_deleted(any_store: Store) -> None:
    store = any_store
    ids = week(store)
    audit_id = store.audit_draws.record(a_draw(ids))
    store.audits.save_labels(audit_id, [GoldLabel(2, "sentiment", ("neutral",))], "a", "page")
    store.erasure.forget_posts([ids[0]])
    audit = store.audits.get(audit_id)
    assert audit is not None
    item = audit.items[1]
    assert item.post_id is None  # the link to the erased post is gone
    assert item.gold == {"sentiment": ("neutral",)}  # its labels (no text) are not
    assert item.predicted["sentiment"] == ("negative",)
    assert [i.position for i in store.audits.items_to_label(audit_id)] == [1]
