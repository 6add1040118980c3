"""The page answers 400 in plain words for input at the edges (issue 16: a
malformed ``NEAR(...)`` was a 500, dates like 9999-12-31 an OverflowError)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from tests.listener.query.builders import PASSWORD
from tests.listener.query.test_edge_input import NEAR


def test_the_page_answers_400_for_both(browsers: Any) -> None:
    browser = browsers()
    browser.login("policy", PASSWORD)
    for query in [{"q": e, "advanced": "1"} for e in NEAR] + [
            {"until": "9999-12-31"}, {"since": "9999-12-31"}, {"week": "9999-W52"},
            {"week": "0001-W01"}, {"since": "0001-01-01", "until": "0001-01-03"}]:
        page = browser.get("/?" + urlencode(query))
        assert page.status_code == 400, query
        assert 'role="alert"' in page.text and "Traceback" not in page.text
        export = browser.get("/-/export.csv?" + urlencode(query))
        assert export.status_code == 400, query
