r"""A penalised GLM on validated data: the one engine behind the estimators, paths and CV.

:class:`PenalizedGLM` holds the data (never copied), the centring and scaling of the columns
(``standardize``: :math:`v_j = \sigma_j w_j`, the penalty on :math:`v`, glmnet's convention),
the penalty per unit ``alpha``, and the solver state that can be shared between fits (the Gram
matrix or the working-set Gram cache of the Gaussian family). It solves at one ``alpha``
(:meth:`PenalizedGLM.solve`), along a decreasing sequence with warm starts and strong-rule
screening (:meth:`PenalizedGLM.path`), and maps solutions back to the original scale with the
fit statistics (:meth:`PenalizedGLM.assess`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._blas import single_threaded_blas
from ..models.glm.data import GLMData
from ..models.glm.design import StandardizedDesign, column_moments, column_scales
from ..models.likelihoods import Likelihood, profiled_gaussian_loglik
from .gaussian import GaussianDesign, gaussian_dual_gap, gaussian_problem, shrunk_trace
from .penalties import Penalty, PenaltyArrays
from .prox_newton import prox_newton

__all__ = ["Fit", "PenalizedGLM"]

_STEP = 0.2  # ratio of successive alphas when a cold start follows a short path
_RIDGE_LIKE = 1e-3  # l1_ratio used for the alpha grid of pure ridge (glmnet's convention)


class Fit(NamedTuple):
    """A solution in solver coordinates: coefficients ``v`` ((p,) or (p, K)) and intercept
    ``c`` of the centred design (None when it is profiled out: the exact Gaussian solvers),
    with its diagnostics."""

    v: np.ndarray
    c: object
    n_iter: int
    kkt: float
    converged: bool


class PenalizedGLM:
    """The problem :math:`\\min_{w,b} F(w, b) + h_\\alpha(w)` for one family and data set.

    Parameters
    ----------
    likelihood : Likelihood
    data : GLMData
        Validated data (class codes for classifiers).
    l1_ratio, penalty_factor, positive, bounds
        The penalty per unit alpha (see :class:`~loglik.regularization.penalties.Penalty`).
    fit_intercept, standardize : bool
    n_classes : int, optional
        Categorical family.
    gram : bool, optional
        Gaussian family: form the full Gram matrix (True), or work on column subsets (False);
        default: the Gram matrix when p <= n, except for a single fit on many columns
        (``single_alpha``; see :func:`~loglik.regularization.gaussian.use_gram_matrix`).
    single_alpha : bool
        The problem will be solved at one alpha (an estimator's ``fit``), not along a path.
    stats : (GaussianStats, shift_x, shift_y), optional
        Precomputed Gaussian sufficient statistics of these rows (cross-validation).
    """

    def __init__(
        self,
        likelihood: Likelihood,
        data: GLMData,
        *,
        l1_ratio=1.0,
        penalty_factor=None,
        positive=False,
        bounds=None,
        fit_intercept=True,
        standardize=False,
        n_classes=None,
        gram=None,
        stats=None,
        single_alpha=False,
    ):
        self.likelihood, self.data = likelihood, data
        self.fit_intercept, self.standardize = bool(fit_intercept), bool(standardize)
        self.n_classes = n_classes
        self.template = Penalty(
            1.0, l1_ratio, penalty_factor=penalty_factor, positive=positive, bounds=bounds
        )
        X, s = data.X, data.sample_weight
        self.gaussian = None
        if likelihood.least_squares:
            self.gaussian = gaussian_problem(
                X,
                data.y - data.offset,
                s,
                fit_intercept=self.fit_intercept,
                standardize=self.standardize,
                gram=gram,
                single_alpha=single_alpha,
                stats=stats,
            )
            g = self.gaussian
            mean, scale, excluded, self.sd = g.mean_x, g.scale, g.excluded, g.sd
        else:
            mean, var = column_moments(X, s, self.fit_intercept)
            self.sd, excluded, scale = column_scales(var, mean, self.standardize)
        self.mean, self.scale, self.excluded = mean, scale, excluded
        self.design = StandardizedDesign(X, mean, scale, excluded)
        self.base = self.template.arrays(data.p, scale, excluded)
        self._null = None

    # -- penalty and scale ---------------------------------------------------------------------

    def penalty(self, alpha) -> PenaltyArrays:
        """The penalty arrays at ``alpha`` in solver coordinates."""
        return self.base.scaled(alpha)

    @property
    def penalised(self):
        return (self.base.l1 > 0) | (self.base.l2 > 0)

    def null_fit(self) -> Fit:
        """The fit with every penalised coefficient at 0 (unpenalised ones free): the solution
        for every alpha >= alpha_max."""
        if self._null is None:
            pin = self.penalised | self.excluded
            lik, data = self.likelihood, self.data
            if np.all(pin) and not lik.multinomial and self.gaussian is None:
                c = 0.0
                if self.fit_intercept:
                    c = float(lik.intercept_only(data.y, data.sample_weight, data.offset))
                self._null = Fit(np.zeros(data.p), c, 0, 0.0, True)
                return self._null
            self._null = self._solve(self.base.pinned(pin), None, None, tol=1e-12, max_iter=200)
        return self._null

    def start_intercept(self):
        """The intercept a first-order solver starts from: the null fit's (for the Gaussian
        problem, whose solvers profile it out, the mean response)."""
        null = self.null_fit()
        if self.gaussian is None:
            return null.c
        return self.gaussian.mean_y if self.fit_intercept else 0.0

    def null_gradient(self):
        """The mean-NLL gradient over the coefficients at :meth:`null_fit`."""
        return self.gradient(self.null_fit())

    def gradient(self, fit: Fit):
        if self.gaussian is not None and fit.c is None:
            return self.gaussian.gradient(fit.v)
        eta = self.design.eta(fit.v, fit.c) + self._offset()
        dloss = self.likelihood.gradient(eta, self.data.y)
        sw = self.data.sample_weight / self.data.sample_weight.sum()
        R = sw[:, None] * dloss if dloss.ndim == 2 else sw * dloss
        return self.design.rmatvec(R)

    def grad_scale(self) -> float:
        """The largest entry of :meth:`null_gradient` (the unit of the relative ``tol``)."""
        g = np.abs(self.null_gradient())
        top = float(np.max(g, initial=0.0))
        return top if top > 1e-300 else 1.0

    def alpha_max(self) -> float:
        r"""The smallest alpha at which every penalised coefficient is 0:
        :math:`\max_j |\nabla_j L(\text{null})| / (\rho f_j)` (in the directions the bounds allow);
        for pure ridge, with :math:`\rho = 10^{-3}` as glmnet does."""
        g = self.null_gradient()
        b = self.base
        rho = self.template.l1_ratio if self.template.l1_ratio > 0 else _RIDGE_LIKE
        factor = np.broadcast_to(
            1.0 if self.template.penalty_factor is None else self.template.penalty_factor,
            b.l1.shape,
        )
        if g.ndim == 2:
            up = np.max(np.where((b.upper > 0)[:, None], -g, 0.0), axis=1)
            down = np.max(np.where((b.lower < 0)[:, None], g, 0.0), axis=1)
        else:
            up = np.where(b.upper > 0, -g, 0.0)
            down = np.where(b.lower < 0, g, 0.0)
        viol = np.maximum(np.maximum(up, down), 0.0)
        ok = (factor > 0) & ~self.excluded
        if not ok.any():
            return 1.0
        top = float(np.max(viol[ok] / (rho * factor[ok])))
        return top if top > 0 else 1.0

    # -- solving -------------------------------------------------------------------------------

    def ridge_closed_form(self, pen) -> bool:
        """Gaussian ridge without bounds and with every column penalised: one linear solve."""
        return (
            self.gaussian is not None
            and not np.any(pen.l1)
            and bool(np.all((pen.l2 > 0) | self.excluded))
            and bool(np.all(np.isinf(self.base.lower[~self.excluded])))
            and bool(np.all(np.isinf(self.base.upper[~self.excluded])))
        )

    def _offset(self):
        o = self.data.offset
        return o[:, None] if self.likelihood.multinomial else o

    def _solve(self, pen, start: Fit | None, candidates, *, tol, max_iter) -> Fit:
        with single_threaded_blas():  # many small factorisations: threads only get in the way
            return self._solve_now(pen, start, candidates, tol=tol, max_iter=max_iter)

    def _solve_now(self, pen, start: Fit | None, candidates, *, tol, max_iter) -> Fit:
        if self.gaussian is not None:
            v0 = None if start is None else start.v
            if self.ridge_closed_form(pen):
                res = self.gaussian.ridge(pen)
            elif isinstance(self.gaussian, GaussianDesign):
                res = self.gaussian.solve(pen, v0, tol=tol, candidates=candidates)
            else:
                res = self.gaussian.solve(pen, v0, tol=tol)
            return Fit(res.w, None, res.n_iter, res.kkt, res.converged)
        v0, c0 = (None, None) if start is None else (start.v, start.c)
        res = prox_newton(
            self.likelihood,
            self.design,
            self.data.y,
            self.data.sample_weight,
            self.data.offset,
            pen,
            v0,
            c0,
            fit_intercept=self.fit_intercept,
            tol=tol,
            max_iter=max_iter,
            n_classes=self.n_classes,
        )
        return Fit(res.coef, res.intercept, res.n_iter, res.kkt, res.converged)

    def solve(self, alpha, start: Fit | None = None, *, tol=1e-7, max_iter=100) -> Fit:
        """The solution at ``alpha`` (``tol`` relative to :meth:`grad_scale`). A cold start on
        a wide (p > n) Gaussian problem follows a short geometric path from alpha_max, which
        keeps the working sets small; other problems start from the null fit."""
        wide = isinstance(self.gaussian, GaussianDesign) and self.data.p > self.data.n
        if start is None:
            top = self.alpha_max()
            if wide and self.template.l1_ratio > 0 and alpha < top * _STEP:
                steps = int(np.ceil(np.log(alpha / top) / np.log(_STEP)))
                grid = np.geomspace(top, alpha, steps + 1)[1:]
                return self.path(grid, tol=tol, max_iter=max_iter)[-1]
            start = self.null_fit()
        return self._solve(
            self.penalty(alpha), start, None, tol=tol * self.grad_scale(), max_iter=max_iter
        )

    def path(self, alphas, *, tol=1e-7, max_iter=100, start=None, callback=None) -> list:
        """Solutions along decreasing ``alphas``, each warm-started from the previous one; the
        working set of a p > n Gaussian problem starts from the sequential strong rule
        :math:`|\\nabla_j L(\\alpha_{k-1})| \\ge \\rho f_j (2\\alpha_k - \\alpha_{k-1})`."""
        fits = []
        prev_fit = self.null_fit() if start is None else start
        prev_alpha = None
        tol_abs = tol * self.grad_scale()
        for alpha in alphas:
            candidates = None
            if isinstance(self.gaussian, GaussianDesign):
                g = np.abs(self.gaussian.gradient(prev_fit.v))
                ref = self.alpha_max() if prev_alpha is None else prev_alpha
                strong = (g >= self.base.l1 * (2 * alpha - ref)) & (self.base.l1 > 0)
                strong[prev_fit.v != 0] = False
                candidates = np.flatnonzero(strong)
                limit = max(16, int(np.count_nonzero(prev_fit.v)))
                if candidates.size > limit:  # a weak rule (big step): keep the strongest
                    candidates = candidates[np.argsort(-g[candidates])[:limit]]
            fit = self._solve(
                self.penalty(alpha), prev_fit, candidates, tol=tol_abs, max_iter=max_iter
            )
            fits.append(fit)
            prev_fit, prev_alpha = fit, alpha
            if callback is not None:
                callback(fit)
        return fits

    # -- results -------------------------------------------------------------------------------

    def original(self, fit: Fit):
        """``(coef, intercept)`` on the original scale: coef (p,) or (K, p)."""
        v = fit.v
        if v.ndim == 2:
            coef = v / self.scale[:, None]
            intercept = np.asarray(fit.c, dtype=np.float64) - self.mean @ coef
            return coef.T, intercept
        coef = v / self.scale
        if not self.fit_intercept:
            intercept = 0.0
        elif fit.c is None:
            intercept = self.gaussian.mean_y - self.mean @ coef
        else:
            intercept = float(fit.c) - self.mean @ coef
        return coef, float(intercept)

    def coefficients(self, fit: Fit):
        """``(coef, intercept)`` as the estimators report them: :meth:`original`, the softmax
        intercepts centred (glmnet's convention: the softmax is invariant to a common shift)."""
        coef, intercept = self.original(fit)
        if self.likelihood.multinomial:
            intercept = intercept - intercept.mean()
        return coef, intercept

    def fit_from(self, coef, intercept) -> Fit | None:
        """A reported solution ``(coef, intercept)`` as a start in solver coordinates; None when
        its shape does not fit this problem."""
        coef = np.asarray(coef, dtype=np.float64)
        multinomial = self.likelihood.multinomial
        expected = (self.n_classes, self.data.p) if multinomial else (self.data.p,)
        if coef.shape != expected:
            return None
        w = coef.T if multinomial else coef
        v = w * (self.scale[:, None] if multinomial else self.scale)
        c = np.asarray(intercept, dtype=np.float64) + self.mean @ w
        return Fit(v, None if self.gaussian is not None else c, 0, np.inf, False)

    def linear_predictor(self, fit: Fit):
        coef, intercept = self.original(fit)
        X = self.data.X
        if coef.ndim == 2:
            return X @ coef.T + intercept
        return X @ coef + intercept + self.data.offset

    def assess(self, fit: Fit, alpha) -> dict:
        with single_threaded_blas():
            return self._assess(fit, alpha)

    def _assess(self, fit: Fit, alpha) -> dict:
        r"""Fit statistics: mean NLL ``loss``, penalised ``objective``, full ``loglik``,
        ``deviance``, effective degrees of freedom ``df`` (:math:`\mathrm{tr}\,H_A(H_A +
        \mathrm{diag}(\mu_A))^{-1}` over the nonzero coefficients, :math:`H` the IRLS-weighted
        Gram matrix, plus the intercepts), ``aic``, ``bic``, ``dual_gap`` (Gaussian). For the
        Gaussian family with a Gram matrix everything comes from it, without touching X."""
        data = self.data
        pen = self.penalty(alpha)
        if self.gaussian is not None and fit.c is None:
            out = self._gaussian_statistics(fit.v, pen)
        else:
            out = self._likelihood_statistics(fit, pen)
        out["objective"] = out["loss"] + pen.value(fit.v)
        out["aic"] = -2 * out["loglik"] + 2 * out["df"]
        out["bic"] = -2 * out["loglik"] + np.log(data.n_eff) * out["df"]
        return out

    def _gaussian_statistics(self, v, pen) -> dict:
        s = self.data.sample_weight
        terms = self.gaussian.residual_terms(v)
        loss = 0.5 * terms[0]
        rss = 2.0 * loss * float(s.sum())
        rows = s > 0
        return {
            "loss": loss,
            "loglik": profiled_gaussian_loglik(max(rss, 1e-300), self.data.n_eff, s[rows]),
            "deviance": rss,
            "df": float(self.fit_intercept) + self.gaussian.coefficient_df(v, pen),
            "dual_gap": gaussian_dual_gap(self.gaussian, v, pen, terms),
        }

    def _likelihood_statistics(self, fit: Fit, pen) -> dict:
        lik, data = self.likelihood, self.data
        y, s = data.y, data.sample_weight
        eta = self.linear_predictor(fit)
        return {
            "loss": float(s / s.sum() @ lik.nll(eta, y)),
            "loglik": lik.log_likelihood(y, eta, s),
            "deviance": lik.deviance(y, eta, s),
            "df": self._effective_df(fit, eta, pen),
            "dual_gap": None,
        }

    def _effective_df(self, fit, eta, pen) -> float:
        V = fit.v if fit.v.ndim == 2 else fit.v[:, None]
        s = self.data.sample_weight
        sw = s / s.sum()
        curv = self.likelihood.curvature(eta, self.data.y)
        total = 0.0
        for k in range(V.shape[1]):
            active = np.flatnonzero(V[:, k])
            if active.size == 0:
                continue
            a = sw * curv[:, k]
            Z = self.design.columns(active)
            if self.fit_intercept:
                Z = Z - (a @ Z) / max(a.sum(), 1e-300)
            total += shrunk_trace((Z * a[:, None]).T @ Z, pen.l2[active])
        return total + (V.shape[1] if self.fit_intercept else 0)
