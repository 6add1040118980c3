"""Secret masking on third-party client loggers.

tweepy logs each request's headers (the bearer token among them) at DEBUG,
and other clients may log what they send. A filter on the logger itself
rewrites the record before any handler sees it, including handlers that
were not set up by ``listener.logs`` (a test's ``caplog``, an embedding
application's).
"""

from __future__ import annotations

import logging

from listener.redact import RedactingFilter


def guard_loggers(*names: str) -> None:
    """Mask credential values in records logged by these loggers (idempotent)."""
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
