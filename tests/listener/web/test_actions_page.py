"""The action log's page and the look-up by link, through Datasette's own
client: editors record and correct actions (with the trail), readers read
and are refused when they post, and each look-up by link is logged with
the login."""

from __future__ import annotations

import re

from tests.listener.web.conftest import Backend
from tests.listener.web.test_labelling import READER, Client, client

__all__ = ["client"]

EDITOR = {"id": "edna", "role": "editor"}


def actions(backend: Backend) -> list[tuple[str, str, str, str, bool]]:
    with backend.open() as store:
        return [(a.topic, a.day, a.fields.text, a.created_by, a.fields.withdrawn)
                for a in store.actions.listed(withdrawn=True)]


def test_editors_record_and_correct_an_action_with_its_trail(client: Client,
                                                             backend: Backend) -> None:
    fields, cookies, page = client.form("/-/actions", EDITOR)
    assert 'id="add"' in page and fields["csrftoken"]
    added = client.post("/-/actions", {**fields, "topic": "waste_recycling",
                                       "day": "2026-11-19", "place": "",
                                       "text": "Extra crews sent", "link": ""}, cookies)
    assert added.status_code == 200, added.text
    assert "Recorded action 1." in added.text and "Extra crews sent" in added.text
    assert actions(backend) == [
        ("waste_recycling", "2026-11-19", "Extra crews sent", "edna", False)]

    fields, cookies, page = client.form("/-/actions/1", EDITOR)
    assert 'id="correct"' in page
    done = client.post("/-/actions/1", {**fields, "topic": "waste_recycling",
                                        "day": "2026-11-20", "place": "", "link": "",
                                        "text": "Extra crews sent", "reason": "wrong day"},
                       cookies)
    assert done.status_code == 200 and "Corrected action 1." in done.text
    with backend.open() as store:
        trail = store.actions.history(1)
    assert [(e.edited_by, (e.before or {}).get("day"), e.after["day"], e.reason)
            for e in trail] == [("edna", None, "2026-11-19", None),
                                ("edna", "2026-11-19", "2026-11-20", "wrong day")]
    fields, cookies, _ = client.form("/-/actions", EDITOR)
    bad = client.post("/-/actions", {**fields, "topic": "bins", "day": "2026-11-19",
                                     "text": "x", "place": "", "link": ""}, cookies)
    assert bad.status_code == 400 and "unknown topic &#39;bins&#39;" in bad.text


def test_readers_read_the_log_but_are_refused_when_they_post(client: Client,
                                                             backend: Backend) -> None:
    page = client.get("/-/actions", actor=READER)
    assert page.status_code == 200 and 'id="add"' not in page.text
    login = client.get("/-/login", actor=None)  # a valid CSRF token and its cookie
    token = re.search(r'name="csrftoken" value="([^"]+)"', login.text)
    assert token is not None
    refused = client.post("/-/actions", {"csrftoken": token[1], "topic": "waste_recycling",
                                         "day": "2026-11-19", "text": "Sneaky"},
                          {**client.cookies(READER), **dict(login.cookies)})
    assert refused.status_code == 403 and "may read the action log but not change it" in \
        refused.text
    assert actions(backend) == []
    assert client.get("/-/actions", actor=None).status_code == 302  # login first


def test_a_look_up_by_link_is_logged_with_the_login(client: Client, backend: Backend) -> None:
    url = "https://x.com/someone/status/4242"
    with backend.open() as store, store.sql.transaction():
        store.sql.execute("UPDATE posts SET url = ? WHERE text = 'roads post 0'", [url])
    page = client.get(f"/-/post?url={url}", actor=READER)
    assert page.status_code == 200 and "roads post 0" in page.text
    with backend.open() as store:
        [entry] = store.lookups.listed()
    assert (entry.user, entry.channel, entry.action, entry.found) == (
        "policy", "page", "page-url", 1)
    assert url not in entry.target
