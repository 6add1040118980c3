"""``listener export cases``: CSV, JSON and Open311 GeoReport v2 service
requests, with no author handle or pseudonym in any byte."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

from listener.config import Settings
from listener.routing.cases import cases, open311
from listener.routing.posts import public_link
from storage import LabelRecord, Store
from storage.routing import RoutedPost, Rule
from tests.cli import Cli

from .conftest import HANDLE, KEY, P, add
from .test_digest import POSTS

# GeoReport v2, GET requests.json: the fields a service request may have
# (https://wiki.open311.org/GeoReport_v2/#get-service-requests)
GEOREPORT_FIELDS = {"service_request_id", "status", "status_notes", "service_name",
                    "service_code", "description", "agency_responsible", "service_notice",
                    "requested_datetime", "updated_datetime", "expected_datetime", "address",
                    "address_id", "zipcode", "lat", "long", "media_url"}


def test_open311_fields_follow_georeport_v2(settings: Settings, any_store: Store) -> None:
    ids = add(any_store, POSTS)
    highways = settings.routing.teams[1]
    [request] = open311(settings, highways, cases(settings, any_store, highways, date(2026, 11, 1)))
    assert set(request) <= GEOREPORT_FIELDS
    assert request == {
        "service_request_id": f"listener-{ids[3]}",
        "status": "open",  # GeoReport v2: open or closed
        "service_code": "POTHOLE",  # routing.service_codes
        "service_name": "Roads and potholes",
        "description": "Huge pothole on Mill Lane",
        "agency_responsible": "Example Council",
        "requested_datetime": "2026-11-24T18:30:00+00:00",  # ISO 8601 with offset
        "updated_datetime": "2026-11-24T18:30:00+00:00",
        "address": "Mill Lane",
        "media_url": "https://x.com/i/status/1004",
    }
    assert datetime.fromisoformat(request["requested_datetime"]).utcoffset() is not None
    waste = settings.routing.teams[0]
    requests = open311(settings, waste, cases(settings, any_store, waste, date(2026, 11, 20)))
    assert [r["service_code"] for r in requests] == ["waste_recycling"] * 2  # default: the key
    assert all("address" not in r for r in requests)  # no place known: no address


def test_no_handle_or_pseudonym_in_any_export_byte(settings: Settings, store: Store, cli: Cli,
                                                   tmp_path: Path) -> None:
    add(store, POSTS)
    config = tmp_path / "config.yaml"
    outputs = {}
    for fmt in ("csv", "json", "open311"):
        ran = cli("--config", config, "export", "cases", "--team", "waste", "--since",
                  "2026-10-01", "--format", fmt)
        assert ran.returncode == 0, ran.output
        outputs[fmt] = ran.stdout
        data = ran.stdout.encode()
        assert HANDLE.encode() not in data and HANDLE.lower().encode() not in data
        assert KEY.encode() not in data and KEY[:8].encode() not in data
        assert b"binboss" not in data and b"@[user]" in data
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert [(r["sentiment"], r["request"], r["link"]) for r in rows] == [  # oldest first
        ("negative", "", "https://x.com/i/status/1007"),  # too old for a digest, not an export
        ("negative", "", "https://x.com/i/status/1001"),
        ("neutral", "question", "https://x.com/i/status/1003")]
    assert [c["matched_terms"] for c in json.loads(outputs["json"])] == [["bin"]] * 3
    assert len(json.loads(outputs["open311"])) == 3
    ran = cli("--config", config, "export", "cases", "--team", "bins", "--since", "7d")
    assert ran.returncode == 2 and "unknown team 'bins'; teams: waste, highways" in ran.stderr


def _post(platform: str, native_id: str, url: str) -> RoutedPost:
    return RoutedPost(1, "2026-11-24T18:30:00+00:00", platform, native_id, url, None, "t", (),
                      (), (), None, None)


def test_links_that_name_no_author() -> None:
    assert public_link(_post("x", "123", f"https://x.com/{HANDLE}/status/123")) == \
        "https://x.com/i/status/123"
    bluesky = _post("bluesky", "at://did:plc:abc123/app.bsky.feed.post/3kx",
                    f"https://bsky.app/profile/{HANDLE}.bsky.social/post/3kx")
    assert public_link(bluesky) == "https://bsky.app/profile/did:plc:abc123/post/3kx"  # digests
    assert public_link(bluesky, account_ids=False) is None  # exports: the DID names the account
    assert public_link(_post("mastodon", "https://mastodon.social/users/a/statuses/9",
                             "https://mastodon.social/@a/9")) is None
    reddit = "https://www.reddit.com/r/town/comments/abc/bins/"
    assert public_link(_post("reddit", "t3_abc", reddit)) == "https://www.reddit.com/comments/abc/"
    for named in (f"https://www.reddit.com/user/{HANDLE}/comments/abc/x/",
                  f"https://www.reddit.com/r/u_{HANDLE}/comments/abc/my_post/"):
        link = public_link(_post("reddit", "t3_abc", named))
        assert link == "https://www.reddit.com/comments/abc/" and HANDLE not in link


def test_a_post_both_question_and_complaint_says_both(settings: Settings, any_store: Store) -> None:
    [pid] = add(any_store, [P("2001", "Why are the bins missed again?", sentiment="neutral",
                          request="question")])
    any_store.labels.save("request", "request.rules", "v1", "cfg", [pid], [
        LabelRecord(pid, "request", label, 1.0, "request.rules", "v1")
        for label in ("question", "complaint")])
    [case] = cases(settings, any_store, settings.routing.teams[0], date(2026, 11, 1))
    assert case.request == "complaint, question"


def test_a_rule_without_sentiments_takes_questions_and_complaints_only(
        any_store: Store) -> None:
    ids = add(any_store, POSTS)
    rule = Rule(topics=("waste_recycling",), sentiments=())
    assert [p.id for p in any_store.routing.cases(rule, "2026-11-01")] == [ids[2]]  # the question
    assert any_store.routing.cases(Rule(topics=("waste_recycling",), sentiments=(),
                                        requests=False), "2026-11-01") == []
