"""Input checks shared by every module: clear errors that name the argument and the reason."""

from __future__ import annotations

import math
import numbers

import numpy as np


class ConvergenceWarning(UserWarning):
    """A fit or a minimisation stopped before its convergence criterion was met."""


class BoundaryWarning(UserWarning):
    """A maximum-likelihood estimate is on the boundary of its parameter space, or tending to it
    (a probability of 0 or 1, Student's t's df -> infinity): its Wald standard error and
    interval are not valid there (``FitResult.boundary`` names the parameters)."""


def check_finite_array(x, name: str, *, ndim: int | None = None, allow_empty: bool = False):
    """Return ``x`` as a float64 array (a copy when conversion was needed), or raise ValueError.

    Names the argument and the first offending position when ``x`` holds NaN or inf.
    """
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric, got {type(x).__name__}: {exc}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} is empty")
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.add.reduce(arr, axis=None) if arr.size else 0.0
    if arr.size and np.isfinite(total):
        return arr  # a finite sum has no NaN/inf terms: one pass, no temporary
    bad = ~np.isfinite(arr)
    if bad.any():
        where = np.argwhere(bad)[0]
        pos = int(where[0]) if arr.ndim == 1 else tuple(int(i) for i in where)
        kind = "NaN" if np.isnan(arr[tuple(where)]) else "inf"
        label = "row" if arr.ndim == 1 else "position"
        raise ValueError(f"{name} contains {kind} at {label} {pos} ({int(bad.sum())} non-finite)")
    return arr


def check_scalar(
    value,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
):
    """Return ``value`` as a float (or int) after checking it lies in the stated interval."""
    if type(value) is float or type(value) is int:  # the common case, without the ABC check
        pass
    elif isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    if integer and int(value) != value:
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value) if integer else float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    too_low = low is not None and (value < low or (value == low and not low_inclusive))
    too_high = high is not None and (value > high or (value == high and not high_inclusive))
    if too_low or too_high:
        interval = (
            f"{'[' if low_inclusive and low is not None else '('}"
            f"{'-inf' if low is None else low}, {'inf' if high is None else high}"
            f"{']' if high_inclusive and high is not None else ')'}"
        )
        raise ValueError(f"{name} must be in {interval}, got {value!r}")
    return value


def check_random_state(random_state) -> np.random.Generator:
    """``None``, an int or a Generator as a ``numpy.random.Generator`` (never the global state)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, numbers.Integral | np.random.SeedSequence):
        return np.random.default_rng(random_state)
    raise ValueError(
        f"random_state must be None, an int or a numpy.random.Generator, got {random_state!r}"
    )


def check_choice(value, name: str, choices):
    """Raise a ValueError listing the known choices when ``value`` is not one of them."""
    if value not in choices:
        known = ", ".join(repr(c) for c in choices)
        raise ValueError(f"unknown {name} {value!r}; known: {known}")
    return value


class DataConversionWarning(UserWarning):
    """Input was converted to the expected form (e.g. a column-vector y raveled to 1-D)."""
