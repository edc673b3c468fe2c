r"""Solvers for elastic-net penalised GLMs: exact active-set quadratic programs inside them.

Every problem here is, in standardised coordinates :math:`v` (:math:`v_j = \sigma_j w_j` with
``standardize``, else :math:`v = w`) and with the intercept profiled out,

.. math:: \min_v\; L(v) + \sum_j \big(\lambda_j |v_j| + \tfrac{\mu_j}{2} v_j^2\big)
          \quad\text{s.t.}\quad l_j \le v_j \le u_j,

with :math:`\lambda = \alpha\rho f`, :math:`\mu = \alpha(1-\rho) f` (:class:`PenaltyArrays`).

* :func:`enet_qp` solves the case of a quadratic :math:`L(v) = \tfrac12 v^TGv - q^Tv` *exactly*
  by an active-set method (the feature-sign search of Lee et al. 2007, with box constraints):
  on the current free set with fixed signs the problem is a linear system (a Cholesky solve);
  the step to its solution stops at the first coefficient that crosses zero or a bound; fixed
  coefficients that violate the optimality conditions are released. It terminates at a point
  whose KKT residual is at rounding level, so no tolerance trades accuracy for time.
* The Gaussian family is that quadratic. With n ≥ p the Gram matrix :math:`G = Z^TSZ` is
  formed once from weighted sufficient statistics (:class:`GaussianStats`, additive over rows,
  so cross-validation folds cost a subtraction); with p > n only the Gram matrix of a working
  set of columns is formed, grown by the KKT violators of the full gradient
  (:class:`GaussianDesign`).
* Other families use proximal Newton (:func:`prox_newton`): the quadratic model of the mean NLL
  (IRLS weights) on a working set is solved exactly by :func:`enet_qp`, then a backtracking
  line search on the true objective; the categorical family cycles over the classes.
* :func:`first_order` runs any shared optimizer with the proximal step through
  :func:`loglik.minimize` (ISTA/FISTA, SGD, Adam on mini-batches...).

Convergence is measured by the largest KKT residual (:func:`~loglik.regularization.penalties.
min_norm_subgradient`), in gradient units.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import linalg
from scipy.linalg import lapack

from ..estimation.lbfgs import lbfgs
from ..estimation.minimize import minimize
from ..estimation.newton import newton
from ..estimation.proximal import proximal_optimizer, soft_threshold
from ..models.glm import GLMObjective, null_model_eta
from .penalties import Penalty, min_norm_subgradient

__all__ = [
    "GaussianDesign",
    "GaussianGram",
    "GaussianStats",
    "PenaltyArrays",
    "QPResult",
    "enet_qp",
    "first_order",
    "penalty_arrays",
    "prox_newton",
]

_CHUNK_BYTES = 4 << 20  # row chunks of about 4 MB when a pass over X needs a temporary


def _chunk_rows(p: int) -> int:
    return max(16, _CHUNK_BYTES // (8 * max(p, 1)))


# --------------------------------------------------------------------------------------------
# Penalty in solver coordinates
# --------------------------------------------------------------------------------------------


class PenaltyArrays(NamedTuple):
    """Per-coefficient L1 weight, L2 weight and bounds in the solver's coordinates."""

    l1: np.ndarray
    l2: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def value(self, v) -> float:
        return float(self.l1 @ np.abs(v) + 0.5 * self.l2 @ (v * v))

    def kkt(self, v, grad):
        """The KKT residual per coefficient given the gradient of the smooth loss."""
        return min_norm_subgradient(v, grad + self.l2 * v, self.l1, self.lower, self.upper)

    def take(self, idx) -> PenaltyArrays:
        return PenaltyArrays(self.l1[idx], self.l2[idx], self.lower[idx], self.upper[idx])


def penalty_arrays(penalty: Penalty, p: int, scale, excluded) -> PenaltyArrays:
    """The penalty for ``p`` coefficients on the scale ``v = scale * w``; ``excluded``
    coefficients (constant columns) are pinned at 0."""

    for name, value in (
        ("penalty_factor", penalty.penalty_factor),
        ("bounds", penalty.lower),
        ("bounds", penalty.upper),
    ):
        if value is not None and np.size(value) not in (1, p):
            raise ValueError(f"{name} has {np.size(value)} entries; X has {p} columns")

    def full(x):
        return np.array(np.broadcast_to(np.asarray(x, dtype=np.float64), (p,)))

    l1, l2 = full(penalty.l1_weight), full(penalty.l2_weight)
    lower, upper = full(penalty.lower) * scale, full(penalty.upper) * scale
    for arr in (l1, l2):
        arr[excluded] = 0.0
    lower[excluded] = upper[excluded] = 0.0
    return PenaltyArrays(l1, l2, lower, upper)


