"""What every command shares: loading settings and opening the store."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import typer

from listener.config import ConfigError, Settings, load_settings
from listener.service.lock import AlreadyRunning, InstanceLock, lock_path_for
from storage import Store
from storage.backend import BackendError


@dataclass
class State:
    config_path: Path


def settings_from(ctx: typer.Context, *, check_credentials: bool = True,
                  check_words: bool = True) -> Settings:
    """Load settings or exit 1 with every problem printed (file, line, key).
    Commands that do not classify pass ``check_words=False``: the topic
    words' checks that need spaCy's tokenizer (``load_settings``) are left
    to ``config check`` and the commands that classify."""
    state: State = ctx.obj
    try:
        return load_settings(state.config_path, check_credentials=check_credentials,
                             check_words=check_words)
    except ConfigError as exc:
        typer.echo(f"{len(exc.problems)} problem(s) in the configuration:", err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1) from None


def open_store(settings: Settings) -> Store:
    """The store the config names (``storage.backend``); a PostgreSQL server
    that cannot be reached exits 1 in words (never showing the DSN)."""
    try:
        return Store.from_settings(settings.storage, settings.database_path)
    except BackendError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def open_recording(settings: Settings) -> Store:
    """The store, with the config this command runs under recorded as a
    config version (once per distinct text): every command whose output
    depends on the config (collect, import, classify, report, serve, demo)
    opens the store this way, so "What changed" in a report knows it."""
    store = open_store(settings)
    store.config_versions.record(settings.config_hash, settings.config_text,
                                 str(settings.path))
    return store


@contextlib.contextmanager
def collecting(settings: Settings, command: str) -> Iterator[None]:
    """Hold the database's writer lock while collecting by hand; refuse
    (exit 3, naming the holder) while the service or another collection runs.
    On PostgreSQL none: collectors share the database, one per source at a
    time (``pipeline.collect``)."""
    if settings.storage.backend == "postgresql":
        yield
        return
    try:
        with InstanceLock(lock_path_for(settings.database_path), command):
            yield
    except AlreadyRunning as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(3) from None
