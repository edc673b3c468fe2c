r"""How a family describes its parameters and its data: :class:`Domain` (where a scalar
parameter lives, and the scale it is optimised and given Wald intervals on), :class:`Param`
(one parameter) and :class:`Support` (where the data live), with :func:`check_support`.

These are the words of the family protocol (:mod:`loglik.estimation.family`): estimation reads
them to check ``fixed`` values, choose transforms and build intervals, and never needs the family's
formulas for that.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from .data import FitData, first_bad
from .transforms import Identity, Log, Logit

__all__ = [
    "NONNEGATIVE",
    "POSITIVE",
    "PROBABILITY",
    "REAL",
    "TRIALS",
    "UNIT",
    "Domain",
    "Param",
    "Support",
    "check_support",
]

inf = np.inf


class Domain(NamedTuple):
    """Where a scalar parameter lives, and the scale (transform) it is optimised on."""

    low: float
    high: float
    low_open: bool
    high_open: bool
    integer: bool
    scale: str  # "identity", "log" or "logit": the unconstrained scale for fits and Wald CIs
    text: str

    def contains_value(self, v: float) -> bool:
        """:meth:`contains` for one Python float (no array overhead)."""
        lo = v > self.low if self.low_open else v >= self.low
        hi = v < self.high if self.high_open else v <= self.high
        return lo and hi and (not self.integer or v == round(v))

    def contains(self, v: np.ndarray) -> np.ndarray:
        lo = v > self.low if self.low_open else v >= self.low
        hi = v < self.high if self.high_open else v <= self.high
        ok = lo & hi
        return ok & (v == np.round(v)) if self.integer else ok

    def at_closed_end(self, v: float) -> bool:
        """True when ``v`` is a closed end of the domain (a boundary estimate)."""
        return (not self.low_open and v == self.low) or (not self.high_open and v == self.high)

    def transform(self):
        return {"identity": Identity, "log": Log, "logit": Logit}[self.scale]()


REAL = Domain(-inf, inf, True, True, False, "identity", "a real number")
POSITIVE = Domain(0.0, inf, True, True, False, "log", "> 0")
NONNEGATIVE = Domain(0.0, inf, False, True, False, "log", ">= 0")
PROBABILITY = Domain(0.0, 1.0, False, False, False, "logit", "in [0, 1]")
UNIT = Domain(0.0, 1.0, True, False, False, "logit", "in (0, 1]")
TRIALS = Domain(1.0, inf, False, True, True, "identity", "a positive integer")


class Param(NamedTuple):
    """One parameter: its name, domain, kind ("scalar", "vector" or "matrix"), default, and
    whether it can be estimated (the binomial's number of trials cannot: it is always given)."""

    name: str
    domain: Domain = REAL
    kind: str = "scalar"
    default: Any = None
    estimable: bool = True
    doc: str = ""


class Support(NamedTuple):
    """The set of values a family gives positive probability (density) to."""

    low: float = -inf
    high: float = inf
    low_open: bool = True
    high_open: bool = True
    integer: bool = False

    def text(self, high=None) -> str:
        high = self.high if high is None else high
        if self.integer:
            if high == self.low + 1:
                return f"x in {{{self.low:g}, {high:g}}}"
            tail = "..." if not np.isfinite(high) else f"..., {high:g}"
            return f"x in {{{self.low:g}, {self.low + 1:g}, {tail}}}"
        if np.isfinite(self.low) and np.isfinite(high):
            lo = "<" if self.low_open else "<="
            hi = "<" if self.high_open else "<="
            return f"{self.low:g} {lo} x {hi} {high:g}"
        if np.isfinite(self.low):
            return f"x {'>' if self.low_open else '>='} {self.low:g}"
        return "any real x"


def check_support(cls, data: FitData, support: Support, high=None) -> None:
    """Raise a ValueError naming how many values of ``data`` lie outside ``support`` (with its
    upper end replaced by ``high`` when given) and the first one; ``cls.name`` names the family."""
    x = data.x
    low = support.low
    high = support.high if high is None else high
    if low == -np.inf and high == np.inf and not support.integer:
        return
    if math.isfinite(low):
        m = data.min()
        if m < low or (support.low_open and m == low):
            bad = x <= low if support.low_open else x < low
            raise ValueError(
                f"x has values outside the support of {cls.name} ({support.text(high)}): "
                f"{first_bad(bad, x)}"
            )
    if math.isfinite(high):
        m = data.max()
        if m > high or (support.high_open and m == high):
            bad = x >= high if support.high_open else x > high
            raise ValueError(
                f"x has values outside the support of {cls.name} ({support.text(high)}): "
                f"{first_bad(bad, x)}"
            )
    if support.integer and any((xb != np.floor(xb)).any() for xb, _ in data.chunks()):
        raise ValueError(
            f"{cls.name} is a discrete family ({support.text(high)}) but x has non-integer "
            f"values: {first_bad(x != np.floor(x), x)}"
        )