# --------------------------------------------------------------------------------------------
# The exact quadratic solver
# --------------------------------------------------------------------------------------------


class QPResult(NamedTuple):
    w: np.ndarray
    n_iter: int
    kkt: float
    converged: bool


def _solve_psd(A, b, exact_only=False):
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
    Gw = _product(G, w)
    return float(0.5 * w @ Gw - q @ w + l1 @ np.abs(w) + 0.5 * l2 @ (w * w))


def _product(G, w):
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
    return _product(G, w) + l2 * w - q


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
        sol, _ = _solve_psd(A, b, exact_only=True)
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
            x, ray = _solve_psd(A, b)
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


# --------------------------------------------------------------------------------------------
# Gaussian family
# --------------------------------------------------------------------------------------------


def _same_support_solution(G_SS, q_S, l1_S, l2_S, signs):
    """The minimiser on a support with given signs (one Cholesky solve), or None when the
    signs do not hold: the first try of a warm-started solve along a path, where the support
    usually does not change between neighbouring alphas (the lasso path is linear between its
    kinks)."""
    A = G_SS.copy()
    A.flat[:: A.shape[0] + 1] += l2_S
    x, _ = _solve_psd(A, q_S - l1_S * signs, exact_only=True)
    if x is None or np.any((np.sign(x) != signs) & (l1_S > 0)):
        return None
    return x


def _warm_same_support(problem, G_SS, pen, support, signs, tol):
    """The solution when the support and signs of the warm start are still optimal (checked by
    the KKT conditions on every coefficient), else None."""
    x = _same_support_solution(G_SS, problem.q[support], pen.l1[support], pen.l2[support], signs)
    if x is None:
        return None
    w = np.zeros(problem.p)
    w[support] = x
    kkt = float(np.max(np.abs(pen.kkt(w, problem.gradient(w))), initial=0.0))
    return QPResult(w, 1, kkt, True) if kkt <= tol else None


def _unboxed(pen) -> bool:
    return not (np.isfinite(pen.lower).any() or np.isfinite(pen.upper).any())


class GaussianStats(NamedTuple):
    r"""Weighted sufficient statistics of :math:`(x - c_x, y - c_y)` over a set of rows:
    :math:`\sum s`, :math:`\sum s x`, :math:`\sum s y`, :math:`\sum s xx^T`, :math:`\sum s xy`,
    :math:`\sum s y^2`. Additive over disjoint row sets (``total - fold`` is the training part
    of a cross-validation fold); the shift ``c`` (the overall means) keeps the centring exact.
    """

    weight: float
    sx: np.ndarray
    sy: float
    sxx: np.ndarray
    sxy: np.ndarray
    syy: float

    @classmethod
    def compute(cls, X, y, s, shift_x, shift_y, rows=None):
        """The statistics of the rows ``rows`` (all when None) about the shifts. With zero
        shifts they are plain BLAS products over X (no copy without weights); otherwise they
        are accumulated over row chunks of the shifted data."""
        if not np.any(shift_x) and not shift_y:
            return cls._unshifted(X, y, s, rows)
        p = X.shape[1]
        sxx, sxy, sx = np.zeros((p, p)), np.zeros(p), np.zeros(p)
        sy = syy = weight = 0.0
        n = X.shape[0] if rows is None else rows.size
        step = _chunk_rows(p)
        for lo in range(0, n, step):
            idx = slice(lo, lo + step) if rows is None else rows[lo : lo + step]
            Xb, yb, sb = X[idx] - shift_x, y[idx] - shift_y, s[idx]
            Xs = Xb * sb[:, None]
            sxx += Xs.T @ Xb
            sxy += Xs.T @ yb
            sx += Xs.sum(axis=0)
            sy += float(sb @ yb)
            syy += float(sb @ (yb * yb))
            weight += float(sb.sum())
        return cls(weight, sx, sy, sxx, sxy, syy)

    @classmethod
    def _unshifted(cls, X, y, s, rows):
        if rows is not None:
            X, y, s = X[rows], y[rows], s[rows]
        if np.all(s == 1.0):
            return cls(float(y.size), X.sum(axis=0), float(y.sum()), X.T @ X, X.T @ y, float(y @ y))
        root = np.sqrt(s)
        Xs = X * root[:, None]
        sy_ = s * y
        return cls(float(s.sum()), s @ X, float(sy_.sum()), Xs.T @ Xs, X.T @ sy_, float(sy_ @ y))

    @classmethod
    def about_means(cls, X, y, s, fit_intercept):
        """``(stats, shift_x, shift_y)`` for all rows: raw sums when centring them loses no
        precision, otherwise sums about the weighted means (a column whose mean exceeds ~100
        standard deviations would lose four digits to cancellation)."""
        stats = cls.compute(X, y, s, 0.0, 0.0)
        p = X.shape[1]
        if not fit_intercept:
            return stats, np.zeros(p), 0.0
        W = stats.weight
        mx, my = stats.sx / W, stats.sy / W
        raw = np.r_[np.diagonal(stats.sxx), stats.syy] / W
        var = raw - np.r_[mx, my] ** 2
        if np.all(var >= 1e-4 * raw):
            return stats, np.zeros(p), 0.0
        return cls.compute(X, y, s, mx, my), mx, my

    def __sub__(self, other):
        return GaussianStats(*(a - b for a, b in zip(self, other)))


