"""``listener purge``, ``listener forget``, ``listener sync-deletions`` and
``listener compliance``: the privacy commands. Output is counts only: never a
handle, a pseudonym in full, or a post's text."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from listener.cli.common import open_store, settings_from
from listener.pipeline import register_secrets
from listener.platforms.registry import post_platforms
from listener.privacy.compliance import write_drafts
from listener.privacy.deletion_sync import sync_deletions
from listener.privacy.forget import ForgetError, forget_author, forget_url
from listener.privacy.retention import purge as run_purge
from listener.redact import register_secret_vars


def register(app: typer.Typer) -> None:
    @app.command()
    def purge(
        ctx: typer.Context,
        dry_run: bool = typer.Option(False, "--dry-run",
                                     help="Show what would be deleted; delete nothing."),
    ) -> None:
        """Delete everything past its retention period (the service does this daily)."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        store = open_store(settings)
        report = run_purge(settings, store, dry_run=dry_run)
        for line in report.lines():
            typer.echo(line)

    @app.command()
    def forget(
        ctx: typer.Context,
        platform: str | None = typer.Option(
            None, "--platform", help=f"Platform of --author: {', '.join(post_platforms())}."),
        author: str | None = typer.Option(None, "--author",
                                          help="The handle to erase and block; '-' reads it "
                                               "from standard input (keeps it out of shell "
                                               "history)."),
        url: str | None = typer.Option(None, "--url", help="Erase and block one post."),
    ) -> None:
        """Erase and block an author (objection), or one post, with every trace."""
        if (author is None) == (url is None) or (author is not None and platform is None):
            typer.echo("give either --platform P --author HANDLE, or --url URL", err=True)
            raise typer.Exit(2)
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        register_secrets(settings)
        register_secret_vars([settings.privacy.previous_key_env])
        store = open_store(settings)
        try:
            if author is not None and platform is not None:
                handle = sys.stdin.readline().strip() if author == "-" else author
                report = forget_author(settings, store, platform.lower(), handle)
            else:
                report = forget_url(settings, store, str(url))
        except ForgetError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        for line in report.lines():
            typer.echo(line)

    @app.command("sync-deletions")
    def sync_deletions_cmd(ctx: typer.Context) -> None:
        """Remove posts deleted or made private at their platform (re-check now)."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        register_secrets(settings)
        store = open_store(settings)
        results = sync_deletions(settings, store)
        if not results:
            typer.echo("no stored posts from a platform that can be re-checked")
        for platform, r in results.items():
            typer.echo(f"{platform}: asked {r.asked}, still there {r.present}, removed {r.gone}, "
                       f"uncheckable {r.uncheckable}, unknown {r.unknown}, overdue {r.overdue}"
                       + (f"; {r.error}" if r.error else ""))

    @app.command()
    def compliance(
        ctx: typer.Context,
        out: Path = typer.Option(Path("docs"), "--out",
                                 help="Folder for record-of-processing.md and "
                                      "privacy-notice-section.md."),
    ) -> None:
        """Write drafts of a record of processing and a privacy-notice section."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        for path in write_drafts(settings, out):
            typer.echo(f"wrote {path}")
