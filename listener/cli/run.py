"""``listener run``: the long-running service (see listener/service/)."""

from __future__ import annotations

import logging
import os

import typer

from listener.cli.common import settings_from
from listener.privacy.governance import governance_gaps
from listener.service.lock import AlreadyRunning
from listener.service.runner import Service

log = logging.getLogger("listener.run")

EXIT_REFUSED = 2
EXIT_ALREADY_RUNNING = 3


def register(app: typer.Typer) -> None:
    @app.command()
    def run(
        ctx: typer.Context,
        i_understand: bool = typer.Option(
            False, "--i-understand",
            help="Start even with blank governance fields and live sources enabled. For "
                 "testing only: logged as a WARNING."),
    ) -> None:
        """Run the service: collect each enabled source on its interval, classify new
        posts, write the weekly report, purge by retention daily. Re-reads config.yaml
        when it changes. Stops cleanly on SIGTERM or SIGINT."""
        settings = settings_from(ctx)
        gaps = governance_gaps(settings.governance, settings.all_sources())
        if gaps and not i_understand:
            typer.echo("listener run refuses to start: fill in the governance section first "
                       "(see config.yaml):", err=True)
            for gap in gaps:
                typer.echo(f"  {gap}", err=True)
            raise typer.Exit(EXIT_REFUSED)
        if gaps:
            log.warning("governance check overridden with --i-understand, for testing only: %s",
                        "; ".join(gaps))
        service = Service(settings, allow_governance_gaps=i_understand)
        try:
            finished = service.run()
        except AlreadyRunning as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(EXIT_ALREADY_RUNNING) from None
        if not finished:
            logging.shutdown()
            os._exit(1)  # jobs still running past the stop timeout: do not wait for them
