"""The PDF that gets forwarded: A4 pages (wide tables on landscape ones),
every column of the topics and trend tables present, tagged (PDF/UA-1),
emoji drawn from the embedded outline font."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from reports import ReportSettings, compute_figures, write_report
from reports.tables import tables
from storage import Store
from tests.pg import BACKENDS, backend_store
from tests.reports.builders import Spec, add, at
from tests.reports.conftest import CONTEXT, LABELS, NOW, add_known
from tests.reports.test_render import weasyprint_or_skip

A4 = (595.28, 841.89)  # points


@pytest.fixture(scope="module", params=BACKENDS)
def known_store(request: pytest.FixtureRequest,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    for store, _ in backend_store(request, tmp_path_factory.mktemp("pdf")):
        yield add_known(store)


@pytest.fixture(scope="module")
def pdf(known_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the known week, with emoji in three posts, written once."""
    weasyprint_or_skip()
    known = known_store
    add(known, [Spec(when=at("2026-11-18", 9, k), author=f"e{k}", text="Day 4 of the bin "
                     "strike 🤬 🗑️ 👍🏽", topics=[("waste_recycling", ("bin",))],
                     sentiment="negative") for k in range(3)])
    return write_report(known, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                        formats=["pdf"], out_dir=tmp_path_factory.mktemp("out"),
                        context=CONTEXT, now=NOW)[0]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_topics_and_trend_column_is_in_the_pdf(known_store: Store, pdf: Path) -> None:
    import pypdf

    reader = pypdf.PdfReader(pdf)
    text = flat("".join(page.extract_text() for page in reader.pages))
    fig = compute_figures(known_store, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                          context=CONTEXT, now=NOW)
    by_name = {t.name: t for t in tables(fig)}
    for name in ("topics", "trends"):
        for column in by_name[name].columns:
            assert flat(column) in text, (name, column)
    for page in reader.pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(A4, abs=0.5)  # A4, portrait or landscape
    assert any(p.mediabox.width > p.mediabox.height for p in reader.pages)  # the wide tables


def test_the_pdf_is_tagged(pdf: Path) -> None:
    import pypdf

    root = pypdf.PdfReader(pdf).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"


def test_emoji_come_from_the_embedded_outline_font(pdf: Path) -> None:
    import pypdf

    reader = pypdf.PdfReader(pdf)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor  # embedded
    assert any(name.endswith("+Report-Emoji") for name in fonts), fonts
    assert not any("Color" in name for name in fonts), fonts  # no bitmap emoji font
    text = "".join(page.extract_text() for page in reader.pages)
    assert "🤬" in text and "2026" in text  # emoji, and the digits in the text font
