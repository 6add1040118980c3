"""Team digests: each enabled team gets, on each of its channels, the posts
its rule matches that it has not had yet.

``send_digests`` first routes the matching posts of the last
``routing.max_age_days`` to the team (``store.routing.queue``: once per
team and channel, ever), then sends everything waiting in one message per
channel. A send that fails leaves the posts waiting and is logged; the next
run sends them with whatever came since. A send that succeeds marks them
delivered, so they never go again. E-mail goes through the relay of
``reports.email`` to the team's addresses; a webhook gets a Teams Adaptive
Card or a Slack message (``webhook_payload``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from listener.config import Settings
from listener.query.masking import official_handles
from listener.routing.posts import CasePost, case_post
from listener.routing.settings import TeamSettings
from reports.deliver import DeliveryError, build_message, post_json, send_email, webhook_kind
from storage import Store
from storage.routing import Rule
from storage.timefmt import iso

log = logging.getLogger(__name__)

MAX_POSTS = 200  # posts in one message; more wait for the next run
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


@dataclass(frozen=True)
class DigestResult:
    team: str
    channel: str
    posts: int  # posts in the message (0: nothing to send)
    sent: bool
    error: str | None = None


def rule_of(team: TeamSettings) -> Rule:
    return Rule(topics=tuple(team.topics), sentiments=tuple(team.sentiment),
                places=tuple(team.places), requests=team.requests)


def digest_posts(settings: Settings, store: Store, team: TeamSettings,
                 post_ids: Sequence[int], *, export: bool = False) -> list[CasePost]:
    official = official_handles(settings.privacy.official_accounts)
    topics = {slug: spec.label for slug, spec in settings.topics.items()}
    places = {slug: spec.label for slug, spec in settings.nlp.places.items()}
    return [case_post(p, official=official, topic_labels=topics, place_labels=places,
                      zone=settings.reports.timezone, export=export)
            for p in store.routing.posts(post_ids, rule_of(team))]


def _why(post: CasePost) -> str:
    parts = [post.sentiment or ""] + ([post.request] if post.request else [])
    return ", ".join(p for p in parts if p)


def _line(post: CasePost) -> str:
    where = f" | {', '.join(post.places)}" if post.places else ""
    terms = f" | matched: {', '.join(post.terms)}" if post.terms else ""
    return (f"[{', '.join(post.topic_labels)}{where}] {post.posted[:16].replace('T', ' ')}"
            f" {post.platform} ({_why(post)}){terms}\n  {post.text}\n  {post.link_text}")


def subject(team: TeamSettings, posts: Sequence[CasePost]) -> str:
    return f"{team.shown}: {len(posts)} post{'s' if len(posts) != 1 else ''} from residents"


def digest_text(team: TeamSettings, posts: Sequence[CasePost]) -> str:
    """The e-mail body: one paragraph per post, handles masked."""
    head = (f"{subject(team, posts)}.\nNew posts on {', '.join(team.topics)} that are "
            f"{' or '.join(team.sentiment) or 'of any tone'}"
            f"{', or questions and complaints,' if team.requests else ''} with their links. "
            "Handles are masked. Each post is sent to this team once.")
    return head + "\n\n" + "\n\n".join(_line(p) for p in posts) + "\n"


def webhook_format(team: TeamSettings, url: str) -> str:
    """As configured, or (``auto``) by the URL's host, as for alerts."""
    return webhook_kind(url, team.webhook_format)


def webhook_payload(team: TeamSettings, posts: Sequence[CasePost], fmt: str) -> dict[str, Any]:
    """A Slack message (``text`` plus one section block per post) or a Teams
    message carrying an Adaptive Card (one text block per post)."""
    title = subject(team, posts)
    if fmt == "slack":
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": title[:150]}}]
        for p in posts[:49]:  # Slack takes at most 50 blocks
            link = f"<{p.link}|link>" if p.link else p.link_text
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": (
                f"*{', '.join(p.topic_labels)}*"
                f"{' · ' + ', '.join(p.places) if p.places else ''} · {_why(p)}\n"
                f"{p.text[:2500]}\n{link}")}})
        return {"text": title, "blocks": blocks}
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "size": "Medium", "weight": "Bolder", "text": title, "wrap": True}]
    for p in posts:
        body.append({"type": "TextBlock", "wrap": True, "separator": True, "text": (
            f"**{', '.join(p.topic_labels)}**"
            f"{' · ' + ', '.join(p.places) if p.places else ''} · {_why(p)}"
            f"{' · matched: ' + ', '.join(p.terms) if p.terms else ''}")})
        body.append({"type": "TextBlock", "wrap": True, "text": p.text})
        body.append({"type": "TextBlock", "wrap": True, "isSubtle": True,
                     "text": f"[{p.link}]({p.link})" if p.link else p.link_text})
    return {"type": "message", "attachments": [{
        "contentType": "application/vnd.microsoft.card.adaptive",
        "contentUrl": None,
        "content": {"$schema": CARD_SCHEMA, "type": "AdaptiveCard", "version": "1.4",
                    "body": body}}]}


def _send(settings: Settings, team: TeamSettings, channel: str, posts: Sequence[CasePost],
          env: Mapping[str, str], send_mail: Callable[..., None],
          post: Callable[..., None]) -> None:
    if channel == "email":
        relay = settings.reports.email.model_copy(update={"to": list(team.email)})
        send_mail(relay, build_message(relay, subject(team, posts), digest_text(team, posts)),
                  env)
    else:
        fmt = webhook_format(team, env.get(team.webhook_url_env, ""))
        post(team.webhook_url_env, webhook_payload(team, posts, fmt), env)


def send_digests(settings: Settings, store: Store, *, teams: Sequence[str] | None = None,
                 now: datetime | None = None, env: Mapping[str, str] | None = None,
                 send_mail: Callable[..., None] = send_email,
                 post: Callable[..., None] = post_json) -> list[DigestResult]:
    """Route and send for the enabled teams (or the teams named, enabled or
    not); one result per team and channel."""
    env = os.environ if env is None else env
    now = now or datetime.now(UTC)
    since = iso(now - timedelta(days=settings.routing.max_age_days))
    chosen = [t for t in settings.routing.teams
              if (t.name in teams if teams is not None else t.enabled)]
    results = []
    for team in chosen:
        for channel in team.channels():
            store.routing.queue(team.name, channel, rule_of(team), since)
            ids = store.routing.waiting(team.name, channel, MAX_POSTS)
            if not ids:
                results.append(DigestResult(team.name, channel, 0, False))
                continue
            posts = digest_posts(settings, store, team, ids)
            try:
                _send(settings, team, channel, posts, env, send_mail, post)
            except DeliveryError as exc:
                store.routing.failed(team.name, channel, ids, str(exc))
                log.warning("digest for %s by %s not sent (%d posts wait for the next run): %s",
                            team.name, channel, len(ids), exc)
                results.append(DigestResult(team.name, channel, len(ids), False, str(exc)))
                continue
            store.routing.delivered(team.name, channel, ids)
            log.info("digest for %s by %s: %d posts", team.name, channel, len(ids))
            results.append(DigestResult(team.name, channel, len(ids), True))
    return results
