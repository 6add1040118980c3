"""Team digests and case exports on the command line, on PostgreSQL as on
SQLite: the same posts stored on each backend, then ``listener digest send``
(twice: nothing goes twice), ``digest status`` and ``export cases`` give the
same output, the same e-mail and the same webhook posts on both."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import time_machine
from pytest_httpserver import HTTPServer

from storage import Store
from tests.cli import Cli
from tests.paths import STORE_FILE
from tests.pg import run_ok
from tests.reports.conftest import free_port

from .conftest import CONFIG, NOW, add
from .test_digest import POSTS, hooks, start_smtp

PG_STORAGE = (f"storage:\n  backend: postgresql\n  dsn_env: CIVIC_LISTENER_DSN\n"
              f"  path: {STORE_FILE}\n")


def _run_on(backend: str, folder: Path, cli: Cli, env: dict[str, str],
            httpserver: HTTPServer, smtp_port: int) -> dict[str, Any]:
    """Store POSTS on ``backend``, then digest and export through the CLI."""
    folder.mkdir()
    text = CONFIG.replace("smtp_port: 2525", f"smtp_port: {smtp_port}")
    if backend == "postgresql":
        text = text.replace(f"storage:\n  path: {STORE_FILE}\n", PG_STORAGE, 1)
        assert "backend: postgresql" in text
    config = folder / "config.yaml"
    config.write_text(text, encoding="utf-8")
    with (Store.open_postgresql(env["CIVIC_LISTENER_DSN"]) if backend == "postgresql"
          else Store.open(folder / STORE_FILE)) as store:
        add(store, POSTS)
    controller, inbox = start_smtp(smtp_port)
    httpserver.clear_log()
    try:
        with time_machine.travel(NOW, tick=False):
            sent = run_ok(cli, config, env, "digest", "send")
        with time_machine.travel(NOW + timedelta(hours=1), tick=False):
            again = run_ok(cli, config, env, "digest", "send")
            status = run_ok(cli, config, env, "digest", "status")
    finally:
        controller.stop()
    exports = {fmt: run_ok(cli, config, env, "export", "cases", "--team", "waste", "--since",
                           "2026-10-01", "--format", fmt) for fmt in ("json", "open311")}
    return {"sent": sent, "again": again, "status": status, "exports": exports,
            "mail": [(m["Subject"], m.get_payload()) for _, _, m in inbox.messages],
            "hooks": [(r.path, r.get_json()) for r, _ in httpserver.log]}


def test_digests_and_case_exports_are_the_same_on_both_backends(
        tmp_path: Path, cli: Cli, pg_dsn: str, httpserver: HTTPServer) -> None:
    env = {**hooks(httpserver), "CIVIC_LISTENER_DSN": pg_dsn}
    said = {backend: _run_on(backend, tmp_path / backend, cli, env, httpserver, free_port())
            for backend in ("sqlite", "postgresql")}
    lite = said["sqlite"]
    assert lite["sent"].splitlines()[:3] == ["waste          email    2 posts sent",
                                             "waste          webhook  2 posts sent",
                                             "highways       webhook  1 posts sent"]
    assert lite["again"].count("nothing new") == 3  # routed once: nothing goes twice
    assert "waste          email    2 delivered, 0 waiting" in lite["status"]
    assert len(lite["mail"]) == 1 and len(lite["hooks"]) == 2
    assert len(json.loads(lite["exports"]["json"])) == 3
    assert said["postgresql"] == lite