def column_moments(X, s, fit_intercept):
    """Weighted column means (zeros without an intercept) and second central moments (raw
    second moments without an intercept): two passes over X, no copy. The variance comes from
    the raw second moment; columns where that would cancel more than four digits (a mean over
    ~100 standard deviations) are recomputed about their mean over row chunks."""
    sw = s / s.sum()
    mean = sw @ X if fit_intercept else np.zeros(X.shape[1])
    if np.all(s == s[0]):
        raw = np.einsum("ij,ij->j", X, X) / X.shape[0]
    else:
        raw = np.einsum("i,ij,ij->j", sw, X, X)
    var = raw - mean * mean
    lossy = np.flatnonzero(var < 1e-4 * raw)
    if lossy.size:
        var[lossy] = 0.0
        step = _chunk_rows(lossy.size)
        for lo in range(0, X.shape[0], step):
            Xb = X[lo : lo + step, lossy] - mean[lossy]
            Xb *= Xb
            var[lossy] += sw[lo : lo + step] @ Xb
    return mean, np.maximum(var, 0.0)


def _scales(var, mean, standardize):
    """Standard deviations, the constant-column mask and the solver scale (sd or 1)."""
    sd = np.sqrt(np.maximum(var, 0.0))
    excluded = sd <= 1e-12 * np.maximum(1.0, np.abs(mean))
    scale = np.where(excluded | (not standardize), 1.0, sd)
    return sd, excluded, scale


class GaussianGram:
    r"""The Gaussian problem from the Gram matrix (n ≥ p):

    .. math:: L(v) = \tfrac12 v^TGv - q^Tv + \tfrac12 y_c^TSy_c \quad (\text{the mean NLL}),

    :math:`G = Z^TSZ`, :math:`q = Z^TSy_c` for the weighted-centred (with an intercept) and
    optionally standardised design :math:`Z` and weights :math:`S` summing to 1.
    """

    def __init__(self, stats: GaussianStats, shift_x, shift_y, *, fit_intercept, standardize):
        W = stats.weight
        mx, my = stats.sx / W, stats.sy / W
        if fit_intercept:
            G = stats.sxx / W - np.outer(mx, mx)
            q = stats.sxy / W - mx * my
            self.yy = stats.syy / W - my * my
            self.mean_x, self.mean_y = shift_x + mx, shift_y + my
        else:
            G, q, self.yy = stats.sxx / W, stats.sxy / W, stats.syy / W
            self.mean_x, self.mean_y = np.zeros(G.shape[0]), 0.0
        self.sd, self.excluded, self.scale = _scales(np.diag(G).copy(), self.mean_x, standardize)
        G = G / np.outer(self.scale, self.scale)
        q = q / self.scale
        G[self.excluded, :] = 0.0
        G[:, self.excluded] = 0.0
        q[self.excluded] = 0.0
        self.G, self.q = G, q
        self.p = q.size
        self.n_rows = W

    def null_gradient(self):
        """Gradient of L at v = 0 (its negative is the correlation with the response)."""
        return -self.q

    def solve(self, pen: PenaltyArrays, v0=None, *, tol) -> QPResult:
        return enet_qp(self.G, self.q, pen.l1, pen.l2, pen.lower, pen.upper, v0, tol=tol)

    def ridge(self, pen: PenaltyArrays) -> QPResult:
        r"""Ridge in closed form: :math:`(G + \mathrm{diag}(\mu))v = q` by Cholesky."""
        keep = ~self.excluded
        A = self.G[np.ix_(keep, keep)] + np.diag(pen.l2[keep])
        v = np.zeros(self.p)
        v[keep] = linalg.solve(A, self.q[keep], assume_a="pos")
        return QPResult(v, 1, float(np.max(np.abs(pen.kkt(v, self.gradient(v))))), True)

    def loss(self, v) -> float:
        """The mean NLL (Gaussian convention) at ``v``."""
        Gv = _product(self.G, v)
        return float(max(0.5 * self.yy - self.q @ v + 0.5 * v @ Gv, 0.0))

    def gradient(self, v):
        return _product(self.G, v) - self.q

    def residual_terms(self, v):
        """``(||r||^2_S, r^T S y_c, Z^T S r)`` for the duality gap."""
        Gv = self.gradient(v) + self.q
        rr = max(self.yy - 2 * self.q @ v + v @ Gv, 0.0)
        return rr, self.yy - self.q @ v, self.q - Gv


