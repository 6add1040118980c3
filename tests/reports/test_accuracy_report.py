"""The report with and without a staff audit, from storage to every format:
no audit says plainly, near the headline, that accuracy is not measured
(and shows no corrected figure); an audit of the week adds the accuracy
table and the corrected shares beside raw, named; an audit of another
period corrects with the confusion matrix; an audit of another version
does not count."""

from __future__ import annotations

from pathlib import Path

from listener.audit.draw import draw
from reports import write_report
from storage import Store
from storage.audit_records import ClassifierVersion
from storage.audits import GoldLabel
from tests.reports.builders import Spec, add, at
from tests.reports.conftest import CONTEXT, LABELS, NOW, week_posts

W47 = ("2026-11-16T00:00:00+00:00", "2026-11-23T00:00:00+00:00")
W46 = ("2026-11-09T00:00:00+00:00", "2026-11-16T00:00:00+00:00")
VERSIONS = [ClassifierVersion("sentiment", "sentiment.vader", "v1"),
            ClassifierVersion("topic", "topics.keywords", "v1")]


def audit_week(store: Store, bounds: tuple[str, str], label: str,
               versions: list[ClassifierVersion] = VERSIONS) -> int:
    """A census of the week's classified posts, labelled by hand: every other
    negative bin post (by id) is truly neutral; the rest as predicted."""
    found = store.audit_draws.period_posts(*bounds)
    audit_id = store.audit_draws.record(draw(found.candidates, 200, seed=0, period=bounds,
                                             label=label, versions=versions))
    audit = store.audits.get(audit_id)
    assert audit is not None
    gold = []
    for item in audit.items:
        sentiment = item.predicted["sentiment"] or ("neutral",)
        if item.stratum == "waste_recycling|negative" and (item.post_id or 0) % 2 == 0:
            sentiment = ("neutral",)
        gold += [GoldLabel(item.position, "sentiment", sentiment),
                 GoldLabel(item.position, "topic", item.predicted["topic"])]
    store.audits.save_labels(audit_id, gold, "alice", "csv:test.csv")
    return audit_id


def report(store: Store, settings, out: Path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    write_report(store, "2026-W47", settings=settings, topic_labels=LABELS,
                 formats=["html", "md", "csv", "json"], out_dir=out, context=CONTEXT, now=NOW)
    return ((out / "report-2026-W47.html").read_text(encoding="utf-8"),
            (out / "report-2026-W47.md").read_text(encoding="utf-8"))


def headline_section(html: str) -> str:
    return html[html.index('id="s-headline"'):html.index('id="s-topics"')]


def test_no_audit_says_accuracy_is_not_measured_and_shows_no_corrected_figure(
        known: Store, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    html, md = report(known, settings, tmp_path)
    near = headline_section(html)
    assert "Accuracy not measured" in near
    assert "<code>listener audit draw --week 2026-W47</code>" in near  # what to run, as code
    assert "Accuracy not measured" in md.split("## Topics")[0]
    assert "`listener audit draw --week 2026-W47`" in md and "\\`" not in md
    for text in (html, md):
        assert "Corrected" not in text and "corrected for measured error" not in text.lower()
        assert "Not measured: sentiment.vader v1 (sentiment)" in text
    assert not (tmp_path / "report-2026-W47-corrected.csv").exists()
    assert "No staff audit has measured these labels' accuracy" in md  # the methods


def test_with_an_audit_of_the_week_the_report_shows_accuracy_and_corrected_shares(
        known: Store, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    audit_week(known, W47, "2026-W47")
    audit = known.audits.get(1)
    assert audit is not None
    truly_negative = sum(i.gold["sentiment"] == ("negative",) for i in audit.items
                         if i.predicted["sentiment"])
    html, md = report(known, settings, tmp_path)
    assert "Accuracy not measured" not in html
    assert "Label accuracy measured by staff audit: sentiment.vader v1 on 28 posts of " \
           "2026-W47 (audit 1," in headline_section(html)
    assert "Measured accuracy per class (staff audit)" in html
    assert "Shares as labelled and corrected for measured error" in html
    assert "prediction-powered inference (PPI++) with this week&#39;s audit" in html
    # a census of the week: the corrected share is the share staff found
    corrected = f"{truly_negative / 28 * 100:.0f}%"
    csv = (tmp_path / "report-2026-W47-corrected.csv").read_text(encoding="utf-8")
    negative = next(line for line in csv.splitlines() if line.startswith("Negative share"))
    assert negative.split(",")[1] == "61%" and negative.split(",")[3] == corrected
    assert truly_negative < 17  # the correction moved the share
    assert f"Negative share corrected for measured error: {corrected} (95% interval" \
        in headline_section(html)
    assert f"- Negative share corrected for measured error: {corrected}" in md
    assert "Corrected" in md and "Measured accuracy" not in md.split("## Topics")[0]
    assert "prediction-powered inference" in md
    accuracy = (tmp_path / "report-2026-W47-accuracy.csv").read_text(encoding="utf-8")
    assert "sentiment.vader v1,sentiment,Negative" in accuracy
    classifiers = (tmp_path / "report-2026-W47-classifiers.csv").read_text(encoding="utf-8")
    assert "audit 1: 28 posts of 2026-W47" in classifiers


def test_an_audit_of_an_earlier_week_corrects_with_the_confusion_matrix(
        known: Store, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    add(known, [*week_posts("2026-11-11", "roads_potholes", 6, ["negative"], first_author=300,
                            terms=("pothole",)),
                *week_posts("2026-11-12", "waste_recycling", 5, ["positive"], first_author=400),
                *(Spec(when=at("2026-11-13"), author=f"n{k}", topics=[], sentiment="neutral")
                  for k in range(3))])
    audit_week(known, W46, "2026-W46")
    html, _ = report(known, settings, tmp_path)
    assert "Label accuracy measured by staff audit: sentiment.vader v1 on 24 posts of " \
           "2026-W46" in headline_section(html)
    csv = (tmp_path / "report-2026-W47-corrected.csv").read_text(encoding="utf-8")
    assert "confusion-matrix correction with an audit of another period (audit 1, 2026-W46)" \
        in csv
    assert "prediction-powered" not in csv  # PPI++ needs an audit of the week itself
    negative = next(line for line in csv.splitlines() if line.startswith("Negative share"))
    assert negative.split(",")[1] == "61%" and negative.split(",")[3] not in ("", "61%")


def test_an_audit_that_cannot_correct_says_why_in_plain_words(
        known: Store, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    audit_week(known, W46, "2026-W46")  # W46: no positive post, no roads post
    html, _ = report(known, settings, tmp_path)
    assert "no audited post is truly positive: its errors are unknown" in html
    assert not (tmp_path / "report-2026-W47-corrected.csv").exists()
    assert "Measured accuracy per class" in html


def test_an_audit_of_another_version_does_not_count(known: Store, settings,
                                                    tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = [ClassifierVersion("sentiment", "sentiment.vader", "v2"), VERSIONS[1]]
    audit_week(known, W47, "2026-W47", other)
    html, _ = report(known, settings, tmp_path)
    assert "Accuracy not measured: no staff audit has checked sentiment.vader v1 (sentiment)" \
        in headline_section(html)
    assert "topics.keywords v1 on 28 posts" in html  # the topic classifier's audit counts
