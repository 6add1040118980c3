"""Team digests through a real SMTP server (aiosmtpd) and webhook
(pytest-httpserver): each post reaches a team once per channel, a failed
send is retried on the next run, and nothing goes twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from pytest_httpserver import HTTPServer

from listener.config import Settings
from listener.routing.digest import send_digests, webhook_payload
from listener.routing.posts import CasePost
from storage import Store
from tests.reports.conftest import Inbox, free_port

from .conftest import HANDLE, KEY, NOW, P, add

POSTS = [
    P("1001", f"The bin men missed Elm Road again, tell @{HANDLE} and @binboss"),
    P("1002", "Lovely new recycling bins", sentiment="positive"),
    P("1003", "When is the bin collection after the strike?", sentiment="neutral",
      request="question"),
    P("1004", "Huge pothole on Mill Lane", topic="roads_potholes", place="mill_lane"),
    P("1005", "Pothole somewhere else", topic="roads_potholes"),
    P("1006", "The park is a mess", topic="parks"),
    P("1007", "Old bin complaint", when=NOW - timedelta(days=30)),
]


def start_smtp(port: int) -> tuple[Controller, Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


@pytest.fixture
def smtp(settings: Settings) -> Iterator[Inbox]:
    port = free_port()
    settings.reports.email.smtp_port = port
    controller, inbox = start_smtp(port)
    try:
        yield inbox
    finally:
        controller.stop()


def hooks(httpserver: HTTPServer) -> dict[str, str]:
    httpserver.expect_request("/waste", method="POST").respond_with_data("1")
    httpserver.expect_request("/highways", method="POST").respond_with_data("ok")
    return {"WASTE_HOOK": httpserver.url_for("/waste"),
            "HIGHWAYS_HOOK": httpserver.url_for("/highways")}


def posted(httpserver: HTTPServer, path: str) -> list[dict[str, object]]:
    return [request.get_json() for request, _ in httpserver.log if request.path == path]


def test_each_team_gets_its_posts_once(settings: Settings, any_store: Store, smtp: Inbox,
                                       httpserver: HTTPServer) -> None:
    add(any_store, POSTS)
    env = hooks(httpserver)
    first = send_digests(settings, any_store, now=NOW, env=env)
    assert [(r.team, r.channel, r.posts, r.sent) for r in first] == [
        ("waste", "email", 2, True), ("waste", "webhook", 2, True),
        ("highways", "webhook", 1, True)]
    [(sender, to, message)] = smtp.messages
    assert (sender, to, message["Subject"]) == (
        "listener@council.example", ["waste@council.example"], "Waste services: 2 posts from "
        "residents")
    body = message.get_payload()
    assert isinstance(body, str)
    # the negative post and the question, with topic, time, matched terms and a link
    assert "Elm Road" in body and "bin collection after the strike" in body
    assert "Lovely" not in body and "Old bin" not in body and "park" not in body
    assert "[Bins and recycling] 2026-11-24 18:30 x (negative) | matched: bin" in body
    assert "https://x.com/i/status/1001" in body and "(neutral, question)" in body
    assert HANDLE not in body and "@[user]" in body and KEY not in body
    [highways] = posted(httpserver, "/highways")
    assert "Mill Lane" in json.dumps(highways) and "Pothole somewhere" not in json.dumps(highways)

    again = send_digests(settings, any_store, now=NOW + timedelta(hours=1), env=env)
    assert [(r.posts, r.sent) for r in again] == [(0, False)] * 3
    assert len(smtp.messages) == 1 and len(httpserver.log) == 2

    add(any_store, [P("1008", "Bins overflowing on Mill Lane", when=NOW + timedelta(hours=2))])
    third = send_digests(settings, any_store, now=NOW + timedelta(hours=3), env=env)
    assert [(r.team, r.channel, r.posts) for r in third] == [
        ("waste", "email", 1), ("waste", "webhook", 1), ("highways", "webhook", 0)]
    latest = smtp.messages[-1][2].get_payload()
    assert isinstance(latest, str)
    assert "overflowing" in latest and "Elm Road" not in latest
    assert any_store.routing.counts("waste", "email") == (3, 0)


def test_a_failed_smtp_send_is_retried_next_run_and_never_duplicated(
        settings: Settings, any_store: Store, httpserver: HTTPServer) -> None:
    add(any_store, POSTS)
    env = hooks(httpserver)
    port = free_port()  # nothing listens here yet: the relay is down
    settings.reports.email.smtp_port = port
    failed = send_digests(settings, any_store, now=NOW, env=env, teams=["waste"])
    assert [(r.channel, r.posts, r.sent) for r in failed] == [("email", 2, False),
                                                             ("webhook", 2, True)]
    assert failed[0].error is not None and "failed: ConnectionRefusedError" in failed[0].error
    assert any_store.routing.counts("waste", "email") == (0, 2)  # kept, not lost
    assert any_store.routing.counts("waste", "webhook") == (2, 0)
    [attempt] = any_store.routing.sends("waste")[1:]  # the latest first: webhook, then e-mail
    assert (attempt.channel, attempt.ok, attempt.posts) == ("email", False, 2)

    controller, inbox = start_smtp(port)  # the relay is back
    try:
        retried = send_digests(settings, any_store, now=NOW + timedelta(hours=1), env=env,
                               teams=["waste"])
        again = send_digests(settings, any_store, now=NOW + timedelta(hours=2), env=env,
                             teams=["waste"])
    finally:
        controller.stop()
    assert [(r.channel, r.posts, r.sent) for r in retried] == [("email", 2, True),
                                                              ("webhook", 0, False)]
    assert [r.posts for r in again] == [0, 0]
    assert len(inbox.messages) == 1 and len(posted(httpserver, "/waste")) == 1
    assert any_store.routing.counts("waste", "email") == (2, 0)


def test_disabled_teams_are_left_alone_unless_named(settings: Settings, any_store: Store) -> None:
    add(any_store, POSTS)
    settings.routing.teams[0].enabled = False
    sent: list[object] = []
    results = send_digests(settings, any_store, now=NOW, env={"HIGHWAYS_HOOK": "http://h"},
                           post=lambda *a: sent.append(a))
    assert [r.team for r in results] == ["highways"] and len(sent) == 1


CASE = CasePost(id=7, posted="2026-11-24T18:30:00+00:00", platform="x",
                link="https://x.com/i/status/1001", text="Missed again, ask @[user]",
                topics=("waste_recycling",), topic_labels=("Bins and recycling",),
                terms=("bin", "missed"), places=("Mill Lane",), sentiment="negative",
                request="complaint")


def test_teams_webhook_payload_is_an_adaptive_card(settings: Settings) -> None:
    payload = webhook_payload(settings.routing.teams[0], [CASE], "teams")
    assert payload["type"] == "message"
    [attachment] = payload["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"], card["$schema"]) == (
        "AdaptiveCard", "1.4", "http://adaptivecards.io/schemas/adaptive-card.json")
    assert all(block["type"] == "TextBlock" and block["wrap"] for block in card["body"])
    texts = [block["text"] for block in card["body"]]
    assert texts == [
        "Waste services: 1 post from residents",
        "**Bins and recycling** · Mill Lane · negative, complaint · matched: bin, missed",
        "Missed again, ask @[user]",
        "[https://x.com/i/status/1001](https://x.com/i/status/1001)"]


def test_slack_webhook_payload_has_text_and_blocks(settings: Settings) -> None:
    payload = webhook_payload(settings.routing.teams[1], [CASE, CASE], "slack")
    assert payload["text"] == "highways: 2 posts from residents"
    header, *sections = payload["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text",
                                                 "text": "highways: 2 posts from residents"}}
    assert [s["type"] for s in sections] == ["section", "section"]
    assert sections[0]["text"] == {"type": "mrkdwn", "text": (
        "*Bins and recycling* · Mill Lane · negative, complaint\nMissed again, ask @[user]\n"
        "<https://x.com/i/status/1001|link>")}