class GaussianDesign:
    r"""The Gaussian problem for p > n: the same :math:`L(v)` as :class:`GaussianGram`, but only
    the Gram matrix of a working set of columns is formed (grown by KKT violators); the full
    gradient :math:`-Z^TSr` costs one pass over X."""

    def __init__(self, X, y, s, *, fit_intercept, standardize):
        self.X = X
        sw = s / s.sum()
        self.sqrt_w = np.sqrt(sw)
        self.mean_x, var = column_moments(X, s, fit_intercept)
        self.mean_y = float(sw @ y) if fit_intercept else 0.0
        self.sd, self.excluded, self.scale = _scales(var, self.mean_x, standardize)
        self.yc = y - self.mean_y
        self.u = self.sqrt_w * self.yc  # sqrt(s) y_c
        self.q = (X.T @ (sw * self.yc)) / self.scale
        self.q[self.excluded] = 0.0
        self.yy = float(self.u @ self.u)
        self.p = X.shape[1]
        self.n_rows = X.shape[0]
        self.rank = int(np.count_nonzero(s)) - int(fit_intercept)  # bounds rank(Z'SZ)
        self._last_gradient = None
        self._cols = np.zeros(0, dtype=np.intp)
        self._pos = np.full(self.p, -1)
        # the column cache holds at most this many columns: its Gram matrix stays below ~X
        self._cache_limit = max(256, min(self.p, 2 * X.shape[0]))
        self._Zs = np.zeros((X.shape[0], 0))
        self._G = np.zeros((0, 0))

    def null_gradient(self):
        return -self.q

    def _zs(self, idx):
        """sqrt(s) * (X[:, idx] - mean) / scale."""
        return (self.X[:, idx] - self.mean_x[idx]) * (self.sqrt_w[:, None] / self.scale[idx])

    def _grow(self, wanted):
        wanted = np.asarray(wanted)
        new = np.unique(wanted[self._pos[wanted] < 0])
        if new.size == 0:
            return
        if self._cols.size + new.size > self._cache_limit:
            self._evict(wanted)
        Zn = self._zs(new)
        cross = self._Zs.T @ Zn
        G = np.empty((self._cols.size + new.size,) * 2)
        m = self._cols.size
        G[:m, :m] = self._G
        G[:m, m:] = cross
        G[m:, :m] = cross.T
        G[m:, m:] = Zn.T @ Zn
        self._G, self._Zs = G, np.column_stack([self._Zs, Zn])
        self._cols = np.concatenate([self._cols, new])
        self._pos[new] = np.arange(m, self._cols.size)

    def _evict(self, keep):
        """Drop the cached columns outside ``keep`` (bounded memory along long paths)."""
        kept = self._cols[np.isin(self._cols, keep)]
        pos = self._pos[kept]
        self._G, self._Zs = self._G[np.ix_(pos, pos)], self._Zs[:, pos]
        self._pos[self._cols] = -1
        self._cols = kept
        self._pos[kept] = np.arange(kept.size)

    def _residual(self, v):
        r""":math:`\sqrt{s}\,r = \sqrt{s}(y_c - Zv)`, from the cached columns of the support."""
        nz = np.flatnonzero(v)
        if nz.size == 0:
            return self.u
        pos = self._positions(nz)  # may grow the cache: index it afterwards
        on_cache = np.zeros(self._cols.size)
        on_cache[pos] = v[nz]
        return self.u - _product(self._Zs, on_cache)

    def gradient(self, v):
        """The full gradient :math:`-Z^TSr` (one pass over X; the last one is remembered)."""
        if not np.any(v):
            return -self.q
        last = self._last_gradient
        if last is not None and np.array_equal(last[0], v):
            return last[1]
        sr = self.sqrt_w * self._residual(v)
        g = -(self.X.T @ sr - self.mean_x * sr.sum()) / self.scale
        g[self.excluded] = 0.0
        self._last_gradient = (np.array(v, copy=True), g)
        return g

    def loss(self, v) -> float:
        rho = self._residual(v)
        return 0.5 * float(rho @ rho)

    def residual_terms(self, v):
        rho = self._residual(v)
        return float(rho @ rho), float(rho @ self.u), -self.gradient(v)

    def solve(self, pen: PenaltyArrays, v0=None, *, tol, candidates=None) -> QPResult:
        """Working-set loop (as celer/skglm): the working set is the support plus the worst
        KKT violators (as many as the support holds, at least 16, plus ``candidates`` at
        first); the QP on it is solved exactly, then the KKT conditions are checked on every
        column; repeat until none is violated."""
        v = np.zeros(self.p) if v0 is None else np.asarray(v0, dtype=np.float64).copy()
        support = np.flatnonzero(v)
        if support.size and _unboxed(pen):
            pos = self._positions(support)
            G_SS = self._G[np.ix_(pos, pos)]
            res = _warm_same_support(self, G_SS, pen, support, np.sign(v[support]), tol)
            if res is not None:
                return res
        grad = self.gradient(v)
        extra = np.zeros(0, dtype=np.intp) if candidates is None else np.asarray(candidates)
        n_iter, solved = 0, False
        for _ in range(self.p + 2):
            r = pen.kkt(v, grad)
            kkt = float(np.max(np.abs(r), initial=0.0))
            if kkt <= tol:
                return QPResult(v, n_iter, kkt, True)
            support = np.flatnonzero(v)
            outside = np.abs(r) > tol
            outside[support] = False
            if not outside.any() and solved:
                return QPResult(v, n_iter, kkt, False)
            order = np.flatnonzero(outside)
            limit = max(16, support.size)
            order = order[np.argsort(-np.abs(r[order]))[:limit]]
            work = np.union1d(np.union1d(support, order), extra)
            extra = np.zeros(0, dtype=np.intp)
            idx = self._positions(work)
            sub = pen.take(work)
            G = self._G[np.ix_(idx, idx)]
            res = enet_qp(
                G,
                self.q[work],
                sub.l1,
                sub.l2,
                sub.lower,
                sub.upper,
                v[work],
                tol=tol,
                rank=self.rank,
            )
            n_iter += res.n_iter
            v = np.zeros(self.p)
            v[work] = res.w
            grad = self.gradient(v)
            solved = True
        return QPResult(v, n_iter, float(np.max(np.abs(pen.kkt(v, grad)))), False)

    def ridge(self, pen: PenaltyArrays) -> QPResult:
        r"""Ridge in closed form through the n×n dual system: with :math:`\tilde Z = S^{1/2}Z
        \mathrm{diag}(\mu)^{-1/2}`, :math:`v = \mathrm{diag}(\mu)^{-1/2}\tilde Z^T(\tilde Z
        \tilde Z^T + I)^{-1}S^{1/2}y_c` (cost :math:`n^2p` instead of :math:`np^2`)."""
        keep = np.flatnonzero(~self.excluded)
        v = np.zeros(self.p)
        if keep.size:
            inv_root = 1.0 / np.sqrt(pen.l2[keep])
            Zt = self._zs(keep) * inv_root
            K = Zt @ Zt.T
            K[np.diag_indices_from(K)] += 1.0
            v[keep] = inv_root * (Zt.T @ linalg.solve(K, self.u, assume_a="pos"))
        return QPResult(v, 1, float(np.max(np.abs(pen.kkt(v, self.gradient(v))))), True)

    def _positions(self, work):
        """Rows of the cached Gram matrix for the columns ``work`` (computing new ones)."""
        self._grow(work)
        return self._pos[work]


