r"""The Cauchy distribution."""

from __future__ import annotations

import numpy as np

from ...estimation.domains import POSITIVE, REAL, Param
from . import tails
from .common import no_mle
from .exact import log1p_square
from .location_scale import LocationScale


class Cauchy(LocationScale):
    r"""The Cauchy distribution with location :math:`\mu` and scale :math:`\sigma`.

    .. math:: \log p(x) = -\log(\pi\sigma) - \log(1 + z^2),\qquad z = (x - \mu)/\sigma.

    With :math:`q = 1 + z^2`: score :math:`(2z/(\sigma q),\ (z^2 - 1)/(\sigma q))`; Fisher
    information :math:`\mathrm{diag}(1, 1)/(2\sigma^2)`. The mean and variance do not exist
    (``mean()`` and ``var()`` are NaN).

    **MLE**: Newton on :math:`(\mu, \log\sigma)` with the analytic Hessian, from the median
    and half the interquartile range (each step one pass over the data). It exists when fewer
    than half of the values coincide (Copas 1975).
    """

    name = "cauchy"
    param_specs = (
        Param("loc", REAL, default=0.0, doc="location (median)"),
        Param("scale", POSITIVE, default=1.0, doc="scale (half the interquartile range)"),
    )

    @staticmethod
    def _logpdf(x, loc, scale):
        z = (x - loc) / scale
        return -np.log(np.pi * scale) - log1p_square(z, 1.0)

    _scipy_name = "cauchy"
    _tails = tails.CAUCHY  # censored data: the standard member's log-tails

    @staticmethod
    def _standard_cdf(z):
        return 0.5 + np.arctan(z) / np.pi

    @staticmethod
    def _standard_ppf(q):
        return np.tan(np.pi * (q - 0.5))

    @staticmethod
    def _sample(rng, shape, loc, scale):  # numpy has no cauchy(loc, scale)
        return loc + scale * rng.standard_cauchy(shape)

    @staticmethod
    def _mean(loc, scale):
        return np.full(np.broadcast(loc, scale).shape, np.nan)

    _var = _mean

    @staticmethod
    def _score(x, loc, scale):
        z = (x - loc) / scale
        q = 1.0 + z * z
        return 2.0 * z / (scale * q), (z * z - 1.0) / (scale * q)

    @staticmethod
    def _hess(x, loc, scale):
        z = (x - loc) / scale
        z2 = z * z
        q2 = (1.0 + z2) ** 2
        s2 = scale * scale
        h_ls = -4.0 * z / (s2 * q2)
        return (
            (-2.0 * (1.0 - z2) / (s2 * q2), h_ls),
            (h_ls, (-(1.0 - 2.0 / (1.0 + z2)) - 4.0 * z2 / q2) / s2),
        )

    @staticmethod
    def _pointwise(x, loc, scale):
        z = (x - loc) / scale
        z2 = z * z
        q = 1.0 + z2
        inv = 1.0 / q
        s2 = scale * scale
        h_ls = -4.0 * z * inv * inv / s2
        return (
            -np.log(np.pi * scale) - log1p_square(z, 1.0, z2),
            (2.0 * z * inv / scale, (z2 - 1.0) * inv / scale),
            (
                (-2.0 * (1.0 - z2) * inv * inv / s2, h_ls),
                (h_ls, (-(1.0 - 2.0 * inv) - 4.0 * z2 * inv * inv) / s2),
            ),
        )

    @staticmethod
    def _dlogpdf_dx(x, loc, scale):
        z = (x - loc) / scale
        return -2.0 * z / (scale * (1.0 + z * z))

    @staticmethod
    def _d2logpdf_dx2(x, loc, scale):
        z = (x - loc) / scale
        return -2.0 * (1.0 - z * z) / (scale * (1.0 + z * z)) ** 2

    @staticmethod
    def _fisher(loc, scale):
        i = 0.5 / scale**2
        return ((i + 0.0 * loc, 0.0 * i), (0.0 * i, i + 0.0 * loc))

    @classmethod
    def start_values(cls, data, fixed):
        x, n = data.x, data.n_obs
        ranks = sorted({n // 4, (n - 1) // 2, n // 2, min((3 * n) // 4, n - 1)})
        q = dict(zip(ranks, np.partition(x, ranks)[ranks]))
        for middle in {q[(n - 1) // 2], q[n // 2]}:  # a value held by half the data is a middle one
            ties = x == middle
            if data.total(ties.astype(np.float64)) >= data.n / 2.0:
                raise no_mle(
                    cls,
                    f"at least half of the values equal {float(middle)!r}: the likelihood grows "
                    "without bound as the scale shrinks to 0",
                )
        loc = 0.5 * (q[(n - 1) // 2] + q[n // 2])
        spread = q[ranks[-1]] - q[ranks[0]]
        if spread <= 0:
            spread = float(data.max() - data.min())
        return {"loc": fixed.get("loc", float(loc)), "scale": fixed.get("scale", spread / 2.0)}
