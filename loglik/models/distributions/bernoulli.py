r"""The Bernoulli distribution."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.domains import PROBABILITY, Param, Support
from .base import Distribution
from .common import one_parameter_posterior


def clopper_pearson(successes: float, trials: float, level: float) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval for a binomial proportion."""
    from scipy import stats

    a = 1.0 - level
    lower = stats.beta.ppf(a / 2, successes, trials - successes + 1) if successes > 0 else 0.0
    upper = (
        stats.beta.ppf(1 - a / 2, successes + 1, trials - successes) if successes < trials else 1.0
    )
    return float(lower), float(upper)


def beta_posterior(prior, successes, failures):
    """The Beta posterior of a probability ``p`` under a Beta prior (None for other priors)."""
    from .beta import Beta

    if set(prior) != {"p"} or not isinstance(prior["p"], Beta):
        return None
    a, b = (float(v) for v in prior["p"]._theta)
    return one_parameter_posterior("p", Beta(a + successes, b + failures))


class Bernoulli(Distribution):
    r"""The Bernoulli distribution: :math:`P(X = 1) = p`, :math:`P(X = 0) = 1 - p`.

    .. math:: \log p(x) = x\log p + (1 - x)\log(1 - p).

    Score :math:`x/p - (1-x)/(1-p)`; Fisher information :math:`1/(p(1-p))`.

    **MLE** (closed form): the proportion of ones (0 or 1 when all values agree: a boundary
    estimate, flagged by ``diagnostics``). Exact interval: Clopper-Pearson.
    """

    name = "bernoulli"
    param_specs = (Param("p", PROBABILITY, default=0.5, doc="probability of a one"),)
    support = Support(0.0, 1.0, low_open=False, high_open=False, integer=True)
    discrete = True

    @staticmethod
    def _logpdf(x, p):
        return special.xlogy(x, p) + special.xlog1py(1.0 - x, -p)

    @staticmethod
    def _cdf(x, p):
        return np.where(x >= 1, 1.0, 1.0 - p + 0.0 * x)

    @staticmethod
    def _ppf(q, p):
        return np.where(q <= 1.0 - p, 0.0, 1.0)

    @staticmethod
    def _sample(rng, shape, p):
        return (rng.random(shape) < p).astype(np.float64)

    @staticmethod
    def _mean(p):
        return p

    @staticmethod
    def _var(p):
        return p * (1.0 - p)

    @staticmethod
    def _scipy(p):
        from scipy import stats

        return stats.bernoulli(p)

    @staticmethod
    def _score(x, p):
        return (x / p - (1.0 - x) / (1.0 - p),)

    @staticmethod
    def _hess(x, p):
        return ((-x / p**2 - (1.0 - x) / (1.0 - p) ** 2,),)

    @staticmethod
    def _fisher(p):
        return ((1.0 / (p * (1.0 - p)),),)

    @classmethod
    def closed_form_mle(cls, data, fixed):
        return {} if "p" in fixed else {"p": float(data.mean())}

    @classmethod
    def start_values(cls, data, fixed):
        p = (data.sum_x() + 0.5) / (data.n + 1.0)  # kept off the boundary for optimizers
        return {"p": fixed.get("p", float(p))}

    @classmethod
    def exact_conf_int(cls, data, theta, free, level):
        return {"p": clopper_pearson(data.sum_x(), data.n, level)} if "p" in free else {}

    @classmethod
    def conjugate_posterior(cls, data, fixed, prior):
        """Beta(a, b) on p -> Beta(a + successes, b + failures)."""
        return beta_posterior(prior, data.sum_x(), data.n - data.sum_x())