def gaussian_dual_gap(problem, v, pen: PenaltyArrays, terms=None) -> float:
    r"""The duality gap :math:`P(v) - D(\kappa r)` of the Gaussian problem (objective units).

    The dual of :math:`\min_v \tfrac12\|y_c - Zv\|_S^2 + \sum_j h_j(v_j)` is
    :math:`D(\theta) = \theta^TSy_c - \tfrac12\|\theta\|_S^2 - \sum_j h_j^*(z_j^TS\theta)`, with
    :math:`h_j^*(c) = c\,w^* - h_j(w^*)`, :math:`w^* = \operatorname{clip}(S(c, \lambda_j)/\mu_j,
    l_j, u_j)` (for :math:`\mu_j = 0`: the bound in the direction of :math:`c` when
    :math:`|c| > \lambda_j`). The dual point is the residual scaled by the largest
    :math:`\kappa \le 1` keeping every :math:`h_j^*` finite; unpenalised, unbounded coefficients
    (whose conjugate is the indicator of 0) enter through the KKT residual instead. ``terms``:
    ``problem.residual_terms(v)`` when already computed.
    """
    rr, ry, c = problem.residual_terms(v) if terms is None else terms
    primal = 0.5 * rr + pen.value(v)
    lam, mu, lo, hi = pen
    pure_l1 = (mu == 0) & (lam > 0)
    unbounded = (np.isinf(hi) & (c > 0)) | (np.isinf(lo) & (c < 0))
    need = pure_l1 & unbounded & (np.abs(c) > lam)
    kappa = float(np.min(lam[need] / np.abs(c[need]), initial=1.0))
    ck = kappa * c
    with np.errstate(divide="ignore", invalid="ignore"):
        shrunk = np.sign(ck) * np.maximum(np.abs(ck) - lam, 0.0)
        w_star = np.where(mu > 0, shrunk / np.where(mu > 0, mu, 1.0), np.sign(shrunk) * np.inf)
    w_star = np.where((mu == 0) & (shrunk == 0), 0.0, w_star)
    w_star = np.clip(w_star, lo, hi)
    w_star = np.where((mu == 0) & (lam == 0) & np.isinf(w_star), 0.0, w_star)
    conj = ck * w_star - (lam * np.abs(w_star) + 0.5 * mu * w_star * w_star)
    dual = kappa * ry - 0.5 * kappa * kappa * rr - float(conj.sum())
    return float(max(primal - dual, 0.0))


