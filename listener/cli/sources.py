"""``listener sources``: every configured source with its type, enabled state,
last run, cursor and credential status (set / missing, never the value)."""

from __future__ import annotations

import json
import os
from typing import Any

import typer

from listener.cli.common import open_store, settings_from
from listener.config import Settings
from listener.pipeline import register_secrets
from listener.redact import redact
from storage import Store

SHORT = 32


def _short(value: str, width: int = SHORT) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"


def describe_sources(settings: Settings, store: Store) -> list[dict[str, Any]]:
    """One dict per configured source, in config order; safe to print."""
    register_secrets(settings)
    rows = []
    for name, cfg in settings.all_sources().items():
        last = store.runs.last(name)
        rows.append({
            "name": name,
            "type": cfg.type,
            "enabled": bool(cfg.enabled),
            "last_run": None if last is None else {
                "started_at": last.started_at, "status": last.status, "new": last.new,
                "error": redact(last.error) if last.error else None},
            "cursor": {redact(k): redact(v)
                       for k, v in sorted(store.collect.cursor(name).items())},
            "credentials": {var: ("set" if os.environ.get(var) else "missing")
                            for var in cfg.credential_env().values()},
        })
    return rows


def _text(rows: list[dict[str, Any]]) -> list[str]:
    lines = [f"{'NAME':<20} {'TYPE':<9} {'ENABLED':<8} {'LAST RUN':<34} CREDENTIALS"]
    for row in rows:
        last = row["last_run"]
        when = "never" if last is None else f"{last['started_at'][:19]}Z {last['status']}"
        creds = ", ".join(f"{var} {state}" for var, state in row["credentials"].items())
        lines.append(f"{row['name']:<20} {row['type']:<9} "
                     f"{'yes' if row['enabled'] else 'no':<8} {when:<34} "
                     f"{creds or '(none needed)'}")
        if last is not None and last["error"]:
            lines.append(f"    last error: {_short(last['error'], 240)}")
        for key, value in row["cursor"].items():
            lines.append(f"    cursor {_short(key, 72)} = {_short(value) or '(empty)'}")
    return lines


def register(app: typer.Typer) -> None:
    @app.command()
    def sources(
        ctx: typer.Context,
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    ) -> None:
        """List configured sources: type, enabled, last run, cursor, credentials
        (each variable set or missing; values are never shown)."""
        settings = settings_from(ctx, check_credentials=False)
        rows = describe_sources(settings, open_store(settings))
        if as_json:
            typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        for line in _text(rows):
            typer.echo(line)
