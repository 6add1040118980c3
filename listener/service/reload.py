"""Config reload without restart.

The watcher re-reads config.yaml when its content changes (polled by
hash, so an editor's save-by-rename is seen too). A valid edit becomes the
settings in force and a new recorded config version; an invalid one is
logged with file and line, recorded for ``listener status``, and the
service stays on the last good config.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from listener.config import ConfigError, ConfigProblem, Settings, load_settings
from listener.privacy.governance import governance_gaps
from storage.service_state import ServiceState
from storage.timefmt import utcnow

log = logging.getLogger(__name__)


def problem_dict(problem: ConfigProblem) -> dict[str, object]:
    return {"file": problem.file, "line": problem.line, "key": problem.key,
            "message": problem.message, "text": str(problem)}


def record_config(state: ServiceState, settings: Settings) -> None:
    state.put("config", {"hash": settings.config_hash, "path": str(settings.path),
                         "loaded_at": utcnow()})


class ConfigWatcher:
    def __init__(self, path: Path, current: Settings, *, state: Callable[[], ServiceState],
                 on_change: Callable[[Settings], None], allow_governance_gaps: bool = False
                 ) -> None:
        self.path = path
        self.current = current
        self._state = state
        self._on_change = on_change
        self._allow_gaps = allow_governance_gaps
        self._seen = _digest(path)

    def check(self) -> bool:
        """Look at the file once; True when new settings took effect."""
        digest = _digest(self.path)
        if digest is None or digest == self._seen:
            return False
        self._seen = digest
        try:
            settings = load_settings(self.path)
            problems = self._refusals(settings)
        except ConfigError as exc:
            problems = exc.problems
        if problems:
            self._reject(problems)
            return False
        self._state().delete("config_error")
        if settings.config_hash == self.current.config_hash:
            return False
        old = self.current.config_hash
        self._on_change(settings)
        self.current = settings
        log.info("config reloaded from %s: version %s replaces %s", self.path,
                 settings.config_hash, old)
        return True

    def _refusals(self, settings: Settings) -> list[ConfigProblem]:
        file = str(self.path)
        problems = []
        if settings.database_path != self.current.database_path:
            problems.append(ConfigProblem(
                file, None, "storage.path",
                "the database cannot change while the service runs; restart it to move"))
        if not self._allow_gaps:
            problems += [ConfigProblem(file, None, "governance", gap)
                         for gap in governance_gaps(settings.governance, settings.all_sources())]
        return problems

    def _reject(self, problems: list[ConfigProblem]) -> None:
        for problem in problems:
            log.error("config edit rejected: %s", problem)
        log.error("config: %d problem(s); the service keeps running on the last good "
                  "config, version %s", len(problems), self.current.config_hash)
        self._state().put("config_error", {
            "detected_at": utcnow(), "running_on": self.current.config_hash,
            "problems": [problem_dict(p) for p in problems],
        })


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
