r"""The logistic distribution."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.data import moments
from ...estimation.domains import POSITIVE, REAL, Param
from . import tails
from .common import require_spread
from .location_scale import LocationScale


class Logistic(LocationScale):
    r"""The logistic distribution with location :math:`\mu` and scale :math:`s`.

    .. math:: \log p(x) = -\log s - |z| - 2\log(1 + e^{-|z|}),\qquad z = (x - \mu)/s

    (the symmetric, overflow-free form). With :math:`\tau = \tanh(z/2)`: score
    :math:`(\tau/s,\ (z\tau - 1)/s)`; Fisher information
    :math:`\mathrm{diag}(1/3,\ (3 + \pi^2)/9)/s^2`.

    **MLE**: Newton on :math:`(\mu, \log s)` with the analytic Hessian, from the moment
    estimates :math:`\bar x` and :math:`\sqrt3\,\mathrm{sd}/\pi` (each step one pass).
    """

    name = "logistic"
    param_specs = (
        Param("loc", REAL, default=0.0, doc="location (mean)"),
        Param("scale", POSITIVE, default=1.0, doc="scale s (sd = s pi / sqrt 3)"),
    )

    @staticmethod
    def _logpdf(x, loc, scale):
        a = np.abs((x - loc) / scale)
        return -np.log(scale) - a - 2.0 * np.log1p(np.exp(-a))

    _standard_cdf = staticmethod(special.expit)
    _standard_ppf = staticmethod(special.logit)
    _sampler, _scipy_name = "logistic", "logistic"
    _tails = tails.LOGISTIC  # censored data: the standard member's log-tails

    @staticmethod
    def _var(loc, scale):
        return (np.pi * scale) ** 2 / 3.0 + 0.0 * loc

    @staticmethod
    def _score(x, loc, scale):
        z = (x - loc) / scale
        t = np.tanh(0.5 * z)
        return t / scale, (z * t - 1.0) / scale

    @staticmethod
    def _hess(x, loc, scale):
        z = (x - loc) / scale
        t = np.tanh(0.5 * z)
        dt = 0.5 * (1.0 - t * t)
        s2 = scale * scale
        h_ls = -(t + z * dt) / s2
        return ((-dt / s2, h_ls), (h_ls, (1.0 - 2.0 * z * t - z * z * dt) / s2))

    @staticmethod
    def _pointwise(x, loc, scale):
        z = (x - loc) / scale
        a = np.abs(z)
        e = np.exp(-a)
        t = np.copysign((1.0 - e) / (1.0 + e), z)  # tanh(z/2) from the same exponential
        dt = 0.5 * (1.0 - t * t)
        s2 = scale * scale
        zt = z * t
        h_ls = -(t + z * dt) / s2
        return (
            -np.log(scale) - a - 2.0 * np.log1p(e),
            (t / scale, (zt - 1.0) / scale),
            ((-dt / s2, h_ls), (h_ls, (1.0 - 2.0 * zt - z * z * dt) / s2)),
        )

    @staticmethod
    def _dlogpdf_dx(x, loc, scale):
        return -np.tanh(0.5 * (x - loc) / scale) / scale

    @staticmethod
    def _d2logpdf_dx2(x, loc, scale):
        t = np.tanh(0.5 * (x - loc) / scale)
        return -0.5 * (1.0 - t * t) / scale**2

    @staticmethod
    def _fisher(loc, scale):
        s2 = scale * scale
        zero = 0.0 * loc
        return ((1.0 / (3.0 * s2) + zero, zero), (zero, (3.0 + np.pi**2) / (9.0 * s2) + zero))

    @classmethod
    def start_values(cls, data, fixed):
        W, mean, M2 = moments(data)
        require_spread(cls, data, M2)
        scale = np.sqrt(3.0 * M2 / W) / np.pi
        return {"loc": fixed.get("loc", mean), "scale": fixed.get("scale", scale)}
