"""Which text encoding an export file is in, and bytes it could not read.

``auto`` (the default) reads a byte-order mark first (UTF-8, UTF-16), then
recognises UTF-16 without one by its zero bytes, then takes UTF-8 when the
whole file decodes as UTF-8, else Windows-1252 (what Excel on Windows
writes as "CSV"), else Latin-1 (which reads any byte). ``--encoding`` (or a
file source's ``encoding``) names one instead.

Files are read with ``surrogateescape``: a byte the encoding cannot read
becomes a marker character, so the line holding it is quarantined with its
number and a hint, and every other line is still read (issue 16).

A deterministic check rather than a statistical detector (chardet,
charset-normalizer): the encodings a UK public body's exports come in are
these few, and a guess that differs between two runs of the same file would
break the import's resume key.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

AUTO = "auto"
_ESCAPED = re.compile("[\udc80-\udcff]")
_CHUNK = 1 << 20


def known_encoding(name: str) -> str:
    """``name`` when Python can read it (or ``auto``); else a ValueError."""
    if name != AUTO:
        try:
            codecs.lookup(name)
        except LookupError:
            raise ValueError(f"unknown encoding {name!r}; use auto, or e.g. utf-8, cp1252, "
                             "latin-1, utf-16") from None
    return name


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(_CHUNK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) == 4 and head[0] and not head[1] and head[2] and not head[3]:
        return "utf-16-le"
    if len(head) == 4 and not head[0] and head[1] and not head[2] and head[3]:
        return "utf-16-be"
    for candidate in ("utf-8", "cp1252"):
        if _decodes(path, candidate):
            return candidate
    return "latin-1"


def resolve_encoding(path: Path, declared: str) -> str:
    return detect_encoding(path) if declared == AUTO else declared


def unreadable(text: str, encoding: str) -> str | None:
    """A plain-words error when ``text`` (read with ``surrogateescape``)
    holds bytes ``encoding`` could not read; None when it holds none."""
    found = _ESCAPED.search(text)
    if found is None:
        return None
    byte = ord(found[0]) - 0xDC00
    return (f"bytes that are not valid {encoding} (0x{byte:02x}): the file may be in "
            "another encoding; give --encoding (e.g. cp1252, latin-1, utf-16)")
