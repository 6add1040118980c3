"""``listener status``: per source, the last run and its counts."""

from __future__ import annotations

import typer

from listener.cli.common import open_store, settings_from
from listener.sources.budget import x_budget_line
from listener.sources.config import XSourceConfig


def register(app: typer.Typer) -> None:
    @app.command()
    def status(ctx: typer.Context) -> None:
        """Show, per configured source: last run, its counts and any error."""
        settings = settings_from(ctx, check_credentials=False)
        store = open_store(settings)
        typer.echo(f"database: {settings.database_path} ({store.count_posts()} posts)")
        for name, cfg in settings.sources.items():
            state = "enabled" if cfg.enabled else "disabled"
            last = store.last_run(name)
            if last is None:
                typer.echo(f"{name} ({cfg.type}, {state}): never run")
            if isinstance(cfg, XSourceConfig):
                typer.echo(f"    {x_budget_line(name, cfg, store)}")
            if last is None:
                continue
            typer.echo(
                f"{name} ({cfg.type}, {state}): last run {last.started_at} {last.status}; "
                f"{last.fetched} fetched, {last.new} new, {last.duplicates} duplicates, "
                f"{last.quarantined} quarantined"
            )
            if last.error:
                typer.echo(f"    error: {last.error}")
            ok = store.last_run(name, status="ok")
            if ok is not None and ok.id != last.id:
                typer.echo(f"    last success: {ok.started_at}")
