r"""The binomial distribution with a known number of trials."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.domains import PROBABILITY, TRIALS, Param, Support, check_support
from .base import Distribution
from .bernoulli import beta_posterior, clopper_pearson
from .common import refine_discrete_ppf
from .exact import log_binom_raw


class Binomial(Distribution):
    r"""The binomial distribution: successes in ``n`` independent trials, each with
    probability ``p``. ``n`` is known (a positive integer): ``fit`` needs it in ``fixed``.

    .. math:: \log p(x) = \log\binom{n}{x} + x\log p + (n - x)\log(1 - p),\quad x = 0..n,

    computed in Loader's saddle-point form (as R's ``dbinom``; :func:`.exact.log_binom_raw`),
    exact for large ``n`` where the log-gamma differences would cancel.

    Score :math:`x/p - (n - x)/(1 - p)`; Fisher information :math:`n/(p(1-p))`.

    **MLE** (closed form): :math:`\hat p = \bar x/n`. Exact interval: Clopper-Pearson on the
    pooled :math:`\sum x` successes in :math:`n\sum w` trials.
    """

    name = "binomial"
    param_specs = (
        Param("n", TRIALS, estimable=False, doc="number of trials (known)"),
        Param("p", PROBABILITY, default=0.5, doc="success probability"),
    )
    support = Support(0.0, float("inf"), low_open=False, high_open=False, integer=True)
    discrete = True

    @classmethod
    def _bounds(cls, n, p):
        return 0.0, n

    @classmethod
    def check_data(cls, data, fixed):
        check_support(cls, data, cls.support, high=fixed["n"])

    @staticmethod
    def _logpdf(x, n, p):
        return log_binom_raw(x, n - x, p)

    @staticmethod
    def _cdf(x, n, p):
        below = x < n
        k = np.where(below, x, 0.0)
        return np.where(below, special.betainc(n - k, k + 1.0, 1.0 - p), 1.0)

    @classmethod
    def _ppf(cls, q, n, p):
        from scipy import stats

        return refine_discrete_ppf(lambda k: cls._cdf(k, n, p), q, stats.binom.ppf(q, n, p))

    @staticmethod
    def _sample(rng, shape, n, p):
        return rng.binomial(n.astype(int), p, shape)

    @staticmethod
    def _mean(n, p):
        return n * p

    @staticmethod
    def _var(n, p):
        return n * p * (1.0 - p)

    @staticmethod
    def _scipy(n, p):
        from scipy import stats

        return stats.binom(n, p)

    @staticmethod
    def _score(x, n, p):
        return (x / p - (n - x) / (1.0 - p),)

    @staticmethod
    def _hess(x, n, p):
        return ((-x / p**2 - (n - x) / (1.0 - p) ** 2,),)

    # censored counts: the upper tail from the incomplete beta (no cancellation)
    @staticmethod
    def _logsf(x, n, p):
        k = np.floor(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(special.betainc(k + 1.0, np.maximum(n - k, 1e-300), p))

    @staticmethod
    def _fisher(n, p):
        return ((n / (p * (1.0 - p)),),)

    @classmethod
    def closed_form_mle(cls, data, fixed):
        return {} if "p" in fixed else {"p": float(data.mean() / fixed["n"])}

    @classmethod
    def start_values(cls, data, fixed):
        p = (data.sum_x() + 0.5) / (fixed["n"] * data.n + 1.0)
        return {"p": fixed.get("p", float(p))}

    @classmethod
    def conjugate_posterior(cls, data, fixed, prior):
        """Beta(a, b) on p -> Beta(a + successes, b + failures) over all n W trials."""
        successes = data.sum_x()
        return beta_posterior(prior, successes, fixed["n"] * data.n - successes)

    @classmethod
    def exact_conf_int(cls, data, theta, free, level):
        if "p" not in free:
            return {}
        return {"p": clopper_pearson(data.sum_x(), float(theta[0]) * data.n, level)}
