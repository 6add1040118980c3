"""``listener report`` (the weekly report) and ``listener alerts check``."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from listener import deliveries
from listener.cli.common import State, open_recording, open_store, settings_from
from listener.cli.progress import bars
from listener.reporting import check_alerts, write_weekly_report
from reports import NoDataError, latest_complete_week
from reports.config import FORMATS
from reports.weeks import normal_week
from storage.deliveries import SENT


def _formats(value: str | None) -> list[str] | None:
    if value is None:
        return None
    chosen = [f.strip().lower() for f in value.split(",") if f.strip()]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise typer.BadParameter(f"unknown format(s) {unknown}; choose from {','.join(FORMATS)}")
    return chosen


def _use_config(ctx: typer.Context, config: Path | None) -> None:
    if config is not None:
        state: State = ctx.obj
        state.config_path = config


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        ctx: typer.Context,
        week: str | None = typer.Option(
            None, "--week", help="ISO week, e.g. 2026-W47 (default: latest complete week)"),
        fmt: str | None = typer.Option(
            None, "--format", help="Comma-separated: html,pdf,md,csv,json (default: config)"),
        out: Path | None = typer.Option(None, "--out", help="Output folder (default: config)"),
        email: bool = typer.Option(False, "--email", help="E-mail it to reports.email.to"),
        config: Path | None = typer.Option(None, "--config", "-c", help="Path to config.yaml"),
    ) -> None:
        """Write the weekly engagement report; print the files written."""
        _use_config(ctx, config)
        formats = _formats(fmt)
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        store = open_recording(settings)
        try:
            week = normal_week(week) if week is not None else latest_complete_week(
                store, ZoneInfo(settings.reports.timezone))
            if week is None:
                raise NoDataError("no complete week with posts to report on")
            with bars() as shown:
                shown.step(f"writing the report for {week}")
                paths = write_weekly_report(settings, store, week, formats=formats, out_dir=out)
        except NoDataError as exc:
            typer.echo(f"no report written: {exc}", err=True)
            raise typer.Exit(1) from None
        except ValueError as exc:
            typer.echo(f"no report written: {exc}", err=True)
            raise typer.Exit(2) from None
        for path in paths:
            typer.echo(f"report: {path}")
        wanted = set(formats or settings.reports.formats)
        if "pdf" in wanted and not any(p.suffix == ".pdf" for p in paths):
            typer.echo("PDF not written: WeasyPrint is unavailable (see the log above)", err=True)
        if email:
            before = store.deliveries.get(deliveries.REPORT, week, "email")
            if before is not None and before.state == SENT:
                typer.echo(f"already e-mailed at {before.sent_at}; not sent again")
                return
            sent = deliveries.deliver_report(settings, store, week, paths)
            if sent.state != SENT:
                typer.echo(f"e-mail not sent: {sent.last_error} (recorded; retried by the "
                           "service, or: listener deliveries --retry)", err=True)
                raise typer.Exit(1)
            typer.echo(f"e-mailed to {len(settings.reports.email.to)} recipient(s)")

    alerts = typer.Typer(help="Daily emerging-issue alerts.", no_args_is_help=True)

    @alerts.command("check")
    def check(
        ctx: typer.Context,
        config: Path | None = typer.Option(None, "--config", "-c", help="Path to config.yaml"),
    ) -> None:
        """Check yesterday for emerging issues; alert each topic at most once a day."""
        _use_config(ctx, config)
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        store = open_store(settings)
        found = check_alerts(settings, store)
        if not found:
            typer.echo("no emerging issue")
        for result in found:
            state = "; ".join(f"{channel}: {how}" for channel, how in result.states.items()) \
                or "no alert channel configured"
            typer.echo(f"{result.alert.text} [{state}]")

    @app.command("deliveries")
    def deliveries_cmd(
        ctx: typer.Context,
        retry: bool = typer.Option(False, "--retry",
                                   help="Send every delivery that is pending or failed now."),
    ) -> None:
        """The latest deliveries (report e-mails, alerts) and their state."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        store = open_store(settings)
        if retry:
            for outcome in deliveries.deliver_due(settings, store):
                d = outcome.delivery
                typer.echo(f"{d.kind} {d.key} by {d.channel}: "
                           + ("sent" if outcome.sent else f"failed ({outcome.error})"))
        for d in store.deliveries.recent():
            typer.echo(f"{d.kind:<14} {d.key:<32} {d.channel:<8} {d.state:<8} "
                       f"attempts {d.attempts}" + (f"; last error: {d.last_error}"
                                                   if d.state == "failed" else ""))
        raise typer.Exit(1 if store.deliveries.failing() else 0)

    app.add_typer(alerts, name="alerts")
