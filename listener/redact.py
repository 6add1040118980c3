"""Keeping secrets out of logs, stored runs and exception messages.

Every environment variable that config names as a credential is collected;
its value is replaced by ``***`` wherever text leaves the process (log
records, run errors, quarantine errors, CLI output).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable

MIN_SECRET_LENGTH = 4
_secret_vars: set[str] = set()


def register_secret_vars(names: Iterable[str]) -> None:
    _secret_vars.update(n for n in names if n)


def secret_values() -> list[str]:
    values = {os.environ.get(name, "") for name in _secret_vars}
    return sorted((v for v in values if len(v) >= MIN_SECRET_LENGTH), key=len, reverse=True)


def redact(text: str) -> str:
    for value in secret_values():
        text = text.replace(value, "***")
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's final message with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            import traceback

            tb = "".join(traceback.format_exception(*record.exc_info))
            cleaned += "\n" + redact(tb)
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = cleaned, None
        return True
