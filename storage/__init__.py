"""Storage: the only package that writes SQL."""

from storage.collect import StorageError
from storage.db import connect, write_transaction
from storage.records import (
    LabelRecord,
    PageResult,
    Post,
    Quarantined,
    RunRecord,
    StoredItem,
)
from storage.store import Store

__all__ = [
    "LabelRecord",
    "PageResult",
    "Post",
    "Quarantined",
    "RunRecord",
    "StorageError",
    "Store",
    "StoredItem",
    "connect",
    "write_transaction",
]