# --------------------------------------------------------------------------------------------
# Other families: proximal Newton
# --------------------------------------------------------------------------------------------


class DesignOps:
    """The centred, scaled design :math:`Z = (X - m)/\\sigma` without forming it."""

    def __init__(self, X, mean, scale, excluded):
        self.X, self.mean, self.scale, self.excluded = X, mean, scale, excluded

    def eta(self, V, C):
        """:math:`ZV + C` for coefficients (p,) or (p, K)."""
        W = V / (self.scale if V.ndim == 1 else self.scale[:, None])
        return self.X @ W + (C - self.mean @ W)

    def rmatvec(self, R):
        """:math:`Z^TR` for R (n,) or (n, K)."""
        out = self.X.T @ R - np.multiply.outer(self.mean, R.sum(axis=0))
        out = out / (self.scale if R.ndim == 1 else self.scale[:, None])
        out[self.excluded] = 0.0
        return out

    def columns(self, idx):
        return (self.X[:, idx] - self.mean[idx]) / self.scale[idx]


class NewtonResult(NamedTuple):
    coef: np.ndarray
    intercept: np.ndarray
    n_iter: int
    kkt: float
    converged: bool
    loss: float


def prox_newton(
    family,
    ops: DesignOps,
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
):
    r"""Proximal Newton for a penalised GLM (bernoulli, poisson, categorical; exact in one step
    for the Gaussian family).

    At :math:`(v, c)` the mean NLL is replaced by its second-order model (IRLS weights
    :math:`a = sV(\mu)`; for the categorical family the full multinomial Hessian over every
    class); the intercepts are eliminated by a Schur complement; the model plus the penalty is
    minimised exactly on a working set of columns (support ∪ KKT violators) by :func:`enet_qp`;
    a backtracking line search along the resulting direction enforces
    :math:`F(x + td) \le F(x) + 10^{-4}t\,(\nabla L^Td + h(v + td_v) - h(v))`
    (Lee, Sun & Saunders 2014). Converges quadratically near the solution.
    """
    sw = s / s.sum()
    p = ops.X.shape[1]
    categorical = family.name == "categorical"
    K = n_classes if categorical else 1
    shape = (p, K) if categorical else (p,)
    V = np.zeros(shape) if v0 is None else np.array(v0, dtype=np.float64).reshape(shape)
    if c0 is not None:
        C = np.array(c0, dtype=np.float64).reshape(K) if categorical else float(c0)
    elif not fit_intercept:
        C = np.zeros(K) if categorical else 0.0
    elif categorical:
        C = null_model_eta(family, y, s, offset, K)[0].copy()
    else:
        C = float(null_model_eta(family, y, s, offset)[0] - offset[0])
    off = offset[:, None] if categorical else offset
    eta = ops.eta(V, C) + off
    step = _newton_step_categorical if categorical else _newton_step
    kkt = np.inf
    for n_iter in range(max_iter + 1):
        loss, dloss, curv = family.terms(eta, y)
        R = sw[:, None] * dloss if categorical else sw * dloss
        g = ops.rmatvec(R)
        g_c = R.sum(axis=0) if fit_intercept else np.zeros_like(R.sum(axis=0))
        r = _kkt_matrix(pen, V, g)
        kkt = max(float(np.max(np.abs(r), initial=0.0)), float(np.max(np.abs(g_c))))
        if kkt <= tol or n_iter == max_iter:
            break
        moved = step(family, ops, y, sw, eta, V, C, g, g_c, curv, r, pen, fit_intercept, tol)
        if moved is None:  # no descent possible at this precision
            break
        eta, V, C = moved
    return NewtonResult(V, np.asarray(C), n_iter, kkt, kkt <= tol, float(sw @ loss))


def _kkt_matrix(pen: PenaltyArrays, V, g):
    """KKT residuals for coefficients (p,) or (p, K) (the penalty broadcast over classes)."""
    if V.ndim == 1:
        return pen.kkt(V, g)
    return min_norm_subgradient(
        V, g + pen.l2[:, None] * V, pen.l1[:, None], pen.lower[:, None], pen.upper[:, None]
    )


