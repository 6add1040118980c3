"""The audit's labelling page in ``listener serve``: one post at a time.

Staff with the ``labeller`` role (``web.users.NAME.role``) pick the post's
sentiment and topics, by mouse or keyboard (1 2 3 for the sentiment, a
letter per topic, 0 for no topic, Enter to save, s to skip); only then does
the page show what the classifier said, beside their answer. Readers are
refused. The answer is stored with the user as labeller, through a
read-write ``Store`` of the page's own (``listener.web.plugin.RecordStores``,
on either backend): the search page's connections stay read-only.
Datasette checks the form's CSRF token on every POST.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from listener.audit.service import items_shown
from nlp.estimate import NONE
from storage import SENTIMENTS, Store
from storage.audit_records import ItemToLabel, Labels
from storage.audits import AuditSummary, GoldLabel

LABELLER = "labeller"
TASKS = ("sentiment", "topic")
SENTIMENT_KEYS = dict(zip(SENTIMENTS, "123", strict=True))
TOPIC_KEYS = "abcdefghijklmopqrtuvwxyz"  # no n or s: they are next and skip
NO_TOPIC_KEY = "0"


class Refused(Exception):
    """A request the page answers with ``status`` and a plain message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Option:
    value: str
    name: str
    key: str


@dataclass(frozen=True)
class Question:
    audit: AuditSummary
    item: ItemToLabel
    remaining: int  # posts of the audit still to label, this one included
    sentiments: tuple[Option, ...]
    topics: tuple[Option, ...]
    error: str = ""


@dataclass(frozen=True)
class Answer:
    audit: AuditSummary
    item: ItemToLabel
    given: dict[str, Labels]
    predicted: dict[str, Labels]
    remaining: int


def require_role(actor: Mapping[str, Any] | None, role: str, refusal: str) -> str:
    """The logged-in user's name when their role is ``role``; anyone not
    logged in gets 401, anyone else 403 with ``refusal``."""
    if actor is None:
        raise Refused(401, "log in first")
    if actor.get("role") != role:
        raise Refused(403, refusal)
    return str(actor.get("id") or "unknown")


def check_labeller(actor: Mapping[str, Any] | None) -> str:
    """The labeller's name; readers (and anyone else) are refused."""
    return require_role(actor, LABELLER, "your account may search posts but not label them: "
                        "ask an administrator for the labeller role (web.users.NAME.role:"
                        " labeller)")


def options(topic_names: Mapping[str, str]) -> tuple[tuple[Option, ...], tuple[Option, ...]]:
    sentiments = tuple(Option(s, s.capitalize(), SENTIMENT_KEYS[s]) for s in SENTIMENTS)
    topics = tuple(Option(slug, name, TOPIC_KEYS[k] if k < len(TOPIC_KEYS) else "")
                   for k, (slug, name) in enumerate(topic_names.items()))
    return sentiments, (*topics, Option(NONE, "No topic fits", NO_TOPIC_KEY))


def parse_answer(body: bytes, topic_names: Mapping[str, str]) -> tuple[int, dict[str, Labels]]:
    """(item position, labels) from the posted form; Refused(400) in plain words."""
    form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    try:
        position = int((form.get("item") or [""])[0])
    except ValueError:
        raise Refused(400, "the form lost which post it was about: reload the page") from None
    sentiment = (form.get("sentiment") or [""])[0]
    topics = [t for t in form.get("topic", []) if t]
    if sentiment not in SENTIMENTS:
        raise Refused(400, "choose the post's sentiment (1, 2 or 3)")
    if not topics or [t for t in topics if t != NONE and t not in topic_names]:
        raise Refused(400, "choose the post's topics, or 'No topic fits' (0)")
    if NONE in topics and len(topics) > 1:
        raise Refused(400, "'No topic fits' cannot go with a topic")
    return position, {"sentiment": (sentiment,),
                      "topic": () if NONE in topics else tuple(topics)}


def _audit(store: Store, audit_id: int) -> AuditSummary:
    found = next((s for s in store.audits.summaries() if s.id == audit_id), None)
    if found is None:
        raise Refused(404, f"there is no audit {audit_id}")
    return found


def _open_items(items: list[ItemToLabel]) -> list[ItemToLabel]:
    return [i for i in items if any(t not in i.gold for t in TASKS)]


def question(store: Store, audit_id: int, after: int, official: Collection[str],
             topic_names: Mapping[str, str]) -> Question | AuditSummary:
    """The next post after ``after`` still to label (from the start again
    past the end), or the audit's summary when none is left (reads only)."""
    audit = _audit(store, audit_id)
    todo = _open_items(items_shown(store, audit_id, official))
    if not todo:
        return audit
    item = next((i for i in todo if i.position > after), todo[0])
    return Question(audit, item, len(todo), *options(topic_names))


def answer(store: Store, audit_id: int, body: bytes, labeller: str,
           official: Collection[str], topic_names: Mapping[str, str]) -> Answer:
    """Store the posted labels (``store`` is read-write); then, and only
    then, the classifier's."""
    position, given = parse_answer(body, topic_names)
    _audit(store, audit_id)
    stored = store.audits.get(audit_id)
    item = next((i for i in stored.items if i.position == position), None) \
        if stored else None
    if item is None or item.post_id is None:
        raise Refused(404, f"audit {audit_id} has no post {position} to label")
    store.audits.save_labels(audit_id, [GoldLabel(position, t, v) for t, v in given.items()],
                             labeller, "page")
    shown = next(i for i in items_shown(store, audit_id, official, position - 1))
    summary = _audit(store, audit_id)
    remaining = len(_open_items(items_shown(store, audit_id, official)))
    return Answer(summary, shown, given, item.predicted, remaining)
