"""Compiled loops over big index ranges, run in slices on a few threads (pure; no Django).

``compiled(func)`` compiles a plain Python loop with numba (``nogil``, cached on disk, so a
new worker process loads it instead of compiling) or returns None without numba, so the
caller keeps its numpy path. ``in_slices`` runs such a kernel over ``[0, n)`` cut into a few
slices, one thread each: the kernels release the GIL, and each slice writes only its own
part of the output.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np

#: Threads at most, and the least work per thread worth a thread of its own.
MAX_THREADS = 4
MIN_PER_THREAD = 2048

T = TypeVar("T")

_COMPILED: dict[Callable[..., Any], Any] = {}


def compiled(func: Callable[..., Any]) -> Any:
    """numba's compiled ``func`` (compiled once per process, from numba's disk cache after
    the first time), or None when numba is not installed."""
    if func not in _COMPILED:
        try:
            import numba
        except ImportError:  # pragma: no cover - numba is a dependency; callers keep numpy
            _COMPILED[func] = None
        else:
            _COMPILED[func] = numba.njit(cache=True, nogil=True)(func)
    return _COMPILED[func]


def over_slices(
    fn: Callable[[int, int], T], n: int, *, min_per_thread: int = MIN_PER_THREAD
) -> list[T]:
    """``fn(lo, hi)`` for consecutive slices [lo, hi) covering [0, n), a thread each; the
    results in slice order."""
    threads = max(1, min(os.cpu_count() or 1, MAX_THREADS, n // max(min_per_thread, 1)))
    cuts = np.linspace(0, n, threads + 1).astype(np.int64).tolist()
    if threads == 1:
        return [fn(0, n)]
    with ThreadPoolExecutor(threads) as pool:
        done = [pool.submit(fn, lo, hi) for lo, hi in itertools.pairwise(cuts)]
        return [future.result() for future in done]


def in_slices(kernel: Any, n: int, *args: Any, min_per_thread: int = MIN_PER_THREAD) -> None:
    """``kernel(*args, lo, hi)`` for consecutive slices [lo, hi) covering [0, n)."""
    over_slices(lambda lo, hi: kernel(*args, lo, hi), n, min_per_thread=min_per_thread)