def _line_search(family, y, sw, eta, d_eta, f0, decrease, pen_at):
    """Backtracking (Armijo) on the true objective along ``eta + t d_eta``; returns t or None."""
    t = 1.0
    for _ in range(50):
        eta_t = eta + t * d_eta
        f_t = float(sw @ family.loss(eta_t, y)) + pen_at(t)
        if np.isfinite(f_t) and f_t <= f0 + 1e-4 * t * decrease + 1e-15 * abs(f0):
            return t, eta_t
        t *= 0.5
    return None, eta


def _newton_step(family, ops, y, sw, eta, V, C, g, g_c, curv, r, pen, fit_intercept, tol):
    """One proximal Newton step for a single linear predictor."""
    work = np.flatnonzero((V != 0) | (np.abs(r) > tol))
    a = sw * curv
    Zw = ops.columns(work)
    a_sum = float(a.sum())
    za = Zw.T @ a
    H = (Zw * a[:, None]).T @ Zw
    g_w = g[work]
    if fit_intercept:
        H -= np.outer(za, za) / a_sum
        g_red = g_w - za * (float(g_c) / a_sum)
    else:
        g_red = g_w
    sub = pen.take(work)
    vw = V[work]
    res = enet_qp(H, H @ vw - g_red, sub.l1, sub.l2, sub.lower, sub.upper, vw, tol=tol * 1e-2)
    dv = res.w - vw
    dc = -(float(g_c) + za @ dv) / a_sum if fit_intercept else 0.0
    pen_now = sub.value(vw)
    decrease = min(float(g_w @ dv + float(g_c) * dc + sub.value(res.w) - pen_now), 0.0)
    f0 = float(sw @ family.loss(eta, y)) + pen_now
    t, eta_t = _line_search(
        family, y, sw, eta, Zw @ dv + dc, f0, decrease, lambda t: sub.value(vw + t * dv)
    )
    if t is None:
        return None
    V = V.copy()
    V[work] = vw + t * dv
    return eta_t, V, C + t * dc


def _newton_step_categorical(family, ops, y, sw, eta, V, C, g, g_c, mu, r, pen, fit_intercept, tol):
    r"""One joint proximal Newton step over every class of the softmax model. The Hessian blocks
    are :math:`Z_W^T\mathrm{diag}(s\mu_k(\delta_{km} - \mu_m))Z_W`; class 0's intercept is held
    (the softmax is invariant to a common shift), the others are eliminated by a Schur
    complement."""
    K = V.shape[1]
    work = np.flatnonzero((np.abs(V).sum(axis=1) != 0) | (np.abs(r).max(axis=1) > tol))
    Zw = ops.columns(work)
    m = work.size
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
    Hxc = Hxc.reshape(m * K, K)
    g_x = g[work].ravel()
    if fit_intercept:
        free_c = np.arange(1, K)
        Hcc_f = Hcc[np.ix_(free_c, free_c)]
        B = Hxc[:, free_c]
        sol = linalg.solve(Hcc_f, np.column_stack([B.T, g_c[free_c]]), assume_a="pos")
        H = H - B @ sol[:, :-1]
        g_red = g_x - B @ sol[:, -1]
    else:
        g_red = g_x
    rep = pen.take(np.repeat(work, K))
    x = V[work].ravel()
    res = enet_qp(H, H @ x - g_red, rep.l1, rep.l2, rep.lower, rep.upper, x, tol=tol * 1e-2)
    dx = res.w - x
    dc = np.zeros(K)
    if fit_intercept:
        dc[free_c] = -linalg.solve(Hcc_f, g_c[free_c] + B.T @ dx, assume_a="pos")
    dV = dx.reshape(m, K)
    pen_now = rep.value(x)
    decrease = min(float(g_x @ dx + g_c @ dc + rep.value(res.w) - pen_now), 0.0)
    f0 = float(sw @ family.loss(eta, y)) + pen_now
    t, eta_t = _line_search(
        family, y, sw, eta, Zw @ dV + dc, f0, decrease, lambda t: rep.value(x + t * dx)
    )
    if t is None:
        return None
    V = V.copy()
    V[work] = V[work] + t * dV
    return eta_t, V, C + t * dc


# --------------------------------------------------------------------------------------------
# Shared first-order optimizers with the proximal step
# --------------------------------------------------------------------------------------------


