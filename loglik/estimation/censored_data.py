r"""Censored and truncated observations, validated once: :class:`CensoredFitData` and
:func:`as_censored_data`.

Every row is an interval ``(lower, upper)`` known to hold the value:

* ``lower == upper``: an exact observation (the density enters the likelihood);
* ``upper == inf``: right-censored at ``lower`` (the value is above it: :math:`S(\text{lower})`);
* ``lower == -inf``: left-censored at ``upper`` (below it: :math:`F(\text{upper})`);
* both finite, ``lower < upper``: interval-censored (:math:`F(\text{upper}) - F(\text{lower})`).

For a continuous family the ends carry no probability, so ``(lower, upper)`` means
:math:`\text{lower} < X \le \text{upper}`. For a **discrete** family (counts) both ends are
included: the row ``(3, 5)`` means :math:`3 \le X \le 5`, and ``(5, inf)`` "at least 5" (a
top-coded count), :math:`P(X \ge 5) = S(4)`. ``truncation=(a, b)`` says that only values in
:math:`(a, b]` (for counts :math:`[a, b]`) could be observed at all: every row's probability is
divided by :math:`F(b) - F(a)` and rows are clipped to the window (a row outside it is an error).

This module is family-agnostic; :mod:`loglik.estimation.censoring` turns the rows into a
likelihood through the family protocol.
"""

from __future__ import annotations

import re

import numpy as np

from .data import FitData

__all__ = [
    "CensoredFitData",
    "as_censored_data",
    "check_censored_support",
    "is_scipy_censored",
]

KINDS = ("exact", "right", "left", "interval")


class CensoredFitData:
    """Validated interval rows ``bounds`` (an ``(n, 2)`` float64 array, never modified), case
    weights ``w`` (None for unit weights) and the ``truncation`` window (None, or ``(a, b)``).

    ``kind`` holds each row's kind (an index into :data:`KINDS`); ``n`` is the total weight,
    ``n_obs`` the number of rows. The rows of one kind are available as :class:`FitData`
    (``group("exact")`` holds the exact values with their weights); statistics are cached.
    """

    __slots__ = ("_cache", "bounds", "kind", "n", "n_obs", "truncation", "w")

    def __init__(self, bounds: np.ndarray, w=None, truncation=None):
        self.bounds, self.w, self.truncation = bounds, w, truncation
        self.n_obs = int(bounds.shape[0])
        self.n = float(self.n_obs) if w is None else float(np.sum(w))
        lo, hi = bounds[:, 0], bounds[:, 1]
        kind = np.where(hi == np.inf, np.int8(1), np.int8(3))
        if np.minimum.reduce(lo) == -np.inf:
            kind[lo == -np.inf] = 2
        kind[lo == hi] = 0
        self.kind = kind
        self._cache: dict = {}

    @property
    def x(self):
        """The exact values (what a plain likelihood would read)."""
        return self.group("exact").x

    cached = FitData.cached  # the same cache protocol: compute once per key

    def rows_of(self, kind: str) -> np.ndarray:
        """The row numbers of one kind (``"exact"``, ``"right"``, ``"left"``, ``"interval"``)."""
        return self.cached(("rows", kind), lambda: np.flatnonzero(self.kind == KINDS.index(kind)))

    def group(self, kind: str, column: int | None = None) -> FitData:
        """The rows of one kind as :class:`FitData`: the exact values, the right-censored lower
        bounds, the left-censored upper bounds; for intervals ``column`` 0 or 1 (the ends)."""
        if column is None:
            column = {"exact": 0, "right": 0, "left": 1}[kind]

        def compute():
            rows = self.rows_of(kind)
            w = None if self.w is None else self.w[rows]
            return FitData(np.ascontiguousarray(self.bounds[rows, column]), w)

        return self.cached(("group", kind, column), compute)

    def counts(self) -> dict:
        """The number of rows of each kind, ``{"exact": ..., "right": ..., ...}``."""
        return {kind: int(self.rows_of(kind).size) for kind in KINDS}

    @property
    def complete(self) -> bool:
        """True when every row is exact and nothing is truncated (a plain sample)."""
        return self.truncation is None and self.counts()["exact"] == self.n_obs

    def take(self, rows) -> CensoredFitData:
        """The data restricted to (or resampled as) ``rows``."""
        w = None if self.w is None else self.w[rows]
        return CensoredFitData(self.bounds[rows], w, self.truncation)

    def describe(self) -> str:
        """'20 rows: 10 exact, 10 right-censored; truncated to (0, 100]'."""
        counts = self.counts()
        parts = [f"{counts['exact']} exact"]
        parts += [f"{counts[k]} {k}-censored" for k in KINDS[1:] if counts[k]]
        text = f"{self.n_obs} rows: {', '.join(parts)}"
        if self.truncation is not None:
            a, b = self.truncation
            text += f"; truncated to ({a:g}, {b:g}]"
        return text

    def pseudo_sample(self) -> FitData:
        """One representative value per row (exact values, the finite end of a censored row,
        an interval's midpoint): the crude complete sample numeric fits start from."""
        lo, hi = self.bounds[:, 0], self.bounds[:, 1]
        values = np.where(np.isfinite(lo), np.where(np.isfinite(hi), 0.5 * (lo + hi), lo), hi)
        return FitData(values, self.w)


