r"""The log-normal distribution."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.data import FitData
from ...estimation.domains import POSITIVE, REAL, Param, Support
from . import tails
from .base import Distribution
from .location_scale import location_scale_pivot
from .normal import Normal

_LOG_2PI = np.log(2.0 * np.pi)


def _log_data(data) -> FitData:
    return data.cached("log_data", lambda: FitData(data.log(), data.w, data.n))


class LogNormal(Distribution):
    r"""The log-normal distribution: :math:`\log X \sim N(\mu, \sigma^2)`.

    ``mu`` and ``sigma`` are the mean and standard deviation of :math:`\log x` (scipy's
    ``lognorm(s=sigma, scale=exp(mu))``).

    .. math:: \log p(x) = -\log x - \tfrac12\log(2\pi) - \log\sigma - \tfrac12 z^2,\qquad
              z = (\log x - \mu)/\sigma,\ x > 0.

    Score and Fisher information are the normal's in :math:`\log x`.

    **MLE** (closed form): the normal MLE of the logs, :math:`\hat\sigma` dividing by
    :math:`n` (``summary(usual=True)`` shows the :math:`n - 1` version).
    """

    name = "lognormal"
    param_specs = (
        Param("mu", REAL, default=0.0, doc="mean of log x"),
        Param("sigma", POSITIVE, default=1.0, doc="standard deviation of log x"),
    )
    support = Support(0.0, np.inf, low_open=True)

    @staticmethod
    def _logpdf(x, mu, sigma):
        lx = np.log(x)
        z = (lx - mu) / sigma
        return -lx - 0.5 * _LOG_2PI - np.log(sigma) - 0.5 * z * z

    @staticmethod
    def _cdf(x, mu, sigma):
        return special.ndtr((np.log(x) - mu) / sigma)

    @staticmethod
    def _ppf(q, mu, sigma):
        return np.exp(mu + sigma * special.ndtri(q))

    @staticmethod
    def _sample(rng, shape, mu, sigma):
        return rng.lognormal(mu, sigma, shape)

    @staticmethod
    def _mean(mu, sigma):
        return np.exp(mu + 0.5 * sigma**2)

    @staticmethod
    def _var(mu, sigma):
        return np.expm1(sigma**2) * np.exp(2.0 * mu + sigma**2)

    @staticmethod
    def _scipy(mu, sigma):
        from scipy import stats

        return stats.lognorm(sigma, scale=np.exp(mu))

    @staticmethod
    def _score(x, mu, sigma):
        return Normal._score(np.log(x), mu, sigma)

    @staticmethod
    def _hess(x, mu, sigma):
        return Normal._hess(np.log(x), mu, sigma)

    @staticmethod
    def _dlogpdf_dx(x, mu, sigma):
        z = (np.log(x) - mu) / sigma
        return -(1.0 + z / sigma) / x

    @staticmethod
    def _d2logpdf_dx2(x, mu, sigma):
        z = (np.log(x) - mu) / sigma
        return (1.0 + z / sigma - 1.0 / sigma**2) / x**2

    # censored data: the normal pivot on log x
    _tails = tails.NORMAL

    @staticmethod
    def _pivot(x, mu, sigma):
        return location_scale_pivot((np.log(x) - mu) / sigma, sigma)

    @staticmethod
    def _logcdf(x, mu, sigma):
        return special.log_ndtr((np.log(x) - mu) / sigma)

    @staticmethod
    def _logsf(x, mu, sigma):
        return special.log_ndtr((mu - np.log(x)) / sigma)

    _fisher = staticmethod(Normal._fisher)

    @classmethod
    def loglik_total(cls, data, mu, sigma):
        return Normal.loglik_total(_log_data(data), mu, sigma) - data.sum_log()

    @classmethod
    def closed_form_mle(cls, data, fixed):
        return Normal.closed_form_mle.__func__(cls, _log_data(data), fixed)

    start_values = closed_form_mle

    @classmethod
    def fit_batch(cls, samples, fixed):
        """The normal's closed form on the logs, row by row."""
        return Normal.fit_batch(np.log(samples), fixed)

    @classmethod
    def usual_estimates(cls, data, theta, free):
        return Normal.usual_estimates(_log_data(data), theta, free)

    @classmethod
    def exact_conf_int(cls, data, theta, free, level):
        return Normal.exact_conf_int(_log_data(data), theta, free, level)
