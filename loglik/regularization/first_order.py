r"""Penalised GLMs fitted by the shared optimizers through :func:`loglik.minimize`.

The smooth part is the mean NLL (:class:`~loglik.models.glm.GLMObjective`); the penalty enters
through its proximal step (:meth:`~loglik.regularization.penalties.PenaltyArrays.prox`:
soft-thresholding, ridge shrinkage, the box) after each step of ISTA/FISTA, SGD, Adam, ...
(:func:`loglik.optimizers.proximal_optimizer` scales it to each optimizer's metric), or, for a
smooth penalty (pure L2, no bounds), through the gradient for ``"lbfgs"`` and ``"newton"``. Every
run stops on the exact solvers' criterion: the largest KKT residual at most ``tol``.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from .._validation import check_random_state, check_scalar
from ..estimation.lbfgs import lbfgs
from ..estimation.minimize import minimize
from ..estimation.newton import newton
from ..estimation.proximal import proximal_optimizer
from ..models.glm.objective import GLMObjective
from .penalties import PenaltyArrays
from .problem import Fit

__all__ = ["first_order", "learning_rate", "lipschitz_bound", "solve_first_order"]

SMOOTH_SOLVERS = ("lbfgs", "newton")  # they see the L2 term in the gradient: no L1, no box


class _PenalizedSmooth:
    """The mean NLL over ``[coef, intercept]`` on an explicit design: the value includes the
    whole penalty; the gradient only the L2 part, and only when ``smooth_l2`` (otherwise the
    proximal step applies the penalty)."""

    def __init__(self, objective: GLMObjective, pen: PenaltyArrays, smooth_l2: bool):
        self.objective, self.pen, self.smooth_l2 = objective, pen, smooth_l2
        self.n_samples = objective.n_samples

    def value(self, params, batch=None):
        return self.objective.value(params, batch) + self.pen.value(params[0])

    def value_and_grad(self, params, batch=None):
        f, (gc, gi) = self.objective.value_and_grad(params, batch)
        if self.smooth_l2:
            gc = gc + self.pen.along(gc).l2 * params[0]
        return f + self.pen.value(params[0]), [gc, gi]

    def hessian(self, params, batch=None):
        H = self.objective.hessian(params, batch)
        coef = params[0]
        k = 1 if coef.ndim == 1 else coef.shape[1]
        d = np.repeat(self.pen.l2, k)
        H[np.arange(d.size), np.arange(d.size)] += d
        return H

    def prox(self, blocks, step):
        """The penalty's proximal step on the coefficients (the intercept passes through);
        ``step`` is a scalar or one per block."""
        t = step[0] if isinstance(step, list) else step
        return [self.pen.prox(blocks[0], t), blocks[1]]

    def kkt(self, params) -> float:
        """The largest KKT residual (coefficients, and the intercepts when fitted)."""
        _, (gc, gi) = self.objective.value_and_grad(params)
        out = float(np.max(np.abs(self.pen.kkt(params[0], gc)), initial=0.0))
        if self.objective.fit_intercept:
            out = max(out, float(np.max(np.abs(gi))))
        return out


def _lbfgs_bounds(pen: PenaltyArrays, k, n_intercepts):
    """L-BFGS-B bounds over the flattened ``[coef (p, k), intercept]``; None without a box."""
    if pen.unboxed:
        return None
    lo, hi = np.repeat(pen.lower, k), np.repeat(pen.upper, k)
    coef = [(a if np.isfinite(a) else None, b if np.isfinite(b) else None) for a, b in zip(lo, hi)]
    return coef + [(None, None)] * n_intercepts


def _run_smooth(wrapped, params, solver, *, tol, max_iter):
    k = 1 if params[0].ndim == 1 else params[0].shape[1]
    if solver == "lbfgs":
        opt = lbfgs(bounds=_lbfgs_bounds(wrapped.pen, k, int(np.size(params[1]))))
    else:
        opt = newton()
    return minimize(wrapped, params, opt, max_iter=max_iter, tol=0.0, gtol=tol, warn=False)


def _run_proximal(wrapped, params, solver, *, learning_rate, batch_size, tol, max_iter, rng):
    opt = proximal_optimizer(solver, learning_rate, wrapped.prox)
    return minimize(
        wrapped,
        params,
        opt,
        batch_size=batch_size,
        max_iter=max_iter,
        tol=0.0,
        gtol=0.0,
        callback=lambda info: wrapped.kkt(info.params) <= tol,
        random_state=rng,
        warn=False,
    )


def first_order(
    likelihood,
    Z,
    y,
    s,
    offset,
    pen: PenaltyArrays,
    v0,
    c0,
    *,
    solver,
    learning_rate,
    batch_size,
    fit_intercept,
    tol,
    max_iter,
    n_classes,
    random_state,
):
    """Fit with a shared optimizer on the explicit design ``Z`` (solver coordinates) from
    ``(v0, c0)``. Stops when the KKT residual is at most ``tol`` (checked each iteration /
    epoch). Returns ``(coef, intercept, n_iter, kkt, converged, loss)``."""
    obj = GLMObjective(
        Z,
        y,
        likelihood,
        sample_weight=s,
        offset=None if likelihood.multinomial else offset,
        fit_intercept=fit_intercept,
        n_classes=n_classes,
    )
    wrapped = _PenalizedSmooth(obj, pen, smooth_l2=solver in SMOOTH_SOLVERS)
    coef_shape = (Z.shape[1], n_classes) if likelihood.multinomial else (Z.shape[1],)
    v = np.zeros(coef_shape) if v0 is None else np.array(v0, dtype=np.float64).reshape(coef_shape)
    params = [v, np.asarray(c0, dtype=np.float64)]
    if solver in SMOOTH_SOLVERS:
        res = _run_smooth(wrapped, params, solver, tol=tol, max_iter=max_iter)
    else:
        res = _run_proximal(
            wrapped,
            params,
            solver,
            learning_rate=learning_rate,
            batch_size=batch_size,
            tol=tol,
            max_iter=max_iter,
            rng=random_state,
        )
    kkt = wrapped.kkt(res.params)
    return (*res.params, res.n_iter, kkt, kkt <= tol, obj.value(res.params))


def lipschitz_bound(Z, weights, factor=1.0) -> float:
    r""":math:`c\,\lambda_{\max}([Z, 1]^T\mathrm{diag}(a)[Z, 1])`: with weights :math:`a`
    summing to 1 and :math:`c` the likelihood's curvature bound (1 gaussian, 1/4 bernoulli,
    1/2 categorical) a bound on the Lipschitz constant of the mean NLL's gradient (for an
    unbounded curvature, pass the IRLS weights at the start and a safety factor)."""
    A = np.column_stack([Z, np.ones(Z.shape[0])]) * np.sqrt(weights)[:, None]
    if min(A.shape) <= 1000:
        return factor * float(linalg.svdvals(A)[0] ** 2)
    v = np.ones(A.shape[1]) / np.sqrt(A.shape[1])
    lam = 0.0
    for _ in range(100):
        u = A.T @ (A @ v)
        lam = float(np.linalg.norm(u))
        v = u / lam
    return factor * lam * 1.05


def learning_rate(rate, solver, problem, Z):
    """The step size: a schedule or a positive float as given; ``"auto"``: 0.01 for the adaptive
    optimizers, else 1/L, L the gradient's Lipschitz bound (:func:`lipschitz_bound`) at the
    likelihood's curvature bound, or for an unbounded curvature (poisson) four times the
    curvature at the null fit."""
    if callable(rate):
        return rate  # a schedule of the step count
    if not isinstance(rate, str) or rate != "auto":
        return check_scalar(rate, "learning_rate", low=0.0, low_inclusive=False)
    if solver in ("adam", "rmsprop", "adagrad"):
        return 1e-2
    likelihood = problem.likelihood
    s = problem.data.sample_weight
    sw = s / s.sum()
    if likelihood.curvature_bound is None:
        eta = problem.linear_predictor(problem.null_fit())
        weights = sw * likelihood.curvature(eta, problem.data.y)[:, 0]
        return 1.0 / lipschitz_bound(Z, weights / weights.sum(), 4.0 * weights.sum())
    return 1.0 / lipschitz_bound(Z, sw, likelihood.curvature_bound)


def solve_first_order(
    problem, alpha, solver, start, *, rate, batch_size, tol, max_iter, random_state
):
    """:func:`first_order` on ``problem`` (a :class:`~loglik.regularization.problem.
    PenalizedGLM`) at ``alpha`` from ``start`` (a ``Fit`` or None: the null fit); ``tol`` is
    relative to the problem's gradient scale. Returns the ``Fit``."""
    Z = problem.design.dense()
    v0 = None if start is None else start.v
    c0 = start.c if start is not None and start.c is not None else problem.start_intercept()
    if batch_size is not None:
        batch_size = check_scalar(batch_size, "batch_size", low=1, integer=True)
    data = problem.data
    tol_abs = tol * problem.grad_scale()
    coef, intercept, n_iter, kkt, _, _ = first_order(
        problem.likelihood,
        Z,
        data.y,
        data.sample_weight,
        data.offset,
        problem.penalty(alpha),
        v0,
        c0,
        solver=solver,
        learning_rate=learning_rate(rate, solver, problem, Z),
        batch_size=batch_size,
        fit_intercept=problem.fit_intercept,
        tol=tol_abs,
        max_iter=max_iter,
        n_classes=problem.n_classes,
        random_state=check_random_state(random_state),
    )
    return Fit(coef, np.asarray(intercept, dtype=np.float64), n_iter, kkt, kkt <= tol_abs)
