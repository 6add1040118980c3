"""Checks of a parsed config that need more than its own values: the file
system (a path of the wrong kind) and the classifier registry (a classifier
name nothing provides). Each problem names its key; ``listener.config``
adds the file and the line.

- ``storage.path`` must name a file: a folder, or a path ending in ``/``,
  would make SQLite fail on first use with a message about neither.
- Folders (``storage.data_dir``, ``reports.out_dir``, model folders) must
  not be files; a file source's ``path`` must not be a folder;
  ``privacy.key_file`` must not be a folder.
- Classifier names (``nlp.*``) must be registered or trained into the data
  folder, for the task their key asks for ("did you mean" the closest).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.validate import classifier_problems

if TYPE_CHECKING:
    from listener.config import Settings

Location = tuple[str | int, ...]
Problem = tuple[Location, str]


def _folder(where: Location, value: str | None, resolve: Callable[[str], Path]) -> list[Problem]:
    if not value:
        return []
    path = resolve(value)
    if path.exists() and not path.is_dir():
        return [(where, f"{value!r} is not a folder ({path} is a file)")]
    return []


def _file(where: Location, value: str, resolve: Callable[[str], Path], what: str) -> list[Problem]:
    path = resolve(value)
    if value.endswith(("/", "\\")) or path.is_dir():
        return [(where, f"{value!r} is a folder; give {what}")]
    return []


def path_problems(settings: Settings, base: Path) -> list[Problem]:
    """Paths (relative to ``base``, the config file's folder) of the wrong kind."""
    def resolve(value: str) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else base / path

    problems = _file(("storage", "path"), settings.storage.path, resolve,
                     "the database file, e.g. data/civic-listener.db")
    problems += _folder(("storage", "data_dir"), settings.storage.data_dir, resolve)
    problems += _folder(("reports", "out_dir"), settings.reports.out_dir, resolve)
    problems += _folder(("nlp", "embedding_model_path"), settings.nlp.embedding_model_path,
                        resolve)
    problems += _folder(("nlp", "transformers", "path"), settings.nlp.transformers.path, resolve)
    problems += _file(("privacy", "key_file"), settings.privacy.key_file, resolve,
                      "the key file, e.g. data/pseudonym.key")
    for name, cfg in settings.sources.items():
        given = getattr(cfg, "path", None)
        if isinstance(given, str):
            problems += _file(("sources", name, "path"), given, resolve, "the export file")
    return problems


def nlp_problems(settings: Settings, base: Path) -> list[Problem]:
    """Classifier names nothing provides, or for the wrong task."""
    data_dir = Path(settings.storage.data_dir).expanduser()
    data_dir = data_dir if data_dir.is_absolute() else base / data_dir
    return [(("nlp", *where), message)
            for where, message in classifier_problems(settings.nlp, data_dir)]
