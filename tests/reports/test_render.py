"""What the renderers print: suppression, inert hostile text, no external requests."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from reports import ReportSettings, write_report
from storage import Store
from tests.reports.builders import Spec, add, at
from tests.reports.conftest import CONTEXT, LABELS, NOW

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>[click](javascript:alert(1))'
RTL = "שלום עולם مرحبا بالعالم"
EMOJI = "🗑️🚮👍🏽"
HOSTILE = f"{XSS} {RTL} {EMOJI} @someone"


@pytest.fixture
def hostile(store: Store) -> Store:
    add(store, [Spec(when=at("2026-11-17", 9, k), author=f"h{k}", text=HOSTILE,
                     topics=[("waste_recycling", ("bin",))], sentiment="negative",
                     url=f"https://social.example/post/{k}", likes=100 - k)
                for k in range(12)])
    return store


def write(store: Store, tmp_path: Path, formats: list[str]) -> dict[str, Path]:
    paths = write_report(store, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                         formats=formats, out_dir=tmp_path, context=CONTEXT, now=NOW)
    return {p.name.removeprefix("report-2026-W47"): p for p in paths}


def test_html_keeps_hostile_text_inert_and_intact(hostile: Store, tmp_path: Path) -> None:
    html = write(hostile, tmp_path, ["html"])[".html"].read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "onerror=alert" not in html.replace(
        "onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert RTL in html and EMOJI in html
    assert 'dir="auto"' in html
    assert "@someone" not in html and "@[user]" in html


def test_html_requests_nothing_external(hostile: Store, tmp_path: Path) -> None:
    html = write(hostile, tmp_path, ["html"])[".html"].read_text(encoding="utf-8")
    urls = re.findall(r"(?:https?:)?//[^\s\"'<>)]+", html)
    assert urls and all(u.startswith("https://social.example/post/") for u in urls), urls
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith("https://social.example/post/") for h in hrefs)
    assert not re.search(r"<(script|link|iframe|object|embed)\b", html)
    assert not re.search(r"\bsrc=\"", html)
    assert "@import" not in html and "url(" not in html


def test_markdown_keeps_hostile_text_inert_and_intact(hostile: Store, tmp_path: Path) -> None:
    md = write(hostile, tmp_path, ["md"])[".md"].read_text(encoding="utf-8")
    assert "<script" not in md and "<img" not in md
    assert "&lt;script&gt;" in md
    assert "\\[click\\](javascript:alert(1))" in md  # not a link
    assert "](javascript" not in md.replace("\\](javascript", "")
    assert RTL in md and EMOJI in md
    assert "(<https://social.example/post/" in md  # links only to the original posts


def weasyprint_or_skip() -> None:
    """The PDF needs the ``pdf`` extra and its system libraries; without them
    the test is skipped, which CI (``CI`` set) turns into a failure."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: the package is there, pango is not
        pytest.skip(f"WeasyPrint or its system libraries are missing: {exc}")


def test_pdf_keeps_hostile_text_inert_and_intact(hostile: Store, tmp_path: Path) -> None:
    import pypdf  # a dev dependency, always installed with the tests

    weasyprint_or_skip()
    pdf = write(hostile, tmp_path, ["pdf"])[".pdf"]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    flat = re.sub(r"\s+", "", text)
    assert '<script>alert("x")</script>' in flat  # printed as text, not run
    for word in RTL.split():
        assert word in text or word[::-1] in text
    assert "🚮" in text


def test_suppression_in_every_table_output(known: Store, tmp_path: Path) -> None:
    out = write(known, tmp_path, ["html", "md", "csv", "json"])
    with out["-topics.csv"].open(encoding="utf-8") as fh:
        rows = {r["Topic"]: r for r in csv.DictReader(fh)}
    roads = rows["Roads and potholes"]  # 5 posts
    assert roads["Posts"] == "fewer than 10" and roads["Negative share"] == ""
    assert roads["Share of all posts"] == "" and roads["95% interval (negative share)"] == ""
    bins = rows["Bin collections"]
    assert (bins["Posts"], bins["Negative"], bins["Neutral"], bins["Positive"]) == (
        "20", "12", "fewer than 10", "fewer than 10")
    assert bins["Negative share"] == "60%" and bins["95% interval (negative share)"] == "39–78%"
    assert rows["Unclassified (no topic matched)"]["Posts"] == "fewer than 10"
    html = out[".html"].read_text(encoding="utf-8")
    roads_row = re.search(r"Roads and potholes</th>(.*?)</tr>", html)
    cells = re.sub(r"<[^>]*>", " ", roads_row[1]) if roads_row else ""
    assert "<10" in cells.replace("&lt;", "<") and "%" not in cells
    json_text = out[".json"].read_text(encoding="utf-8")
    assert '"fewer than 10"' in json_text


def test_topic_with_few_authors_is_suppressed(store: Store, tmp_path: Path) -> None:
    # this week: 15 parks posts by 3 authors; last week: 12 by 2 authors
    add(store, [Spec(when=at("2026-11-17", 9, k), author=f"p{k % 3}", sentiment="negative",
                     topics=[("parks", ("park",))]) for k in range(15)])
    add(store, [Spec(when=at("2026-11-10", 9, k), author=f"p{k % 2}", sentiment="negative",
                     topics=[("parks", ("park",))]) for k in range(12)])
    out = write(store, tmp_path, ["csv", "html"])
    with out["-topics.csv"].open(encoding="utf-8") as fh:
        parks = next(r for r in csv.DictReader(fh) if r["Topic"] == "Parks")
    assert parks["Posts"] == "suppressed: fewer than 10 authors"
    assert parks["Last week"] == "suppressed: fewer than 10 authors"
    assert parks["Negative"] == "" and parks["Negative share"] == ""
    assert parks["Change on last week"] == "suppressed"
    with out["-trends.csv"].open(encoding="utf-8") as fh:
        trend = next(r for r in csv.DictReader(fh) if r["Topic"] == "Parks")
    assert trend["2026-W47"] == trend["2026-W46"] == "suppressed: fewer than 10 authors"
    html = out[".html"].read_text(encoding="utf-8")
    assert ">15<" not in html and ">12<" not in html


def test_a_classifier_score_is_named_for_what_it_is(known: Store, tmp_path: Path) -> None:
    """A model card's macro-F1 is printed as macro-F1, never as 'accuracy'."""
    import dataclasses

    from reports.context import ClassifierNote

    notes = (ClassifierNote("sentiment.vader", "v1", "sentiment", 0.71, "400 civic posts",
                            "macro-F1"),)
    paths = write_report(known, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                         formats=["html", "md", "csv"], out_dir=tmp_path,
                         context=dataclasses.replace(CONTEXT, classifiers=notes), now=NOW)
    for path in paths:
        if path.suffix == ".csv" and "classifiers" not in path.name:
            continue
        text = path.read_text(encoding="utf-8")
        assert "macro-F1 0.71" in text, path.name
        assert "accuracy 0.71" not in text and "evaluated accuracy" not in text.lower(), path.name
