"""The HTML report in a real browser (Playwright driving Debian's chromium)
at desktop and phone (390 px) widths: nothing runs off the side of the
page or of any box in it, and chart text stays legible on a phone.
Screenshots are written beside the report (the test's tmp folder).

Skips only when /usr/bin/chromium is absent AND the CI variable is unset."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reports import ReportSettings, write_report
from storage import Store
from tests.reports.test_engaged import CTX, NOW, P, at, put, questions_and_answers
from tests.reports.test_stories import LABELS, strike

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {"desktop": 1280, "phone": 390}

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("Debian chromium is not installed (apt-get install chromium)",
                allow_module_level=True)

# Every visible element running past the window or scrolling sideways in its
# box, and the page wider than the window. (The header row of a table shown as
# cards on a phone is clipped to nothing, kept for screen readers.)
OVERFLOW = """() => {
  const out = [];
  const page = document.documentElement;
  if (page.scrollWidth > window.innerWidth) out.push(`page ${page.scrollWidth}px`);
  for (const el of document.querySelectorAll("body *")) {
    const head = el.closest("table.stack thead");
    if (head && getComputedStyle(head).position === "absolute") continue;
    const box = el.getBoundingClientRect();
    const name = `${el.tagName}.${el.className}`;
    if (box.width && box.right > window.innerWidth + 1) out.push(`${name} right ${box.right}`);
    const style = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && ["auto", "scroll"].includes(style.overflowX))
      out.push(`${el.tagName}.${el.className} scrolls sideways`);
  }
  return out.slice(0, 10);
}"""
# Chart text running past its chart's edge (a bar label cut to "answered yet").
CUT_CHART_TEXT = """() => {
  const out = [];
  for (const svg of document.querySelectorAll("svg")) {
    const edge = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll("text")) {
      const box = t.getBoundingClientRect();
      if (box.width && (box.left < edge.left - 1 || box.right > edge.right + 1))
        out.push(t.textContent);
    }
  }
  return out.slice(0, 10);
}"""
SMALLEST_CHART_TEXT = """() => Math.min(...[...document.querySelectorAll("svg text")]
  .map(t => t.getBoundingClientRect().height).filter(h => h > 0))"""


def test_report_fits_desktop_and_phone(store: Store, tmp_path: Path) -> None:
    assert CHROMIUM.exists(), "CI must have Debian chromium: run scripts/system-deps.sh"
    from playwright.sync_api import sync_playwright

    strike(store)
    questions_and_answers(store)  # "How we engaged": its chart, a topic table, a waiting list
    put(store, [P(at(17, 9, k), "@ExampleCouncil the library computers have been broken for six "
                  f"weeks and people need them for job applications {k}", author=f"w{k}",
                  addressed=True, kinds=("complaint",), topics=(topic,), native=f"w{k}")
                for k, topic in enumerate(["waste_recycling", "schools_send", "parks"] * 4)])
    html = write_report(store, "2026-W47", settings=ReportSettings(), topic_labels=LABELS,
                        formats=["html"], out_dir=tmp_path, context=CTX, now=NOW)[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        for name, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(html.as_uri())
            page.screenshot(path=str(tmp_path / f"report-{name}.png"), full_page=True)
            assert page.evaluate("document.getElementById('s-engaged') !== null")
            assert page.evaluate(OVERFLOW) == [], name
            assert page.evaluate(CUT_CHART_TEXT) == [], name
            assert page.evaluate(SMALLEST_CHART_TEXT) >= 12, name  # px, as drawn (was 9)
            page.close()
        browser.close()