class _PenalizedSmooth:
    """The mean NLL (value plus the full penalty, gradient of the NLL only; the penalty enters
    through the proximal step) over ``[coef, intercept]`` on an explicit design."""

    def __init__(self, objective: GLMObjective, pen: PenaltyArrays, smooth_l2: bool):
        self.objective, self.pen, self.smooth_l2 = objective, pen, smooth_l2
        self.n_samples = objective.n_samples

    def _pen_value(self, coef):
        if coef.ndim == 2:
            return float(self.pen.l1 @ np.abs(coef).sum(1) + 0.5 * self.pen.l2 @ (coef**2).sum(1))
        return self.pen.value(coef)

    def value(self, params, batch=None):
        return self.objective.value(params, batch) + self._pen_value(params[0])

    def value_and_grad(self, params, batch=None):
        f, (gc, gi) = self.objective.value_and_grad(params, batch)
        if self.smooth_l2:
            l2 = self.pen.l2 if gc.ndim == 1 else self.pen.l2[:, None]
            gc = gc + l2 * params[0]
        return f + self._pen_value(params[0]), [gc, gi]

    def hessian(self, params, batch=None):
        H = self.objective.hessian(params, batch)
        coef = params[0]
        k = 1 if coef.ndim == 1 else coef.shape[1]
        d = np.repeat(self.pen.l2, k)
        H[np.arange(d.size), np.arange(d.size)] += d
        return H


def first_order(
    family,
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
    """Fit with a shared optimizer: the proximal step handles the L1 part (and the box); for a
    smooth penalty (pure L2, no bounds) ``"lbfgs"`` and ``"newton"`` see the L2 term in the
    gradient. Stops when the KKT residual is at most ``tol`` (checked each iteration / epoch).

    Returns ``(coef, intercept, n_iter, kkt, converged, loss)``.
    """
    obj = GLMObjective(
        Z,
        y,
        family.name,
        sample_weight=s,
        offset=offset if family.name != "categorical" else None,
        fit_intercept=fit_intercept,
        n_classes=n_classes,
    )
    smooth = solver in ("lbfgs", "newton")
    wrapped = _PenalizedSmooth(obj, pen, smooth_l2=smooth)
    coef_shape = (Z.shape[1],) if family.name != "categorical" else (Z.shape[1], n_classes)
    params = [
        np.zeros(coef_shape) if v0 is None else np.array(v0, dtype=np.float64).reshape(coef_shape),
        np.asarray(c0, dtype=np.float64),
    ]
    l1 = pen.l1 if family.name != "categorical" else pen.l1[:, None]
    l2 = pen.l2 if family.name != "categorical" else pen.l2[:, None]
    lower = pen.lower if family.name != "categorical" else pen.lower[:, None]
    upper = pen.upper if family.name != "categorical" else pen.upper[:, None]

    def prox(blocks, step):
        t = step[0] if isinstance(step, list) else step  # one step per block, or a scalar
        coef = blocks[0]
        out = soft_threshold(coef, t * l1) / (1.0 + t * l2)
        return [np.clip(out, lower, upper), blocks[1]]

    def kkt_of(params_):
        _, (gc, gi) = obj.value_and_grad(params_)
        r = min_norm_subgradient(params_[0], gc + l2 * params_[0], l1, lower, upper)
        out = float(np.max(np.abs(r), initial=0.0))
        if fit_intercept:
            out = max(out, float(np.max(np.abs(gi))))
        return out

    if smooth:
        bounds = None
        if solver == "lbfgs" and (np.any(np.isfinite(pen.lower)) or np.any(np.isfinite(pen.upper))):
            k = 1 if len(coef_shape) == 1 else coef_shape[1]
            lo, hi = np.repeat(pen.lower, k), np.repeat(pen.upper, k)
            bounds = [
                (a if np.isfinite(a) else None, b if np.isfinite(b) else None)
                for a, b in zip(lo, hi)
            ] + [(None, None)] * int(np.size(c0))
        opt = lbfgs(bounds=bounds) if solver == "lbfgs" else newton()
        res = minimize(wrapped, params, opt, max_iter=max_iter, tol=0.0, gtol=tol, warn=False)
    else:
        opt = proximal_optimizer(solver, learning_rate, prox)

        def stop(info):
            return kkt_of(info.params) <= tol

        res = minimize(
            wrapped,
            params,
            opt,
            batch_size=batch_size,
            max_iter=max_iter,
            tol=0.0,
            gtol=0.0,
            callback=stop,
            random_state=random_state,
            warn=False,
        )
    coef, intercept = res.params
    kkt = kkt_of([coef, intercept])
    loss = obj.value([coef, intercept])
    return coef, intercept, res.n_iter, kkt, kkt <= tol, loss


def lipschitz_bound(Z, weights, factor=1.0) -> float:
    r""":math:`c\,\lambda_{\max}([Z, 1]^T\mathrm{diag}(a)[Z, 1])`: with weights :math:`a`
    summing to 1 and :math:`c` = 1 (gaussian), 1/4 (bernoulli), 1/2 (categorical) a bound on the
    Lipschitz constant of the mean NLL's gradient (for poisson, pass the IRLS weights at the
    start and a safety factor)."""
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
