r"""Learning-rate schedules: callables of the step count :math:`t = 0, 1, 2, \ldots`.

Every learning rate in loglik is a positive float or a schedule. A schedule is any callable
``schedule(t) -> float``; the ones here are small frozen dataclasses, so they compare, print and
pickle well, and can be nested (``warmup(cosine_decay(0.1, 1000), 100)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from .._validation import check_scalar

__all__ = [
    "as_schedule",
    "constant",
    "cosine_decay",
    "exponential_decay",
    "inverse_time_decay",
    "step_decay",
    "warmup",
]

Schedule = Callable[[int], float]


def _positive(value, name):
    return check_scalar(value, name, low=0.0, low_inclusive=False)


_POSITIVE = {"low": 0.0, "low_inclusive": False}
_STEPS = {"low": 1, "integer": True}
_FRACTION = {"low": 0.0, "high": 1.0, "low_inclusive": False}


@dataclass(frozen=True)
class _Checked:
    """A frozen dataclass whose fields named in ``_bounds`` (name -> ``check_scalar`` bounds)
    are checked, in that order, when it is built."""

    _bounds: ClassVar[dict] = {}

    def __post_init__(self):
        for name, bounds in self._bounds.items():
            check_scalar(getattr(self, name), name, **bounds)


@dataclass(frozen=True)
class constant(_Checked):
    r""":math:`\eta_t = \eta`."""

    learning_rate: float
    _bounds: ClassVar[dict] = {"learning_rate": _POSITIVE}

    def __call__(self, t: int) -> float:
        return self.learning_rate


@dataclass(frozen=True)
class step_decay(_Checked):
    r""":math:`\eta_t = \eta\,\gamma^{\lfloor t / s \rfloor}` (times ``gamma`` every s steps)."""

    learning_rate: float
    step_size: int
    gamma: float = 0.1
    _bounds: ClassVar[dict] = {"learning_rate": _POSITIVE, "step_size": _STEPS, "gamma": _FRACTION}

    def __call__(self, t: int) -> float:
        return self.learning_rate * self.gamma ** (t // self.step_size)


@dataclass(frozen=True)
class exponential_decay(_Checked):
    r""":math:`\eta_t = \eta\,r^{t/s}` (``staircase``: :math:`r^{\lfloor t/s\rfloor}`)."""

    learning_rate: float
    decay_rate: float
    decay_steps: int = 1
    staircase: bool = False
    _bounds: ClassVar[dict] = {
        "learning_rate": _POSITIVE,
        "decay_rate": _FRACTION,
        "decay_steps": _STEPS,
    }

    def __call__(self, t: int) -> float:
        p = t // self.decay_steps if self.staircase else t / self.decay_steps
        return self.learning_rate * self.decay_rate**p


@dataclass(frozen=True)
class inverse_time_decay(_Checked):
    r""":math:`\eta_t = \eta / (1 + k\,t/s)` (the Robbins–Monro :math:`1/t` rate when k = s = 1)."""

    learning_rate: float
    decay_rate: float
    decay_steps: int = 1
    _bounds: ClassVar[dict] = {
        "learning_rate": _POSITIVE,
        "decay_rate": {"low": 0.0},
        "decay_steps": _STEPS,
    }

    def __call__(self, t: int) -> float:
        return self.learning_rate / (1.0 + self.decay_rate * t / self.decay_steps)


@dataclass(frozen=True)
class cosine_decay(_Checked):
    r""":math:`\eta_t = \eta\,[\alpha + (1-\alpha)\tfrac12(1 + \cos(\pi \min(t, T)/T))]`."""

    learning_rate: float
    decay_steps: int
    alpha: float = 0.0
    _bounds: ClassVar[dict] = {
        "learning_rate": _POSITIVE,
        "decay_steps": _STEPS,
        "alpha": {"low": 0.0, "high": 1.0},
    }

    def __call__(self, t: int) -> float:
        frac = min(t, self.decay_steps) / self.decay_steps
        return self.learning_rate * (
            self.alpha + (1.0 - self.alpha) * 0.5 * (1.0 + math.cos(math.pi * frac))
        )


@dataclass(frozen=True)
class warmup(_Checked):
    r"""Linear warm-up from ``init_value`` over ``warmup_steps``, then ``schedule(t - W)``.

    :math:`\eta_t = \eta_0 + (\eta_{\mathrm{after}}(0) - \eta_0)\,t / W` for :math:`t < W`.
    ``schedule`` may be a float (constant after the warm-up).
    """

    schedule: float | Schedule
    warmup_steps: int
    init_value: float = 0.0
    _bounds: ClassVar[dict] = {"warmup_steps": _STEPS, "init_value": {"low": 0.0}}

    def __post_init__(self):
        object.__setattr__(self, "schedule", as_schedule(self.schedule))
        super().__post_init__()

    def __call__(self, t: int) -> float:
        if t < self.warmup_steps:
            peak = self.schedule(0)
            return self.init_value + (peak - self.init_value) * t / self.warmup_steps
        return self.schedule(t - self.warmup_steps)


def as_schedule(learning_rate, name: str = "learning_rate") -> Schedule:
    """A schedule from a positive float (constant) or a callable (returned as is)."""
    if callable(learning_rate):
        return learning_rate
    return constant(_positive(learning_rate, name))