def is_scipy_censored(x) -> bool:
    """True for a ``scipy.stats.CensoredData``."""
    return type(x).__name__ == "CensoredData" and hasattr(x, "_uncensored")


def _from_scipy(data) -> np.ndarray:
    exact = np.asarray(data._uncensored, dtype=np.float64)
    left = np.asarray(data._left, dtype=np.float64)
    right = np.asarray(data._right, dtype=np.float64)
    interval = np.asarray(data._interval, dtype=np.float64).reshape(-1, 2)
    inf = np.full(left.shape, np.inf)
    return np.concatenate(
        [
            np.column_stack([exact, exact]),
            np.column_stack([-inf, left]),
            np.column_stack([right, np.full(right.shape, np.inf)]),
            interval,
        ]
    )


def _row_error(mask, what: str) -> ValueError:
    rows = np.flatnonzero(mask)
    more = f" ({rows.size} rows)" if rows.size > 1 else ""
    return ValueError(f"x (censored bounds) {what} at row {int(rows[0])}{more}")


def _check_bounds(arr: np.ndarray) -> np.ndarray:
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(
            f"x with censored=True must be an (n, 2) array of (lower, upper) rows, got shape "
            f"{arr.shape}"
        )
    if arr.shape[0] == 0:
        raise ValueError("x is empty: there is nothing to fit")
    lo, hi = arr[:, 0], arr[:, 1]
    if not np.all(lo <= hi):  # one pass catches NaN and reversed rows
        if np.isnan(arr).any():
            raise _row_error(np.isnan(arr).any(axis=1), "has NaN")
        row = int(np.flatnonzero(lo > hi)[0])
        raise _row_error(lo > hi, f"has lower {float(lo[row])!r} > upper {float(hi[row])!r}")
    if np.maximum.reduce(lo) == np.inf:
        raise _row_error(np.isposinf(lo), "has lower bound inf (no value is above inf)")
    if np.minimum.reduce(hi) == -np.inf:
        raise _row_error(np.isneginf(hi), "has upper bound -inf (no value is below -inf)")
    if np.minimum.reduce(lo) == -np.inf and np.maximum.reduce(hi) == np.inf:
        both = np.isneginf(lo) & np.isposinf(hi)
        if both.any():
            raise _row_error(both, "is (-inf, inf): it carries no information; drop it")
    return arr


def _check_truncation(truncation):
    if truncation is None:
        return None
    try:
        a, b = (float(v) for v in truncation)
    except (TypeError, ValueError):
        raise ValueError(f"truncation must be a pair (a, b), got {truncation!r}") from None
    if np.isnan(a) or np.isnan(b) or not a < b:
        raise ValueError(f"truncation must be (a, b) with a < b, got {truncation!r}")
    if a == -np.inf and b == np.inf:
        return None
    return a, b


