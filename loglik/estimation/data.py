r"""Observations and case weights, validated once, with the statistics fits reuse.

:func:`as_fit_data` checks what every likelihood needs (numeric, finite, not empty, weights of
the right length and non-negative) and returns a :class:`FitData`; the families check their own
support. Sums run over blocks of :data:`CHUNK` rows, so temporaries stay small (peak memory
close to the data itself) and each block is read from cache, not memory, by the second pass.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import check_finite_array

__all__ = ["CHUNK", "FitData", "as_fit_data", "dot", "first_bad", "moments"]

CHUNK = 1 << 15
_BLAS_SMALL = 10_000


def dot(a: np.ndarray, b: np.ndarray) -> float:
    r""":math:`\sum_i a_i b_i` for 1-D arrays. Long vectors go through ``einsum``, not BLAS:
    OpenBLAS splits dot products above about 10 000 entries over threads, and on a busy
    machine that hand-off can cost milliseconds (measured) for a microsecond's work."""
    if a.shape[0] <= _BLAS_SMALL:
        return float(np.dot(a, b))
    return float(np.einsum("i,i->", a, b))


class FitData:
    """Validated observations ``x`` (float64, never modified) and case weights ``w``.

    ``n_obs`` is the number of rows; ``n`` the total weight (``n_obs`` without weights): with
    frequency weights, the sample size the likelihood, AIC and BIC refer to. Statistics that
    several families or evaluations reuse are cached with :meth:`cached`. The arrays are the
    caller's (no copy): they are only read.
    """

    __slots__ = ("_cache", "n", "n_obs", "w", "x")

    def __init__(self, x: np.ndarray, w: np.ndarray | None = None, n: float | None = None):
        self.x, self.w = x, w
        self.n_obs = int(x.shape[0])
        if n is None:
            n = float(self.n_obs) if w is None else float(np.sum(w))
        self.n = n
        self._cache: dict = {}

    def cached(self, key, compute):
        """``compute()`` the first time ``key`` is asked for, the stored value afterwards."""
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = compute()
            return value

    def total(self, values):
        r""":math:`\sum_i w_i v_i` (per column for 2-D ``values``; ``n v`` for a constant)."""
        if np.ndim(values) == 0:
            return values * self.n
        if values.ndim == 1:
            return values.sum() if self.w is None else dot(self.w, values)
        return column_sums(values, self.w)

    def chunks(self):
        """``(x_block, w_block)`` pairs of at most :data:`CHUNK` rows."""
        if self.n_obs <= CHUNK:
            yield self.x, self.w
            return
        for lo in range(0, self.n_obs, CHUNK):
            hi = lo + CHUNK
            yield self.x[lo:hi], None if self.w is None else self.w[lo:hi]

    def take(self, rows) -> FitData:
        """The data restricted to ``rows`` (a mini-batch)."""
        return FitData(self.x[rows], None if self.w is None else self.w[rows])

    def sum_x(self):
        r""":math:`\sum_i w_i x_i`."""
        return self.cached("sum_x", lambda: self.total(self.x))

    def mean(self):
        """The weighted mean of ``x``."""
        return self.sum_x() / self.n

    def min(self):
        """The smallest value (per column for 2-D data)."""
        return self.cached("min", lambda: np.minimum.reduce(self.x))  # x.min() adds 1 us

    def max(self):
        """The largest value (per column for 2-D data)."""
        return self.cached("max", lambda: np.maximum.reduce(self.x))

    def log(self) -> np.ndarray:
        """``log(x)``, computed once."""
        return self.cached("log", lambda: np.log(self.x))

    def total_of(self, f) -> float:
        r""":math:`\sum_i w_i f(x_i)` for an elementwise ``f``, block by block (no temporary the
        size of the data)."""
        if self.n_obs <= CHUNK:
            return float(self.total(f(self.x)))
        return float(sum(float(self.total_block(f(xb), wb)) for xb, wb in self.chunks()))

    @staticmethod
    def total_block(values, w):
        return values.sum() if w is None else dot(w, values)

    def sum_log(self) -> float:
        r""":math:`\sum_i w_i \log x_i`."""
        if "log" in self._cache:
            return self.cached("sum_log", lambda: float(self.total(self._cache["log"])))
        return self.cached("sum_log", lambda: self.total_of(np.log))

    def compressed(self) -> FitData:
        """Integer data as their distinct values with total weights: exact for any likelihood of
        iid data (each distinct value enters once, weighted by its count), and much smaller."""
        return self.cached("compressed", lambda: _compress(self))


