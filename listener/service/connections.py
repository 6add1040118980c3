"""One store per thread.

Jobs run in a thread pool; a connection shared between threads would mix
their transactions. Each thread gets its own store (on SQLite its own
connection: WAL and the busy timeout let them take turns writing; on
PostgreSQL its own connection, whose session also holds the thread's
per-source collection lock); all are closed at shutdown.
"""

from __future__ import annotations

import threading
from pathlib import Path

from storage import Store
from storage.config import StorageSettings


class StorePool:
    def __init__(self, path: Path, storage: StorageSettings | None = None) -> None:
        """The SQLite file ``path``, or the database ``storage`` (the
        config's section) names: ``storage.backend`` decides."""
        self.path = path
        self.storage = storage or StorageSettings()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[Store] = []

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store.from_settings(self.storage, self.path)
            self._local.store = store
            with self._lock:
                self._open.append(store)
        return store

    def close_all(self) -> None:
        with self._lock:
            stores, self._open = self._open, []
        for store in stores:
            store.close()
