"""nlp.blas.one_thread: the block runs with one BLAS thread, the old limit
comes back when the last block leaves (nested or from another thread), and
a product's numbers agree with the default threads' to float32 rounding
(not bit for bit: on some CPUs OpenBLAS's threads split the inner sums)."""

from __future__ import annotations

import threading

import numpy as np
from threadpoolctl import threadpool_info

from nlp import blas


def _threads() -> set[int]:
    return {int(lib["num_threads"]) for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_one_thread_inside_and_the_old_limit_after() -> None:
    before = _threads()
    with blas.one_thread():
        assert _threads() == {1}
        with blas.one_thread():
            assert _threads() == {1}
        assert _threads() == {1}  # the outer block is still running
    assert _threads() == before


def test_blocks_on_two_threads_put_the_old_limit_back_once_both_left() -> None:
    before = _threads()
    entered, leave = threading.Event(), threading.Event()

    def other() -> None:
        with blas.one_thread():
            entered.set()
            leave.wait(5)

    worker = threading.Thread(target=other)
    worker.start()
    entered.wait(5)
    with blas.one_thread():
        pass
    assert _threads() == {1}  # the other thread's block has not left yet
    leave.set()
    worker.join(5)
    assert _threads() == before


def test_the_product_agrees_on_one_thread() -> None:
    rng = np.random.default_rng(0)
    posts = rng.standard_normal((512, 256)).astype(np.float32)
    prototypes = np.ascontiguousarray(rng.standard_normal((107, 256)).astype(np.float32).T)
    default = posts @ prototypes
    with blas.one_thread():
        single = posts @ prototypes
    # float32 rounding of sums of 256 terms of about 1: at most ~4e-5 apart
    # (AMD EPYC, OpenBLAS's Haswell kernel); a wrong product is off by units
    np.testing.assert_allclose(single, default, rtol=1e-5, atol=1e-4)
