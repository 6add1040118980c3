"""``listener digest send|preview|status`` (team digests) and ``listener
export cases`` (a team's posts for a CRM or case system)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from listener.cli.common import open_store, settings_from
from listener.config import Settings
from listener.routing.cases import FORMATS, CaseError, cases, parse_since, render
from listener.routing.digest import digest_text, send_digests
from listener.routing.settings import TeamSettings
from reports.files import atomic_write

TEAM = typer.Option(None, "--team", help="Only this team (its name in routing.teams).")


def _team(settings: Settings, name: str) -> TeamSettings:
    team = settings.routing.team(name)
    if team is None:
        known = ", ".join(t.name for t in settings.routing.teams) or "none are configured"
        typer.echo(f"unknown team '{name}'; teams: {known}", err=True)
        raise typer.Exit(2)
    return team


def register(app: typer.Typer) -> None:
    digest = typer.Typer(help="Team digests: posts routed to the service team that owns them.",
                         no_args_is_help=True)
    app.add_typer(digest, name="digest")
    export = typer.Typer(help="Exports for other systems.", no_args_is_help=True)
    app.add_typer(export, name="export")

    @digest.command("send")
    def send(ctx: typer.Context, team: str | None = TEAM) -> None:
        """Send each enabled team (or --team, even if disabled) its new posts now.
        Exit 1 when a send failed (its posts wait for the next run)."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        names = [_team(settings, team).name] if team else None
        with open_store(settings) as store:
            results = send_digests(settings, store, teams=names)
        for r in results:
            state = ("nothing new" if r.posts == 0 else f"{r.posts} posts sent" if r.sent
                     else f"{r.posts} posts NOT sent, kept for the next run: {r.error}")
            typer.echo(f"{r.team:<14} {r.channel:<8} {state}")
        if not results:
            typer.echo("no enabled team (routing.teams; or give --team)")
        if any(r.error for r in results):
            raise typer.Exit(1)

    @digest.command("preview")
    def preview(ctx: typer.Context, team: str = typer.Option(..., "--team"),
                days: int = typer.Option(7, "--days", min=1, max=90)) -> None:
        """Show what the team's digest would hold for the last N days (sends nothing,
        records nothing)."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        chosen = _team(settings, team)
        since = parse_since(f"{days}d", settings.reports.timezone)
        with open_store(settings) as store:
            posts = cases(settings, store, chosen, since, export=False)
        typer.echo(digest_text(chosen, posts), nl=False)

    @digest.command("status")
    def status(ctx: typer.Context, team: str | None = TEAM) -> None:
        """Posts delivered and waiting per team and channel, and the latest sends."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        teams = [_team(settings, team)] if team else settings.routing.teams
        with open_store(settings) as store:
            for t in teams:
                for channel in t.channels():
                    sent, waiting = store.routing.counts(t.name, channel)
                    typer.echo(f"{t.name:<14} {channel:<8} {sent} delivered, {waiting} waiting"
                               f"{'' if t.enabled else ' (disabled)'}")
            for s in store.routing.sends(team):
                typer.echo(f"  {s.at}  {s.team:<14} {s.channel:<8} {s.posts:>4} posts  "
                           + ("sent" if s.ok else f"FAILED: {s.error}"))

    @export.command("cases")
    def export_cases(
        ctx: typer.Context,
        team: str = typer.Option(..., "--team", help="The team whose posts to export."),
        since: str = typer.Option(..., "--since", help="From this local day (YYYY-MM-DD) "
                                  "or N days back (7d)."),
        until: str | None = typer.Option(None, "--until", help="To before this local day."),
        fmt: str = typer.Option("csv", "--format", "-f", help="csv, json or open311 "
                                "(GeoReport v2 service requests)."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file."),
    ) -> None:
        """A team's posts as cases: handles masked, no author handle or pseudonym."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        chosen = _team(settings, team)
        if fmt not in FORMATS:
            typer.echo(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}", err=True)
            raise typer.Exit(2)
        try:
            first = parse_since(since, settings.reports.timezone)
            last = date.fromisoformat(until) if until else None
        except (CaseError, ValueError) as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        with open_store(settings) as store:
            posts = cases(settings, store, chosen, first, last)
        text = render(settings, chosen, posts, fmt)
        if output is None:
            typer.echo(text, nl=False)
        else:
            atomic_write(output, text)
            typer.echo(f"{len(posts)} cases written to {output}", err=True)



