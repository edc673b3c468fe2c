r"""Newton's method: the one direction-plus-line-search step every Newton-type solver uses.

:func:`newton_step` computes :math:`d = -H^{-1}g` (or a descent direction in the metric of
:math:`|H|` where :math:`H` is not positive definite) and scales it by :func:`backtracking`, the
Armijo line search. The shared optimizer :func:`newton` wraps it for :func:`loglik.minimize`;
:func:`solve_newton` runs the same steps on a small smooth problem without the general loop's
bookkeeping (and with its stopping rules, :mod:`loglik.estimation.convergence`); proximal Newton
(penalised GLMs) calls :func:`backtracking` on its own model's direction.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from scipy import linalg

from .._validation import check_scalar
from .convergence import (
    HistoryRecorder,
    MinimizeResult,
    StoppingRules,
    budget_message,
    warn_not_converged,
)
from .objective import SmoothObjective, flatten, unflatten
from .optimizers import Optimizer

__all__ = [
    "NewtonState",
    "backtracking",
    "newton",
    "newton_direction",
    "newton_step",
    "solve_newton",
]


class NewtonState(NamedTuple):
    count: int
    n_modified_steps: int
    last_step_size: float
    n_line_search_failures: int


def newton(damping: float = 0.0, c1: float = 1e-4, shrink: float = 0.5, max_backtracks: int = 50):
    r"""Damped Newton with a backtracking (Armijo) line search.

    Direction :math:`d = -(H + \delta I)^{-1} g` when :math:`H + \delta I` is positive definite
    (Cholesky succeeds). Otherwise (a saddle, a concave region) a gradient step in the metric of
    :math:`|H|`: with :math:`H = V\Lambda V^T`, :math:`d = -V|\Lambda|_\epsilon^{-1}V^T g`, the
    eigenvalues replaced by :math:`\max(|\lambda_i|, 10^{-8}\max_j|\lambda_j|)` — a descent
    direction that keeps Newton's scaling (plain :math:`-g` would crawl on badly scaled
    problems); plain :math:`-g` only when H is not finite. Such steps are counted in the state as
    ``n_modified_steps``. The step :math:`\alpha d` takes the largest
    :math:`\alpha \in \{1, \beta, \beta^2, \ldots\}` with
    :math:`f(\theta + \alpha d) \le f(\theta) + c_1 \alpha\, g^T d`. Needs ``value_fn`` and
    ``hessian_fn`` from the loop (so the objective must have a Hessian); full batch only.
    """
    damping = check_scalar(damping, "damping", low=0.0)
    c1 = check_scalar(c1, "c1", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)
    shrink = check_scalar(
        shrink, "shrink", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )
    max_backtracks = check_scalar(max_backtracks, "max_backtracks", low=1, integer=True)

    def init(params):
        return NewtonState(0, 0, 1.0, 0)

    def update(grads, state, params=None, *, value=None, value_fn=None, hessian_fn=None, **extra):
        if value_fn is None or hessian_fn is None:
            raise ValueError("newton needs an objective with a Hessian (value_fn and hessian_fn)")
        g = flatten(grads)
        H = np.asarray(hessian_fn(params), dtype=np.float64)
        if damping:
            H = H + damping * np.eye(g.size)
        f0 = value_fn(params) if value is None else value
        step, alpha, modified = newton_step(
            g,
            H,
            f0,
            lambda x: value_fn(unflatten(x, params)),
            flatten(params),
            c1=c1,
            shrink=shrink,
            max_backtracks=max_backtracks,
        )
        return unflatten(step, params), NewtonState(
            state.count + 1,
            state.n_modified_steps + modified,
            alpha,
            state.n_line_search_failures + (alpha == 0.0),
        )

    return Optimizer(init, update, "newton", full_batch=True)


_ROUNDING = 8 * np.finfo(np.float64).eps
_TINY = np.finfo(np.float64).tiny


def newton_step(g, H, f0, value_at, x0, *, c1=1e-4, shrink=0.5, max_backtracks=50):
    r"""One step of :func:`newton` on a flat vector ``x0`` (or a float, for one parameter:
    then ``g`` and ``H`` are floats too): ``(step, alpha, modified)``.

    The direction is :math:`-H^{-1}g` (or the :math:`|H|`-metric one when H is not positive
    definite: ``modified`` True), scaled by the first :math:`\alpha \in \{1, \beta, \ldots\}`
    with :math:`f(x_0 + \alpha d) \le f_0 + c_1\alpha\,g^Td` (``value_at(x)`` gives f); a
    zero step and ``alpha = 0`` when no trial passes. The optimizer's ``update`` and small
    solvers that skip :func:`loglik.minimize`'s bookkeeping share it.
    """
    scalar = isinstance(x0, float)
    modified = False
    d = newton_direction(H, g)
    slope = np.nan if d is None else _dot(g, d)
    if not slope < 0:  # no direction, a non-finite one, or not a descent direction
        d, modified = _modified_direction(H, g), True
        slope = _dot(g, d)
    alpha = backtracking(
        lambda t: value_at(x0 + t * d),
        f0,
        slope,
        c1=c1,
        shrink=shrink,
        max_backtracks=max_backtracks,
        slack=_ROUNDING * abs(f0),  # rounding noise near the optimum
    )
    if alpha == 0.0:
        return (0.0 if scalar else np.zeros_like(x0)), 0.0, modified
    return alpha * d, alpha, modified


def backtracking(value_at, f0, slope, *, c1=1e-4, shrink=0.5, max_backtracks=50, slack=0.0):
    r"""Armijo backtracking: the first :math:`t \in \{1, \beta, \beta^2, \ldots\}` (``shrink``
    :math:`\beta`, at most ``max_backtracks`` trials) with

    .. math:: \phi(t) \le \phi(0) + c_1\,t\,\phi'(0) + \text{slack},

    where ``value_at(t)`` gives :math:`\phi(t)`, ``f0`` is :math:`\phi(0)` and ``slope`` the
    predicted decrease per unit step (:math:`g^Td` for Newton; for proximal Newton
    :math:`\nabla L^Td + h(x + d) - h(x)`). Returns ``t``, or 0.0 when no trial passes (a NaN or
    infinite value never passes). The one line search of every Newton-type solver in loglik.
    """
    t = 1.0
    for _ in range(max_backtracks):
        if value_at(t) <= f0 + c1 * t * slope + slack:  # False for NaN
            return t
        t *= shrink
    return 0.0


def _dot(a, b) -> float:
    return a * b if isinstance(a, float) else float(np.dot(a, b))


_SMALL = 32  # below this dimension numpy's LAPACK calls beat scipy's checked wrappers


def newton_direction(H, g):
    """:math:`-H^{-1}g` through a Cholesky factor, or None when H is not positive definite."""
    if isinstance(g, float):
        return -g / H if 0 < H < np.inf else None
    if g.size == 1:
        h = float(H[0, 0])
        return -g / h if 0 < h < np.inf else None
    if g.size == 2:  # explicit: positive definite iff h11 > 0 and det > 0
        a, b, c = float(H[0, 0]), float(H[0, 1]), float(H[1, 1])
        det = a * c - b * b
        if not (0 < a < np.inf and 0 < det < np.inf):
            return None
        return -np.array([c * g[0] - b * g[1], a * g[1] - b * g[0]]) / det
    if not np.isfinite(H).all():
        return None
    try:
        if g.size <= _SMALL:
            L = np.linalg.cholesky(H)
            return -np.linalg.solve(L.T, np.linalg.solve(L, g))
        return -linalg.cho_solve(linalg.cho_factor(H, lower=True, check_finite=False), g)
    except (np.linalg.LinAlgError, linalg.LinAlgError, ValueError):
        return None


def _modified_direction(H, g):
    """:math:`-|H|^{-1} g` with the eigenvalues floored away from 0; :math:`-g` for non-finite H."""
    if isinstance(g, float):
        size = abs(H)
        return -g / max(size, _TINY) if 0 < size < np.inf else -g
    if not np.isfinite(H).all():
        return -g
    lam, V = np.linalg.eigh(0.5 * (H + H.T))
    size = np.abs(lam)
    floor = max(1e-8 * float(size.max(initial=0.0)), np.finfo(np.float64).tiny)
    if size.max(initial=0.0) == 0.0:
        return -g
    return -V @ ((V.T @ g) / np.maximum(size, floor))


def solve_newton(
    objective: SmoothObjective, start, *, max_iter: int, gtol: float, tol: float
) -> MinimizeResult:
    r"""``minimize(objective, start, "newton", max_iter=, gtol=, tol=)`` for a
    :class:`~loglik.estimation.objective.SmoothObjective`: the same steps (:func:`newton_step`),
    stopping rules, messages, warning and :class:`~loglik.estimation.convergence.History`
    (all from :mod:`loglik.estimation.convergence`, which :func:`loglik.minimize` uses too),
    without the general loop's bookkeeping (mini-batches, validation, callbacks, parameter
    blocks), which costs more than the O(1) steps of a problem reduced to sufficient statistics
    or to a profile. One parameter (a profile) iterates on plain floats."""
    recorder = HistoryRecorder()
    rules = StoppingRules(tol, gtol)
    x = float(start[0]) if len(start) == 1 else np.array([float(u) for u in start])
    f, g, H = objective.evaluate(x)
    gnorm = _norm(g)
    recorder.append(f, gnorm, 0.0)
    stop = rules.at_start(f, gnorm)
    n_iter = n_modified = n_failed = 0
    alpha = 1.0
    while stop is None:
        if n_iter == max_iter:
            stop = (False, budget_message(max_iter))
            break
        step, alpha, modified = newton_step(g, H, f, lambda z: objective.evaluate(z)[0], x)
        n_iter, n_modified, n_failed = n_iter + 1, n_modified + modified, n_failed + (alpha == 0)
        x, previous = x + step, f
        f, g, H = objective.evaluate(x)
        gnorm = _norm(g)
        recorder.append(f, gnorm, _norm(step))
        stop = rules.diverged(f, gnorm, n_iter) or rules.converged(previous, f, gnorm)
    converged, message = stop
    if not converged:
        warn_not_converged("newton", message, gnorm, stacklevel=3)
    params = [np.array(v) for v in np.atleast_1d(x).tolist()]
    state = NewtonState(n_iter, n_modified, alpha, n_failed)
    return MinimizeResult(
        params, f, gnorm, n_iter, converged, message, recorder.history(), "newton", None, state
    )


def _norm(v) -> float:
    return abs(v) if isinstance(v, float) else math.sqrt(float(np.dot(v, v)))
