"""Which platforms can be asked: each platform entry's checker factory
(``listener.platforms.<id>.checker.make_checker``) builds its checker from
the first configured source of its type (enabled ones first). A platform
whose client library is not installed (the ``live`` extra) or whose
credentials are not set gets no checker; its posts stay due."""

from __future__ import annotations

import logging

from listener.config import Settings
from listener.platforms.deletion import Checker
from listener.platforms.registry import find

log = logging.getLogger(__name__)


def build_checkers(settings: Settings, platforms: list[str]) -> dict[str, Checker]:
    """A checker for each platform in ``platforms`` that can be asked."""
    checkers: dict[str, Checker] = {}
    for platform in platforms:
        entry = find(platform)
        if entry is None or entry.checker is None:
            continue
        try:
            checker = entry.checker(settings)
        except ImportError as exc:
            log.warning("deletion sync %s: client library not installed (%s); install the "
                        "'live' extra", platform, exc.name)
            continue
        if checker is not None:
            checkers[platform] = checker
    return checkers
