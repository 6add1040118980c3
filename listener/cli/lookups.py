"""``listener audit-log``: who looked up a single post or author, and when
(``forget``, ``query --url``, the page's look-up by link), for the
administrator who holds the database. People looked up more than once are
listed after the log: the covert-surveillance code's concern is repeated
viewing of one person."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import typer

from listener.cli.common import open_store, settings_from
from storage.timefmt import iso, local_midnight


def register(app: typer.Typer) -> None:
    @app.command("audit-log")
    def audit_log(
        ctx: typer.Context,
        days: int = typer.Option(90, "--days", min=1, max=3_650,
                                 help="Lookups of the last N days."),
        by: str | None = typer.Option(None, "--by", help="Only the lookups made by this "
                                      "login (a web user, or cli:<account>)."),
        limit: int = typer.Option(200, "--limit", "-n", min=1, max=100_000),
    ) -> None:
        """Who looked up a single post or author, and when (for administrators)."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        zone = ZoneInfo(settings.reports.timezone)
        first = datetime.now(zone).date() - timedelta(days=days - 1)
        since = iso(local_midnight(first, zone))
        with open_store(settings) as store:
            rows = store.lookups.listed(since=since, user=by, limit=limit)
            repeated = store.lookups.repeated(since=since)
        typer.echo(f"Lookups of a single post or author since {first} ({zone.key} time), "
                   "newest first:")
        for r in rows:
            when = datetime.fromisoformat(r.at).astimezone(zone)
            typer.echo(f"  {when:%Y-%m-%d %H:%M}  {r.user:<20} {r.channel:<5} {r.action:<14} "
                       f"{r.target}  ({r.found} post{'' if r.found == 1 else 's'})")
        if not rows:
            typer.echo("  none")
        if repeated and by is None:
            typer.echo("People looked up more than once in that time (by pseudonym):")
            for subject, times, users in repeated:
                typer.echo(f"  {subject[:8]}…  {times} lookups by {users} "
                           f"user{'' if users == 1 else 's'}")
