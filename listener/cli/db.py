"""``listener db copy``: move a whole database between SQLite and PostgreSQL
(issue 21, docs/postgresql.md "Moving data")."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Literal

import typer

from listener.cli.common import settings_from
from listener.config import Settings
from listener.service.lock import AlreadyRunning, InstanceLock, lock_path_for
from storage import Store
from storage.backend import BackendError, dsn_from_env
from storage.copying import CopyError

log = logging.getLogger("listener.db")


def _postgresql(settings: Settings) -> Store:
    name = settings.storage.dsn_env
    return Store.open_postgresql(dsn_from_env(name), env_name=str(name))


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="Move the database between SQLite and PostgreSQL.",
                         no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @db_app.command("copy")
    def copy(
        ctx: typer.Context,
        to: str = typer.Option(..., "--to", help="postgresql: from the SQLite file into the "
                               "database whose DSN is in the variable storage.dsn_env names; "
                               "sqlite: from that database into the SQLite file."),
        file: Path = typer.Option(None, "--file", help="The SQLite file (default: "
                                  "storage.path)."),
        replace: bool = typer.Option(False, "--replace", help="Empty a target that already "
                                     "holds data (otherwise refused)."),
        batch: int = typer.Option(5000, "--batch", min=1, help="Rows read and written at a "
                                  "time."),
    ) -> None:
        """Copy every table (posts, labels, runs, cursors, config versions, ...), ids
        kept, then compare the rows of each table on both sides. The full-text index is
        rebuilt by the target, not copied. Stop the service first."""
        if to not in ("postgresql", "sqlite"):
            typer.echo("--to must be postgresql or sqlite", err=True)
            raise typer.Exit(2)
        direction: Literal["postgresql", "sqlite"] = "postgresql" if to == "postgresql" \
            else "sqlite"
        settings = settings_from(ctx, check_credentials=False)
        path = file if file is not None else settings.database_path
        if direction == "postgresql" and not path.exists():
            typer.echo(f"no SQLite database at {path}", err=True)
            raise typer.Exit(1)
        with contextlib.ExitStack() as stack:
            try:  # nothing else may write the file meanwhile (the service, a collection)
                stack.enter_context(InstanceLock(lock_path_for(path), "db copy"))
                lite = stack.enter_context(Store.open(path))
                pg = stack.enter_context(_postgresql(settings))
            except AlreadyRunning as exc:
                typer.echo(str(exc), err=True)
                raise typer.Exit(3) from None
            except BackendError as exc:
                typer.echo(str(exc), err=True)
                raise typer.Exit(1) from None
            source, target = (lite, pg) if direction == "postgresql" else (pg, lite)
            names = {"sqlite": str(path),
                     "postgresql": settings.storage.server_name}
            where = names["sqlite" if direction == "postgresql" else "postgresql"]
            typer.echo(f"copying {where} into {names[direction]}")

            def progress(table: str, rows: int) -> None:
                log.debug("%s: %d rows copied", table, rows)

            try:
                counts = source.copying.copy_to(target.copying, replace=replace, batch=batch,
                                                progress=progress)
            except CopyError as exc:
                typer.echo(f"not copied: {exc}", err=True)
                raise typer.Exit(1) from None
        width = max(len(c.table) for c in counts)
        for c in counts:
            typer.echo(f"  {c.table:<{width}}  {c.target:>10,} rows (source {c.source:,})")
        typer.echo(f"copied {len(counts)} tables, {sum(c.target for c in counts):,} rows; "
                   "every table's rows counted on both sides and equal")
