"""Every CLI command is documented in README.md, and the README's two
commands are the ones CI runs."""

from __future__ import annotations

import re

import typer.main

from listener.cli import app
from tests.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def command_paths(group: object, prefix: str = "listener") -> list[str]:
    paths: list[str] = []
    commands = getattr(group, "commands", None)
    if isinstance(commands, dict):
        for name, command in commands.items():
            if command.hidden:
                continue
            path = f"{prefix} {name}"
            paths.append(path)
            paths += command_paths(command, path)
    return paths


def test_every_command_has_help_and_is_in_the_readme() -> None:
    root = typer.main.get_command(app)
    paths = command_paths(root)
    assert len(paths) >= 6
    missing = [p for p in paths if not re.search(rf"`{re.escape(p)}(\s[^`]*)?`", README)]
    assert missing == [], f"commands not documented in README.md: {missing}"
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        assert (command.help or "").strip(), f"listener {name} has no help text"


def test_readme_has_the_two_commands_ci_runs() -> None:
    for marker in ("<!-- first-command -->", "<!-- second-command -->"):
        assert marker in README
    first = README.split("<!-- first-command -->")[1].split("```")[1]
    second = README.split("<!-- second-command -->")[1].split("```")[1]
    assert "listener demo" in first
    assert "pytest" in second
