"""``listener import FILE``: a CSV or JSONL export through the same storage
path as collection (normalise, pseudonymise, one transaction per page)."""

from __future__ import annotations

from pathlib import Path

import typer

from listener import pipeline
from listener.cli.common import collecting, open_recording, settings_from
from listener.cli.progress import bars, page_counter
from listener.platforms.file.config import FileSourceConfig
from listener.platforms.file.encoding import known_encoding
from listener.platforms.file.source import FileSource

FORMATS = ("auto", "csv", "jsonl", "twarc")


def parse_maps(pairs: list[str]) -> dict[str, str]:
    """``--map text=body`` flags -> {"text": "body"}."""
    columns: dict[str, str] = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise typer.BadParameter(f"--map takes FIELD=COLUMN, not {pair!r}")
        columns[ours.strip()] = theirs.strip()
    return columns


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_file(
        ctx: typer.Context,
        file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                    help="CSV or JSONL export (twarc JSONL is recognised)."),
        fmt: str = typer.Option("auto", "--format", "-f",
                                help="auto (by extension), csv, jsonl or twarc."),
        source: str | None = typer.Option(
            None, "--source", "-s",
            help="Source name to store under; a configured `type: file` source of this "
                 "name lends its column map and format. Default: import."),
        maps: list[str] = typer.Option([], "--map", "-m", metavar="FIELD=COLUMN",
                                       help="Column map, repeatable: --map text=body."),
        encoding: str | None = typer.Option(
            None, "--encoding", "-e",
            help="The file's text encoding: auto (default: byte-order mark, UTF-16, UTF-8, "
                 "else Windows-1252, else Latin-1), or e.g. utf-8, cp1252, latin-1, utf-16."),
    ) -> None:
        """Import posts from a CSV or JSONL export; prints what was stored."""
        if fmt not in FORMATS:
            raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
        if encoding is not None:
            try:
                known_encoding(encoding)
            except ValueError as exc:
                typer.echo(f"--encoding: {exc}", err=True)
                raise typer.Exit(2) from None
        settings = settings_from(ctx, check_credentials=False)
        name = source or "import"
        base = settings.sources.get(name)
        if base is not None and not isinstance(base, FileSourceConfig):
            typer.echo(f"source {name!r} is a {base.type} source, not a file source", err=True)
            raise typer.Exit(2)
        columns = {**(base.columns if base else {}), **parse_maps(maps)}
        declared = fmt if fmt != "auto" or base is None else base.format
        fields = base.model_dump() if base else {"type": "file"}
        config = FileSourceConfig.model_validate({
            **fields, "enabled": True, "path": str(file.resolve()), "format": declared,
            "columns": columns, **({"encoding": encoding} if encoding else {})})
        pipeline.register_secrets(settings)
        store = open_recording(settings)
        with collecting(settings, "import"), store.runs.collecting(name) as ours:
            if not ours:  # PostgreSQL: a service is collecting this source now
                typer.echo(f"source {name!r} is being collected by another process on this "
                           "database; try again when it has finished", err=True)
                raise typer.Exit(3)
            with bars() as shown:
                summary = pipeline.collect_source(store, name, FileSource(name, config),
                                                  pipeline.make_pseudonymiser(settings),
                                                  on_page=page_counter(shown, file.name))
        typer.echo(f"{file.name} -> source {name}: {summary.status}; {summary.pages} pages, "
                   f"{summary.fetched} read, {summary.new} new, {summary.duplicates} already "
                   f"stored, {summary.quarantined} quarantined"
                   + (f"; error: {summary.error}" if summary.error else ""))
        if summary.status == "ok" and summary.pages == 0:
            typer.echo("nothing read: this file was already imported with this format and "
                       "column map (or it holds no rows)")
        if summary.quarantined:
            typer.echo("quarantined rows are kept with their line number and error "
                       "(table quarantine)")
        raise typer.Exit(1 if summary.status == "failed" else 0)
