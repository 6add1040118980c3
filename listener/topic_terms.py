"""``listener topics suggest`` and ``listener topics health``: the stored
posts of the last weeks, read through ``store.topic_terms``, through the
keyword matcher and semantic matching, into suggestions (with a YAML
snippet an admin reviews and pastes) and per-term health. Nothing here
edits config.yaml; example posts are shown with handles masked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from listener.config import Settings
from listener.query.masking import mask_handles, official_handles
from nlp.config import TopicSpec
from nlp.prototypes import read_staff_labels
from nlp.registry import BuildContext
from nlp.semantic import SemanticTopics
from nlp.term_health import TermHealth, term_health
from nlp.term_mining import Suggestion, suggest_terms, with_suggestions
from nlp.validate import validate_topic
from storage import Store

NEAR_SLACK = 0.05  # a post counts as near a topic a little below its threshold


@dataclass(frozen=True)
class Window:
    since: str
    until: str
    posts: int


@dataclass(frozen=True)
class Suggested:
    window: Window
    suggestions: dict[str, list[Suggestion]]
    examples: dict[int, str]  # post index -> text with handles masked


def _window_posts(store: Store, weeks: int, unclassified_only: bool, limit: int
                  ) -> tuple[Window, list[Any]]:
    newest = store.topic_terms.newest_post_at()
    if newest is None:
        return Window("", "", 0), []
    since = (datetime.fromisoformat(newest) - timedelta(weeks=weeks)).isoformat(
        timespec="seconds")
    posts = store.topic_terms.posts_between(since, newest, unclassified_only=unclassified_only,
                                            limit=limit)
    return Window(since, newest, len(posts)), posts


def _semantic(settings: Settings) -> SemanticTopics:
    return SemanticTopics.from_context(BuildContext(settings.nlp, settings.topics,
                                                    settings.data_dir))


def suggest(settings: Settings, store: Store, *, topic: str | None = None, weeks: int = 4,
            unclassified_only: bool = True, per_topic: int = 10, min_posts: int = 3,
            limit: int = 50_000) -> Suggested:
    window, posts = _window_posts(store, weeks, unclassified_only, limit)
    if not posts:
        return Suggested(window, {}, {})
    sem = _semantic(settings)
    texts = [p.text for p in posts]
    best, _, _ = sem.scores(texts)
    near = []
    for row in best:
        t = int(row.argmax())
        close = float(row[t]) >= float(sem.thresholds[t]) - NEAR_SLACK
        near.append((sem.slugs[t] if close else "", float(row[t])))
    found = suggest_terms(texts, [p.topics for p in posts], near, settings.topics,
                          only=topic, per_topic=per_topic, min_posts=min_posts)
    found = {slug: _valid(settings.topics[slug], picked) for slug, picked in found.items()}
    official = official_handles(settings.privacy.official_accounts)
    examples = {i: mask_handles(texts[i], official)
                for picked in found.values() for s in picked for i in s.examples}
    return Suggested(window, {k: v for k, v in found.items() if v}, examples)


def _valid(spec: TopicSpec, picked: list[Suggestion]) -> list[Suggestion]:
    """Only suggestions that keep the topic free of config problems."""
    kept: list[Suggestion] = []
    for s in picked:
        if not validate_topic("t", with_suggestions(spec, [*kept, s])):
            kept.append(s)
    return kept


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def snippet(settings: Settings, result: Suggested, made_on: str) -> str:
    """YAML for config.yaml: each topic's whole entry with the suggestions
    added (marked '# new'), to replace the entry by after review."""
    lines = [f"# `listener topics suggest`, {made_on}: {result.window.posts} posts from"
             f" {result.window.since} to {result.window.until}.",
             "# Review every line marked '# new' and delete those you do not want. Then, in",
             "# config.yaml, replace each topic's entry under `topics:` with its entry below",
             "# and run `listener config check`. Nothing here was applied by itself.",
             "topics:"]
    for slug, picked in result.suggestions.items():
        spec = settings.topics[slug]
        new = {(s.kind, s.text): s for s in picked}
        merged = with_suggestions(spec, picked)
        lines += [f"  {slug}:", f"    label: {_quote(spec.label)}"]
        for kind in ("terms", "phrases", "hashtags", "exclusions", "examples"):
            items: list[str] = getattr(merged, kind)
            if not items:
                continue
            lines.append(f"    {kind}:")
            for item in items:
                s = new.get((kind, item))
                note = (f"  # new: {s.extra_posts} more posts, {s.near_share:.0%} of them near"
                        " the topic") if s else ""
                lines.append(f"      - {_quote(item)}{note}")
        if spec.semantic_threshold is not None:
            lines.append(f"    semantic_threshold: {spec.semantic_threshold}")
    return "\n".join(lines) + "\n"


def health(settings: Settings, store: Store, *, weeks: int = 4, topic: str | None = None,
           limit: int = 50_000) -> tuple[Window, list[TermHealth]]:
    window, posts = _window_posts(store, weeks, False, limit)
    topics = {k: v for k, v in settings.topics.items() if topic is None or k == topic}
    sem = _semantic(settings)
    texts = [p.text for p in posts]
    best, _, _ = sem.scores(texts)
    nearest = [sem.slugs[int(row.argmax())] for row in best]
    staff = read_staff_labels(settings.nlp.labelled_files)
    min_matches = settings.privacy.min_group_size
    rows = term_health(topics, sem.keywords.matches(texts), nearest,
                       sem.keywords.matches([s.text for s in staff]),
                       [s.label for s in staff], min_matches=min_matches)
    return window, rows
