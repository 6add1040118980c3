"""The ``listener`` command line: thin commands over library functions.

Each command group lives in its own module with ``register(app)``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from listener.cli import actions as _actions
from listener.cli import audit as _audit
from listener.cli import collect as _collect
from listener.cli import config_cmd as _config_cmd
from listener.cli import db as _db
from listener.cli import demo as _demo
from listener.cli import discover as _discover
from listener.cli import importer as _importer
from listener.cli import lookups as _lookups
from listener.cli import nlp as _nlp
from listener.cli import privacy as _privacy
from listener.cli import query as _query
from listener.cli import report as _report
from listener.cli import rollups as _rollups
from listener.cli import routing as _routing
from listener.cli import run as _run
from listener.cli import sources as _sources
from listener.cli import status as _status
from listener.cli import topics as _topics
from listener.cli.common import State
from listener.config import CONFIG_ENV
from listener.logs import setup_logging

app = typer.Typer(
    help="civic-listener: collect public posts about public services, label them, report weekly.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    ctx: typer.Context,
    config: Path = typer.Option(
        Path("config.yaml"), "--config", "-c", envvar=CONFIG_ENV,
        help="Path to config.yaml (or set CIVIC_LISTENER_CONFIG).",
    ),
    log_format: str = typer.Option("text", "--log-format", help="Log format: text or json."),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="Log at DEBUG level, third-party libraries included "
                                      "(otherwise they log only warnings)."),
) -> None:
    """Global options, given before the command: listener -c my.yaml collect"""
    setup_logging(log_format, verbose)
    ctx.obj = State(config_path=config)


_COMMAND_MODULES = [
    _demo,
    _collect,
    _importer,
    _config_cmd,
    _status,
    _sources,
    _run,
    _privacy,
    _report,
    _rollups,
    _query,
    _nlp,
    _topics,
    _audit,
    _actions,
    _lookups,
    _routing,
    _discover,
    _db,
]
for _module in _COMMAND_MODULES:
    _module.register(app)


def main() -> None:
    app()
