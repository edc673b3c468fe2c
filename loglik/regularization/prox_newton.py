r"""Proximal Newton for penalised GLMs that are not least squares (Lee, Sun & Saunders 2014).

At :math:`(v, c)` (coefficients in the solver's coordinates, intercepts) the mean NLL is replaced
by its second-order model in the linear predictor (IRLS weights :math:`a = sV(\mu)`; for the
categorical likelihood the full multinomial Hessian over every class); the intercepts are
eliminated by a Schur complement; the model plus the penalty is minimised exactly on a working
set of columns (support ∪ KKT violators) by :func:`~loglik.regularization.qp.enet_qp`; and the
step along the resulting direction is chosen by the package's one Armijo line search,
:func:`loglik.estimation.newton.backtracking`, on the true objective:

.. math:: F(x + td) \le F(x) + 10^{-4}t\,\big(\nabla L^Td + h(v + d_v) - h(v)\big).

Converges quadratically near the solution; stops when the largest KKT residual is at most ``tol``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import linalg

from ..estimation.newton import backtracking
from ..models.glm.design import StandardizedDesign
from ..models.likelihoods import Likelihood
from .penalties import PenaltyArrays
from .qp import enet_qp

__all__ = ["NewtonResult", "prox_newton"]


class NewtonResult(NamedTuple):
    coef: np.ndarray
    intercept: np.ndarray
    n_iter: int
    kkt: float
    converged: bool
    loss: float


class _Problem(NamedTuple):
    """What every step sees: the likelihood, the design, the data and the penalty."""

    likelihood: Likelihood
    design: StandardizedDesign
    y: np.ndarray
    sw: np.ndarray
    pen: PenaltyArrays
    fit_intercept: bool
    tol: float


def _start(likelihood, y, s, offset, v0, c0, shape, fit_intercept, n_classes):
    """Coefficients and intercept to start from: as given, else zero and the intercept-only fit."""
    K = shape[1] if len(shape) == 2 else 1
    V = np.zeros(shape) if v0 is None else np.array(v0, dtype=np.float64).reshape(shape)
    if c0 is not None:
        C = np.array(c0, dtype=np.float64).reshape(K) if likelihood.multinomial else float(c0)
    elif not fit_intercept:
        C = np.zeros(K) if likelihood.multinomial else 0.0
    elif likelihood.multinomial:
        C = likelihood.intercept_only(y, s, n_classes=n_classes)
    else:
        C = float(likelihood.intercept_only(y, s, offset))
    return V, C


def prox_newton(
    likelihood: Likelihood,
    design: StandardizedDesign,
    y,
    s,
    offset,
    pen: PenaltyArrays,
    v0=None,
    c0=None,
    *,
    fit_intercept=True,
    tol,
    max_iter=100,
    n_classes=None,
) -> NewtonResult:
    r"""Proximal Newton for the penalised mean NLL of ``likelihood`` on ``design`` (module
    docstring): minimises :math:`\frac{1}{\sum s}\sum_i s_i\ell(y_i, z_i^Tv + c + o_i) + h(v)`,
    ``h`` the penalty ``pen``, from ``(v0, c0)`` (default: zero coefficients and the
    intercept-only fit)."""
    sw = s / s.sum()
    shape = (design.p, n_classes) if likelihood.multinomial else (design.p,)
    V, C = _start(likelihood, y, s, offset, v0, c0, shape, fit_intercept, n_classes)
    off = offset[:, None] if likelihood.multinomial else offset
    eta = design.eta(V, C) + off
    problem = _Problem(likelihood, design, y, sw, pen, fit_intercept, tol)
    kkt = np.inf
    for n_iter in range(max_iter + 1):
        loss, dloss, curv = likelihood.terms(eta, y)
        R = sw[:, None] * dloss if dloss.ndim == 2 else sw * dloss
        g = design.rmatvec(R)
        g_c = R.sum(axis=0) if fit_intercept else np.zeros_like(R.sum(axis=0))
        r = pen.kkt(V, g)
        kkt = max(float(np.max(np.abs(r), initial=0.0)), float(np.max(np.abs(g_c))))
        if kkt <= tol or n_iter == max_iter:
            break
        moved = _step(problem, eta, V, C, g, g_c, curv, r)
        if moved is None:  # no descent possible at this precision
            break
        eta, V, C = moved
    return NewtonResult(V, np.asarray(C), n_iter, kkt, kkt <= tol, float(sw @ loss))


def _single_model(Zw, a, g_w, g_c, fit_intercept):
    """The Newton model of one linear predictor on the working columns ``Zw``: the Hessian and
    gradient with the intercept eliminated, and the intercept's step given the coefficients'."""
    a_sum = float(a.sum())
    za = Zw.T @ a
    H = (Zw * a[:, None]).T @ Zw
    if not fit_intercept:
        return H, g_w, lambda dx: 0.0
    H -= np.outer(za, za) / a_sum
    g_red = g_w - za * (float(g_c) / a_sum)
    return H, g_red, lambda dx: -(float(g_c) + za @ dx) / a_sum


def _softmax_model(Zw, sw, mu, g_x, g_c, fit_intercept):
    r"""The joint Newton model over every class of the softmax: Hessian blocks
    :math:`Z_W^T\mathrm{diag}(s\mu_k(\delta_{km} - \mu_m))Z_W`; class 0's intercept is held (the
    softmax is invariant to a common shift), the others are eliminated by a Schur complement."""
    K, m = mu.shape[1], Zw.shape[1]
    H = np.empty((m, K, m, K))
    Hxc = np.empty((m, K, K))
    Hcc = np.empty((K, K))
    for k in range(K):
        for j in range(k, K):
            a = sw * mu[:, k] * ((k == j) - mu[:, j])
            block = (Zw * a[:, None]).T @ Zw
            H[:, k, :, j] = block
            H[:, j, :, k] = block.T
            za = Zw.T @ a
            Hxc[:, k, j] = Hxc[:, j, k] = za
            Hcc[k, j] = Hcc[j, k] = a.sum()
    H = H.reshape(m * K, m * K)
    if not fit_intercept:
        return H, g_x, lambda dx: np.zeros(K)
    free_c = np.arange(1, K)
    Hcc_f = Hcc[np.ix_(free_c, free_c)]
    B = Hxc.reshape(m * K, K)[:, free_c]
    sol = linalg.solve(Hcc_f, np.column_stack([B.T, g_c[free_c]]), assume_a="pos")

    def intercept_step(dx):
        dc = np.zeros(K)
        dc[free_c] = -linalg.solve(Hcc_f, g_c[free_c] + B.T @ dx, assume_a="pos")
        return dc

    return H - B @ sol[:, :-1], g_x - B @ sol[:, -1], intercept_step


def _step(problem: _Problem, eta, V, C, g, g_c, curv, r):
    """One proximal Newton step from ``(V, C)``: ``(eta, V, C)`` after it, or None when the line
    search finds no decrease."""
    lik, sw, pen = problem.likelihood, problem.sw, problem.pen
    p = V.shape[0]
    work = np.flatnonzero(
        (np.abs(V).reshape(p, -1).sum(axis=1) != 0)
        | (np.abs(r).reshape(p, -1).max(axis=1) > problem.tol)
    )
    Zw = problem.design.columns(work)
    g_x = g[work].ravel()
    if lik.multinomial:
        H, g_red, intercept_step = _softmax_model(Zw, sw, curv, g_x, g_c, problem.fit_intercept)
    else:
        H, g_red, intercept_step = _single_model(Zw, sw * curv, g_x, g_c, problem.fit_intercept)
    K = V.shape[1] if V.ndim == 2 else 1
    sub = pen.take(np.repeat(work, K))
    x = V[work].ravel()
    res = enet_qp(H, H @ x - g_red, sub.l1, sub.l2, sub.lower, sub.upper, x, tol=problem.tol * 1e-2)
    dx = res.w - x
    dc = intercept_step(dx)
    pen_now = sub.value(x)
    decrease = min(float(g_x @ dx + np.sum(g_c * dc) + sub.value(res.w) - pen_now), 0.0)
    f0 = float(sw @ lik.loss(eta, problem.y)) + pen_now
    dV = dx.reshape(V[work].shape)
    d_eta = Zw @ dV + dc

    def objective_at(t):
        return float(sw @ lik.loss(eta + t * d_eta, problem.y)) + sub.value(x + t * dx)

    t = backtracking(objective_at, f0, decrease, slack=1e-15 * abs(f0))
    if t == 0.0:
        return None
    V = V.copy()
    V[work] = V[work] + t * dV
    return eta + t * d_eta, V, C + t * dc
