r"""The multivariate normal distribution."""

from __future__ import annotations

import numpy as np
from scipy import linalg

from ...estimation.domains import Param
from ...estimation.family import Label
from ...estimation.transforms import CholeskyCovariance, Identity
from .base import Distribution
from .common import no_mle
from .normal import Normal

_LOG_2PI = np.log(2.0 * np.pi)


def duplication_matrix(d: int) -> np.ndarray:
    r"""The matrix :math:`D` with :math:`\mathrm{vec}(\Sigma) = D\,\mathrm{vech}(\Sigma)`, vech
    taking the lower triangle row by row (``numpy.tril_indices`` order)."""
    rows, cols = np.tril_indices(d)
    D = np.zeros((d * d, rows.size))
    for k, (i, j) in enumerate(zip(rows, cols)):
        D[i * d + j, k] = D[j * d + i, k] = 1.0
    return D


def _cross_products(data, center) -> np.ndarray:
    r""":math:`\sum_i w_i (x_i - c)(x_i - c)^T`, block by block."""
    d = data.x.shape[1]
    out = np.zeros((d, d))
    for xb, wb in data.chunks():
        r = xb if center is None else xb - center
        out += (r if wb is None else r * wb[:, None]).T @ r
    return out


class MultivariateNormal(Distribution):
    r"""The multivariate normal distribution :math:`N_d(\mu, \Sigma)` (one mean vector and one
    covariance matrix; data are rows of a 2-D array).

    .. math:: \log p(x) = -\tfrac12\left(d\log 2\pi + \log|\Sigma|
              + (x - \mu)^T\Sigma^{-1}(x - \mu)\right).

    Score :math:`\Sigma^{-1}r` for the mean and
    :math:`\tfrac12(\Sigma^{-1}rr^T\Sigma^{-1} - \Sigma^{-1})` for the covariance
    (:math:`r = x - \mu`). Fisher information over (mean, vech Σ): :math:`\Sigma^{-1}` and
    :math:`\tfrac12 D^T(\Sigma^{-1}\otimes\Sigma^{-1})D` (:math:`D` the duplication matrix), no
    cross term.

    **MLE** (closed form): the mean vector and the covariance divided by :math:`n` (the usual
    :math:`n - 1` version is shown by ``summary(usual=True)``). It needs more observations than
    dimensions and a non-singular sample covariance. Labels are ``mean[i]`` and ``cov[i,j]``
    (:math:`i \ge j`). There is no quantile function; ``marginal(i)`` gives a component's
    normal distribution.
    """

    name = "multivariate_normal"
    param_specs = (
        Param("mean", kind="vector", doc="mean vector"),
        Param("cov", kind="matrix", doc="covariance matrix"),
    )
    multivariate = True

    @classmethod
    def _check_array_params(cls, theta, context):
        mean, cov = theta
        if mean.ndim != 1 or mean.size < 1:
            raise ValueError(f"multivariate_normal{context}: mean must be a 1-D vector")
        d = mean.size
        if cov.shape != (d, d):
            raise ValueError(
                f"multivariate_normal{context}: cov must have shape {(d, d)}, got {cov.shape}"
            )
        if not np.all(np.isfinite(mean)) or not np.all(np.isfinite(cov)):
            raise ValueError(f"multivariate_normal{context}: mean and cov must be finite")
        if np.abs(cov - cov.T).max() > 1e-10 * np.abs(cov).max() + 1e-12:
            raise ValueError(f"multivariate_normal{context}: cov must be symmetric")
        try:
            np.linalg.cholesky(cov)
        except np.linalg.LinAlgError:
            raise ValueError(
                f"multivariate_normal{context}: cov must be positive definite"
            ) from None
        return [mean, 0.5 * (cov + cov.T)]

    @property
    def batch_shape(self):
        return ()

    @property
    def dim(self) -> int:
        """The dimension d."""
        return self._theta[0].size

    def _points(self, x):
        x = self._as_points(x)
        if x.shape[-1:] != (self.dim,):
            raise ValueError(f"x must have {self.dim} columns (last axis), got shape {x.shape}")
        return x

    @staticmethod
    def _logpdf(x, mean, cov):
        L = np.linalg.cholesky(cov)
        r = (x - mean).reshape(-1, mean.size)
        z = linalg.solve_triangular(L, r.T, lower=True)
        maha = np.einsum("ij,ij->j", z, z).reshape(np.shape(x)[:-1])
        return -0.5 * (mean.size * _LOG_2PI + 2.0 * np.log(np.diag(L)).sum() + maha)

    def logpdf(self, x):
        """Log density of each row (last axis) of ``x``."""
        out = self._logpdf(self._points(x), *self._theta)
        return out if np.ndim(out) else float(out)

    def cdf(self, x):
        r""":math:`P(X \le x)` componentwise (numerical integration, via scipy)."""
        return self.to_scipy().cdf(self._points(x))

    def sf(self, x):
        raise TypeError("the multivariate normal has no survival function; use cdf or marginal")

    def ppf(self, q):
        raise TypeError(
            "a multivariate distribution has no quantile function; use marginal(i).ppf(q)"
        )

    def marginal(self, i: int) -> Normal:
        """The normal distribution of component ``i``."""
        mean, cov = self._theta
        return Normal(mean[i], np.sqrt(cov[i, i]))

    @staticmethod
    def _sample(rng, shape, mean, cov):
        z = rng.standard_normal((*shape, mean.size))
        return mean + z @ np.linalg.cholesky(cov).T

    @staticmethod
    def _mean(mean, cov):
        return mean.copy()

    @staticmethod
    def _var(mean, cov):
        return np.diag(cov).copy()

    def covariance(self) -> np.ndarray:
        """The covariance matrix."""
        return self._theta[1].copy()

    @staticmethod
    def _scipy(mean, cov):
        from scipy import stats

        return stats.multivariate_normal(mean, cov)

    def score(self, x) -> dict:
        """Per row of ``x``: ``{"mean": (n, d), "cov": (n, d, d)}`` (see the class doc)."""
        mean, cov = self._theta
        prec = np.linalg.inv(cov)
        u = (self._points(x) - mean) @ prec
        return {"mean": u, "cov": 0.5 * (u[..., :, None] * u[..., None, :] - prec)}

    def fisher_information(self) -> np.ndarray:
        """Over the labels ``mean[0..d-1]`` then ``cov[i,j]`` (i >= j, row by row)."""
        return self._fisher_matrix(self._theta[1])

    @staticmethod
    def _fisher_matrix(cov) -> np.ndarray:
        d = cov.shape[0]
        prec = np.linalg.inv(cov)
        D = duplication_matrix(d)
        block = 0.5 * D.T @ np.kron(prec, prec) @ D
        m = D.shape[1]
        out = np.zeros((d + m, d + m))
        out[:d, :d], out[d:, d:] = prec, block
        return out

    # ---- fitting ----------------------------------------------------------------------------

    @classmethod
    def _scatter(cls, data):
        r"""``(W, mean, S)``: the weighted mean and covariance (divided by W)."""

        def compute():
            W = data.n
            mean = data.sum_x() / W
            second = _cross_products(data, None) / W  # sum w x x^T / W, no temporaries
            S = second - np.outer(mean, mean)
            if np.all(np.diag(S) > 1e-3 * np.diag(second)):
                return W, mean, 0.5 * (S + S.T)
            # the mean is large against the spread: centre first (no cancellation)
            return W, mean, _cross_products(data, mean) / W

        return data.cached("scatter", compute)

    @classmethod
    def check_data(cls, data, fixed):
        d = data.x.shape[1]
        for name in ("mean", "cov"):
            if name in fixed and np.shape(fixed[name])[0] != d:
                raise ValueError(
                    f"fixed {name} has dimension {np.shape(fixed[name])[0]}, x has {d} columns"
                )

    @classmethod
    def loglik_total(cls, data, mean, cov):
        r"""From the scatter matrix: :math:`-\tfrac n2(d\log 2\pi + \log|\Sigma| +
        \mathrm{tr}(\Sigma^{-1}A))`. The scatter is rounded, and :math:`\Sigma^{-1}` multiplies
        that rounding by :math:`\Sigma`'s condition number; above 1e4 the sum runs over the rows
        instead (whitened residuals, accurate to about its square root)."""
        eig = np.linalg.eigvalsh(cov)
        if eig[-1] > 1e4 * eig[0]:
            return float(
                sum(data.total_block(cls._logpdf(xb, mean, cov), wb) for xb, wb in data.chunks())
            )
        W, xbar, S = cls._scatter(data)
        delta = xbar - mean
        L = np.linalg.cholesky(cov)
        scatter = S + np.outer(delta, delta)
        trace = np.trace(linalg.cho_solve((L, True), scatter))
        return -0.5 * W * (mean.size * _LOG_2PI + 2.0 * np.log(np.diag(L)).sum() + trace)

    @classmethod
    def loglik_derivatives(cls, data, theta, order=1):
        mean, cov = theta
        W, xbar, S = cls._scatter(data)
        prec = np.linalg.inv(cov)
        delta = xbar - mean
        A = S + np.outer(delta, delta)
        grad = [W * prec @ delta, 0.5 * W * (prec @ A @ prec - prec)]
        return float(cls.loglik_total(data, mean, cov)), grad, None

    @classmethod
    def closed_form_mle(cls, data, fixed):
        W, xbar, S = cls._scatter(data)
        d = xbar.size
        out = {}
        mean = np.asarray(fixed.get("mean", xbar), dtype=np.float64)
        if "mean" not in fixed:
            out["mean"] = xbar
        if "cov" not in fixed:
            if W <= d:
                raise no_mle(cls, f"it needs more observations ({W:g}) than dimensions ({d})")
            cov = S + np.outer(xbar - mean, xbar - mean)
            eig = np.linalg.eigvalsh(cov)
            if eig[0] <= 1e-12 * max(eig[-1], 1e-300):
                raise no_mle(cls, "the sample covariance is singular (collinear columns)")
            out["cov"] = cov
        return out

    start_values = closed_form_mle

    @classmethod
    def transforms(cls, theta):
        return [Identity(), CholeskyCovariance(theta[0].size)]

    @classmethod
    def labels(cls, theta, free):
        d = theta[0].size
        out = []
        if "mean" in free:
            out += [Label(f"mean[{i}]", "mean", (i,), "identity") for i in range(d)]
        if "cov" in free:
            rows, cols = np.tril_indices(d)
            out += [
                Label(f"cov[{i},{j}]", "cov", (i, j), "log" if i == j else "identity")
                for i, j in zip(rows, cols)
            ]
        return out

    @classmethod
    def asymptotic_covariance(cls, data, theta, free):
        d = theta[0].size
        inv = np.linalg.inv(cls._fisher_matrix(theta[1])) / data.n
        keep = []
        if "mean" in free:
            keep += list(range(d))
        if "cov" in free:
            keep += list(range(d, inv.shape[0]))
        return inv[np.ix_(keep, keep)]

    @classmethod
    def on_boundary(cls, theta, free):
        return []

    @classmethod
    def usual_estimates(cls, data, theta, free):
        W = data.n
        if "cov" not in free or "mean" not in free or W <= 1:
            return {}
        rows, cols = np.tril_indices(theta[0].size)
        return {f"cov[{i},{j}]": float(theta[1][i, j] * W / (W - 1.0)) for i, j in zip(rows, cols)}

    @classmethod
    def profile_loglik(cls, data, theta, fixed, label, value):
        if not label.startswith("mean[") or fixed:
            return super().profile_loglik(data, theta, fixed, label, value)
        i = int(label[len("mean[") : -1])
        W, xbar, S = cls._scatter(data)
        best = cls.loglik_total(data, xbar, S)
        return float(best - 0.5 * W * np.log1p((xbar[i] - value) ** 2 / S[i, i]))
