"""The body's own Bluesky account through the real atproto client against
recorded HTTP (``respx``): its feed with the posts its answers reply to,
replies by getPostThread, notifications when logged in; first and
incremental runs, both arrival orders, a rate limit, a deleted parent."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

from listener.pipeline import collect_source
from listener.platforms.bluesky.config import BlueskyOwnConfig
from listener.platforms.bluesky.own import BlueskyOwnSource
from storage import Store
from tests.listener.engagement.helpers import PSEUDO, conversation
from tests.listener.platforms.recorded.builders import (
    bluesky_headers,
    bluesky_post,
    bluesky_session,
)

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
LOGIN = "https://bsky.social/xrpc/com.atproto.server.createSession"
PDS = "https://porcini.us-east.host.bsky.network/xrpc/"
PUBLIC = "https://public.api.bsky.app/xrpc/"
COUNCIL_DID = "did:plc:examplecouncil000000000001"


def council(seq: int, text: str, indexed: str, *, reply_to: dict[str, Any] | None = None,
            root: dict[str, Any] | None = None) -> dict[str, Any]:
    post = bluesky_post(seq, indexed=indexed, text=text)
    post["uri"] = f"at://{COUNCIL_DID}/app.bsky.feed.post/3m{seq:011d}"
    post["author"] = {**post["author"], "did": COUNCIL_DID,
                      "handle": "examplecouncil.bsky.social", "displayName": "Example Council"}
    if reply_to is not None:
        post["record"]["reply"] = _reply(reply_to, root or reply_to)
    return post


def resident(seq: int, text: str, indexed: str, *, reply_to: dict[str, Any] | None = None,
             root: dict[str, Any] | None = None, parent_uri: str | None = None) -> dict[str, Any]:
    post = bluesky_post(seq, indexed=indexed, text=text)
    if reply_to is not None or parent_uri is not None:
        parent = reply_to or {"uri": parent_uri, "cid": "bafyreigone"}
        post["record"]["reply"] = _reply(parent, root or parent)
    return post


def _reply(parent: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    return {"parent": {"uri": parent["uri"], "cid": parent.get("cid", "bafyrei")},
            "root": {"uri": root["uri"], "cid": root.get("cid", "bafyrei")}}


def thread(post: dict[str, Any], *replies: Any) -> dict[str, Any]:
    return {"$type": "app.bsky.feed.defs#threadViewPost", "post": post, "replies": list(replies)}


def notification(post: dict[str, Any], reason: str) -> dict[str, Any]:
    return {"uri": post["uri"], "cid": post["cid"], "author": post["author"], "reason": reason,
            "record": copy.deepcopy(post["record"]), "isRead": False,
            "indexedAt": post["indexedAt"], "labels": []}


class Server:
    """Recorded answers per endpoint, in order; every one must be used."""

    def __init__(self) -> None:
        self.answers: dict[str, list[httpx.Response]] = {}
        self.seen: list[httpx.Request] = []

    def add(self, nsid: str, body: Any, status: int = 200,
            headers: dict[str, str] | None = None) -> None:
        self.answers.setdefault(nsid, []).append(
            httpx.Response(status, json=body, headers=headers or bluesky_headers()))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        nsid = request.url.path.rsplit("/", 1)[-1]
        assert self.answers.get(nsid), f"unexpected {request.url}"
        return self.answers[nsid].pop(0)

    def done(self) -> bool:
        return not any(self.answers.values())


@pytest.fixture
def server() -> Iterator[Server]:
    replay = Server()
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        router.post(LOGIN).mock(return_value=httpx.Response(200, json=bluesky_session(),
                                                            headers=bluesky_headers()))
        router.get(url__startswith=PDS).mock(side_effect=replay)
        router.get(url__startswith=PUBLIC).mock(side_effect=replay)
        yield replay
    assert replay.done(), f"unused answers: {replay.answers}"


def source(monkeypatch: pytest.MonkeyPatch, login: bool = True) -> tuple[BlueskyOwnSource,
                                                                          list[float]]:
    settings: dict[str, Any] = {"type": "bluesky", "enabled": True,
                                "account": "examplecouncil.bsky.social"}
    if login:
        monkeypatch.setenv("COUNCIL_BSKY_HANDLE", "examplecouncil.bsky.social")
        monkeypatch.setenv("COUNCIL_BSKY_PASSWORD", "abcd-efgh-ijkl-mnop")
        settings.update(handle_env="COUNCIL_BSKY_HANDLE",
                        app_password_env="COUNCIL_BSKY_PASSWORD")
    src = BlueskyOwnSource("own:bluesky", BlueskyOwnConfig(**settings))
    waits: list[float] = []
    src.sleep, src.clock = waits.append, lambda: NOW
    return src, waits


POST = council(1, "Garden waste collections pause over winter.", "2026-11-20T09:00:00.000Z")
QUESTION = resident(2, "@examplecouncil.bsky.social when does the tip reopen?",
                    "2026-11-20T10:00:00.000Z")
ANSWER = council(3, "It reopens on Monday.", "2026-11-20T11:00:00.000Z", reply_to=QUESTION)
REPLY = resident(4, "why stop it?", "2026-11-20T12:00:00.000Z", reply_to=POST)
DEEP = resident(5, "agreed", "2026-11-20T13:00:00.000Z", reply_to=REPLY, root=POST)
GONE = {"$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://did:plc:x/app.bsky.feed.post/9",
        "notFound": True}


def first_run(server: Server) -> None:
    server.add("app.bsky.feed.getAuthorFeed", {"feed": [
        {"post": ANSWER, "reply": {"root": QUESTION, "parent": QUESTION}}, {"post": POST}]})
    server.add("app.bsky.feed.getPostThread", {"thread": thread(ANSWER)})
    server.add("app.bsky.feed.getPostThread", {"thread": thread(
        POST, thread(REPLY, thread(DEEP)), {"$type": "app.bsky.feed.defs#notFoundPost",
                                            "uri": GONE["uri"], "notFound": True})})
    server.add("app.bsky.notification.listNotifications", {"notifications": [
        notification(REPLY, "reply"), notification(QUESTION, "mention"),
        {**notification(POST, "like"), "uri": "at://did:plc:liker/app.bsky.feed.like/1"}]})


def test_first_run_links_the_feed_threads_and_notifications(monkeypatch: pytest.MonkeyPatch,
        store: Store, server: Server) -> None:
    first_run(server)
    summary = collect_source(store, "own:bluesky", source(monkeypatch)[0], PSEUDO)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 5, 0)
    got = conversation(store)
    assert got[POST["uri"]]["voice"] == "own"
    assert got[ANSWER["uri"]]["parent"] == QUESTION["uri"]
    assert got[QUESTION["uri"]]["voice"] == "to_us"
    assert (got[REPLY["uri"]]["parent"], got[REPLY["uri"]]["voice"]) == (POST["uri"], "to_us")
    assert got[DEEP["uri"]]["thread"] == POST["uri"] and got[DEEP["uri"]]["parent"] == \
        REPLY["uri"]
    feed = server.seen[0]
    assert feed.url.params["actor"] == "examplecouncil.bsky.social"
    assert feed.url.params["filter"] == "posts_with_replies"
    cursor = store.collect.cursor("own:bluesky")
    assert cursor["feed|since"] == "2026-11-20T11:00:00.000Z"
    assert cursor["notifications|since"] == "2026-11-20T12:00:00.000Z"


def test_incremental_run_reads_only_what_is_new(monkeypatch: pytest.MonkeyPatch, store: Store,
        server: Server) -> None:
    first_run(server)
    collect_source(store, "own:bluesky", source(monkeypatch)[0], PSEUDO)
    later = resident(6, "still no reply about the bins", "2026-11-22T08:00:00.000Z",
                     reply_to=POST)
    server.add("app.bsky.feed.getAuthorFeed", {"feed": [{"post": POST}], "cursor": "older"})
    server.add("app.bsky.feed.getPostThread", {"thread": thread(ANSWER)})
    server.add("app.bsky.feed.getPostThread", {"thread": thread(
        POST, thread(REPLY, thread(DEEP)), thread(later))})
    server.add("app.bsky.notification.listNotifications", {"notifications": [
        notification(later, "reply"), notification(REPLY, "reply")], "cursor": "older"})
    summary = collect_source(store, "own:bluesky", source(monkeypatch)[0], PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    got = conversation(store)[later["uri"]]
    assert (got["parent"], got["voice"]) == (POST["uri"], "to_us")
    assert store.collect.cursor("own:bluesky")["notifications|since"] == \
        "2026-11-22T08:00:00.000Z"


def test_a_rate_limit_waits_for_the_reset(monkeypatch: pytest.MonkeyPatch, store: Store,
        server: Server) -> None:
    reset = int(NOW.timestamp()) + 60
    server.add("app.bsky.feed.getAuthorFeed", {"error": "RateLimitExceeded",
                                               "message": "Rate Limit Exceeded"}, status=429,
               headers=bluesky_headers(remaining=0, date=NOW, reset=reset))
    server.add("app.bsky.feed.getAuthorFeed", {"feed": [{"post": POST}]})
    server.add("app.bsky.feed.getPostThread", {"thread": thread(POST)})
    src, waits = source(monkeypatch, login=False)  # the public AppView: no notifications
    summary = collect_source(store, "own:bluesky", src, PSEUDO)
    assert (summary.status, summary.new) == ("ok", 1)
    assert len(waits) == 1 and 55 <= waits[0] <= 90
    assert all(r.url.host == "public.api.bsky.app" for r in server.seen)


def test_a_reply_whose_parent_was_deleted_is_kept(monkeypatch: pytest.MonkeyPatch,
        store: Store, server: Server) -> None:
    orphan = resident(7, "same problem on Elm Road", "2026-11-21T09:00:00.000Z",
                      parent_uri=GONE["uri"], root=POST)
    server.add("app.bsky.feed.getAuthorFeed", {"feed": []})
    server.add("app.bsky.notification.listNotifications", {"notifications": [
        notification(orphan, "reply")]})
    summary = collect_source(store, "own:bluesky", source(monkeypatch)[0], PSEUDO)
    assert (summary.status, summary.new, summary.quarantined) == ("ok", 1, 0)
    got = conversation(store)[orphan["uri"]]
    assert (got["parent"], got["parent_native"], got["thread"], got["voice"]) == (
        None, GONE["uri"], POST["uri"], "to_us")


def test_a_reply_stored_before_its_parent_is_adopted_when_the_parent_comes(
        monkeypatch: pytest.MonkeyPatch, store: Store, server: Server) -> None:
    """The body posts after its feed is read; a reply to it comes with the
    notifications, the post with the next run's feed."""
    fresh = council(8, "Bin collections resume on Monday.", "2026-11-24T09:00:00.000Z")
    early = resident(9, "great news", "2026-11-24T09:30:00.000Z", reply_to=fresh)
    server.add("app.bsky.feed.getAuthorFeed", {"feed": []})
    server.add("app.bsky.notification.listNotifications", {"notifications": [
        notification(early, "reply")]})
    collect_source(store, "own:bluesky", source(monkeypatch)[0], PSEUDO)
    assert conversation(store)[early["uri"]]["parent"] is None
    server.add("app.bsky.feed.getAuthorFeed", {"feed": [{"post": fresh}]})
    server.add("app.bsky.feed.getPostThread", {"thread": thread(fresh, thread(early))})
    server.add("app.bsky.notification.listNotifications", {"notifications": [
        notification(early, "reply")]})
    collect_source(store, "own:bluesky", source(monkeypatch)[0], PSEUDO)
    adopted = conversation(store)[early["uri"]]
    assert (adopted["parent"], adopted["thread"], adopted["voice"]) == (
        fresh["uri"], fresh["uri"], "to_us")
