"""One SQLite connection per thread.

Jobs run in a thread pool; a connection shared between threads would mix
their transactions. Each thread gets its own connection (WAL and the busy
timeout let them take turns writing); all are closed at shutdown.
"""

from __future__ import annotations

import threading
from pathlib import Path

from storage import Store


class StorePool:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[Store] = []

    def get(self) -> Store:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = Store.open(self.path)
            self._local.store = store
            with self._lock:
                self._open.append(store)
        return store

    def close_all(self) -> None:
        with self._lock:
            stores, self._open = self._open, []
        for store in stores:
            store.close()
