"""PDF from the HTML report through WeasyPrint (optional extra ``pdf``):
A4 (wide tables on landscape pages), tagged as PDF/UA-1 so screen readers
get headings, tables and reading order, and every font embedded, among them
an outline emoji font shipped with the package (``reports/fonts``: Noto
Emoji, SIL Open Font License), so emoji in quoted posts print. Colour
bitmap emoji fonts (Noto Color Emoji) are drawn misplaced by WeasyPrint,
and a font that maps digits (as emoji fonts do, for keycaps) takes the
report's numbers: the shipped font has its digit, #, * and space mappings
taken out; colour fonts are left out of the PDF's font configuration
(``reports/fonts/fonts.conf``), so that emoji come from the outline font."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from reports.files import atomic_open

APT_LINE = "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
PDF_VARIANT = "pdf/ua-1"  # tagged: structure tree, language, title
EMOJI_FONT = Path(__file__).parent / "fonts" / "NotoEmoji-Regular.ttf"
FONTCONFIG = Path(__file__).parent / "fonts" / "fonts.conf"  # the system's, less colour fonts
_ENV_LOCK = threading.Lock()
FONT_CSS = ('@font-face { font-family: "Report Emoji"; src: url("%s"); }\n'
            'body { font-family: "DejaVu Sans", "Report Emoji", sans-serif !important; }')


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries are missing."""


def write_pdf(html: str, path: Path) -> Path:
    # WeasyPrint logs a progress line per step and page (some at import)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
    except ImportError as exc:
        raise PdfUnavailable(
            "WeasyPrint is not installed: pip install 'civic-listener[pdf]'") from exc
    except OSError as exc:  # the Python package is there, pango is not
        raise PdfUnavailable(
            f"WeasyPrint cannot load its system libraries ({exc}); on Debian: {APT_LINE}"
        ) from exc
    font_url = EMOJI_FONT.resolve().as_uri()
    fetch_font_only = _font_fetcher(font_url)
    fonts = _font_configuration(FontConfiguration)
    css = CSS(string=FONT_CSS % font_url, font_config=fonts, url_fetcher=fetch_font_only)
    document = HTML(string=html, url_fetcher=fetch_font_only).render(
        stylesheets=[css], font_config=fonts)
    with atomic_open(path) as handle:
        document.write_pdf(handle, pdf_variant=PDF_VARIANT)
    return path


def _font_configuration(factory: Any) -> Any:
    """WeasyPrint's font configuration, read from ``FONTCONFIG`` (fontconfig
    reads the file named by FONTCONFIG_FILE when the configuration is made)."""
    with _ENV_LOCK:
        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(FONTCONFIG)
        try:
            return factory()
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before


def _font_fetcher(font_url: str) -> Any:
    """A URL fetcher that loads the report's own font and refuses anything
    else (WeasyPrint 68 and later: a ``URLFetcher``; earlier: a function)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 68
        from weasyprint.urls import default_url_fetcher

        def fetch(url: str, *args: object, **kwargs: object) -> Any:
            if url == font_url:
                return default_url_fetcher(url)
            raise ValueError(f"the report fetches nothing: refused {url[:60]}")

        return fetch

    class FontOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url == font_url:  # the one file the report may load: its own font
                return super().fetch(url, headers)
            raise ValueError(f"the report fetches nothing: refused {url[:60]}")

    return FontOnly()
