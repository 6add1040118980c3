"""``listener rollups check`` and ``listener rollups rebuild``: the per-day
counts the weekly report, ``listener trends`` and the page's chart read,
compared with a fresh count of the posts, and rebuilt from them."""

from __future__ import annotations

from datetime import date

import typer

from listener.cli.common import open_store, settings_from
from listener.query.filters import FilterError, parse_day

SHOWN = 50  # differences printed at most

SINCE = typer.Option(None, "--since", help="First day, YYYY-MM-DD (its whole week is "
                     "included); default: every day.")


def _day(text: str | None) -> date | None:
    try:
        return parse_day(text)
    except FilterError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


def register(app: typer.Typer) -> None:
    rollups_app = typer.Typer(help="Check and repair the rollups the reports read.",
                              no_args_is_help=True)
    app.add_typer(rollups_app, name="rollups")

    @rollups_app.command("check")
    def check(ctx: typer.Context, since: str = SINCE) -> None:
        """Compare the rollups with a fresh count of the posts; exit 1 on any drift."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        first = _day(since)
        store = open_store(settings)
        zone, wanted = store.rollups.zone(), settings.reports.timezone
        if zone != wanted:
            typer.echo(f"the rollups count days in {zone}, the configuration in {wanted}:"
                       " run `listener rollups rebuild`", err=True)
            raise typer.Exit(1)
        drift = store.rollups.check(first)
        queued = store.rollups.queued()
        typer.echo(f"rollups in {zone}: {len(drift)} difference(s) from a fresh count"
                   + (f" since the week of {first}" if first else "")
                   + f"; {queued} post(s) not yet labelled (counted from their rows)")
        for line in drift[:SHOWN]:
            typer.echo(f"  {line}")
        if len(drift) > SHOWN:
            typer.echo(f"  ... and {len(drift) - SHOWN} more")
        if drift:
            typer.echo("repair with `listener rollups rebuild`"
                       + (f" --since {first}" if first else ""))
            raise typer.Exit(1)

    @rollups_app.command("rebuild")
    def rebuild(ctx: typer.Context, since: str = SINCE) -> None:
        """Rebuild the rollups from the posts, in the configured time zone."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        first = _day(since)
        store = open_store(settings)
        if store.rollups.use_zone(settings.reports.timezone):
            typer.echo(f"time zone now {settings.reports.timezone}: every day rebuilt")
            return
        posts = store.rollups.rebuild(first)
        typer.echo(f"rebuilt the rollups of {posts} post(s)"
                   + (f" from the week of {first}" if first else ""))
