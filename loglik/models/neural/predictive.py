r"""Predictive distributions of the MLP estimators: one distribution per row.

``predict_dist(X)`` returns one of these objects; its ``params`` hold one value (or one row, for
several targets or classes) per row of ``X``. They carry what a predictive distribution is used
for: the log-likelihood of observed targets (``logpdf``), moments (``mean``, ``var``, ``std``),
``cdf`` and ``ppf`` for intervals, ``sample`` for simulation, and the equivalent frozen
``scipy.stats`` object (``to_scipy``).

================== ======================= ==========================================
class               params                  distribution of :math:`y_i`
================== ======================= ==========================================
Normal              ``mu``, ``sigma``       :math:`N(\mu_i, \sigma_i^2)`
Poisson             ``rate``                :math:`\mathrm{Poisson}(\lambda_i)`
Bernoulli           ``p``                   :math:`\mathrm{Bernoulli}(p_i)`
Categorical         ``probs`` (rows, K)     :math:`P(y_i = k) = p_{ik}`, k = 0..K-1
================== ======================= ==========================================

They use the parameter names of the distribution families of :mod:`loglik.models.distributions`.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from ..._validation import check_random_state

__all__ = ["Bernoulli", "Categorical", "Normal", "Poisson", "PredictiveDistribution"]


class PredictiveDistribution:
    """A batch of distributions of one family, with parameters broadcasting row by row."""

    name = ""
    param_names: tuple = ()

    def __init__(self, **params):
        missing = set(self.param_names) - set(params)
        extra = set(params) - set(self.param_names)
        if missing or extra:
            raise TypeError(f"{type(self).__name__} takes the parameters {self.param_names}")
        self._params = {k: np.asarray(params[k], dtype=np.float64) for k in self.param_names}

    @property
    def params(self) -> dict:
        """Parameter name -> array (a copy), one value per row."""
        return {k: v.copy() for k, v in self._params.items()}

    def __len__(self):
        return int(next(iter(self._params.values())).shape[0])

    def __repr__(self):
        shapes = ", ".join(f"{k}: shape {v.shape}" for k, v in self._params.items())
        return f"{type(self).__name__}({shapes})"

    def to_scipy(self):
        """The frozen ``scipy.stats`` distribution with the same parameters (vectorised)."""
        return self._scipy(**self._params)

    def logpdf(self, y):
        """:math:`\\log p(y_i)` (a density or a mass), row by row, same shape as the params."""
        return self.to_scipy().logpdf(np.asarray(y, dtype=np.float64))

    def pdf(self, y):
        return np.exp(self.logpdf(y))

    def cdf(self, y):
        return self.to_scipy().cdf(np.asarray(y, dtype=np.float64))

    def ppf(self, q):
        """Quantiles: ``ppf(0.975)`` is the upper end of a 95% predictive interval per row."""
        return self.to_scipy().ppf(np.asarray(q, dtype=np.float64))

    def mean(self):
        return self.to_scipy().mean()

    def var(self):
        return self.to_scipy().var()

    def std(self):
        return np.sqrt(self.var())

    def sample(self, size=None, random_state=None):
        """Draws with shape ``(size, *params shape)`` (one per row when ``size`` is None)."""
        rng = check_random_state(random_state)
        shape = self._shape() if size is None else (*np.atleast_1d(size), *self._shape())
        return self.to_scipy().rvs(size=shape, random_state=rng)

    def _shape(self):
        return np.broadcast_shapes(*(v.shape for v in self._params.values()))


class Normal(PredictiveDistribution):
    """:math:`N(\\mu, \\sigma^2)` per row."""

    name = "normal"
    param_names = ("mu", "sigma")

    @staticmethod
    def _scipy(mu, sigma):
        return stats.norm(mu, sigma)


class Poisson(PredictiveDistribution):
    """:math:`\\mathrm{Poisson}(\\lambda)` per row (``logpdf`` is the log mass)."""

    name = "poisson"
    param_names = ("rate",)

    @staticmethod
    def _scipy(rate):
        return stats.poisson(rate)

    def logpdf(self, y):
        y = np.asarray(y, dtype=np.float64)
        return (
            special.xlogy(y, self._params["rate"]) - self._params["rate"] - special.gammaln(y + 1.0)
        )


class Bernoulli(PredictiveDistribution):
    """:math:`\\mathrm{Bernoulli}(p)` per row: :math:`P(y = 1) = p`."""

    name = "bernoulli"
    param_names = ("p",)

    @staticmethod
    def _scipy(p):
        return stats.bernoulli(p)

    def logpdf(self, y):
        y, p = np.asarray(y, dtype=np.float64), self._params["p"]
        return special.xlogy(y, p) + special.xlog1py(1.0 - y, -p)


class Categorical(PredictiveDistribution):
    """:math:`P(y = k) = p_k`, :math:`k = 0, \\ldots, K-1`, per row (``probs`` has shape
    (rows, K)). ``to_scipy`` is not available (scipy has no categorical family)."""

    name = "categorical"
    param_names = ("probs",)

    def _shape(self):
        return self._params["probs"].shape[:-1]

    def to_scipy(self):
        raise ValueError("scipy.stats has no categorical distribution; use probs directly")

    def logpdf(self, y):
        codes = np.asarray(y).astype(np.intp)
        probs = self._params["probs"]
        with np.errstate(divide="ignore"):
            return np.log(np.take_along_axis(probs, codes.reshape(-1, 1), axis=-1)[:, 0])

    def mean(self):
        k = np.arange(self._params["probs"].shape[-1])
        return self._params["probs"] @ k

    def var(self):
        k = np.arange(self._params["probs"].shape[-1])
        return self._params["probs"] @ (k * k) - self.mean() ** 2

    def cdf(self, y):
        cum = np.cumsum(self._params["probs"], axis=-1)
        codes = np.clip(np.floor(np.asarray(y, dtype=np.float64)), -1, cum.shape[-1] - 1)
        idx = np.maximum(codes, 0).astype(np.intp).reshape(-1, 1)
        return np.where(codes < 0, 0.0, np.take_along_axis(cum, idx, axis=-1)[:, 0])

    def ppf(self, q):
        cum = np.cumsum(self._params["probs"], axis=-1)
        q = np.broadcast_to(np.asarray(q, dtype=np.float64), cum.shape[:-1])
        return np.minimum((cum < q[..., None] - 1e-12).sum(axis=-1), cum.shape[-1] - 1).astype(
            np.float64
        )

    def sample(self, size=None, random_state=None):
        rng = check_random_state(random_state)
        shape = self._shape() if size is None else (*np.atleast_1d(size), *self._shape())
        u = rng.random(shape)
        cum = np.cumsum(self._params["probs"], axis=-1)
        return np.minimum((u[..., None] > cum).sum(axis=-1), cum.shape[-1] - 1)
