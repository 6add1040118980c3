"""The audit's labelling page through Datasette's own client: login
required, the reader role refused, one post at a time with its keyboard
shortcuts, the classifier's label shown only after the answer, the answer
saved with its labeller, and no POST without the CSRF token."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pytest

from listener.audit.service import draw_audit
from listener.config import load_settings
from listener.web import plugin
from listener.web.app import build
from tests.listener.web.conftest import PASSWORDS, Backend, with_users

READER = {"id": "policy", "role": "reader"}
LABELLER = {"id": "alice", "role": "labeller"}


class Client:
    def __init__(self, ds: Any) -> None:
        self.ds = ds
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(ds.invoke_startup())

        self.sessions: dict[str, str] = {}

    def cookies(self, actor: dict[str, str] | None) -> dict[str, str]:
        """A real log-in of ``actor`` through the form (a signed cookie alone is
        not a log-in: issue 16), kept for the rest of the test."""
        if actor is None:
            return {}
        if actor["id"] not in self.sessions:
            form = self.loop.run_until_complete(self.ds.client.get("/-/login"))
            token = re.search(r'name="csrftoken" value="([^"]+)"', form.text)
            assert token is not None
            done = self.post("/-/login", {"username": actor["id"],
                                          "password": PASSWORDS[actor["id"]],
                                          "csrftoken": token[1]}, dict(form.cookies))
            self.sessions[actor["id"]] = done.cookies["listener_session"]
        return {"listener_session": self.sessions[actor["id"]]}

    def get(self, path: str, actor: dict[str, str] | None = LABELLER) -> Any:
        return self.loop.run_until_complete(self.ds.client.get(path,
                                                               cookies=self.cookies(actor)))

    def post(self, path: str, data: dict[str, Any], cookies: dict[str, str]) -> Any:
        return self.loop.run_until_complete(self.ds.client.post(path, data=data,
                                                                cookies=cookies))

    def form(self, path: str, actor: dict[str, str] | None = LABELLER
             ) -> tuple[dict[str, str], dict[str, str], str]:
        """(hidden fields, cookies to send back, page) of the question at ``path``."""
        page = self.get(path, actor)
        fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page.text))
        return fields, {**self.cookies(actor), **dict(page.cookies)}, page.text


@pytest.fixture
def client(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> Iterator[Client]:
    """The page on each backend (``backend``)."""
    for name, value in with_users(backend.config).items():
        monkeypatch.setenv(name, value)
    settings = load_settings(backend.config, check_credentials=False)
    with backend.open() as store:
        draw_audit(store, tz="Europe/London", week="2026-W47", n=6, seed=1)
    web = Client(build(settings))
    yield web
    web.loop.close()
    plugin.CONTEXTS[web.ds].close()


def labels(backend: Backend) -> list[tuple[int, dict[str, tuple[str, ...]], str | None]]:
    with backend.open() as store:
        audit = store.audits.get(1)
        assert audit is not None
        return [(i.position, i.gold, i.labeller) for i in audit.items if i.gold]


def test_login_is_required(client: Client, backend: Backend) -> None:
    for path in ("/-/audit", "/-/audit/1"):
        page = client.get(path, actor=None)
        assert page.status_code == 302 and page.headers["location"].endswith("/-/login")
    refused = client.post("/-/audit/1", {"item": "1", "sentiment": "negative",
                                         "topic": "none"}, {})
    assert refused.status_code in (302, 403)
    assert labels(backend) == []


def test_the_reader_role_is_refused(client: Client, backend: Backend) -> None:
    page = client.get("/-/audit/1", actor=READER)
    assert page.status_code == 403
    assert "may search posts but not label them" in page.text
    assert client.get("/-/audit", actor=READER).status_code == 403
    token = client.get("/-/login", actor=None)  # a valid CSRF token and its cookie
    form_token = re.search(r'name="csrftoken" value="([^"]+)"', token.text)
    assert form_token is not None
    cookies = {**client.cookies(READER), **dict(token.cookies)}
    posted = client.post("/-/audit/1", {"csrftoken": form_token[1], "item": "1",
                                        "sentiment": "negative", "topic": "none"}, cookies)
    assert posted.status_code == 403 and "may search posts but not label them" in posted.text
    assert labels(backend) == []


def test_labellers_find_the_page_in_the_menu_and_readers_do_not(client: Client) -> None:
    assert 'href="/-/audit"' in client.get("/").text
    assert 'href="/-/audit"' not in client.get("/", actor=READER).text


def test_one_post_at_a_time_with_keyboard_shortcuts_and_no_prediction(client: Client) -> None:
    listing = client.get("/-/audit")
    assert listing.status_code == 200 and "Audit 1" in listing.text and "0 of 6" in listing.text
    fields, _, page = client.form("/-/audit/1")
    assert fields["item"] == "1" and fields["csrftoken"]
    assert 'id="post"' in page and page.count('class="la-post"') == 1
    assert "post 1 of 6; 6 still to label" in page
    for key in ("1", "2", "3", "a", "b", "0", "s"):
        assert f'data-key="{key}"' in page
    assert "The classifier" not in page and 'id="predicted-' not in page
    assert "key-" not in page  # no author pseudonym


def test_an_answer_is_saved_then_the_classifiers_label_is_shown(client: Client,
                                                                 backend: Backend) -> None:
    with backend.open() as store:
        audit = store.audits.get(1)
        assert audit is not None
        predicted = audit.items[0].predicted
    fields, cookies, _ = client.form("/-/audit/1")
    done = client.post("/-/audit/1", {**fields, "sentiment": "positive",
                                      "topic": ["roads_potholes", "waste_recycling"]}, cookies)
    assert done.status_code == 200, done.text
    assert "The classifier" in done.text and 'id="predicted-sentiment"' in done.text
    shown = re.search(r'id="predicted-sentiment">([^<]*)<', done.text)
    assert shown is not None and shown[1].startswith(predicted["sentiment"][0].capitalize())
    assert "5 still to label" in done.text and 'id="next"' in done.text
    assert labels(backend) == [(1, {"sentiment": ("positive",),
                               "topic": ("roads_potholes", "waste_recycling")}, "alice")]
    nxt = client.form("/-/audit/1?after=1")[0]
    assert nxt["item"] == "2"


def test_a_post_without_the_csrf_token_or_with_a_bad_answer_saves_nothing(
        client: Client, backend: Backend) -> None:
    fields, cookies, _ = client.form("/-/audit/1")
    forged = client.post("/-/audit/1", {"item": "1", "sentiment": "negative",
                                        "topic": "none"}, cookies)
    assert forged.status_code == 403
    for bad in ({"sentiment": "angry", "topic": "none"}, {"sentiment": "neutral"},
                {"sentiment": "neutral", "topic": ["none", "parks"]},
                {"sentiment": "neutral", "topic": "not_a_topic"}):
        answer = client.post("/-/audit/1", {**fields, **bad}, cookies)
        assert answer.status_code == 400 and 'role="alert"' in answer.text
    gone = client.post("/-/audit/1", {**fields, "item": "99", "sentiment": "neutral",
                                      "topic": "none"}, cookies)
    assert gone.status_code == 404
    assert labels(backend) == []
    assert client.get("/-/audit/7").status_code == 404


def test_when_every_post_is_labelled_the_page_says_so(client: Client) -> None:
    for _ in range(6):
        fields, cookies, _ = client.form("/-/audit/1")
        assert client.post("/-/audit/1", {**fields, "sentiment": "neutral", "topic": "none"},
                           cookies).status_code == 200
    page = client.get("/-/audit/1")
    assert page.status_code == 200 and "All 6 posts of audit 1 (2026-W47) are labelled" in page.text
