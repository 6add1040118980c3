"""Settings for ``listener status`` when config.yaml has just been broken.

The service keeps running on its last good config; status must still find
the database and the sources. The database is taken from the file's
``storage`` section if it still parses (else the default SQLite path): a
SQLite file, or the PostgreSQL database whose DSN is in the variable it
names; the sources from the config version the service recorded as in
force.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from listener.config import ConfigError, Settings, parse_settings
from storage import Store
from storage.config import StorageSettings


def storage_named_in(path: Path) -> tuple[StorageSettings, Path]:
    """The ``storage`` section of the config file at ``path`` (the default
    when it does not parse) and its SQLite file, resolved."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        storage = StorageSettings.model_validate(data["storage"])
    except (OSError, yaml.YAMLError, TypeError, KeyError, ValidationError):
        storage = StorageSettings()
    db = Path(storage.path)
    return storage, db if db.is_absolute() else path.resolve().parent / db


def last_good_settings(store: Store, path: Path) -> Settings | None:
    """The config the service last put in force, or None if unknown."""
    in_force = store.service.get("config") or {}
    for config_hash, _, text in reversed(store.config_versions.history()):
        if config_hash == in_force.get("hash"):
            try:
                return parse_settings(text, str(path), check_credentials=False)
            except ConfigError:
                return None
    return None
