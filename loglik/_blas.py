"""One BLAS thread for the many small dense solves of the active-set solvers.

The exact penalised solvers factorise many small matrices (tens to hundreds of rows). For such
sizes a multi-threaded BLAS gains nothing and, when the cores are shared, its threads waiting
on each other can cost orders of magnitude (measured: a 100-alpha lasso path on 200x1000 took
0.5 s on one thread and 42 s on two busy cores). The penalised fits therefore run on one BLAS
thread from start to end, which also makes their timings predictable.
:func:`single_threaded_blas` limits OpenBLAS (the BLAS that numpy and scipy wheels ship) to one
thread *for the calling thread only*, through its
own ``openblas_set_num_threads_local`` (OpenBLAS >= 0.3.27), and restores the previous setting.
With any other BLAS it does nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import threading

__all__ = ["single_threaded", "single_threaded_blas"]


@functools.lru_cache(maxsize=1)
def _setters() -> tuple:
    """``openblas_set_num_threads_local`` of every OpenBLAS loaded in this process."""
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted(
                {
                    line.split()[-1]
                    for line in maps
                    if "openblas" in line.lower() and ".so" in line.split()[-1]
                }
            )
    except OSError:  # not Linux: leave the BLAS alone
        return ()
    setters = []
    for path in paths:
        try:
            fn = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.restype, fn.argtypes = ctypes.c_int, [ctypes.c_int]
        setters.append(fn)
    return tuple(setters)


_state = threading.local()


@contextlib.contextmanager
def single_threaded_blas():
    """Run the enclosed block with one OpenBLAS thread (for this thread), then restore. Nested
    uses cost nothing."""
    if getattr(_state, "depth", 0):
        _state.depth += 1
        try:
            yield
        finally:
            _state.depth -= 1
        return
    setters = _setters()
    previous = [fn(1) for fn in setters]
    _state.depth = 1
    try:
        yield
    finally:
        _state.depth = 0
        for fn, count in zip(setters, previous):
            fn(count)


def single_threaded(fn):
    """Decorator: run ``fn`` inside :func:`single_threaded_blas`."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with single_threaded_blas():
            return fn(*args, **kwargs)

    return wrapper
