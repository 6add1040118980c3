"""Spreadsheet cells that cannot run as formulas, and reading them back.

A cell that a spreadsheet would read as a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab, a carriage return or a line break, or their
full-width forms, possibly after spaces) gets a leading apostrophe; so does
a cell that starts with an apostrophe (a spreadsheet hides the first one);
a plain number such as ``-12`` or ``+3%`` is left as it is. ``unguard``
removes exactly that apostrophe again, so a file that went out through a
CSV writer and came back with staff labels holds the text as it was
(``nlp.labelled.read_labelled``, ``listener.audit.csvfile.read_csv``).

It lives in ``nlp``, the leaf package, because both sides need the one
definition: the CSV writer in ``reports.csvfile`` (used by every CSV the
project writes) and the labelled-file reader here.
"""

from __future__ import annotations

import re

GUARD = "'"
_FORMULA = re.compile("^(?:'|[ \u00a0]*[=+\\-@\t\r\n\uff1d\uff0b\uff0d\uff20])")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?%?$")


def needs_guard(value: str) -> bool:
    return bool(_FORMULA.match(value)) and not _NUMBER.match(value)


def guard(value: str) -> str:
    """``value`` as a cell no spreadsheet runs as a formula."""
    return GUARD + value if needs_guard(value) else value


def unguard(value: str) -> str:
    """The value ``guard`` was given (``unguard(guard(v)) == v`` for every ``v``)."""
    if value.startswith(GUARD) and needs_guard(value[len(GUARD):]):
        return value[len(GUARD):]
    return value
