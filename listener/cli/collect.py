"""``listener collect`` and ``listener classify``."""

from __future__ import annotations

from datetime import date

import typer

from listener import pipeline
from listener.cli.common import collecting, open_recording, settings_from
from listener.cli.progress import bars, page_counter


def register(app: typer.Typer) -> None:
    @app.command()
    def collect(
        ctx: typer.Context,
        source: str | None = typer.Option(None, "--source", "-s",
                                          help="Collect only this source (by its name)."),
    ) -> None:
        """Collect new posts from every enabled source (or one), then stop."""
        settings = settings_from(ctx)
        store = open_recording(settings)
        try:
            with collecting(settings, "collect"), bars() as shown:
                summaries = pipeline.collect(
                    settings, store, only=source,
                    on_page=lambda name, pages, posts: page_counter(shown, name)(pages, posts))
        except KeyError as exc:
            typer.echo(str(exc.args[0]), err=True)
            raise typer.Exit(2) from None
        failed = False
        for s in summaries:
            typer.echo(f"{s.source}: {s.status}; {s.pages} pages, {s.fetched} fetched, "
                       f"{s.new} new, {s.duplicates} duplicates, {s.quarantined} quarantined"
                       + (f"; error: {s.error}" if s.error else ""))
            failed = failed or s.status == "failed"
        raise typer.Exit(1 if failed else 0)

    @app.command()
    def classify(
        ctx: typer.Context,
        relabel: bool = typer.Option(False, "--relabel",
                                     help="Label already-labelled posts again under the "
                                          "current config and classifiers."),
        since: str | None = typer.Option(None, "--since", metavar="YYYY-MM-DD",
                                         help="With --relabel: only posts created since."),
    ) -> None:
        """Label posts with topic and sentiment (new posts only, unless --relabel)."""
        settings = settings_from(ctx, check_credentials=False)
        if since is not None:
            try:
                date.fromisoformat(since)
            except ValueError:
                typer.echo(f"--since must be a date like 2026-11-01, not {since!r}", err=True)
                raise typer.Exit(2) from None
        store = open_recording(settings)
        verb = "relabelling" if relabel else "classifying"
        with bars() as shown:
            counts = pipeline.classify(
                settings, store, relabel=relabel, since=since,
                on_batch=lambda task, done, total: shown.update(
                    task, f"{verb} ({task})", done, total))
        for task, n in counts.items():
            typer.echo(f"{task}: {n} posts labelled")
