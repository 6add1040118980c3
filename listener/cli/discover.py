"""``listener discover``: themes and bursting terms not in the topic lists."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import typer
import yaml

from listener.cli.common import open_store, settings_from
from listener.config import Settings
from listener.discovery import discover, ensure_week, span_period
from listener.reporting import report_context
from reports import latest_complete_week
from reports.discovery import discovery_figures
from reports.discovery_figures import DiscoveryFigures
from reports.weeks import normal_week
from storage import Store

FORMATS = ("table", "json", "yaml")
EVERY = 10_000  # the command lists every theme and term the run kept


def register(app: typer.Typer) -> None:
    @app.command("discover")
    def discover_cmd(
        ctx: typer.Context,
        week: str | None = typer.Option(
            None, "--week", help="ISO week, e.g. 2026-W47 (default: latest complete week)"),
        since: str | None = typer.Option(
            None, "--since", help="First day, YYYY-MM-DD: the days from it to yesterday"),
        fmt: str = typer.Option("table", "--format", help="table, json or yaml"),
        check: bool = typer.Option(False, "--check", help="Check the stored themes' counts "
                                   "against their posts; exit 1 when any differs"),
        repair: bool = typer.Option(False, "--repair", help="Count every stored theme again"),
    ) -> None:
        """Themes among the posts no topic matched, and bursting terms, each with a
        suggestion for the topic lists (a week's run is stored for the report)."""
        if fmt not in FORMATS:
            raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
        if week and since:
            raise typer.BadParameter("give --week or --since, not both")
        settings = settings_from(ctx, check_credentials=False)
        store = open_store(settings)
        if check or repair:
            raise typer.Exit(_upkeep(store, repair))
        try:
            figures = _figures(settings, store, week, since)
        except ValueError as exc:
            typer.echo(f"no discovery: {exc}", err=True)
            raise typer.Exit(2) from None
        if figures is None:
            typer.echo("no discovery: no complete week with posts", err=True)
            raise typer.Exit(1)
        data = dataclasses.asdict(figures)
        if fmt == "json":
            typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        elif fmt == "yaml":
            typer.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
        else:
            typer.echo(table_text(figures))


def _upkeep(store: Store, repair: bool) -> int:
    if repair:
        done = store.themes.repair()
        typer.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in done.items()))
    problems = store.themes.check()
    for problem in problems:
        typer.echo(problem)
    if not problems:
        typer.echo("stored themes and bursting terms agree with their posts")
    return 1 if problems else 0


def _figures(settings: Settings, store: Store, week: str | None,
             since: str | None) -> DiscoveryFigures | None:
    tz = ZoneInfo(settings.reports.timezone)
    now = datetime.now(UTC)
    cfg = settings.discovery
    if since is not None:
        run = discover(settings, store, span_period(date.fromisoformat(since), tz,
                                                    cfg.baseline_weeks, now))
    else:
        chosen = normal_week(week) if week else latest_complete_week(store, tz, now)
        if chosen is None:
            return None
        run = ensure_week(settings, store, chosen, now=now)
    context = report_context(settings)
    return discovery_figures(
        store, run, period=run.info.period, tz=tz, official=context.official_handles,
        topic_labels={slug: t.label for slug, t in settings.topics.items()},
        themes_shown=EVERY, terms_shown=EVERY, baseline_weeks=cfg.baseline_weeks,
        min_unmatched=cfg.min_unmatched, link=context.link)


def table_text(d: DiscoveryFigures) -> str:
    lines = [f"Discovery, {d.period}: {d.posts:,} posts, {d.unmatched:,} matched no topic"
             f" (embeddings {d.model_id or 'none'})", "", "Themes not in your topic lists:"]
    if not d.themes:
        lines.append(f"  {d.explanation}")
    for k, t in enumerate(d.themes, start=1):
        near = (f"nearest topic {t.nearest_topic} ({t.topic_similarity:.2f}, to "
                f'"{t.topic_evidence}")' if t.nearest_topic and t.topic_similarity is not None
                else "no topic configured")
        lines += [f"  {k}. {t.label}: {t.posts:,} posts from {t.authors:,} people; negative "
                  f"share {t.negative_text}; {t.running}", f"     {near}",
                  f"     suggestion: {t.suggestion}", *_indented(t.yaml),
                  *(_post_line(p) for p in t.examples)]
    lines += ["", f"Bursting terms ({d.test})"]
    if not d.bursts:
        lines.append("  none this period")
    for k, b in enumerate(d.bursts, start=1):
        lines += [f'  {k}. "{b.term}": {b.posts:,} posts against a baseline mean of '
                  f"{b.baseline_mean:.1f} over {b.baseline_periods} periods (threshold "
                  f"{b.threshold:.1f})", f"     suggestion: {b.suggestion}",
                  *_indented(b.yaml), *(_post_line(p) for p in b.examples)]
    return "\n".join(lines)


def _indented(text: str) -> list[str]:
    return [f"       {line}" for line in text.rstrip().splitlines()]


def _post_line(post: Any) -> str:
    text = " ".join(str(post.text).split())
    return f"     - {text[:160]} ({post.platform}, {post.created})"
