"""The body's own Mastodon account through the real Mastodon.py client
against recorded HTTP (``responses``): its statuses with the thread above an
answer, the replies to its statuses (context), its mentions (notifications),
first and incremental runs, both arrival orders, a rate limit, a deleted
parent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import responses
from responses import matchers

from listener.pipeline import collect_source
from listener.platforms.mastodon.config import MastodonOwnConfig
from listener.platforms.mastodon.own import MastodonOwnSource
from storage import Store
from tests.listener.engagement.helpers import PSEUDO, conversation
from tests.listener.platforms.recorded.builders import (
    mastodon_headers,
    mastodon_page,
    mastodon_status,
)

HOST = "mastodon.social"
API = f"https://{HOST}/api/v1"
NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
ME = "109300000000000099"
RESIDENT = "109300000000000042"  # roadwatcher, the recorded status's account


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def council(local_id: int, text: str, *, reply_to: int | None = None,
            to_account: str = RESIDENT) -> dict[str, Any]:
    status = mastodon_status(local_id, local_id, text=text)
    status["uri"] = f"https://{HOST}/users/examplecouncil/statuses/{local_id}"
    status["url"] = f"https://{HOST}/@examplecouncil/{local_id}"
    status["account"] = {**status["account"], "id": ME, "username": "examplecouncil",
                         "acct": "examplecouncil", "url": f"https://{HOST}/@examplecouncil",
                         "uri": f"https://{HOST}/users/examplecouncil"}
    if reply_to is not None:
        status["in_reply_to_id"], status["in_reply_to_account_id"] = str(reply_to), to_account
    return status


def resident(local_id: int, text: str, *, reply_to: int | None = None,
             to_account: str = ME) -> dict[str, Any]:
    status = mastodon_status(local_id, local_id, text=text)
    if reply_to is not None:
        status["in_reply_to_id"], status["in_reply_to_account_id"] = str(reply_to), to_account
    return status


def uri(status: dict[str, Any]) -> str:
    return str(status["uri"])


def headers() -> dict[str, str]:
    return mastodon_headers(HOST)


def lookup(rsps: responses.RequestsMock) -> None:
    account = council(1, "x")["account"]
    rsps.get(f"{API}/accounts/lookup", json=account, headers=headers(),
             match=[matchers.query_param_matcher({"acct": "examplecouncil"})])


def statuses(rsps: responses.RequestsMock, page: list[dict[str, Any]], **kw: Any) -> None:
    rsps.get(f"{API}/accounts/{ME}/statuses", json=mastodon_page(page), headers=headers(), **kw)


def context(rsps: responses.RequestsMock, status_id: int, *, ancestors: list[Any] = (),
            descendants: list[Any] = ()) -> None:
    rsps.get(f"{API}/statuses/{status_id}/context", headers=headers(),
             json={"ancestors": list(ancestors), "descendants": list(descendants)})


def notifications(rsps: responses.RequestsMock, mentions: list[dict[str, Any]]) -> None:
    body = [{"id": str(900 + i), "type": "mention", "created_at": m["created_at"],
             "account": m["account"], "status": m} for i, m in enumerate(mentions)]
    rsps.get(f"{API}/notifications", json=body, headers=headers())


def source(token: bool = True) -> tuple[MastodonOwnSource, list[float]]:
    settings: dict[str, Any] = {"type": "mastodon", "enabled": True,
                                "account": "examplecouncil@mastodon.social"}
    if token:
        settings["access_token_env"] = "COUNCIL_MASTODON_TOKEN"
    src = MastodonOwnSource("own:mastodon", MastodonOwnConfig(**settings))
    waits: list[float] = []
    src.sleep, src.clock = waits.append, lambda: NOW
    return src, waits


POST = council(115600000000000010, "Garden waste collections pause over winter.")
QUESTION = resident(115600000000000015, "@examplecouncil when does the tip reopen?")
ANSWER = council(115600000000000020, "@roadwatcher It reopens on Monday.",
                 reply_to=115600000000000015)
REPLY = resident(115600000000000012, "@examplecouncil why stop it?",
                 reply_to=115600000000000010)
REPLY_TO_REPLY = resident(115600000000000013, "agreed", reply_to=115600000000000012,
                          to_account=RESIDENT)


def first_run(rsps: responses.RequestsMock) -> None:
    lookup(rsps)
    statuses(rsps, [POST, ANSWER])
    context(rsps, 115600000000000020, ancestors=[QUESTION])  # the thread above the answer
    statuses(rsps, [])
    # replies to the body's recent statuses, newest first
    context(rsps, 115600000000000020, ancestors=[QUESTION])
    context(rsps, 115600000000000010, descendants=[REPLY, REPLY_TO_REPLY])
    notifications(rsps, [])


def test_first_run_links_answers_replies_and_threads(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    monkeypatch.setenv("COUNCIL_MASTODON_TOKEN", "token-of-the-council-account-0001")
    first_run(rsps)
    src, _ = source()
    summary = collect_source(store, "own:mastodon", src, PSEUDO)
    assert (summary.status, summary.new) == ("ok", 5)
    got = conversation(store)
    assert got[uri(POST)]["voice"] == "own"
    assert got[uri(POST)]["handle"] == "examplecouncil@mastodon.social"
    # the answer is linked to the question by uri, not by the instance's id
    assert got[uri(ANSWER)]["parent"] == uri(QUESTION)
    assert got[uri(ANSWER)]["thread"] == uri(QUESTION)
    assert got[uri(QUESTION)]["voice"] == "to_us"  # it mentions the body
    # replies found through the status's context, a reply to a reply in its thread
    assert (got[uri(REPLY)]["parent"], got[uri(REPLY)]["voice"]) == (uri(POST), "to_us")
    assert got[uri(REPLY_TO_REPLY)]["parent"] == uri(REPLY)
    assert got[uri(REPLY_TO_REPLY)]["thread"] == uri(POST)
    first = dict(rsps.calls[1].request.params)
    assert int(first["min_id"]) <= int((NOW - timedelta(hours=168)).timestamp() * 1000) << 16
    cursor = store.collect.cursor("own:mastodon")
    assert cursor["statuses"] == "115600000000000020"
    assert set(json.loads(cursor["recent"])) == {"115600000000000010", "115600000000000020"}


def test_incremental_run_finds_a_later_reply_and_a_mention(monkeypatch: pytest.MonkeyPatch,
        store: Store, rsps: responses.RequestsMock) -> None:
    monkeypatch.setenv("COUNCIL_MASTODON_TOKEN", "token-of-the-council-account-0001")
    first_run(rsps)
    collect_source(store, "own:mastodon", source()[0], PSEUDO)
    late = resident(115600000000000030, "@examplecouncil still no answer on this",
                    reply_to=115600000000000010)
    mention = resident(115600000000000031, "@examplecouncil bins missed on Elm Road")
    lookup(rsps)
    statuses(rsps, [], match=[matchers.query_param_matcher(
        {"min_id": "115600000000000020"}, strict_match=False)])
    context(rsps, 115600000000000020, ancestors=[QUESTION])
    context(rsps, 115600000000000010, descendants=[REPLY, REPLY_TO_REPLY, late])
    notifications(rsps, [mention])
    rsps.get(f"{API}/notifications", json=[], headers=headers())
    summary = collect_source(store, "own:mastodon", source()[0], PSEUDO)
    assert (summary.status, summary.new) == ("ok", 2)
    got = conversation(store)
    assert (got[uri(late)]["parent"], got[uri(late)]["voice"]) == (uri(POST), "to_us")
    assert got[uri(mention)]["voice"] == "to_us"


def test_a_rate_limit_waits_for_the_servers_reset(store: Store,
        rsps: responses.RequestsMock) -> None:
    lookup(rsps)
    server = NOW + timedelta(hours=3)  # the server's clock, not ours
    rsps.get(f"{API}/accounts/{ME}/statuses", status=429, json={"error": "Too many requests"},
             headers=mastodon_headers(HOST, date=server, remaining=0,
                                      reset=server + timedelta(seconds=90)))
    statuses(rsps, [POST])
    statuses(rsps, [])
    context(rsps, 115600000000000010)
    src, waits = source(token=False)
    summary = collect_source(store, "own:mastodon", src, PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert len(waits) == 1 and 85 <= waits[0] <= 120


def test_a_mention_replying_to_a_deleted_status_keeps_its_parent_missing(
        monkeypatch: pytest.MonkeyPatch, store: Store, rsps: responses.RequestsMock) -> None:
    monkeypatch.setenv("COUNCIL_MASTODON_TOKEN", "token-of-the-council-account-0001")
    orphan = resident(115600000000000041, "@examplecouncil same here, fix it please",
                      reply_to=115600000000000040, to_account="109300000000000777")
    lookup(rsps)
    statuses(rsps, [])
    notifications(rsps, [orphan])
    rsps.get(f"{API}/notifications", json=[], headers=headers())
    summary = collect_source(store, "own:mastodon", source()[0], PSEUDO)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 1, 0)
    got = conversation(store)[uri(orphan)]
    assert (got["parent"], got["voice"]) == (None, "to_us")


def test_a_reply_stored_before_its_parent_is_adopted_when_the_parent_comes(
        monkeypatch: pytest.MonkeyPatch, store: Store, rsps: responses.RequestsMock) -> None:
    """The body posts between the statuses read and the notifications read:
    a reply to the new status comes first; the status itself next run."""
    monkeypatch.setenv("COUNCIL_MASTODON_TOKEN", "token-of-the-council-account-0001")
    fresh = council(115600000000000050, "Bin collections resume on Monday.")
    early = resident(115600000000000051, "@examplecouncil great news",
                     reply_to=115600000000000050)
    lookup(rsps)
    statuses(rsps, [])
    notifications(rsps, [early])
    rsps.get(f"{API}/notifications", json=[], headers=headers())
    collect_source(store, "own:mastodon", source()[0], PSEUDO)
    waiting = conversation(store)[uri(early)]
    assert (waiting["parent"], waiting["parent_native"]) == (None, uri(fresh))
    lookup(rsps)
    statuses(rsps, [fresh])
    statuses(rsps, [])
    context(rsps, 115600000000000050, descendants=[early])
    rsps.get(f"{API}/notifications", json=[], headers=headers())
    collect_source(store, "own:mastodon", source()[0], PSEUDO)
    adopted = conversation(store)[uri(early)]
    assert (adopted["parent"], adopted["thread"], adopted["voice"]) == (
        uri(fresh), uri(fresh), "to_us")
