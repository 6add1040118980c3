"""Checks on config.yaml topic lists, in plain language, so that an admin gets
an error instead of a topic that silently never matches."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from nlp import textprep
from nlp.config import NlpSettings, TopicSpec

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
HASHTAG_BODY_RE = re.compile(r"^\w+$")


def _check_words(slug: str, kind: str, words: list[str], problems: list[str],
                 lemmas: bool) -> None:
    seen: dict[tuple[str, ...], str] = {}
    for word in words:
        if not word.strip():
            problems.append(f"topic '{slug}': an empty entry in {kind}")
            continue
        if kind == "terms" and len(word.split()) > 1:
            problems.append(
                f"topic '{slug}': term '{word}' has spaces; put it under phrases"
            )
        if textprep.URL_RE.search(word) or textprep.MENTION_RE.fullmatch(word.strip()):
            problems.append(
                f"topic '{slug}': '{word}' in {kind} is a link or @mention, which never match"
            )
            continue
        if not lemmas:
            continue
        key = textprep.lemmas(word)
        if not key:
            problems.append(f"topic '{slug}': '{word}' in {kind} has no words to match")
            continue
        if key in seen:
            problems.append(
                f"topic '{slug}': '{word}' in {kind} duplicates '{seen[key]}'"
                " (the same word once inflections are ignored)"
            )
        seen[key] = word


def validate_topic(slug: str, spec: TopicSpec, *, lemmas: bool = True) -> list[str]:
    """Problems in one topic's lists. Without ``lemmas`` only the checks
    that need no tokenizer run (spaCy is not imported): duplicates once
    inflections are ignored, words with nothing to match and terms that are
    also exclusions are left to the commands that classify."""
    problems: list[str] = []
    if not SLUG_RE.match(slug):
        problems.append(
            f"topic '{slug}': the topic key must be lower-case letters, digits, '-' or '_'"
        )
    if not spec.label.strip():
        problems.append(f"topic '{slug}': the label is empty")
    if not (spec.terms or spec.phrases or spec.hashtags):
        problems.append(f"topic '{slug}': no terms, phrases or hashtags, so it can never match")
    _check_words(slug, "terms", spec.terms, problems, lemmas)
    _check_words(slug, "phrases", spec.phrases, problems, lemmas)
    _check_words(slug, "exclusions", spec.exclusions, problems, lemmas)
    included = {textprep.lemmas(w): w for w in [*spec.terms, *spec.phrases]
                if lemmas and w.strip()}
    for word in spec.exclusions if lemmas else ():
        key = textprep.lemmas(word) if word.strip() else ()
        if key and key in included:
            problems.append(
                f"topic '{slug}': '{word}' is both a term and an exclusion, so it can never match"
            )
    seen_examples: set[str] = set()
    for example in spec.examples:
        same = " ".join(example.lower().split())
        if not same:
            problems.append(f"topic '{slug}': an empty entry in examples")
        elif same in seen_examples:
            problems.append(f"topic '{slug}': example '{example}' is listed twice")
        seen_examples.add(same)
    tags: set[str] = set()
    for tag in spec.hashtags:
        body = tag.strip().removeprefix("#")
        if not body:
            problems.append(f"topic '{slug}': an empty hashtag")
        elif not HASHTAG_BODY_RE.match(body):
            problems.append(
                f"topic '{slug}': hashtag '{tag}' has spaces or punctuation;"
                " a hashtag is one word (letters, digits, _)"
            )
        elif body.lower() in tags:
            problems.append(f"topic '{slug}': hashtag '{tag}' is listed twice")
        tags.add(body.lower())
    return problems


def validate_topics(topics: Mapping[str, TopicSpec]) -> list[str]:
    """Every problem found in the topic lists, each naming its topic slug."""
    problems: list[str] = []
    for slug, spec in topics.items():
        problems.extend(validate_topic(slug, spec))
    return problems


Location = tuple[str | int, ...]


def classifier_problems(settings: NlpSettings, data_dir: Path) -> list[tuple[Location, str]]:
    """Each configured classifier name that is neither registered nor trained
    into ``data_dir`` (with the closest known name), or whose task is not the
    one its key asks for; as (location in the nlp section, message)."""
    from nlp.build import describe_one
    from nlp.registry import UnknownClassifierError

    wanted: list[tuple[Location, str, str | None]] = [
        (("topic_classifier",), settings.topic_classifier, "topic"),
        (("sentiment_classifier",), settings.sentiment_classifier, "sentiment"),
        *((("extra_classifiers", i), name, None)
          for i, name in enumerate(settings.extra_classifiers)),
    ]
    if settings.learned_topic:
        wanted.append((("learned_topic",), settings.learned_topic, "topic"))
    problems: list[tuple[Location, str]] = []
    for where, spec, task in wanted:
        try:
            _, _, found = describe_one(spec, data_dir)
        except UnknownClassifierError as exc:
            problems.append((where, str(exc)))
            continue
        if task is not None and found != task:
            problems.append((where, f"{spec!r} labels {found}, not {task}"))
    return problems
