"""Logging: human-readable by default, JSON lines on request; secrets masked."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from listener.redact import RedactingFilter


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        return json.dumps(entry, ensure_ascii=False)


OURS = ("listener", "nlp", "storage", "reports")


class OursOrWarnings(logging.Filter):
    """Our own loggers at the configured level; every other library's
    (fontTools' subsetting lists, WeasyPrint's steps, HTTP clients, the
    scheduler) only at WARNING and above."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.split(".")[0] in OURS


def setup_logging(fmt: str = "text", verbose: bool = False) -> None:
    """Log to stderr; with ``verbose``, at DEBUG and third-party libraries too."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    if not verbose:
        handler.addFilter(OursOrWarnings())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for noisy in ("httpx", "httpcore", "urllib3", "prawcore", "tweepy", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
