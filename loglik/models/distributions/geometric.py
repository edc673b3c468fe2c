r"""The geometric distribution on 1, 2, ..."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.domains import UNIT, Param, Support
from . import tails
from .base import Distribution
from .common import refine_discrete_ppf


class Geometric(Distribution):
    r"""The geometric distribution: the number of trials up to and including the first
    success, :math:`x = 1, 2, \ldots` (scipy's ``geom``).

    .. math:: \log p(x) = (x - 1)\log(1 - p) + \log p.

    Score :math:`1/p - (x-1)/(1-p)`; Fisher information :math:`1/(p^2(1-p))`.

    **MLE** (closed form): :math:`\hat p = 1/\bar x` (1 when every value is 1: a boundary
    estimate).
    """

    name = "geometric"
    param_specs = (Param("p", UNIT, default=0.5, doc="success probability"),)
    support = Support(1.0, np.inf, low_open=False, integer=True)
    discrete = True

    @staticmethod
    def _logpdf(x, p):
        return special.xlog1py(x - 1.0, -p) + np.log(p)

    @staticmethod
    def _cdf(x, p):
        return -np.expm1(x * np.log1p(-p))

    @classmethod
    def _ppf(cls, q, p):
        with np.errstate(divide="ignore"):
            guess = np.ceil(np.log1p(-q) / np.log1p(-p))
        guess = np.where(p == 1.0, 1.0, np.maximum(guess, 1.0))
        return refine_discrete_ppf(lambda k: cls._cdf(k, p), q, guess, low=1.0)

    @staticmethod
    def _sample(rng, shape, p):
        return rng.geometric(p, shape)

    @staticmethod
    def _mean(p):
        return 1.0 / p

    @staticmethod
    def _var(p):
        return (1.0 - p) / p**2

    @staticmethod
    def _scipy(p):
        from scipy import stats

        return stats.geom(p)

    @staticmethod
    def _score(x, p):
        return (1.0 / p - (x - 1.0) / (1.0 - p),)

    @staticmethod
    def _hess(x, p):
        return ((-1.0 / p**2 - (x - 1.0) / (1.0 - p) ** 2,),)

    # censored counts: S(k) = (1 - p)^k exactly
    @staticmethod
    def _logsf(x, p):
        return np.floor(x) * np.log1p(-p)

    @staticmethod
    def _logcdf(x, p):
        return tails.log_expm1_neg(-np.floor(x) * np.log1p(-p))

    @staticmethod
    def _fisher(p):
        return ((1.0 / (p**2 * (1.0 - p)),),)

    @classmethod
    def closed_form_mle(cls, data, fixed):
        return {} if "p" in fixed else {"p": float(1.0 / data.mean())}

    @classmethod
    def conjugate_posterior(cls, data, fixed, prior):
        """Beta(a, b) on p -> Beta(a + n, b + sum(x) - n): n successes, sum(x) - n failures."""
        from .bernoulli import beta_posterior

        return beta_posterior(prior, data.n, data.sum_x() - data.n)

    @classmethod
    def start_values(cls, data, fixed):
        return {"p": fixed.get("p", float(data.n / (data.sum_x() + 0.5)))}
