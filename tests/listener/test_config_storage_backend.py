"""``storage.backend`` and ``storage.dsn_env``: the backend is chosen in the
config, the DSN lives in the environment variable it names, and a mistake
is told with file, line and key, never repeating a DSN pasted by mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from listener.config import parse_settings
from listener.config_errors import ConfigError
from tests.cli import Cli

SECRET = "s3cret-Pw-never-shown"


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, "config.yaml", check_credentials=False)
    return [str(p) for p in caught.value.problems]


def test_sqlite_stays_the_default() -> None:
    settings = parse_settings("storage:\n  path: x.db\n", "config.yaml", check_credentials=False)
    assert (settings.storage.backend, settings.storage.dsn_env) == ("sqlite", None)


def test_postgresql_with_the_name_of_its_variable() -> None:
    settings = parse_settings("storage:\n  backend: postgresql\n  dsn_env: CIVIC_DSN\n",
                              "config.yaml", check_credentials=False)
    assert (settings.storage.backend, settings.storage.dsn_env) == ("postgresql", "CIVIC_DSN")


def test_postgresql_without_a_variable_is_told_at_the_backend_line() -> None:
    assert problems("storage:\n  path: x.db\n  backend: postgresql\n") == [
        "config.yaml:3: storage.backend: 'postgresql' needs dsn_env: the name of the "
        "environment variable that holds the DSN"]


def test_a_dsn_pasted_into_dsn_env_is_refused_and_never_repeated() -> None:
    found = problems(f"storage:\n  backend: postgresql\n"
                     f"  dsn_env: postgresql://civic:{SECRET}@db.example/civic\n")
    assert len(found) == 1
    assert found[0].startswith("config.yaml:3: storage.dsn_env: must be the name of an "
                               "environment variable")
    assert SECRET not in found[0] and "db.example" not in found[0]


def test_an_unknown_backend_names_the_two() -> None:
    (problem,) = problems("storage:\n  backend: mysql\n")
    assert problem.startswith("config.yaml:2: storage.backend:")
    assert "'sqlite' or 'postgresql'" in problem


def test_config_check_names_the_server_by_its_variable_never_the_dsn(tmp_path: Path,
                                                                     cli: Cli) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  backend: postgresql\n  dsn_env: CIVIC_CHECK_DSN\n")
    secret = "postgresql://civic:s3cret-pw@db.example/civic"
    done = cli("-c", config, "config", "check", env={"CIVIC_CHECK_DSN": secret})
    assert done.returncode == 0, done.output
    assert "database: PostgreSQL (DSN in $CIVIC_CHECK_DSN)" in done.output
    assert "s3cret" not in done.output and "civic-listener.db" not in done.output
