r"""The Gaussian penalised problem: least squares, solved exactly by the active-set QP.

With the intercept profiled out (weighted centring) the mean NLL is the quadratic

.. math:: L(v) = \tfrac12 v^TGv - q^Tv + \tfrac12 y_c^TSy_c,
          \qquad G = Z^TSZ,\quad q = Z^TSy_c,

:math:`Z` the centred, optionally standardised design and :math:`S` the weights summing to 1.
With n ≥ p, :class:`GaussianGram` forms :math:`G` once from weighted sufficient statistics
(:class:`GaussianStats`, additive over rows, so cross-validation folds cost a subtraction); with
p > n, :class:`GaussianDesign` forms only the Gram matrix of a working set of columns, grown by
the KKT violators of the full gradient. Both solve by :func:`~loglik.regularization.qp.enet_qp`,
give ridge in closed form, the duality gap (:func:`gaussian_dual_gap`) and the effective degrees
of freedom.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import linalg

from ..models.glm.design import chunk_rows, column_moments, column_scales
from .penalties import PenaltyArrays
from .qp import QPResult, enet_qp, gram_product, solve_psd

__all__ = [
    "GaussianDesign",
    "GaussianGram",
    "GaussianStats",
    "gaussian_dual_gap",
    "gaussian_problem",
    "shrunk_trace",
    "use_gram_matrix",
]


def _same_support_solution(G_SS, q_S, l1_S, l2_S, signs):
    """The minimiser on a support with given signs (one Cholesky solve), or None when the
    signs do not hold: the first try of a warm-started solve along a path, where the support
    usually does not change between neighbouring alphas (the lasso path is linear between its
    kinks)."""
    A = G_SS.copy()
    A.flat[:: A.shape[0] + 1] += l2_S
    x, _ = solve_psd(A, q_S - l1_S * signs, exact_only=True)
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
        step = chunk_rows(p)
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


_GRAM_COLUMNS = 128  # a single fit on more columns works on the columns it needs


def use_gram_matrix(n, p, single_alpha) -> bool:
    """Whether a Gaussian problem forms the full Gram matrix. It costs about p/10 passes over X
    (a BLAS rank-n update); a working-set solve costs a few passes (column moments, one
    gradient per outer iteration) plus the Gram columns of the working set. A path ends with
    most columns in play, so it wants the Gram matrix whenever p <= n; a single fit does only
    when p is small."""
    if p > n:
        return False
    return not single_alpha or p < _GRAM_COLUMNS


def gaussian_problem(
    X, y, s, *, fit_intercept, standardize, gram=None, single_alpha=False, stats=None
):
    """:class:`GaussianGram` or :class:`GaussianDesign` for the response ``y`` (offset
    subtracted): the Gram matrix when ``gram`` (default :func:`use_gram_matrix`), from
    ``stats = (GaussianStats, shift_x, shift_y)`` when given (cross-validation folds)."""
    use_gram = use_gram_matrix(X.shape[0], X.shape[1], single_alpha) if gram is None else gram
    if not use_gram:
        return GaussianDesign(X, y, s, fit_intercept=fit_intercept, standardize=standardize)
    if stats is None:
        stats = GaussianStats.about_means(X, y, s, fit_intercept)
    st, shift_x, shift_y = stats
    return GaussianGram(st, shift_x, shift_y, fit_intercept=fit_intercept, standardize=standardize)


class _GaussianProblem:
    """What the two forms of the Gaussian problem share."""

    q: np.ndarray

    def null_gradient(self):
        """Gradient of L at v = 0 (its negative is the correlation with the response)."""
        return -self.q

    def coefficient_df(self, v, pen: PenaltyArrays) -> float:
        r"""The effective degrees of freedom of the coefficients:
        :math:`\mathrm{tr}\,G_A(G_A + \mathrm{diag}(\mu_A))^{-1}` over the nonzero ones A."""
        active = np.flatnonzero(v)
        if active.size == 0:
            return 0.0
        return self._active_df(active, pen.l2[active])


class GaussianGram(_GaussianProblem):
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
        self.sd, self.excluded, self.scale = column_scales(
            np.diag(G).copy(), self.mean_x, standardize
        )
        G = G / np.outer(self.scale, self.scale)
        q = q / self.scale
        G[self.excluded, :] = 0.0
        G[:, self.excluded] = 0.0
        q[self.excluded] = 0.0
        self.G, self.q = G, q
        self.p = q.size
        self.n_rows = W

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
        Gv = gram_product(self.G, v)
        return float(max(0.5 * self.yy - self.q @ v + 0.5 * v @ Gv, 0.0))

    def gradient(self, v):
        return gram_product(self.G, v) - self.q

    def residual_terms(self, v):
        """``(||r||^2_S, r^T S y_c, Z^T S r)`` for the duality gap."""
        Gv = self.gradient(v) + self.q
        rr = max(self.yy - 2 * self.q @ v + v @ Gv, 0.0)
        return rr, self.yy - self.q @ v, self.q - Gv

    def _active_df(self, active, ridge):
        return shrunk_trace(self.G[np.ix_(active, active)], ridge)


class GaussianDesign(_GaussianProblem):
    r"""The Gaussian problem for p > n: the same :math:`L(v)` as :class:`GaussianGram`, but only
    the Gram matrix of a working set of columns is formed (grown by KKT violators); the full
    gradient :math:`-Z^TSr` costs one pass over X."""

    def __init__(self, X, y, s, *, fit_intercept, standardize):
        self.X = X
        sw = s / s.sum()
        self.sqrt_w = np.sqrt(sw)
        self.mean_x, var = column_moments(X, s, fit_intercept)
        self.mean_y = float(sw @ y) if fit_intercept else 0.0
        self.sd, self.excluded, self.scale = column_scales(var, self.mean_x, standardize)
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
        return self.u - gram_product(self._Zs, on_cache)

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
        if support.size and pen.unboxed:
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

    def _active_df(self, active, ridge):
        pos = self._positions(active)  # may grow the cache: index it afterwards
        if active.size > self.n_rows and np.all(ridge == ridge[0]):
            # the same nonzero spectrum from the n x n side: Zs Zs^T
            Zs = self._Zs[:, pos]
            return shrunk_trace(Zs @ Zs.T, np.full(self.n_rows, ridge[0]))
        return shrunk_trace(self._G[np.ix_(pos, pos)], ridge)


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


def shrunk_trace(H, ridge) -> float:
    r""":math:`\mathrm{tr}\,H(H + \mathrm{diag}(\mu))^{-1}`: the degrees of freedom of a ridge
    fit on these columns; their number when :math:`\mu = 0` (Zou, Hastie & Tibshirani 2007:
    the lasso's unbiased df estimate)."""
    if not np.any(ridge):
        return float(H.shape[0])  # the lasso's df: the number of nonzero coefficients
    if np.all(ridge == ridge[0]):  # a uniform ridge: from the spectrum, sum of l/(l + mu)
        eig = np.maximum(linalg.eigvalsh(H, check_finite=False), 0.0)
        return float(np.sum(eig / (eig + ridge[0])))
    reg = H + np.diag(ridge)
    try:
        return float(np.trace(linalg.solve(reg, H, assume_a="pos")))
    except (linalg.LinAlgError, ValueError):
        return float(np.trace(np.linalg.pinv(reg) @ H))
