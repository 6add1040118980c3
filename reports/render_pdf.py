"""PDF from the HTML report through WeasyPrint (optional extra ``pdf``)."""

from __future__ import annotations

import logging
from pathlib import Path

from reports.files import atomic_open

APT_LINE = "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or its system libraries are missing."""


def write_pdf(html: str, path: Path) -> Path:
    # WeasyPrint logs a progress line per step and page (some at import)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        from weasyprint import HTML
    except ImportError as exc:
        raise PdfUnavailable(
            "WeasyPrint is not installed: pip install 'civic-listener[pdf]'") from exc
    except OSError as exc:  # the Python package is there, pango is not
        raise PdfUnavailable(
            f"WeasyPrint cannot load its system libraries ({exc}); on Debian: {APT_LINE}"
        ) from exc

    def no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        raise ValueError(f"the report fetches nothing: refused {url[:60]}")

    document = HTML(string=html, url_fetcher=no_fetch).render()
    with atomic_open(path) as handle:
        document.write_pdf(handle)
    return path
