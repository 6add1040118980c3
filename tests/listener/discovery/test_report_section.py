"""The report's section "New this week: not in your topic lists" in every
format: themes with their figures, quoted posts (handles masked) and
suggestion, bursting terms; absent with an explanation when too few posts
matched no topic."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from listener.reporting import write_weekly_report
from storage import Store
from tests.listener.discovery.helpers import NOW, bins, build, closures, noise, posts, settings_for
from tests.nlp.discovery_texts import HEATING

TITLE = "New this week: not in your topic lists"


@pytest.fixture
def week(store: Store) -> Store:
    """2026-W47: 30 paraphrases about a school's heating (half negative, each
    naming @head_teacher), 60 random posts, 20 about bins (a topic); the
    eight weeks before: 20 bin posts each; road closures burst in W47."""
    heating = [f"{t} @head_teacher" for t in HEATING]
    specs = posts("2026-W47", heating[:15], "parent", sentiment="negative")
    specs += posts("2026-W47", heating[15:], "carer", sentiment="neutral")
    specs += noise("2026-W47") + bins("2026-W47") + posts("2026-W47", closures(30), "driver")
    for n in range(39, 47):
        specs += bins(f"2026-W{n}")
    build(store, specs)
    return store


def test_section_in_html_md_csv_and_json(week: Store, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    out = {p.name.removeprefix("report-2026-W47"): p for p in write_weekly_report(
        settings, week, "2026-W47", formats=["html", "md", "csv", "json"],
        out_dir=tmp_path / "out", now=NOW)}
    html = out[".html"].read_text(encoding="utf-8")
    md = out[".md"].read_text(encoding="utf-8")
    for text in (html, md):
        assert TITLE in text
        section = text[text.index(TITLE):]
        assert "heating, oakfield primary, school" in section
        assert "new this week" in section and "negative share 50%" in section
        assert 'consider a new topic "Heating"' in section.replace("&#34;", '"')
        assert "label: Heating" in section
        assert "@[user]" in section.replace("\\", "")  # Markdown escapes the brackets
        assert "@head_teacher" not in text  # handles masked
        assert "road closure" in section
    assert md.count("```yaml") >= 2  # the theme's and the term's snippets
    with out["-new_themes.csv"].open(encoding="utf-8") as fh:
        rows = {r["Theme"]: r for r in csv.DictReader(fh)}
    assert rows["road closure, bus, late"]["Negative share"] == "none"  # the 30 closure posts
    row = rows["heating, oakfield primary, school"]
    assert (row["Posts"], row["People (distinct authors)"], row["Negative share"]) == (
        "30", "30", "50%")
    assert row["Seen"] == "new this week" and "label: Heating" in row["config.yaml snippet"]
    with out["-bursting_terms.csv"].open(encoding="utf-8") as fh:
        terms = {r["Term"]: r for r in csv.DictReader(fh)}
    assert terms["road closure"]["Posts this week"] == "30"
    assert terms["road closure"]["Baseline mean a week"] == "0.0"
    assert '"new_themes"' in out[".json"].read_text(encoding="utf-8")


def test_section_in_pdf(week: Store, tmp_path: Path) -> None:
    import pypdf  # a dev dependency, always installed with the tests

    from tests.reports.test_render import weasyprint_or_skip

    weasyprint_or_skip()
    (pdf,) = write_weekly_report(settings_for(tmp_path), week, "2026-W47", formats=["pdf"],
                                 out_dir=tmp_path / "out", now=NOW)
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    flat = re.sub(r"\s+", " ", text)
    assert TITLE in flat and "heating, oakfield primary, school" in flat
    assert "label: Heating" in flat and "road closure" in flat


def test_section_absent_with_explanation_when_few_posts_match_no_topic(
        store: Store, tmp_path: Path) -> None:
    build(store, posts("2026-W47", HEATING[:20], "parent") + bins("2026-W47", 30))
    out = {p.suffix: p for p in write_weekly_report(
        settings_for(tmp_path), store, "2026-W47", formats=["html", "md", "csv"],
        out_dir=tmp_path / "out", now=NOW)}
    why = "Too few posts matched no topic this period to look for themes among them: 20"
    for suffix in (".html", ".md"):
        text = out[suffix].read_text(encoding="utf-8")
        section = text[text.index(TITLE):]
        assert why in section and "(at least 50 are needed)" in section
        assert "heating, oakfield" not in section
    with (tmp_path / "out" / "report-2026-W47-new_themes.csv").open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh)) == []
    assert store.themes.run("week", "2026-W47").info.status == "too_few"  # type: ignore[union-attr]
