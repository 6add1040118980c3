"""One discovery run: a period's posts read through storage, themes among
those no topic matched, bursting terms among all, stored as one run."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from listener.config import Settings
from listener.discovery.bursts import find_bursts
from listener.discovery.embedding import discovery_embedder, known_model_id, model_version
from listener.discovery.periods import SPAN, Period, week_period
from listener.discovery.themes import theme_records
from nlp import terms
from nlp.clustering import ClusterParams, unit_rows
from nlp.prototypes import TopicPrototypes
from nlp.static_embed import Embeddings
from nlp.themes import find_themes
from storage import Store
from storage.discovery_records import DAY, OK, TOO_FEW, WEEK, EarlierTheme, RunInfo, StoredRun
from storage.timefmt import iso

log = logging.getLogger(__name__)

KEEP = {DAY: 8, SPAN: 1}  # runs kept of each kind (weeks: all, until their posts go)


def settings_hash(settings: Settings) -> str:
    """What a run's result depends on besides the posts and the model."""
    data = {"topics": {k: v.model_dump() for k, v in sorted(settings.topics.items())},
            "discovery": settings.discovery.model_dump(exclude={"enabled"}),
            "tokeniser": terms.TOKENISER}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def discover(settings: Settings, store: Store, period: Period, *,
             embedder: Embeddings | None = None) -> StoredRun:
    """Run discovery over ``period`` and store it (replacing its earlier run)."""
    started = time.perf_counter()
    cfg = settings.discovery
    embedder = embedder or discovery_embedder(cfg, settings.nlp)
    posts = store.themes.period_posts(period.bounds)
    unmatched = [p for p in posts if p.looked and not p.topics]
    prototypes = TopicPrototypes.from_specs(embedder, settings.topics) if settings.topics \
        else None
    status = OK if len(unmatched) >= cfg.min_unmatched else TOO_FEW
    records = []
    if status == OK:
        texts = [p.text for p in unmatched]
        vectors = embedder.encode(texts)
        found = find_themes(texts, vectors, authors=[p.group for p in unmatched],
                            prototypes=prototypes, params=ClusterParams(
                                cfg.link_similarity, cfg.min_size, cfg.sample_size))
        replaced = store.themes.run(period.kind, period.label)
        records = theme_records(
            found, [p.id for p in unmatched], unit_rows(vectors)[0], topics=settings.topics,
            settings=cfg,
            replaced=replaced.themes if replaced and replaced.info.model_id == embedder.model_id
            else (),
            earlier=_earlier(store, period, embedder.model_id, cfg.lookback_weeks),
            previous_end=period.previous_end)
    bursts = find_bursts(store, period, posts, settings=cfg, topics=settings.topics,
                         embedder=embedder, prototypes=prototypes)
    info = RunInfo(kind=period.kind, period=period.label, period_start=period.bounds[0],
                   period_end=period.bounds[1], model_id=embedder.model_id,
                   model_version=model_version(embedder.model_id),
                   settings_hash=settings_hash(settings), posts=len(posts),
                   unmatched=len(unmatched), status=status,
                   seconds=round(time.perf_counter() - started, 2))
    run = store.themes.save_run(info, records, bursts, keep=KEEP.get(period.kind))
    log.info("discovery %s %s: %d posts, %d unmatched, %d themes, %d bursting terms (%.1f s)",
             period.kind, period.label, len(posts), len(unmatched), len(run.themes),
             len(run.bursts), info.seconds)
    return run


def _earlier(store: Store, period: Period, model_id: str, weeks: int) -> list[EarlierTheme]:
    """The themes a theme of ``period`` may continue, latest first: report
    weeks of the last ``weeks`` weeks; for the daily check also the runs of
    the days before."""
    if period.kind == SPAN:
        return []
    start, end = period.bounds
    since = iso(period.span.start - timedelta(weeks=weeks))
    found = store.themes.earlier(model_id, WEEK, (since, start if period.kind == WEEK else end))
    if period.kind == DAY and period.previous_end is not None:
        found = store.themes.earlier(model_id, DAY, (start, period.previous_end)) + found
    return sorted(found, key=lambda e: e.period_end, reverse=True)


def ensure(settings: Settings, store: Store, period: Period, *,
           embedder: Embeddings | None = None) -> StoredRun:
    """The stored run of ``period`` when it is still true (same posts, same
    unmatched count, same settings and model), its counts made again from
    the current labels; otherwise a new run."""
    stored = store.themes.run(period.kind, period.label)
    if stored is not None:
        info = stored.info
        model_id = embedder.model_id if embedder else known_model_id(settings.discovery)
        if model_id is None:  # only loading the model tells (MiniLM)
            embedder = discovery_embedder(settings.discovery, settings.nlp)
            model_id = embedder.model_id
        if ((info.posts, info.unmatched) == store.themes.counts(period.bounds)
                and info.settings_hash == settings_hash(settings)
                and info.model_id == model_id
                and (info.period_start, info.period_end) == period.bounds):
            return store.themes.recount_run(period.kind, period.label) or stored
    return discover(settings, store, period, embedder=embedder)


def ensure_week(settings: Settings, store: Store, week: str, *,
                embedder: Embeddings | None = None, now: datetime | None = None) -> StoredRun:
    period = week_period(week, ZoneInfo(settings.reports.timezone),
                         settings.discovery.baseline_weeks, now or datetime.now(UTC))
    return ensure(settings, store, period, embedder=embedder)
