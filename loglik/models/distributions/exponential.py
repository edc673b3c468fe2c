r"""The exponential distribution."""

from __future__ import annotations

import math

import numpy as np

from ...estimation.data import FitData
from ...estimation.domains import POSITIVE, Param, Support
from . import tails
from .base import Distribution
from .common import no_mle, one_parameter_posterior


class Exponential(Distribution):
    r"""The exponential distribution with mean ``scale`` :math:`s` (rate :math:`1/s`).

    .. math:: \log p(x) = -\log s - x/s,\qquad x \ge 0.

    Score :math:`(x - s)/s^2`; Fisher information :math:`1/s^2`.

    **MLE** (closed form): :math:`\hat s = \bar x` (unbiased). Exact interval
    (``method="exact"``): :math:`2\sum x_i/s \sim \chi^2_{2n}`.
    """

    name = "exponential"
    param_specs = (Param("scale", POSITIVE, default=1.0, doc="mean, 1/rate"),)
    support = Support(0.0, np.inf, low_open=False)

    @staticmethod
    def _logpdf(x, scale):
        return -np.log(scale) - x / scale

    @staticmethod
    def _cdf(x, scale):
        return -np.expm1(-x / scale)

    @staticmethod
    def _ppf(q, scale):
        return -scale * np.log1p(-q)

    @staticmethod
    def _sample(rng, shape, scale):
        return rng.exponential(scale, shape)

    @staticmethod
    def _mean(scale):
        return scale

    @staticmethod
    def _var(scale):
        return scale * scale

    @staticmethod
    def _scipy(scale):
        from scipy import stats

        return stats.expon(scale=scale)

    @staticmethod
    def _score(x, scale):
        return ((x - scale) / scale**2,)

    @staticmethod
    def _hess(x, scale):
        return (((scale - 2.0 * x) / scale**3,),)

    @staticmethod
    def _dlogpdf_dx(x, scale):
        return -1.0 / scale + 0.0 * x

    @staticmethod
    def _d2logpdf_dx2(x, scale):
        return 0.0 * x

    # censored data: the pivot t = x/scale, a unit exponential; log S = -t exactly
    _tails = tails.EXPONENTIAL

    @staticmethod
    def _pivot(x, scale):
        t = x / scale
        return t, (-t / scale,), ((2.0 * t / scale**2,),)

    @staticmethod
    def _logcdf(x, scale):
        return tails.log_expm1_neg(x / scale)

    @staticmethod
    def _logsf(x, scale):
        return -x / scale

    @staticmethod
    def _fisher(scale):
        return ((1.0 / scale**2,),)

    @classmethod
    def loglik_total(cls, data, scale):
        log = math.log if isinstance(scale, float) else np.log  # np.log on a scalar adds 1 us
        return -data.n * log(scale) - data.sum_x() / scale

    @classmethod
    def closed_form_mle(cls, data, fixed):
        if "scale" in fixed:
            return {}
        mean = data.mean()
        if mean == 0:
            raise no_mle(cls, "every value is 0, so the scale (the mean) would be 0")
        return {"scale": float(mean)}

    start_values = closed_form_mle

    @classmethod
    def fit_batch(cls, samples, fixed):
        """Row means."""
        return (np.full(samples.shape[0], fixed["scale"]) if fixed else samples.mean(axis=1),)

    @classmethod
    def censored_closed_form(cls, data, fixed):
        r"""Right censoring only (no truncation): :math:`\hat s = \sum_{\text{all}} w x / d`,
        the total time on test over the number of exact rows :math:`d`."""
        counts = data.counts()
        if data.truncation is not None or counts["left"] or counts["interval"]:
            return None
        if "scale" in fixed:
            return {}
        total = FitData(np.ascontiguousarray(data.bounds[:, 0]), data.w).sum_x()
        return {"scale": float(total / data.group("exact").n)}

    @classmethod
    def conjugate_posterior(cls, data, fixed, prior):
        """InverseGamma(a, b) on the scale -> InverseGamma(a + n, b + sum(x)) (a Gamma prior
        on the rate 1/scale is this prior on the scale)."""
        from .inverse_gamma import InverseGamma

        if set(prior) != {"scale"} or not isinstance(prior["scale"], InverseGamma):
            return None
        a, b = (float(v) for v in prior["scale"]._theta)
        return one_parameter_posterior("scale", InverseGamma(a + data.n, b + data.sum_x()))

    @classmethod
    def exact_conf_int(cls, data, theta, free, level):
        from scipy import stats

        if "scale" not in free:
            return {}
        a, total = 1.0 - level, 2.0 * data.sum_x()
        dof = 2.0 * data.n
        return {
            "scale": (total / stats.chi2.ppf(1 - a / 2, dof), total / stats.chi2.ppf(a / 2, dof))
        }