def _truncate(arr: np.ndarray, window) -> np.ndarray:
    """Clip the rows to the truncation window; exact values outside it, and rows that do not
    meet it, are errors (they could not have been observed)."""
    if window is None:
        return arr
    a, b = window
    lo, hi = arr[:, 0], arr[:, 1]
    exact = lo == hi
    outside = exact & ((lo < a) | (lo > b))
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise _row_error(
            outside,
            f"has the value {float(lo[row])!r} outside the truncation window ({a:g}, {b:g}]",
        )
    new_lo, new_hi = np.maximum(lo, a), np.minimum(hi, b)
    miss = ~exact & (new_lo >= new_hi)
    if miss.any():
        row = int(np.flatnonzero(miss)[0])
        raise _row_error(
            miss,
            f"({float(lo[row])!r}, {float(hi[row])!r}) does not meet the truncation window "
            f"({a:g}, {b:g}]",
        )
    return np.column_stack([np.where(exact, lo, new_lo), np.where(exact, hi, new_hi)])


def as_censored_data(x, weights=None, *, censored=False, truncation=None) -> CensoredFitData:
    """Validate censored (and/or truncated) observations; return :class:`CensoredFitData`.

    ``x`` is a ``scipy.stats.CensoredData``, an ``(n, 2)`` array of ``(lower, upper)`` rows
    (``censored=True``), or plain 1-D observations (all exact; for ``truncation`` alone).
    ``weights`` (one non-negative number per row) cannot go with a ``CensoredData``, whose rows
    have no order of their own. Errors name the row: NaN, lower > upper, (-inf, inf), a value
    outside the truncation window.
    """
    window = _check_truncation(truncation)
    if is_scipy_censored(x):
        if weights is not None:
            raise ValueError(
                "weights cannot go with a scipy CensoredData (its rows are regrouped by kind, so "
                "weights have nothing to align with); pass the (n, 2) bounds with censored=True"
            )
        arr = _from_scipy(x)
        if arr.shape[0] == 0:
            raise ValueError("x is empty: there is nothing to fit")
    elif censored:
        if x is None or isinstance(x, (str, bytes)):
            raise ValueError(f"x must be an (n, 2) array of (lower, upper) rows, got {x!r}")
        try:
            arr = np.asarray(x, dtype=np.float64)  # only read, never modified
        except (TypeError, ValueError):
            raise ValueError("x (censored bounds) must be numeric") from None
        arr = _check_bounds(arr)
    else:
        from .data import as_fit_data

        plain = as_fit_data(x, weights)
        arr = np.column_stack([plain.x, plain.x])
    w = None
    if weights is not None:
        from .data import as_fit_data

        w = as_fit_data(np.zeros(arr.shape[0]), weights).w
    return CensoredFitData(_truncate(arr, window), w, window)


def check_censored_support(cls, data: CensoredFitData, fixed: dict) -> None:
    """ValueError (naming the row) for rows a family cannot have produced: exact values outside
    its support (the family's own check), censored rows entirely outside it, non-integer ends
    for a discrete family; and for data whose censoring leaves no MLE (every row censored on
    the same side)."""
    exact = data.group("exact")
    if exact.n_obs:
        rows = data.rows_of("exact")
        try:
            cls.check_data(exact, fixed)
        except ValueError as exc:  # name the caller's row, not the exact group's
            text = re.sub(r"at row (\d+)", lambda m: f"at row {rows[int(m.group(1))]}", str(exc))
            raise ValueError(text) from None
    lo, hi = data.bounds[:, 0], data.bounds[:, 1]
    censored = data.kind != 0
    s = cls.support
    if cls.discrete:
        below, above = hi < s.low, lo > s.high
        ends = np.where(np.isfinite(data.bounds), data.bounds, 0.0)
        fractional = censored & (ends != np.floor(ends)).any(axis=1)
        if fractional.any():
            raise _row_error(fractional, f"has a non-integer bound, but {cls.name} is discrete")
    else:
        below, above = hi <= s.low, lo >= s.high
    for mask, side in ((censored & below, "below"), (censored & above, "above")):
        if mask.any():
            row = int(np.flatnonzero(mask)[0])
            raise _row_error(
                mask,
                f"({float(lo[row])!r}, {float(hi[row])!r}) lies {side} the {cls.name} support "
                f"({s.text()}): it has probability 0",
            )
    counts = data.counts()
    for side in ("right", "left"):
        if counts[side] == data.n_obs:
            raise ValueError(
                f"the {cls.name} maximum-likelihood estimate does not exist: every row is "
                f"{side}-censored, so the likelihood keeps growing as the distribution moves "
                f"{'up' if side == 'right' else 'down'}"
            )
