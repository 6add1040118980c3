"""File imports: CSV and JSONL exports (twarc JSONL read as X pages)."""

from __future__ import annotations

from listener.platforms.entry import Lazy, Platform
from listener.platforms.file.config import FileSourceConfig
from listener.platforms.file.normalise import normalise

ALLOWED_FIELDS = ("id", "text", "created_at", "author", "url", "platform", "lang", "title",
                  "place", "in_reply_to", "likes", "replies", "reposts", "quotes")

# No splitter (rows come from the file reader; twarc lines go through X's) and
# no link form: an imported row's url may be of any form.
PLATFORM = Platform(
    id="file", name="file import", config=FileSourceConfig,
    source=Lazy("listener.platforms.file.source:FileSource"),
    collects="file import of `{path}` ({format})", live=False,
    normalise=normalise, allowed_fields=ALLOWED_FIELDS,
)
