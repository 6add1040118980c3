"""What every platform normaliser shares: pure functions, one raw item in,
one ``Post`` out (``listener.platforms.<id>.normalise``, looked up with
``listener.platforms.registry.normaliser``).

A normaliser raises ``NormaliseError`` (with a plain message naming the
field) when the item is malformed; the pipeline quarantines such items and
stores the rest of their page. ``listener.normalise.fields`` holds the field
helpers they share.
"""

from __future__ import annotations


class NormaliseError(ValueError):
    """A raw item that cannot become a Post."""
