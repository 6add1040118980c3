"""The labelling page in a real browser (Playwright driving Debian's
chromium), by keyboard only: log in as a labeller, press 1 (negative), a
(the first topic) and Enter; the classifier's answer appears; n goes on to
the next post. On both backends (``backend``)."""

from __future__ import annotations

from listener.audit.service import draw_audit
from listener.config import load_settings
from tests.browser import ARGS, CHROMIUM, serving, skip_without_chromium
from tests.listener.web.conftest import PASSWORDS, Backend, with_users

skip_without_chromium()


def test_a_post_labelled_by_keyboard(backend: Backend) -> None:
    config = backend.config
    env = with_users(config)
    settings = load_settings(config, check_credentials=False)
    with backend.open() as store:
        draw_audit(store, tz="Europe/London", week="2026-W47", n=4, seed=1)
    first_topic = next(iter(settings.topics))
    from playwright.sync_api import sync_playwright

    with serving(config, env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page()
        page.set_default_timeout(30_000)
        page.goto(url + "/-/audit/1")
        assert page.url.endswith("/-/login")
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", PASSWORDS["alice"])
        page.click("input[type=submit], button[type=submit]")
        page.wait_for_url(url + "/")
        page.goto(url + "/-/audit/1")
        page.wait_for_selector("#answer")
        assert page.locator("#compare").count() == 0  # no classifier answer yet
        page.keyboard.press("1")
        page.keyboard.press("a")
        assert page.locator("input[name=sentiment][value=negative]").is_checked()
        assert page.locator(f"input[name=topic][value={first_topic}]").is_checked()
        page.keyboard.press("Enter")
        page.wait_for_selector("#compare")
        assert "The classifier" in page.content()
        page.keyboard.press("n")
        page.wait_for_selector("#answer")  # the next post's form
        assert "post 1 saved" not in page.content()
        browser.close()
    with backend.open() as store:
        audit = store.audits.get(1)
        assert audit is not None
        done = [i for i in audit.items if i.gold]
        assert [(i.gold, i.labeller) for i in done] == [
            ({"sentiment": ("negative",), "topic": (first_topic,)}, "alice")]
