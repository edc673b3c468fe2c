r"""Finite-difference checks of analytic derivatives (fourth-order central differences).

Every analytic gradient and Hessian in loglik is compared with these in the test suite; users get
the same tools as ``loglik.check_gradient`` and ``loglik.check_objective``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .objective import as_params, flatten, unflatten

__all__ = [
    "GradientCheck",
    "assert_gradient",
    "check_gradient",
    "check_hessian",
    "check_objective",
    "numerical_gradient",
    "numerical_hessian",
]

_EPS = np.finfo(np.float64).eps


def _steps(x: np.ndarray, eps, power: float) -> np.ndarray:
    if eps is not None:
        return np.broadcast_to(np.asarray(eps, dtype=np.float64), x.shape).copy()
    return _EPS**power * np.maximum(1.0, np.abs(x))


def numerical_gradient(fun: Callable[[np.ndarray], float], x, *, eps=None) -> np.ndarray:
    r"""Gradient of ``fun`` at the flat vector ``x`` by a fourth-order central difference.

    .. math:: \partial_j f \approx \frac{f(x - 2h e_j) - 8 f(x - h e_j) + 8 f(x + h e_j)
              - f(x + 2h e_j)}{12 h},

    with :math:`h_j = \epsilon^{1/5}\max(1, |x_j|)` (truncation and rounding error balanced,
    about :math:`10^{-12}` relative for smooth functions).
    """
    x = np.array(x, dtype=np.float64).ravel()
    h = _steps(x, eps, 1.0 / 5.0)
    grad = np.empty_like(x)
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h[j]
        grad[j] = (fun(x - 2 * e) - 8 * fun(x - e) + 8 * fun(x + e) - fun(x + 2 * e)) / (12 * h[j])
    return grad


def numerical_hessian(fun: Callable[[np.ndarray], float], x, *, grad=None, eps=None) -> np.ndarray:
    r"""Hessian at ``x``: central differences of ``grad`` when given, else of ``fun`` twice.

    With a gradient, column :math:`j` is :math:`(\nabla f(x + h e_j) - \nabla f(x - h e_j))/(2h)`
    (:math:`h = \epsilon^{1/3}\max(1,|x_j|)`); the result is symmetrised.
    """
    x = np.array(x, dtype=np.float64).ravel()
    d = x.size
    H = np.empty((d, d))
    if grad is not None:
        h = _steps(x, eps, 1.0 / 3.0)
        for j in range(d):
            e = np.zeros(d)
            e[j] = h[j]
            H[:, j] = (np.ravel(grad(x + e)) - np.ravel(grad(x - e))) / (2 * h[j])
    else:
        h = _steps(x, eps, 1.0 / 4.0)
        for j in range(d):
            for k in range(j, d):
                ej, ek = np.zeros(d), np.zeros(d)
                ej[j], ek[k] = h[j], h[k]
                H[j, k] = (
                    fun(x + ej + ek) - fun(x + ej - ek) - fun(x - ej + ek) + fun(x - ej - ek)
                ) / (4 * h[j] * h[k])
                H[k, j] = H[j, k]
    return 0.5 * (H + H.T)


class GradientCheck(NamedTuple):
    """The outcome of comparing an analytic derivative with finite differences."""

    ok: bool
    max_abs_error: float
    max_rel_error: float
    worst_index: Any
    analytic: np.ndarray
    numeric: np.ndarray

    def __str__(self):
        verdict = "agree" if self.ok else "DISAGREE"
        return (
            f"analytic and numerical derivatives {verdict}: max abs error {self.max_abs_error:.3g},"
            f" max rel error {self.max_rel_error:.3g} at index {self.worst_index}"
            f" (analytic {self.analytic.flat[self._flat_worst()]:.10g},"
            f" numeric {self.numeric.flat[self._flat_worst()]:.10g})"
        )

    def _flat_worst(self) -> int:
        idx = self.worst_index
        return (
            int(np.ravel_multi_index(idx, self.analytic.shape)) if isinstance(idx, tuple) else idx
        )


def _compare(analytic, numeric, rtol, atol) -> GradientCheck:
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64).reshape(analytic.shape)
    err = np.abs(analytic - numeric)
    tol = atol + rtol * np.abs(numeric)
    ok = bool(np.all(err <= tol)) and bool(np.all(np.isfinite(analytic)))
    rel = err / np.maximum(np.abs(numeric), atol / max(rtol, 1e-300))
    worst = int(np.argmax(err - tol)) if err.size else 0
    worst_index = worst if analytic.ndim <= 1 else np.unravel_index(worst, analytic.shape)
    if isinstance(worst_index, tuple):
        worst_index = tuple(int(i) for i in worst_index)
    return GradientCheck(
        ok, float(err.max(initial=0.0)), float(rel.max(initial=0.0)), worst_index, analytic, numeric
    )


def check_gradient(fun, grad, x, *, rtol=1e-6, atol=1e-8, eps=None) -> GradientCheck:
    """Compare ``grad(x)`` with :func:`numerical_gradient` of ``fun`` at the flat vector ``x``.

    Passes when every component satisfies ``|analytic - numeric| <= atol + rtol * |numeric|``.
    """
    x = np.array(x, dtype=np.float64).ravel()
    return _compare(np.ravel(grad(x)), numerical_gradient(fun, x, eps=eps), rtol, atol)


def check_hessian(fun, hess, x, *, grad=None, rtol=1e-5, atol=1e-6, eps=None) -> GradientCheck:
    """Compare ``hess(x)`` with :func:`numerical_hessian` (of ``grad`` when given, else ``fun``)."""
    x = np.array(x, dtype=np.float64).ravel()
    return _compare(
        np.atleast_2d(hess(x)), numerical_hessian(fun, x, grad=grad, eps=eps), rtol, atol
    )


def assert_gradient(fun, grad, x, **kwargs) -> GradientCheck:
    """:func:`check_gradient`, raising AssertionError with the worst component when it fails."""
    result = check_gradient(fun, grad, x, **kwargs)
    if not result.ok:
        raise AssertionError(str(result))
    return result


def check_objective(objective, params, *, batch=None, hessian=None, rtol=1e-6, atol=1e-8):
    """Check an :class:`Objective`'s gradient (and Hessian, when it has one) by finite differences.

    Returns ``(gradient_check, hessian_check_or_None)``; ``hessian=False`` skips the Hessian.
    """
    params = as_params(params)
    x0 = flatten(params)

    def fun(x):
        return objective.value_and_grad(unflatten(x, params), batch)[0]

    def grad(x):
        return flatten(objective.value_and_grad(unflatten(x, params), batch)[1])

    g_check = check_gradient(fun, grad, x0, rtol=rtol, atol=atol)
    h_check = None
    if hessian is not False and getattr(objective, "hessian", None) is not None:
        h_check = check_hessian(
            fun,
            lambda x: objective.hessian(unflatten(x, params), batch),
            x0,
            grad=grad,
            rtol=max(rtol, 1e-5),
            atol=max(atol, 1e-6),
        )
    return g_check, h_check