def column_sums(values: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    r""":math:`\sum_i w_i v_{ij}` per column of a 2-D array, as small matrix-vector products over
    blocks of rows (``values.sum(axis=0)`` on a tall, narrow array is a slow strided reduction;
    one large product may be split over threads)."""
    out = np.zeros(values.shape[1])
    ones = np.ones(min(values.shape[0], _BLAS_SMALL))
    for lo in range(0, values.shape[0], _BLAS_SMALL):
        block = values[lo : lo + _BLAS_SMALL]
        out += (ones[: block.shape[0]] if w is None else w[lo : lo + _BLAS_SMALL]) @ block
    return out


def moments(data: FitData) -> tuple[float, float, float]:
    r"""``(W, mean, M2)`` of 1-D data with :math:`M_2 = \sum_i w_i (x_i - \bar x)^2`.

    Unweighted data first try :math:`M_2 = \sum x^2 - (\sum x)^2/n` (two passes without
    temporaries, the sum kept from validation); when that loses more than three digits to
    cancellation (the mean large against the spread) — and for weighted data — each block's
    mean and sum of squared deviations (the block is in cache for the second look) are merged
    by Chan, Golub & LeVeque's update
    :math:`M_2 = M_{2,a} + M_{2,b} + \delta^2 W_a W_b / (W_a + W_b)`, which does not cancel.
    """

    def compute():
        W = mean = M2 = 0.0
        for xb, wb in data.chunks():
            wsum = float(xb.shape[0]) if wb is None else float(wb.sum())
            if wsum == 0.0:
                continue
            mb = float(xb.sum() if wb is None else dot(wb, xb)) / wsum
            d = xb - mb
            m2b = dot(d, d) if wb is None else dot(wb * d, d)
            delta = mb - mean
            total = W + wsum
            mean += delta * wsum / total
            M2 += m2b + delta * delta * W * wsum / total
            W = total
        return W, mean, M2

    def fast():
        # sum x (kept from validation) and sum x^2: two passes, no temporaries. Their
        # difference cancels when the mean is large against the spread, so then the stable
        # blockwise version runs instead.
        n, s, q = data.n, data.sum_x(), dot(data.x, data.x)
        M2 = q - s * s / n
        return (n, s / n, M2) if M2 > 1e-3 * q else compute()

    return data.cached("moments", fast if data.w is None else compute)


def _compress(data: FitData) -> FitData:
    top = int(data.max())
    if top <= 4 * data.n_obs + 1024:  # counts by value, block by block
        counts = np.zeros(top + 1)
        for xb, wb in data.chunks():
            counts += np.bincount(xb.astype(np.intp), weights=wb, minlength=top + 1)
        values = np.flatnonzero(counts)
        return FitData(values.astype(np.float64), counts[values], data.n)
    xi = data.x.astype(np.int64)
    values, inverse = np.unique(xi, return_inverse=True)
    counts = np.bincount(inverse, weights=data.w)
    keep = counts > 0
    return FitData(values[keep].astype(np.float64), counts[keep], data.n)


def first_bad(mask: np.ndarray, x: np.ndarray) -> str:
    """'3 values, the first -1.5 at row 17' for the rows where ``mask`` is True."""
    rows = np.flatnonzero(mask if mask.ndim == 1 else mask.reshape(mask.shape[0], -1).any(axis=1))
    row = int(rows[0])
    shown = float(x[row]) if x.ndim == 1 else x[row].tolist()
    return f"{rows.size} value{'s' if rows.size > 1 else ''}, the first {shown!r} at row {row}"


def as_fit_data(x, weights=None, *, ndim: int = 1) -> FitData:
    """Validate observations and case weights; return :class:`FitData`.

    ``x`` must be numeric, ``ndim``-dimensional (rows are observations), non-empty and finite;
    ``weights`` (optional) one finite non-negative number per row, not all zero. Each failure is
    a ValueError naming the argument and the first offending row.
    """
    if x is None or isinstance(x, (str, bytes)):
        raise ValueError(f"x must be an array of numbers, got {x!r}")
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"x must be numeric, got {type(x).__name__} that is not") from None
    if arr.ndim != ndim:
        want = "a 1-D array of observations" if ndim == 1 else "a 2-D array (rows = observations)"
        raise ValueError(f"x must be {want}, got shape {arr.shape}")
    if arr.shape[0] == 0 or arr.size == 0:
        raise ValueError("x is empty: there is nothing to fit")
    total = np.add.reduce(arr, axis=None)  # NaN or inf anywhere makes it non-finite
    finite = math.isfinite(total)
    if not finite:
        check_finite_array(arr, "x", ndim=ndim)  # names the first NaN/inf; overflow passes
    w = None
    if weights is not None:
        w = check_finite_array(weights, "weights", ndim=1, allow_empty=True)
        if w.shape[0] != arr.shape[0]:
            raise ValueError(f"weights has {w.shape[0]} entries but x has {arr.shape[0]} rows")
        if (w < 0).any():
            row = int(np.flatnonzero(w < 0)[0])
            raise ValueError(f"weights must be non-negative, got {float(w[row])!r} at row {row}")
        if not w.sum() > 0:
            raise ValueError("weights are all zero: there is nothing to fit")
    data = FitData(arr, w)
    if w is None and finite and ndim == 1:
        data._cache["sum_x"] = float(total)
    return data
