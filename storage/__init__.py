"""Storage: the only package that writes SQL; ``Store`` is the way in."""

from storage.collect import StorageError
from storage.records import (
    SENTIMENTS,
    LabelRecord,
    PageResult,
    Post,
    Quarantined,
    RunRecord,
    StoredItem,
)
from storage.store import Store

__all__ = [
    "SENTIMENTS",
    "LabelRecord",
    "PageResult",
    "Post",
    "Quarantined",
    "RunRecord",
    "StorageError",
    "Store",
    "StoredItem",
]
