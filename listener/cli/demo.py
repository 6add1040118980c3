"""``listener demo``: the whole job on the embedded sample, end to end."""

from __future__ import annotations

import typer

from listener import pipeline
from listener.cli.common import collecting, open_recording, settings_from
from listener.cli.progress import bars, page_counter
from listener.reporting import write_weekly_report


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(ctx: typer.Context) -> None:
        """Collect the sample, classify it, write the latest complete week's report.

        Prints where everything went. Needs no credentials and no network."""
        settings = settings_from(ctx, check_credentials=False)
        store = open_recording(settings)
        names = [n for n, cfg in settings.sources.items() if cfg.type == "sample" and cfg.enabled]
        if not names:
            typer.echo("demo needs an enabled source of type: sample in the config", err=True)
            raise typer.Exit(1)
        with collecting(settings, "demo"), bars() as shown:
            summaries = [s for name in names for s in pipeline.collect(
                settings, store, only=name,
                on_page=lambda source, pages, posts: page_counter(shown, source)(pages, posts))]
        for s in summaries:
            typer.echo(f"collected {s.source}: {s.new} new posts, {s.duplicates} already "
                       f"stored or found twice, {s.quarantined} quarantined ({s.status})")
            if s.error:
                typer.echo(f"  error: {s.error}", err=True)
                raise typer.Exit(1)
        if any(s.duplicates for s in summaries):
            typer.echo("  (a post that two of the sample's searches find is stored once, with "
                       "both matches; it counts as found twice)")
        with bars() as shown:
            counts = pipeline.classify(settings, store, on_batch=lambda task, done, total:
                                       shown.update(task, f"classifying ({task})", done, total))
        for task, n in counts.items():
            typer.echo(f"classified {n} posts ({task})")
        with bars() as shown:
            shown.step("writing the report")
            paths = write_weekly_report(settings, store, None)
        typer.echo(f"database: {settings.database_path}")
        for path in paths:
            typer.echo(f"report: {path}")
