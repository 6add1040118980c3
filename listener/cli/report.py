"""``listener report`` (the weekly report) and ``listener alerts check``."""

from __future__ import annotations

from pathlib import Path

import typer

from listener.cli.common import State, open_recording, open_store, settings_from
from listener.cli.progress import bars
from listener.reporting import check_alerts, email_report, write_weekly_report
from reports import NoDataError
from reports.config import FORMATS
from reports.deliver import DeliveryError


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
        settings = settings_from(ctx, check_credentials=False)
        store = open_recording(settings)
        try:
            with bars() as shown:
                shown.step(f"writing the report for {week or 'the latest complete week'}")
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
            try:
                sent = email_report(settings, paths)
            except DeliveryError as exc:
                typer.echo(f"e-mail not sent: {exc}", err=True)
                raise typer.Exit(1) from None
            typer.echo(f"e-mailed to {sent} recipient(s)")

    alerts = typer.Typer(help="Daily emerging-issue alerts.", no_args_is_help=True)

    @alerts.command("check")
    def check(
        ctx: typer.Context,
        config: Path | None = typer.Option(None, "--config", "-c", help="Path to config.yaml"),
    ) -> None:
        """Check yesterday for emerging issues; alert each topic at most once a day."""
        _use_config(ctx, config)
        settings = settings_from(ctx, check_credentials=False)
        store = open_store(settings)
        found = check_alerts(settings, store)
        if not found:
            typer.echo("no emerging issue")
        for alert in found:
            if alert.already_sent:
                state = "already sent today"
            elif alert.channels:
                state = "sent by " + ", ".join(alert.channels)
            elif settings.reports.alerts.email or settings.reports.alerts.webhook_url_env:
                state = "NOT delivered (see the log); will retry on the next check"
            else:
                state = "no alert channel configured"
            typer.echo(f"{alert.text} [{state}]")

    app.add_typer(alerts, name="alerts")
