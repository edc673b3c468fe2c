r"""What a minimisation records and when it stops: :class:`History`, :class:`IterationInfo`,
:class:`MinimizeResult`, and the stopping rules (:class:`StoppingRules`, their messages and the
warning) that :func:`loglik.minimize` and the small Newton solver
(:func:`loglik.estimation.newton.solve_newton`) share, so both stop at the same iterate with the
same message.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from .._validation import ConvergenceWarning
from .objective import flatten

__all__ = [
    "History",
    "HistoryRecorder",
    "IterationInfo",
    "MinimizeResult",
    "StoppingRules",
    "budget_message",
    "warn_not_converged",
]


@dataclass
class History:
    """What happened, one entry per iteration (full batch) or epoch (mini-batches).

    Entry 0 is the starting point. ``value`` is the objective: exact in full batch, the mean of
    the mini-batch values seen during the epoch otherwise (as scikit-learn's ``loss_curve_``);
    ``grad_norm`` likewise (the norm of the mean mini-batch gradient). ``step_norm`` is the norm
    of the parameter change, ``val_value`` the validation objective (NaN without one),
    ``params`` the flattened parameters when ``record_params=True`` (else None), ``time`` seconds
    since the start.
    """

    value: np.ndarray
    grad_norm: np.ndarray
    step_norm: np.ndarray
    val_value: np.ndarray
    time: np.ndarray
    params: np.ndarray | None = None

    def __len__(self):
        return len(self.value)


class HistoryRecorder:
    """Collects a :class:`History` entry by entry (``params`` only when ``record_params``)."""

    __slots__ = ("grads", "start", "steps", "times", "trace", "vals", "values")

    def __init__(self, record_params: bool = False):
        self.values, self.grads, self.steps, self.vals, self.times = [], [], [], [], []
        self.trace = [] if record_params else None
        self.start = time.perf_counter()

    def append(self, value, grad_norm, step_norm, val_value=np.nan, x=None) -> None:
        """Record one entry (``x``, the flat parameters, is copied when they are recorded)."""
        self.values.append(value)
        self.grads.append(grad_norm)
        self.steps.append(step_norm)
        self.vals.append(val_value)
        self.times.append(time.perf_counter() - self.start)
        if self.trace is not None:
            self.trace.append(np.array(x, copy=True))

    def history(self) -> History:
        return History(
            value=np.asarray(self.values, dtype=np.float64),
            grad_norm=np.asarray(self.grads, dtype=np.float64),
            step_norm=np.asarray(self.steps, dtype=np.float64),
            val_value=np.asarray(self.vals, dtype=np.float64),
            time=np.asarray(self.times, dtype=np.float64),
            params=None if self.trace is None else np.asarray(self.trace),
        )


class IterationInfo:
    """What a callback sees after each iteration/epoch; return True from the callback to stop."""

    __slots__ = ("grad_norm", "iteration", "params", "val_value", "value")

    def __init__(self, iteration, params, value, grad_norm, val_value):
        self.iteration, self.params, self.value = iteration, params, value
        self.grad_norm, self.val_value = grad_norm, val_value

    def __repr__(self):
        return (
            f"IterationInfo(iteration={self.iteration}, value={self.value:.6g}, "
            f"grad_norm={self.grad_norm:.3g})"
        )


@dataclass
class MinimizeResult:
    """The outcome of :func:`minimize`.

    ``params`` has the structure that was passed in (an array, or a list of arrays); ``value`` and
    ``grad_norm`` are at ``params`` (full-batch values, unless ``evaluate_ends=False``);
    ``n_iter`` counts iterations (full batch) or epochs; ``converged`` is True when a convergence
    criterion (gradient norm, relative change, early stopping) ended the run; ``message`` says
    which. ``state`` is the optimizer's state after the last step (None for scipy solvers): pass
    it as ``initial_state`` to continue the run (e.g. Adam's moments across ``partial_fit``
    calls); with a restored best iterate it is still the state of the last step.
    """

    params: object
    value: float
    grad_norm: float
    n_iter: int
    converged: bool
    message: str
    history: History = field(repr=False)
    optimizer: str = ""
    best_iteration: int | None = None
    state: object = field(default=None, repr=False)

    @property
    def x(self) -> np.ndarray:
        """The parameters as one flat vector."""
        p = self.params
        return flatten(p) if isinstance(p, list) else np.ravel(p).copy()


class StoppingRules:
    r"""The convergence tests of a full-batch or mini-batch run, each returning
    ``(converged, message)`` when the run should stop and None otherwise.

    * at the start: a non-finite objective is a ValueError (when ``exact``, i.e. evaluated on
      all rows); a gradient norm at most ``gtol`` ends the run, converged;
    * after a step, first :meth:`diverged` (a non-finite objective or gradient norm), then (after
      the caller's own callback) :meth:`converged`: the gradient norm at most ``gtol``, or
      :math:`|f_{k-1} - f_k| \le \mathrm{tol}\cdot\max(|f_{k-1}|, |f_k|, 1)` for
      ``n_iter_no_change`` consecutive steps (``tol=0`` switches that test off).
    """

    __slots__ = ("gtol", "n_iter_no_change", "stall", "tol")

    def __init__(self, tol: float, gtol: float, n_iter_no_change: int = 1):
        self.tol, self.gtol, self.n_iter_no_change = tol, gtol, n_iter_no_change
        self.stall = 0

    def at_start(self, value: float, grad_norm: float, exact: bool = True):
        if exact and not math.isfinite(value):
            raise ValueError(
                f"the objective is not finite at the starting parameters (got {value})"
            )
        if grad_norm <= self.gtol:
            return True, "gradient norm below gtol at the start"
        return None

    @staticmethod
    def diverged(value: float, grad_norm: float, iteration: int):
        if math.isfinite(value) and math.isfinite(grad_norm):
            return None
        return False, f"diverged: the objective became {value} at iteration {iteration}"

    def converged(self, previous: float, value: float, grad_norm: float):
        if grad_norm <= self.gtol:
            return True, "gradient norm below gtol"
        if self.tol > 0 and abs(previous - value) <= self.tol * max(abs(previous), abs(value), 1.0):
            self.stall += 1
            if self.stall >= self.n_iter_no_change:
                return True, "relative change of the objective below tol"
        else:
            self.stall = 0
        return None


def budget_message(n_iter: int) -> str:
    """The message of a run stopped by its iteration budget."""
    return f"maximum number of iterations ({n_iter}) reached"


def warn_not_converged(name: str, message: str, grad_norm: float, stacklevel: int) -> None:
    """The :class:`~loglik.ConvergenceWarning` of a run that ended without converging
    (``stacklevel`` counted from the caller of this function)."""
    warnings.warn(
        f"{name}: {message} (gradient norm {grad_norm:.3g})",
        ConvergenceWarning,
        stacklevel=stacklevel + 1,
    )
