"""The pipeline that joins the stages: collect, then classify.

collect: source pages -> the platform's normaliser (from the registry) ->
pseudonymiser -> ``store.collect.save_page`` (one transaction per page,
cursor included).
classify: unlabelled posts in batches -> nlp classifiers -> ``store.labels.save``
(labels and the rollups the reports read, in one transaction per batch).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import nlp
from listener import __version__
from listener.config import Settings
from listener.normalise import NormaliseError
from listener.normalise.storable import check_storable, scrub
from listener.platforms.registry import build_source, normaliser
from listener.privacy.minimise import minimise
from listener.privacy.pseudonym import Pseudonymiser, load_key
from listener.redact import redact, register_secret_vars
from listener.sources.base import Page, Source
from storage import LabelRecord, Quarantined, Store, StoredItem
from storage.timefmt import iso

log = logging.getLogger(__name__)

# Errors a malformed payload can raise inside a normaliser: quarantine, go on.
ITEM_ERRORS = (NormaliseError, KeyError, TypeError, ValueError, AttributeError, IndexError,
               ArithmeticError)


@dataclass
class CollectSummary:
    source: str
    run_id: int
    status: str = "running"
    pages: int = 0
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    quarantined: int = 0
    blocked: int = 0
    error: str | None = None
    new_ids: list[int] = field(default_factory=list)


def register_secrets(settings: Settings) -> None:
    names = [settings.privacy.key_env]
    for cfg in settings.all_sources().values():
        names += list(cfg.credential_env().values())
    register_secret_vars(names)


def make_pseudonymiser(settings: Settings) -> Pseudonymiser:
    key = load_key(settings.privacy, settings.base_dir)
    return Pseudonymiser(key, settings.privacy.official_set())


def normalise_page(page: Page, pseudonymiser: Pseudonymiser, now: datetime | None = None
                   ) -> tuple[list[StoredItem], list[Quarantined]]:
    """Each item normalised, checked storable (``listener.normalise.storable``:
    valid text, counts that fit, no date beyond the future tolerance) and
    pseudonymised; an item that fails is quarantined with the reason (and
    where it came from, e.g. its line in an imported file)."""
    normalise = normaliser(page.platform)
    now = now or datetime.now(UTC)
    items: list[StoredItem] = []
    bad: list[Quarantined] = []
    for raw in page.items:
        kept: Any = raw.payload
        try:
            kept = minimise(page.platform, raw.payload)
            post = normalise(raw.payload)
            if page.published_by is not None:  # the body's own feed: its entries are its own
                post = post.but(author_handle=page.published_by)
            if page.addressed:  # the platform delivered it as a mention of, or reply to, us
                post = post.but(addressed=True)
            kept_json = check_storable(post, kept, now)
            post = pseudonymiser.apply(post)
        except ITEM_ERRORS as exc:
            message = str(exc) if isinstance(exc, NormaliseError) else (
                f"{type(exc).__name__}: {exc}")
            if raw.where and not message.startswith(raw.where):
                message = f"{raw.where}: {message}"
            bad.append(Quarantined(page.platform, redact(scrub(message)), scrub(kept)))
            continue
        items.append(StoredItem(post, kept, kept_json))
    return items, bad


def collect_source(
    store: Store,
    name: str,
    source: Source,
    pseudonymiser: Pseudonymiser,
    *,
    stop: threading.Event | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> CollectSummary:
    """Collect one source until it has nothing new (or ``stop`` is set, which
    is honoured between pages). Every page is committed with its cursor, so a
    kill at any point loses nothing and repeats nothing."""
    store.runs.close_abandoned(name)
    summary = CollectSummary(source=name, run_id=store.runs.start(name))
    try:
        attach = getattr(source, "attach_store", None)
        if attach is not None:  # sources that keep usage counters (X's read budget)
            attach(store)
        for page in source.pages(store.collect.cursor(name)):
            items, bad = normalise_page(page, pseudonymiser)
            result = store.collect.save_page(
                source=name, run_id=summary.run_id, items=items, quarantined=bad,
                query=page.query, cursor=page.cursor, request=page.request,
                collector_version=f"civic-listener/{__version__}",
                fetched=len(page.items),
            )
            summary.pages += 1
            summary.fetched += result.fetched
            summary.new += result.new
            summary.duplicates += result.duplicates
            summary.quarantined += result.quarantined
            summary.blocked += result.blocked
            summary.new_ids += result.new_ids
            if on_page is not None:
                on_page(summary.pages, summary.fetched)
            if stop is not None and stop.is_set():
                log.info("source %s: stop requested; stopped after page %d", name, summary.pages)
                break
    except Exception as exc:  # the run fails visibly, with its error stored
        summary.status, summary.error = "failed", redact(f"{type(exc).__name__}: {exc}")
        store.runs.finish(summary.run_id, "failed", summary.error)
        log.error("source %s failed: %s", name, summary.error)
        return summary
    summary.status = "ok"
    store.runs.finish(summary.run_id, "ok")
    log.info("source %s: %d pages, %d fetched, %d new, %d duplicates, %d quarantined",
             name, summary.pages, summary.fetched, summary.new, summary.duplicates,
             summary.quarantined)
    return summary


def collect(settings: Settings, store: Store, only: str | None = None,
            stop: threading.Event | None = None,
            on_page: Callable[[str, int, int], None] | None = None) -> list[CollectSummary]:
    """Collect every enabled source (or just ``only``), one after another;
    ``on_page(source, pages, posts read)`` after each stored page. A source
    another process is collecting (several collectors on one PostgreSQL
    database) is skipped, and logged; it has no summary."""
    register_secrets(settings)
    pseudonymiser = make_pseudonymiser(settings)
    configured = settings.all_sources()
    if only is not None and only not in configured:
        raise KeyError(f"no source named {only!r}; configured: {', '.join(configured)}")
    names = [only] if only is not None else list(settings.enabled_sources())
    summaries = []
    for name in names:
        try:
            source = build_source(name, configured[name])
        except Exception as exc:
            run_id = store.runs.start(name)
            error = redact(f"{type(exc).__name__}: {exc}")
            store.runs.finish(run_id, "failed", error)
            summaries.append(CollectSummary(name, run_id, "failed", error=error))
            continue
        tick = partial(on_page, name) if on_page is not None else None
        with store.runs.collecting(name) as ours:  # PostgreSQL: one collector at a time
            if not ours:
                log.info("source %s: being collected by another process on this database; "
                         "skipped this round", name)
                continue
            summaries.append(collect_source(store, name, source, pseudonymiser, stop=stop,
                                            on_page=tick))
    return summaries


def since_utc(since: str | None) -> str | None:
    """``--since`` (a date, or a UTC ISO time) as stored UTC text."""
    if since is None:
        return None
    moment = datetime.fromisoformat(since)
    return iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def topics_hash(settings: Settings) -> str:
    text = json.dumps({k: v.model_dump() for k, v in settings.topics.items()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def classify(settings: Settings, store: Store, *, relabel: bool = False,
             since: str | None = None, classifiers: list[Any] | None = None,
             on_batch: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Label posts no classifier has seen (all posts, or those since a date,
    with ``relabel``). Returns posts labelled per task; ``on_batch(task,
    done, total)`` after each batch. A relabel is recorded (``store.relabels``),
    so reports say that history was labelled again, when and under which config.
    The rollups are written with the labels, in ``reports.timezone`` (a
    changed zone rebuilds them first)."""
    store.rollups.use_zone(settings.reports.timezone)
    active = classifiers if classifiers is not None else nlp.build_classifiers(
        settings.nlp, settings.topics, settings.data_dir)
    counts: dict[str, int] = {}
    for clf in active:
        config_hash = topics_hash(settings) if clf.task == "topic" else None
        done = 0
        total = store.labels.count_to_label(clf.task, relabel=relabel, since=since) \
            if on_batch is not None else 0
        for batch in store.labels.posts_to_label(clf.task, batch_size=settings.nlp.batch_size,
                                                 relabel=relabel, since=since):
            ids = [pid for pid, _ in batch]
            results = clf.classify([text for _, text in batch])
            labels = [
                LabelRecord(pid, lab.task, lab.label, lab.score, lab.classifier, lab.version,
                            lab.model_id, tuple(lab.evidence))
                for pid, labs in zip(ids, results, strict=True)
                for lab in labs
            ]
            store.labels.save(clf.task, clf.name, clf.version, config_hash, ids, labels)
            done += len(ids)
            if on_batch is not None:
                on_batch(clf.task, done, total)
        if relabel:
            store.relabels.record(clf.task, since=since_utc(since),
                                  config_hash=settings.config_hash, posts=done)
        counts[clf.task] = counts.get(clf.task, 0) + done
        log.info("classified %d posts for %s with %s %s", done, clf.task, clf.name, clf.version)
    return counts
