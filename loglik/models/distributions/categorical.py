r"""The categorical distribution on 0, 1, ..., K-1."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.domains import Param, Support, check_support
from ...estimation.family import Conjugate, Label
from ...estimation.transforms import Simplex
from .base import Distribution


class Categorical(Distribution):
    r"""The categorical distribution: :math:`P(X = j) = p_j`, :math:`j = 0, \ldots, K-1`.

    ``probs`` is a vector of :math:`K` non-negative probabilities summing to one (a batch:
    an array whose last axis holds them).

    .. math:: \log p(x) = \log p_x.

    The free parameters are :math:`p_0, \ldots, p_{K-2}` (:math:`p_{K-1} = 1 - \sum_{j<K-1}
    p_j`): score :math:`[x = j]/p_j - [x = K-1]/p_{K-1}`, Fisher information
    :math:`\mathrm{diag}(1/p_j) + 1/p_{K-1}`.

    **MLE** (closed form): the observed proportions, with :math:`K` = the largest value + 1;
    their covariance :math:`(\mathrm{diag}(p) - pp^T)/n` (multinomial) is reported for all
    :math:`K` entries, Wald intervals on the logit scale, profile intervals in closed form.
    A category never observed has :math:`\hat p_j = 0`, a boundary estimate. Gradient-based
    fits (``optimizer=``) work on the softmax (additive log-ratio) scale.
    """

    name = "categorical"
    param_specs = (Param("probs", kind="vector", doc="probabilities of 0, ..., K-1"),)
    support = Support(0.0, np.inf, low_open=False, high_open=False, integer=True)
    discrete = True

    @classmethod
    def _check_array_params(cls, theta, context):
        p = theta[0]
        if p.ndim == 0 or p.shape[-1] < 1:
            raise ValueError(f"categorical{context}: probs must be a vector, got {p!r}")
        if not np.all(np.isfinite(p)) or np.any(p < 0):
            raise ValueError(
                f"categorical{context}: probs must be finite and non-negative, got {p!r}"
            )
        total = p.sum(axis=-1)
        if not np.allclose(total, 1.0, rtol=0.0, atol=1e-8):
            raise ValueError(f"categorical{context}: probs must sum to 1, they sum to {total!r}")
        return [p / total[..., None]]

    @property
    def batch_shape(self):
        return self._theta[0].shape[:-1]

    @classmethod
    def _bounds(cls, probs):
        return 0.0, probs.shape[-1] - 1.0

    @staticmethod
    def _pick(table, x):
        """``table[..., x]`` with x's shape broadcast against the batch."""
        idx = np.asarray(x).astype(np.intp)
        if table.ndim == 1:
            return table[idx]
        shape = np.broadcast_shapes(idx.shape, table.shape[:-1])
        idx = np.broadcast_to(idx, shape)[..., None]
        return np.take_along_axis(np.broadcast_to(table, (*shape, table.shape[-1])), idx, -1)[
            ..., 0
        ]

    @classmethod
    def _logpdf(cls, x, probs):
        with np.errstate(divide="ignore"):
            return cls._pick(np.log(probs), x)

    @classmethod
    def _cdf(cls, x, probs):
        return cls._pick(np.cumsum(probs, axis=-1), x)

    @staticmethod
    def _ppf(q, probs):
        cum = np.cumsum(probs, axis=-1)
        below = (np.asarray(q)[..., None] > cum).sum(axis=-1)
        return np.minimum(below, probs.shape[-1] - 1).astype(np.float64)

    @classmethod
    def _sample(cls, rng, shape, probs):
        return cls._ppf(rng.random(shape), probs)

    @staticmethod
    def _mean(probs):
        return probs @ np.arange(probs.shape[-1], dtype=np.float64)

    @staticmethod
    def _var(probs):
        k = np.arange(probs.shape[-1], dtype=np.float64)
        m = probs @ k
        return probs @ (k * k) - m * m

    @staticmethod
    def _scipy(probs):
        from scipy import stats

        if probs.ndim != 1:
            raise ValueError("to_scipy() needs a single probability vector, not a batch")
        return stats.rv_discrete(values=(np.arange(probs.size), probs))

    @staticmethod
    def _score(x, probs):
        K = probs.shape[-1]
        onehot = (np.asarray(x)[..., None] == np.arange(K)).astype(np.float64)
        return (onehot[..., :-1] / probs[..., :-1] - onehot[..., -1:] / probs[..., -1:],)

    def fisher_information(self) -> np.ndarray:
        r"""The information of one observation over the free :math:`p_0..p_{K-2}`:
        :math:`\mathrm{diag}(1/p_j) + 1/p_{K-1}`."""
        p = self._theta[0]
        diag = np.eye(p.shape[-1] - 1) / p[..., :-1, None]
        return diag + 1.0 / p[..., -1, None, None]

    # ---- fitting ----------------------------------------------------------------------------

    @classmethod
    def _counts(cls, data, size=None) -> np.ndarray:
        rows = data.compressed()
        top = int(rows.x[-1]) + 1
        counts = np.zeros(max(top, size or 0))
        counts[rows.x.astype(np.intp)] = rows.w
        return counts

    @classmethod
    def check_data(cls, data, fixed):
        size = np.size(fixed["probs"]) if "probs" in fixed else np.inf
        check_support(
            cls, data, Support(0.0, size - 1.0, low_open=False, high_open=False, integer=True)
        )

    @classmethod
    def loglik_total(cls, data, probs):
        counts = cls._counts(data, np.shape(probs)[-1])
        return float(special.xlogy(counts, probs).sum())

    @classmethod
    def loglik_derivatives(cls, data, theta, order=1):
        probs = theta[0]
        counts = cls._counts(data, probs.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            grad = np.where(counts > 0, counts / probs, 0.0)
        return float(special.xlogy(counts, probs).sum()), [grad], None

    @classmethod
    def closed_form_mle(cls, data, fixed):
        if "probs" in fixed:
            return {}
        return {"probs": cls._counts(data) / data.n}

    @classmethod
    def start_values(cls, data, fixed):
        counts = cls._counts(data) + 0.5
        return {"probs": fixed.get("probs", counts / counts.sum())}

    @classmethod
    def transforms(cls, theta):
        return [Simplex(theta[0].size)]

    @classmethod
    def labels(cls, theta, free):
        if "probs" not in free:
            return []
        return [Label(f"probs[{j}]", "probs", (j,), "logit") for j in range(theta[0].size)]

    @classmethod
    def conjugate_posterior(cls, data, fixed, prior):
        r"""Dirichlet(alpha) on probs -> Dirichlet(alpha + counts), K = the prior's length. The
        Laplace covariance of the log-posterior over the free :math:`p_0..p_{K-2}`, mapped to
        all K entries (:math:`p_{K-1} = 1 - \sum`)."""
        from .dirichlet import Dirichlet

        if set(prior) != {"probs"} or not isinstance(prior["probs"], Dirichlet):
            return None
        alpha = prior["probs"]._theta[0]
        check_support(cls, data, Support(0.0, alpha.size - 1.0, False, False, True))
        posterior = Dirichlet(alpha + cls._counts(data, alpha.size))
        mode = posterior.mode()
        post_alpha = posterior._theta[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            curvature = (post_alpha - 1.0) / mode**2
        interior = np.isfinite(curvature)
        jac = np.vstack([np.eye(alpha.size - 1), -np.ones(alpha.size - 1)])
        cov = np.zeros((alpha.size, alpha.size))
        if interior.all():
            info = np.diag(curvature[:-1]) + curvature[-1]
            cov = jac @ np.linalg.inv(info) @ jac.T

        def intervals(level):
            a = 0.5 * (1.0 - level)
            return {
                f"probs[{j}]": tuple(float(v) for v in posterior.marginal(j).ppf([a, 1.0 - a]))
                for j in range(alpha.size)
            }

        return Conjugate(posterior, {"probs": mode}, intervals, cov)

    @classmethod
    def n_free(cls, theta, free):
        return theta[0].size - 1 if "probs" in free else 0

    @classmethod
    def asymptotic_covariance(cls, data, theta, free):
        p = theta[0]
        return (np.diag(p) - np.outer(p, p)) / data.n

    @classmethod
    def on_boundary(cls, theta, free):
        if "probs" not in free:
            return []
        p = theta[0]
        return [f"probs[{j}]" for j in np.flatnonzero((p == 0) | (p == 1))]

    @classmethod
    def profile_loglik(cls, data, theta, fixed, label, value):
        j = int(label[len("probs[") : -1])
        counts = cls._counts(data, theta[0].size)
        others = np.delete(counts, j)
        rest = others.sum()
        share = others / rest if rest > 0 else np.zeros_like(others)
        return float(
            special.xlogy(counts[j], value) + special.xlogy(others, (1.0 - value) * share).sum()
        )
