r"""The Poisson distribution."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.domains import NONNEGATIVE, Param, Support
from . import tails
from .base import Distribution
from .common import one_parameter_posterior, refine_discrete_ppf
from .exact import log_poisson_raw


class Poisson(Distribution):
    r"""The Poisson distribution with mean ``rate`` :math:`\lambda` on :math:`\{0, 1, \ldots\}`.

    .. math:: \log p(x) = x\log\lambda - \lambda - \log x!
              = -\operatorname{stirlerr}(x) - \operatorname{bd0}(x, \lambda)
                - \tfrac12\log(2\pi x),

    the second form (Loader's, as R's ``dpois``; see :mod:`.exact`) exact to rounding for large
    counts, where the first loses the size of :math:`x\log\lambda` (1e-6 at 1e9).

    Score :math:`x/\lambda - 1`; Fisher information :math:`1/\lambda`.

    **MLE** (closed form): :math:`\hat\lambda = \bar x` (unbiased); 0 when every count is 0,
    a boundary estimate (``diagnostics`` says so; use profile or exact intervals there). Exact
    interval (``method="exact"``): Garwood's, from the chi-square.
    """

    name = "poisson"
    param_specs = (Param("rate", NONNEGATIVE, default=1.0, doc="mean"),)
    support = Support(0.0, np.inf, low_open=False, integer=True)
    discrete = True

    @staticmethod
    def _logpdf(x, rate):
        return log_poisson_raw(x, rate)

    @staticmethod
    def _cdf(x, rate):
        return special.pdtr(x, rate)

    @classmethod
    def _ppf(cls, q, rate):
        from scipy import stats

        return refine_discrete_ppf(lambda k: cls._cdf(k, rate), q, stats.poisson.ppf(q, rate))

    @staticmethod
    def _sample(rng, shape, rate):
        return rng.poisson(rate, shape)

    @staticmethod
    def _mean(rate):
        return rate

    @staticmethod
    def _var(rate):
        return rate

    @staticmethod
    def _scipy(rate):
        from scipy import stats

        return stats.poisson(rate)

    @staticmethod
    def _score(x, rate):
        return (x / rate - 1.0,)

    @staticmethod
    def _hess(x, rate):
        return ((-x / rate**2,),)

    # censored counts: F(k) = Q(k + 1, rate), in log space
    @staticmethod
    def _logcdf(x, rate):
        return tails.log_gammaincc(np.floor(x) + 1.0, rate)

    @staticmethod
    def _logsf(x, rate):
        return tails.log_gammainc(np.floor(x) + 1.0, rate)

    @staticmethod
    def _fisher(rate):
        return ((1.0 / rate,),)

    @classmethod
    def closed_form_mle(cls, data, fixed):
        return {} if "rate" in fixed else {"rate": float(data.mean())}

    start_values = closed_form_mle

    @classmethod
    def conjugate_posterior(cls, data, fixed, prior):
        """Gamma(shape a, scale s) on the rate -> Gamma(a + sum(x), s/(1 + n s))."""
        from .gamma import Gamma

        if set(prior) != {"rate"} or not isinstance(prior["rate"], Gamma):
            return None
        shape, scale = (float(v) for v in prior["rate"]._theta)
        posterior = Gamma(shape + data.sum_x(), scale / (1.0 + data.n * scale))
        return one_parameter_posterior("rate", posterior)

    @classmethod
    def exact_conf_int(cls, data, theta, free, level):
        from scipy import stats

        if "rate" not in free:
            return {}
        a, total, n = 1.0 - level, data.sum_x(), data.n
        lower = stats.chi2.ppf(a / 2, 2.0 * total) / (2.0 * n) if total > 0 else 0.0
        return {
            "rate": (float(lower), float(stats.chi2.ppf(1 - a / 2, 2.0 * total + 2.0) / (2 * n)))
        }
