"""One BLAS thread for the classify stage's matrix products.

Semantic topics score a batch of posts with one matrix product (posts x 256
times 256 x prototypes): about 0.7 us of CPU per post on one thread. With
OpenBLAS's default of a thread per core, the same product cost about 8 us
of CPU per post, and the topic classifier ~30 us more: the product is too
small to share, and OpenBLAS's idle worker threads spin, waiting for the
next call, while the rest of the stage (keywords, VADER) runs. On a shared
machine that CPU is taken from other work. ``one_thread`` runs a block with
one BLAS thread; each product's numbers agree with the threaded ones to
float32 rounding. They were equal, score for score, on the eval sets of
docs/nlp.md on that machine's CPU; on another (AMD EPYC, OpenBLAS's
Haswell kernel) the threads split the inner sums and 8% of a test
product's elements differ by up to 4e-5. Labels are made on one thread
always, so a run's labels do not depend on the thread count.

The limit is process-wide (BLAS has one setting), so it is counted: the
first block to enter sets it and the last to leave puts the old value back,
whichever thread they run on. Without ``threadpoolctl`` (a core dependency)
the block runs as it is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_LOCK = threading.Lock()
_depth = 0
_libraries: list[Any] | None = None  # threadpoolctl's controllers of the loaded BLAS
_saved: list[int] = []  # their thread counts before the first block entered


def _blas() -> list[Any]:
    global _libraries
    if _libraries is None:
        try:
            import numpy  # noqa: F401  (BLAS is loaded with numpy: the controller finds it)
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - a broken install
            _libraries = []
        else:
            _libraries = list(ThreadpoolController().select(user_api="blas").lib_controllers)
    return _libraries


def _set(lib: Any, threads: int) -> None:
    """Set a library's threads. threadpoolctl lets one Python thread at a
    time control OpenBLAS (the first to set it, while it lives); a block may
    leave on another thread than the last one that entered, so control is
    given back at once. Code holding it elsewhere (scikit-learn's own
    limits) is left alone: the call then changes nothing."""
    lib.set_num_threads(threads)
    clear = getattr(type(lib), "clear_controlling_thread", None)
    if clear is not None:
        clear()


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the block with one BLAS thread (see the module)."""
    global _depth, _saved
    with _LOCK:
        if _depth == 0:
            libraries = _blas()
            _saved = [lib.get_num_threads() for lib in libraries]
            for lib in libraries:
                _set(lib, 1)
        _depth += 1
    try:
        yield
    finally:
        with _LOCK:
            _depth -= 1
            if _depth == 0:
                for lib, threads in zip(_blas(), _saved, strict=True):
                    _set(lib, threads)
