"""``listener query``, ``listener trends``, ``listener serve`` and
``listener web-hash-password``: topic queries for policy staff."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
import typer

from listener.cli.common import open_recording, open_store, settings_from
from listener.config import Settings
from listener.privacy.lookups import cli_viewer
from listener.query import export
from listener.query.compare import compare
from listener.query.filters import FilterError, QueryFilters, parse_day, plain_errors
from listener.query.lookup import post_at_url
from listener.query.search import SearchError, explain_syntax_error
from listener.query.service import QueryContext, run_query
from listener.query.trends import trend
from listener.query.weeks import weeks_ending
from reports.files import atomic_write
from storage import SENTIMENTS, StorageError, Store
from storage.backend import BackendError
from storage.queries import QueryTimeout, SearchSyntaxError
from storage.timefmt import format_week, last_complete_week, parse_week

TOPIC = typer.Option([], "--topic", "-t", help="Topic slug or name; repeat for several.")
SENTIMENT = typer.Option([], "--sentiment", "-s",
                         help=f"{', '.join(SENTIMENTS[:-1])} or {SENTIMENTS[-1]}; repeat.")
PLATFORM = typer.Option([], "--platform", "-p", help="x, reddit, mastodon, bluesky, rss, file.")
SOURCE = typer.Option([], "--source", help="Configured source name; repeat for several.")
PLACE = typer.Option([], "--place", help="Place from the gazetteer (nlp.places), by slug or "
                     "name; repeat for several.")
SEARCH = typer.Option(None, "--search", "-q", help="Words to find in the post text (all must "
                      "appear; typed as-is, nothing is an operator).")
ADVANCED = typer.Option(False, "--advanced", help="Read --search as an FTS5 expression: "
                        "AND, OR, NOT, \"phrases\", prefix*, NEAR(...).")


def _open(settings: Settings) -> Store:
    """The configured store, read-only: the SQLite file (which must exist) or
    the PostgreSQL database (docs/postgresql.md)."""
    if settings.storage.backend == "postgresql":
        try:
            return Store.from_settings(settings.storage, settings.database_path, readonly=True)
        except BackendError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
    path = settings.database_path
    if not path.exists():
        typer.echo(f"no database at {path}; collect some posts first (listener collect)",
                   err=True)
        raise typer.Exit(1)
    return Store.open(path, readonly=True)


def _fail(exc: Exception) -> typer.Exit:
    if isinstance(exc, SearchSyntaxError):
        typer.echo(explain_syntax_error(exc.detail), err=True)
        return typer.Exit(2)
    typer.echo(str(exc), err=True)
    return typer.Exit(2 if isinstance(exc, FilterError | SearchError) else 1)


def register(app: typer.Typer) -> None:
    @app.command()
    def query(
        ctx: typer.Context,
        topic: list[str] = TOPIC, sentiment: list[str] = SENTIMENT,
        platform: list[str] = PLATFORM, source: list[str] = SOURCE, place: list[str] = PLACE,
        since: str = typer.Option(None, help="First day, YYYY-MM-DD (reporting time zone)."),
        until: str = typer.Option(None, help="Last day, YYYY-MM-DD, inclusive."),
        week: str = typer.Option(None, "--week", "-w", help="ISO week, e.g. 2026-W47."),
        search: str = SEARCH, advanced: bool = ADVANCED,
        fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or xlsx."),
        output: Path = typer.Option(None, "--output", "-o", help="Write to this file."),
        limit: int = typer.Option(100, "--limit", "-n", min=1, max=100_000,
                                  help="At most this many posts (newest first)."),
        unanswered: bool = typer.Option(
            False, "--unanswered", help="Questions and complaints to us still waiting for an "
            "answer after engagement.unanswered_after_hours working hours (table, csv, json)."),
        url: str = typer.Option(None, "--url", help="Look up one post by its link, alone "
                                "(logged with your account and the time: listener audit-log)."),
    ) -> None:
        """Find posts by topic, sentiment, dates or week, platform, source and words."""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        if unanswered:
            _unanswered(settings, fmt, output)
            return
        if url is not None and (topic or sentiment or platform or source or since or until
                                or week or search):
            typer.echo("--url looks up one post: give it without other filters", err=True)
            raise typer.Exit(2)
        if fmt not in export.FORMATS:
            typer.echo(f"unknown format '{fmt}'; use one of: {', '.join(export.FORMATS)}",
                       err=True)
            raise typer.Exit(2)
        if fmt == "xlsx" and output is None:
            typer.echo("xlsx needs --output FILE.xlsx", err=True)
            raise typer.Exit(2)
        try:
            filters = QueryFilters(
                topics=topic, sentiments=sentiment,
                platforms=platform, sources=source, places=place,
                since=parse_day(since), until=parse_day(until), week=week, text=search,
                advanced=advanced)
        except ValueError as exc:
            typer.echo(_plain(exc), err=True)
            raise typer.Exit(2) from None
        qctx = QueryContext.from_settings(settings, time_limit_ms=30_000, max_rows=limit)
        try:
            if url is not None:
                _open(settings).close()  # a clear message when there is no database yet
                with open_store(settings) as store:  # writes the lookup log
                    result = post_at_url(store, qctx, url, cli_viewer(), "query-url")
            else:
                with _open(settings) as store:
                    result = run_query(store, qctx, filters)
        except (FilterError, SearchError, SearchSyntaxError, QueryTimeout, StorageError) as exc:
            raise _fail(exc) from None
        if fmt == "xlsx":
            atomic_write(output, export.to_xlsx(result.posts))
        else:
            text = {"csv": export.to_csv, "table": export.to_table}[fmt](result.posts) \
                if fmt != "json" else export.to_json(result.posts, result.total)
            if output is None:
                typer.echo(text, nl=not text.endswith("\n"))
            else:
                atomic_write(output, text)
        if output is not None or fmt == "table":
            typer.echo(f"{len(result.posts)} of {result.total} matching posts"
                       + (f" written to {output}" if output else ""), err=output is None)

    @app.command()
    def trends(
        ctx: typer.Context,
        topics: list[str] = typer.Argument(..., help="Topic slug(s) or name(s)."),
        weeks: int = typer.Option(12, "--weeks", min=1, max=104, help="How many weeks."),
        to_week: str = typer.Option(None, "--to-week", help="Last week shown (default: the "
                                    "last complete week), e.g. 2026-W47."),
        platform: list[str] = PLATFORM, place: list[str] = PLACE, search: str = SEARCH,
        advanced: bool = ADVANCED,
    ) -> None:
        """Weekly post counts and sentiment shares (95% Wilson interval) for a topic, and
        the last week against the one before: is the negative share's change beyond noise?"""
        settings = settings_from(ctx, check_credentials=False, check_words=False)
        zone = settings.reports.timezone
        try:
            year, week = parse_week(to_week) if to_week else \
                last_complete_week(datetime.now(UTC), zone)
            filters = QueryFilters(topics=topics, platforms=platform, places=place,
                                   text=search, advanced=advanced)
            qctx = QueryContext.from_settings(settings, time_limit_ms=30_000)
            shown = weeks_ending(year, week, weeks, zone)
            with _open(settings) as store:
                rows = trend(store, qctx, filters, shown,
                             min_group=settings.privacy.min_group_size)
                comparisons = compare(store, qctx, filters, shown,
                                      min_group=settings.privacy.min_group_size)
        except (FilterError, SearchError, SearchSyntaxError, QueryTimeout, StorageError) as exc:
            raise _fail(exc) from None
        except ValueError as exc:
            typer.echo(_plain(exc), err=True)
            raise typer.Exit(2) from None
        names = ", ".join(qctx.topic_names.get(s, s) for s in filters.topic_slugs(
            qctx.topic_names, qctx.topic_words))
        typer.echo(f"{names}: {len(rows)} weeks to {format_week(year, week)} ({zone}); sentiment "
                   f"share with its 95% Wilson interval; no % under "
                   f"{settings.privacy.min_group_size}")
        if len(rows) < weeks:
            typer.echo(f"({weeks - len(rows)} earlier weeks left out: collection had not begun)")
        head = ("week", "posts", *SENTIMENTS)
        table = [head] + [(r.week + (f" ({r.partial})" if r.partial else ""), str(r.total),
                           *(r.shares[s].text() for s in head[2:])) for r in rows]
        widths = [max(len(r[i]) for r in table) for i in range(len(head))]
        for r in table:
            typer.echo("  ".join(v.rjust(w) if i else v.ljust(w)
                                 for i, (v, w) in enumerate(zip(r, widths, strict=True))))
        for comparison in comparisons:
            typer.echo(comparison.text())

    @app.command()
    def serve(
        ctx: typer.Context,
        host: str = typer.Option(None, help="Interface (default: web.host, 127.0.0.1)."),
        port: int = typer.Option(None, help="Port (default: web.port, 8001)."),
    ) -> None:
        """Serve the search page for policy staff (login required, read-only)."""
        _need_web_extra()
        from listener.web.app import serve as run_server

        settings = settings_from(ctx, check_credentials=False, check_words=False)
        if settings.storage.backend == "postgresql" or settings.database_path.exists():
            open_recording(settings).close()  # the page's topic names come from this config
        run_server(settings, host or settings.web.host, port or settings.web.port)

    @app.command("web-hash-password")
    def web_hash_password() -> None:
        """Print the PBKDF2 hash of a password for web.users.NAME.password_hash(_env).

        The prompts go to stderr and only the hash to stdout, so
        HASH=$(listener web-hash-password) holds the hash alone."""
        _need_web_extra()
        from listener.web.auth import hash_password

        password = click.prompt("Password", hide_input=True, confirmation_prompt=True,
                                err=True)
        typer.echo(hash_password(password))


def _unanswered(settings: Settings, fmt: str, output: Path | None) -> None:
    from listener.engagement.unanswered import render, unanswered

    if fmt not in ("table", "csv", "json"):
        typer.echo(f"--unanswered writes table, csv or json, not {fmt!r}", err=True)
        raise typer.Exit(2)
    with _open(settings) as store:
        rows = unanswered(store, settings)
    text = render(rows, fmt)
    if output is not None:
        atomic_write(output, text)
    elif text:
        typer.echo(text)
    hours = settings.engagement.unanswered_after_hours
    typer.echo(f"{len(rows)} questions and complaints to us waiting for an answer after "
               f"{hours:g} working hours" + (f", written to {output}" if output else ""),
               err=True)


def _need_web_extra() -> None:
    import importlib.util

    if importlib.util.find_spec("datasette") is None or \
            importlib.util.find_spec("datasette_auth_passwords") is None:
        typer.echo("the web page needs the web extra: pip install 'civic-listener[web]'",
                   err=True)
        raise typer.Exit(1)


def _plain(exc: ValueError) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return plain_errors(list(exc.errors()))
    return str(exc)
