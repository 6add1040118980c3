"""Platform-shaped identifiers, timestamps and engagement counts for the
sample, each a pure function of a post's index and time."""

from __future__ import annotations

from datetime import UTC, datetime

_TWITTER_EPOCH_MS = 1288834974657
_B32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp()) * 1000


def iso_z(moment: datetime, ms: int = 0) -> str:
    """``2026-09-15T07:42:10.123Z``, as X, Mastodon and Bluesky write times."""
    return f"{moment.astimezone(UTC).isoformat()[:19]}.{ms % 1000:03d}Z"


def snowflake(index: int, moment: datetime) -> str:
    """An X tweet id: milliseconds since the Twitter epoch, then worker and sequence bits."""
    return str(((epoch_ms(moment) + index % 1000 - _TWITTER_EPOCH_MS) << 22) | (index & 0x3FFFFF))


def mastodon_id(index: int, moment: datetime, instance_no: int) -> str:
    """A Mastodon status id: milliseconds << 16 plus sequence; each instance has its own."""
    return str(((epoch_ms(moment) + 250 * instance_no) << 16) | (index & 0xFFFF))


def tid(index: int, moment: datetime) -> str:
    """An atproto record key (TID): microseconds << 10 | clock id, base32-sortable."""
    value = ((epoch_ms(moment) * 1000 + index % 1_000_000) << 10) | (index & 0x3FF)
    out = []
    for _ in range(13):
        out.append(_B32_SORTABLE[value & 31])
        value >>= 5
    return "".join(reversed(out))


def base36(number: int) -> str:
    out = []
    while True:
        number, digit = divmod(number, 36)
        out.append(_B36[digit])
        if number == 0:
            return "".join(reversed(out))


def metric(index: int, salt: int, top: int) -> int:
    """A long-tailed count in [0, top): most posts get little engagement."""
    mixed = (index * 2654435761 + salt * 40503) % 1_000_003 / 1_000_003
    return int(mixed**4 * top)
