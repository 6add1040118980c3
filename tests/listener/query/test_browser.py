"""The page in a real browser (Playwright driving Debian's chromium):
log in, search "pothole", filter to negative, see the chart and the rows,
export CSV and check its rows against the page.

Skips only when /usr/bin/chromium is absent AND the CI variable is unset; in
CI a missing browser fails loudly (scripts/system-deps.sh installs it)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from listener.web.auth import hash_password
from storage import LabelRecord, Post, StoredItem
from tests.browser import ARGS, CHROMIUM, serving, skip_without_chromium
from tests.listener.query.builders import PASSWORD, PSEUDONYM_MARK, fill, write_config
from tests.paths import STORE_FILE
from tests.pg import BACKENDS, DSN_ENV, backend_store

skip_without_chromium()


@pytest.fixture(scope="module", params=BACKENDS)
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``listener serve`` over the hand-built posts: the SQLite file (Datasette
    serves it), or the same posts in a PostgreSQL database of the page's own
    (the page reads through store.queries there)."""
    folder = tmp_path_factory.mktemp("browser")
    env = {"TEST_WEB_HASH": hash_password(PASSWORD)}
    for store, where in backend_store(request, folder):
        config = write_config(folder, folder / STORE_FILE)
        text = config.read_text(encoding="utf-8")  # two rows a page: the CSV still holds them all
        text = text.replace("  max_rows: 100\n", "  max_rows: 100\n  page_size: 2\n")
        if store.backend == "postgresql":
            text = text.replace("storage:\n", f"storage:\n  backend: postgresql\n"
                                f"  dsn_env: {DSN_ENV}\n", 1)
            env[DSN_ENV] = where
        config.write_text(text, encoding="utf-8")
        fill(store)
        run = store.runs.start("own:x")  # a question to us, waiting for an answer
        ids = store.collect.save_page(source="own:x", run_id=run, items=[StoredItem(Post(
            "x", "900", "@ExampleCouncil when will the library on Mill Lane reopen? The whole "
            "street has been asking since the summer", datetime.now(UTC) - timedelta(days=6),
            url="https://x.com/library_lover/status/900", author_key="PSEUDOKEYQ",
            addressed=True), {"id": "900"})]).new_ids
        store.labels.save("request", "request.rules", "v1", None, ids, [
            LabelRecord(ids[0], "request", "question", 1.0, "request.rules", "v1")])
        with serving(config, env) as url:
            yield url


def test_search_filter_chart_rows_and_csv(server: str, tmp_path: Path) -> None:
    assert CHROMIUM.exists(), "CI must have Debian chromium: run scripts/system-deps.sh"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(accept_downloads=True)
        page.set_default_timeout(30_000)
        page.goto(server + "/")
        assert page.url.endswith("/-/login")  # anonymous: sent to log in
        page.fill("input[name=username]", "policy")
        page.fill("input[name=password]", PASSWORD)
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_url(server + "/")

        page.fill("#q", "pothole")
        page.check("input[name=sentiment][value=negative]")
        page.click("#search-button")
        page.wait_for_selector("#posts")
        assert page.locator("svg#trend").is_visible()
        assert page.locator("svg#trend g.bar").count() >= 1
        rows = page.locator("#posts tr.post")
        assert rows.count() == 2  # a page of two
        assert "4 matching posts" in page.locator("#summary").inner_text()
        assert set(page.locator("#posts td.sentiment").all_inner_texts()) == {"negative"}
        links = [rows.nth(i).locator("a").get_attribute("href") if rows.nth(i).locator(
            "a").count() else "" for i in range(rows.count())]
        assert PSEUDONYM_MARK not in page.content()

        with page.expect_download() as caught:
            page.click("#export-csv")
        assert caught.value.suggested_filename == "posts_negative_pothole.csv"
        saved = tmp_path / "export.csv"
        caught.value.save_as(saved)

        # every link on the page leads somewhere (none to a refused table)
        hrefs = {a for a in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                 if a.startswith(server)}
        for href in hrefs:
            status = page.request.get(href).status
            assert status < 400, href

        # on a phone, the filters and the table fit the screen
        page.set_viewport_size({"width": 390, "height": 900})
        wide = page.evaluate("""() => [...document.querySelectorAll("body *")]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && !e.closest(".ls-posts, #trend-table"))
            .map(e => e.tagName + "." + e.className).slice(0, 5)""")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide
        assert wide == []
        chart_text = page.evaluate("""() => Math.min(...[...document.querySelectorAll(
            "svg#trend text")].map(t => t.getBoundingClientRect().height))""")
        assert chart_text >= 12, chart_text  # px as drawn on the phone (a column chart: 5)
        page.screenshot(path=str(tmp_path / "page-phone.png"), full_page=True)
        page.goto(server + "/-/unanswered")  # the waiting list fits the phone too
        assert page.locator("tr.post").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert page.locator("tr.post a").get_attribute("href") == "https://x.com/i/status/900"
        looked = page.goto(server + "/-/post?url=https://x.com/i/status/900")  # the look-up
        assert looked is not None and looked.status == 200
        assert page.locator("tr.post").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        browser.close()
    with saved.open(newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert len(exported) == 4  # every matching post, not the page shown
    assert [r["url"] for r in exported][:2] == links
    assert all(r["url"] == "" or r["url"].startswith("https://x.com/i/status/")
               or "reddit.com/comments/" in r["url"] for r in exported)
    assert {r["sentiment"] for r in exported} == {"negative"}
    assert all("pothole" in r["text"].lower() for r in exported)
