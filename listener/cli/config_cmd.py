"""``listener config check``."""

from __future__ import annotations

import typer

from listener.cli.common import settings_from


def register(app: typer.Typer) -> None:
    config_app = typer.Typer(help="Check the configuration.", no_args_is_help=True)
    app.add_typer(config_app, name="config")

    @config_app.command("check")
    def check(ctx: typer.Context) -> None:
        """Validate config.yaml: print a summary and exit 0, or the errors and exit 1."""
        settings = settings_from(ctx)
        typer.echo(f"{settings.path}: OK (config {settings.config_hash})")
        typer.echo(f"database: {settings.database_name}")
        typer.echo("sources:")
        for name, cfg in settings.sources.items():
            state = "enabled" if cfg.enabled else "disabled"
            env = ", ".join(cfg.credential_env().values()) or "no credentials"
            typer.echo(f"  {name:<18} {cfg.type:<9} {state:<9} every {cfg.interval_minutes:g} min"
                       f"  ({env})")
        typer.echo(f"topics: {len(settings.topics)}")
        for slug, topic in settings.topics.items():
            typer.echo(f"  {slug:<22} {len(topic.terms):>3} terms {len(topic.phrases):>3} phrases"
                       f" {len(topic.hashtags):>3} hashtags {len(topic.exclusions):>3} exclusions"
                       f" {len(topic.examples):>3} examples  {topic.label}")
        typer.echo(f"routing: {len(settings.routing.teams)} team(s)")
        for team in settings.routing.teams:
            when = f"daily at {team.at}" if team.schedule == "daily" else "immediate"
            typer.echo(f"  {team.name:<14} {'enabled' if team.enabled else 'disabled':<9} "
                       f"{when:<15} topics {', '.join(team.topics)}; "
                       f"by {', '.join(team.channels()) or 'nothing'}")
