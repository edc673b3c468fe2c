r"""The exact solver of elastic-net quadratic programs with box constraints.

:func:`enet_qp` solves

.. math:: \min_w\; \tfrac12 w^TGw - q^Tw + \sum_j\big(\lambda_j|w_j| + \tfrac{\mu_j}{2}w_j^2\big)
          \quad\text{s.t.}\quad l_j \le w_j \le u_j

for a symmetric positive semidefinite :math:`G` *exactly*, by an active-set method (the
feature-sign search of Lee et al. 2007, with box constraints): on the current free set with fixed
signs the problem is a linear system (a Cholesky solve); the step to its solution stops at the
first coefficient that crosses zero or a bound; fixed coefficients that violate the optimality
conditions are released. A few primal-dual active-set steps (a semismooth Newton method) start it;
near the solution, as along a path, one of them lands on it. It terminates at a point whose KKT
residual (:func:`~loglik.regularization.penalties.min_norm_subgradient`) is at rounding level, so
no tolerance trades accuracy for time. The Gaussian problem is this QP; proximal Newton solves one
per iteration.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import linalg
from scipy.linalg import lapack

from .penalties import min_norm_subgradient

__all__ = ["QPResult", "enet_qp", "gram_product", "solve_psd"]


class QPResult(NamedTuple):
    w: np.ndarray
    n_iter: int
    kkt: float
    converged: bool


def solve_psd(A, b, exact_only=False):
    """Solve ``A x = b`` for symmetric PSD ``A``: ``(x, False)``; when ``A`` is singular and
    the system inconsistent, ``(d, True)`` with ``d`` a null-space direction along which
    :math:`\tfrac12 x^TAx - b^Tx` decreases without bound. With ``exact_only``, ``(None,
    False)`` instead of the least-squares fallback when ``A`` is (numerically) singular.
    (LAPACK's Cholesky is called directly: on the small systems of an active set the wrappers
    would cost more than the factorisation.)"""
    c, info = lapack.dpotrf(A, lower=1, clean=0)
    if info == 0:
        diag = np.abs(np.diagonal(c))
        if diag.min() > 1e-7 * diag.max():
            return lapack.dpotrs(c, b, lower=1)[0], False
    if exact_only:
        return None, False
    x = linalg.lstsq(A, b, cond=1e-13, check_finite=False, lapack_driver="gelsy")[0]
    resid = b - A @ x
    if np.linalg.norm(resid) <= 1e-9 * max(np.linalg.norm(b), 1e-300):
        return x, False
    return resid, True


def _step_limits(w, d, sign, l1, lower, upper):
    """Per coordinate, the step along ``d`` at which it reaches zero from its sign's side (an
    L1 kink) and the step at which it reaches a bound (inf when it never does)."""
    t_zero = np.full(w.shape, np.inf)
    t_bound = np.full(w.shape, np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = (l1 > 0) & (sign * d < 0)
        t_zero[cross] = np.maximum(-w[cross] / d[cross], 0.0)
        up, down = d > 0, d < 0
        t_bound[up] = np.maximum((upper[up] - w[up]) / d[up], 0.0)
        t_bound[down] = np.maximum((lower[down] - w[down]) / d[down], 0.0)
    return t_zero, t_bound


def enet_qp(
    G, q, l1, l2, lower, upper, w0=None, *, tol=1e-12, max_iter=None, rank=None
) -> QPResult:
    r"""Solve :math:`\min_w \tfrac12 w^TGw - q^Tw + \sum_j(\lambda_j|w_j| + \tfrac{\mu_j}{2}w_j^2)`
    subject to :math:`l \le w \le u` exactly (active set; module docstring).

    ``G`` is symmetric positive semidefinite (k, k); ``l1`` (λ), ``l2`` (μ), ``lower``,
    ``upper`` are (k,) arrays with :math:`l \le 0 \le u`; ``w0`` a warm start. ``tol`` is the
    KKT residual (gradient units) below which a fixed coefficient is left fixed. Violating fixed
    coefficients are released all at once; when that stalls (a released coefficient is pushed
    back at once) only the worst one is released, which is guaranteed to descend. ``rank``
    (the rank of G when known, e.g. rows - 1 of a centred design) caps the free set of a pure
    L1 problem so its linear systems stay nonsingular: the worst violators are released first.
    """
    k = q.size
    max_iter = 20 * k + 100 if max_iter is None else max_iter
    w = np.zeros(k) if w0 is None else np.clip(np.asarray(w0, dtype=np.float64), lower, upper)
    w, g = _pdas(G, q, l1, l2, lower, upper, w)
    free = ((w != 0) | (l1 == 0)) & (w > lower) & (w < upper)
    sign = np.sign(w)
    single, resolved = False, False
    n_iter = 0
    while True:
        if g is None:
            g = _smooth_gradient(G, q, l2, w)
        r = min_norm_subgradient(w, g, l1, lower, upper)
        kkt = float(np.max(np.abs(r), initial=0.0))
        if kkt <= tol:
            return QPResult(w, n_iter, kkt, True)
        if n_iter >= max_iter:
            return QPResult(w, n_iter, kkt, False)
        candidates = (np.abs(r) > tol) & ~free
        if candidates.any():
            resolved = False
            if single:
                release = np.zeros(k, dtype=bool)
                release[np.argmax(np.where(candidates, np.abs(r), -1.0))] = True
            else:
                release = candidates
                room = None if rank is None or np.any(l2) else rank - int(free.sum())
                if room is not None and room < int(release.sum()):
                    order = np.flatnonzero(release)
                    keep = order[np.argsort(-np.abs(r[order]))[: max(room, 1)]]
                    release = np.zeros(k, dtype=bool)
                    release[keep] = True
            single = False
            free = free | release
            sign = np.where(release, np.where(w != 0, np.sign(w), -np.sign(r)), sign)
        elif resolved:  # free coefficients stay off their optimum: rounding floor reached
            return QPResult(w, n_iter, kkt, False)
        else:
            resolved = True
        w, free, stalled, steps = _descend(G, q, l1, l2, lower, upper, w, free, sign)
        g = None
        single = stalled  # after a stall, one guaranteed-descent release
        n_iter += steps


def _qp_value(G, q, l1, l2, w):
    Gw = gram_product(G, w)
    return float(0.5 * w @ Gw - q @ w + l1 @ np.abs(w) + 0.5 * l2 @ (w * w))


def gram_product(G, w):
    """:math:`Gw` for a possibly sparse ``w``: from the columns of its support when that is
    small (copying columns costs more per entry than streaming all of G)."""
    nz = np.flatnonzero(w)
    if 4 * nz.size > w.size:
        return G @ w
    return G[:, nz] @ w[nz]


def _line_minimum(G, l1, l2, w, d, g, lower, upper):
    r"""The exact minimiser over :math:`t \in [0, t_{\max}]` (:math:`t_{\max} \le 1` keeps
    the box) of the convex piecewise quadratic :math:`F(w + td)`, ``g`` the smooth gradient at
    ``w``: walk the kinks :math:`t_j = -w_j/d_j` in order until the right derivative
    :math:`2at + b + \sum_j\lambda_jd_j\,\mathrm{sign}(w_j + td_j)` turns non-negative."""
    moving = np.flatnonzero(d)
    dm = d[moving]
    a = 0.5 * float(dm @ (G[np.ix_(moving, moving)] @ dm) + l2[moving] @ (dm * dm))
    b = float(g[moving] @ dm)
    wm, lm = w[moving], l1[moving]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_bound = np.where(dm > 0, (upper[moving] - wm) / dm, (lower[moving] - wm) / dm)
    t_max = float(min(1.0, np.min(np.maximum(t_bound, 0.0), initial=np.inf)))
    sign = np.where(wm != 0, np.sign(wm), np.sign(dm))  # direction just after t = 0
    slope = b + float(lm @ (sign * dm))
    with np.errstate(divide="ignore", invalid="ignore"):
        kinks = -wm / dm
    order = np.flatnonzero((lm > 0) & (kinks > 0) & (kinks < t_max) & (wm != 0))
    order = order[np.argsort(kinks[order])]
    t_prev = 0.0
    for j in order:
        t_j = kinks[j]
        if slope + 2 * a * t_j >= 0:
            break
        slope += 2 * lm[j] * abs(dm[j])  # crossing zero flips this coordinate's L1 slope
        t_prev = t_j
    else:
        t_j = t_max
    if a > 0 and slope + 2 * a * t_prev < 0:
        return float(min(-slope / (2 * a), t_j, t_max))
    return float(t_prev)


def _smooth_gradient(G, q, l2, w):
    return gram_product(G, w) + l2 * w - q


def _value_from_gradient(q, l1, w, g):
    """The objective from the smooth gradient g at w:
    :math:`\tfrac12(w^Tg - q^Tw) + \\lambda^T|w|` (no further product with G)."""
    return float(0.5 * (w @ g - q @ w) + l1 @ np.abs(w))


def _pdas(G, q, l1, l2, lower, upper, w, max_steps=50):
    r"""Primal-dual active-set steps (a semismooth Newton method; Fan, Jiao & Lu 2014), kept
    while they lower the objective: classify each coordinate by the proximal step
    :math:`u_j = D_jw_j - g_j` (:math:`D = \mathrm{diag}(G) + \mu`, :math:`g` the gradient):
    zero when :math:`|u_j| \le \lambda_j`, at a bound when the prox lands beyond it, else free
    with the sign of :math:`u_j`; solve the free coordinates' linear system. When that point is
    worse than the current one, move to the exact minimum of the objective on the segment
    towards it instead. Near the solution one step lands on it (the usual case along a path);
    the guaranteed active-set phase of :func:`enet_qp` finishes the job otherwise.

    Returns ``(w, g)``, g the smooth gradient at w.
    """
    diag = np.diagonal(G) + l2
    boxed = bool(np.isfinite(lower).any() or np.isfinite(upper).any())
    safe = np.where(diag > 0, diag, 1.0) if boxed else None
    g = _smooth_gradient(G, q, l2, w)
    value = _value_from_gradient(q, l1, w, g)
    previous = None
    for _ in range(max_steps):
        u = diag * w - g
        free = np.abs(u) > l1
        x = np.zeros_like(w)
        if boxed:
            target = np.sign(u) * np.maximum(np.abs(u) - l1, 0.0) / safe
            at_upper, at_lower = target >= upper, target <= lower
            free &= ~at_upper & ~at_lower
            x[at_upper], x[at_lower] = upper[at_upper], lower[at_lower]
        F = np.flatnonzero(free)
        su = np.sign(u[F])
        state = (F, su, x != 0) if boxed else (F, su)
        if previous is not None and all(np.array_equal(a, b) for a, b in zip(state, previous)):
            return w, g
        previous = state
        x = _newton_point(G, q, l1, l2, F, su, x)
        if x is None:
            return w, g
        g_x = _smooth_gradient(G, q, l2, x)
        new_value = _value_from_gradient(q, l1, x, g_x)
        if new_value > value:
            better = _sign_consistent_point(G, q, l1, l2, F, su, x, lower, upper, value)
            if better is not None:
                x, g_x, new_value = better
        outside = boxed and bool(np.any(x < lower) or np.any(x > upper))
        if outside or new_value > value:  # overshoot: the best feasible point on the segment
            d = x - w
            t = _line_minimum(G, l1, l2, w, d, g, lower, upper)
            if t <= 0.0:
                return w, g
            x = w + t * d
            crossed = (np.sign(x) != np.sign(w)) & (w != 0) & (l1 > 0)
            x[crossed | (np.abs(x) <= 1e-15 * np.abs(w))] = 0.0
            x = np.clip(x, lower, upper)
            g_x = _smooth_gradient(G, q, l2, x)
            new_value = _value_from_gradient(q, l1, x, g_x)
            if not new_value < value:
                return w, g
            previous = None
        w, g, value = x, g_x, new_value
    return w, g


def _newton_point(G, q, l1, l2, F, su, x):
    """``x`` with the coordinates ``F`` set to the minimiser of the quadratic with signs ``su``
    there, the other coordinates held at their values in ``x`` (zero or a bound); None when the
    system is singular."""
    x = x.copy()
    x[F] = 0.0
    if F.size:
        b = q[F] - l1[F] * su
        fixed = np.flatnonzero(x)
        if fixed.size:
            b -= G[np.ix_(F, fixed)] @ x[fixed]
        A = G[np.ix_(F, F)]
        A.flat[:: F.size + 1] += l2[F]
        sol, _ = solve_psd(A, b, exact_only=True)
        if sol is None:
            return None
        x[F] = sol
    return x


def _sign_consistent_point(G, q, l1, l2, F, su, x, lower, upper, value, max_rounds=8):
    """When a primal-dual active-set step overshoots (many predicted signs wrong at once, as
    after a working set doubled): drop from the free set every coordinate whose solution
    contradicts its sign, re-solve, repeat until the signs hold. Returns ``(x, g, value)`` when
    that point is feasible and lowers the objective below ``value``, else None."""
    for _ in range(max_rounds):
        wrong = (np.sign(x[F]) != su) & (l1[F] > 0)
        if not wrong.any():
            if np.any(x < lower) or np.any(x > upper):
                return None
            g = _smooth_gradient(G, q, l2, x)
            new_value = _value_from_gradient(q, l1, x, g)
            return (x, g, new_value) if new_value < value else None
        x = x.copy()
        x[F[wrong]] = 0.0
        F, su = F[~wrong], su[~wrong]
        x = _newton_point(G, q, l1, l2, F, su, x)
        if x is None:
            return None
    return None


class _PinnedCholesky:
    r"""The minimiser of :math:`\tfrac12 x^TAx - b^Tx` over the coordinates ``F0`` of one
    Cholesky factorisation of :math:`A`, with some of them later pinned at given values: with
    :math:`E` selecting the pinned ones, :math:`x = A^{-1}(b - E\nu)`,
    :math:`(E^TA^{-1}E)\nu = E^TA^{-1}b - x_E`. Pinning a coordinate costs one solve with the
    factor, :math:`O(k^2)`, instead of a new :math:`O(k^3)` factorisation."""

    def __init__(self, index, chol, size):
        self.index, self.chol = index, chol
        self.where = np.full(size, -1)
        self.where[index] = np.arange(index.size)
        self.pinned, self.columns = [], np.zeros((index.size, 0))

    @classmethod
    def build(cls, G, l2, F):
        A = G[np.ix_(F, F)]
        A.flat[:: F.size + 1] += l2[F]
        c, info = lapack.dpotrf(A, lower=1, clean=0)
        if info != 0:
            return None
        diag = np.abs(np.diagonal(c))
        if diag.min() <= 1e-7 * diag.max():
            return None
        return cls(F, c, G.shape[0])

    def covers(self, F) -> bool:
        return bool(np.all(self.where[F] >= 0))

    def pin(self, js):
        pinned = set(self.pinned)
        new = [int(i) for i in self.where[js] if int(i) not in pinned]
        if new:
            E = np.zeros((self.index.size, len(new)))
            E[new, np.arange(len(new))] = 1.0
            self.columns = np.column_stack([self.columns, lapack.dpotrs(self.chol, E, lower=1)[0]])
            self.pinned.extend(new)

    def solve(self, b, pinned_values):
        x = lapack.dpotrs(self.chol, b, lower=1)[0]
        if self.pinned:
            Y = self.columns
            S = Y[self.pinned]
            nu = np.linalg.solve(S, x[self.pinned] - pinned_values)
            x = x - Y @ nu
        return x


def _descend(G, q, l1, l2, lower, upper, w, free, sign):
    """Move to the minimiser of the quadratic on the free set with fixed signs, stopping at
    each coefficient that would cross zero or a bound (which then becomes fixed there).
    Returns ``(w, free, stalled, steps)``; ``stalled`` when a zero-length step blocked a
    newly released coefficient. One factorisation serves the whole descent (coefficients that
    become fixed are pinned, :class:`_PinnedCholesky`) unless the system is singular."""
    steps, stalled = 0, False
    w = w.copy()
    free = free.copy()
    factor = None
    while True:
        F = np.flatnonzero(free)
        if F.size == 0:
            return w, free, stalled, steps
        steps += 1
        if factor is None or not factor.covers(F) or 4 * len(factor.pinned) > F.size:
            factor = _PinnedCholesky.build(G, l2, F)
        ray = False
        if factor is not None:
            F0 = factor.index
            outside = np.setdiff1d(np.flatnonzero(w), F0, assume_unique=True)
            b = q[F0] - l1[F0] * sign[F0]
            if outside.size:
                b -= G[np.ix_(F0, outside)] @ w[outside]
            gone = F0[~free[F0]]
            factor.pin(gone)
            x0 = factor.solve(b, w[F0[factor.pinned]])
            x = x0[factor.where[F]]
        else:
            fixed = np.flatnonzero(~free & (w != 0))
            b = q[F] - l1[F] * sign[F]
            if fixed.size:
                b -= G[np.ix_(F, fixed)] @ w[fixed]
            A = G[np.ix_(F, F)]
            A[np.diag_indices_from(A)] += l2[F]
            x, ray = solve_psd(A, b)
        wF = w[F]
        d = x if ray else x - wF
        t_zero, t_bound = _step_limits(wF, d, sign[F], l1[F], lower[F], upper[F])
        limits = np.minimum(t_zero, t_bound)
        t_block = float(limits.min())
        if ray and not np.isfinite(t_block):
            raise ValueError(
                "the penalised objective is unbounded below: unpenalised columns are collinear"
            )
        if t_block >= 1.0 and not ray:
            w[F] = x
            return w, free, stalled, steps
        w_first = _stop_at(
            w, F, wF + t_block * d, limits <= t_block, t_zero, t_bound, d, lower, upper
        )
        jumped = None
        if not ray and (limits < 1.0).sum() > 1:
            jumped = _stop_at(w, F, x, limits < 1.0, t_zero, t_bound, d, lower, upper)
            if _qp_value(G, q, l1, l2, jumped) > _qp_value(G, q, l1, l2, w_first):
                jumped = None
        if jumped is None:
            hit = limits <= t_block
            w = w_first
            stalled = stalled or t_block == 0.0
        else:  # every blocking coefficient fixed at once, at no loss against the first stop
            hit = limits < 1.0
            w = jumped
        free[F[hit]] = False


def _stop_at(w, F, wF_new, hit, t_zero, t_bound, d, lower, upper):
    """``w`` with the free coordinates ``F`` moved to ``wF_new`` and those in ``hit`` fixed where
    they block: at zero or at the bound they reach first."""
    out = w.copy()
    out[F] = wF_new
    j = F[hit]
    at_zero = t_zero[hit] <= t_bound[hit]
    out[j] = np.where(at_zero, 0.0, np.where(d[hit] > 0, upper[j], lower[j]))
    return out
