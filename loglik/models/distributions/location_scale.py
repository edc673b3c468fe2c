r"""Location-scale families: :math:`X = \mu + \sigma Z` with :math:`Z` from a standard density
(normal, logistic, laplace, cauchy). The distribution functions and sampling follow from the
standard ones:

.. math:: F(x) = F_Z\!\left(\frac{x - \mu}{\sigma}\right),\qquad
          F^{-1}(q) = \mu + \sigma F_Z^{-1}(q),\qquad E[X] = \mu + \sigma E[Z].
"""

from __future__ import annotations

import numpy as np

from .base import Distribution

__all__ = ["LocationScale", "location_scale_pivot"]


class LocationScale(Distribution):
    """A family over ``(location, scale)`` built from its standard member.

    A subclass gives ``_standard_cdf(z)`` and ``_standard_ppf(q)``, ``_sampler`` (the name of
    the ``numpy.random.Generator`` method drawing ``(loc, scale, shape)``) and ``_scipy_name``
    (the ``scipy.stats`` distribution taking ``(loc, scale)``); its mean is the location.
    """

    _sampler = ""
    _scipy_name = ""

    # Subclasses give the standard member's tails as _tails (a tails.StandardTails): the
    # log-cdf and log-survival function of censored data then follow from the pivot.

    @staticmethod
    def _pivot(x, loc, scale):
        r""":math:`u = (x - \mu)/\sigma`: :math:`u_\mu = -1/\sigma`, :math:`u_\sigma =
        -u/\sigma`, :math:`u_{\mu\sigma} = 1/\sigma^2`, :math:`u_{\sigma\sigma} =
        2u/\sigma^2`."""
        return location_scale_pivot((x - loc) / scale, scale)

    @classmethod
    def _logcdf(cls, x, loc, scale):
        return cls._tails.logcdf((x - loc) / scale)

    @classmethod
    def _logsf(cls, x, loc, scale):
        return cls._tails.logsf((x - loc) / scale)

    @classmethod
    def _cdf(cls, x, loc, scale):
        return cls._standard_cdf((x - loc) / scale)

    @classmethod
    def _ppf(cls, q, loc, scale):
        return loc + scale * cls._standard_ppf(q)

    @classmethod
    def _sample(cls, rng, shape, loc, scale):
        return getattr(rng, cls._sampler)(loc, scale, shape)

    @staticmethod
    def _mean(loc, scale):
        return loc + 0.0 * scale

    @classmethod
    def _scipy(cls, loc, scale):
        from scipy import stats

        return getattr(stats, cls._scipy_name)(loc, scale)


def location_scale_pivot(u, scale):
    """``(u, du, d2u)`` of the pivot :math:`u = (y - \\mu)/\\sigma` over :math:`(\\mu, \\sigma)`
    (``y`` is ``x``, or ``log x`` for the lognormal)."""
    inv = 1.0 / scale
    zero = np.zeros_like(u)
    cross = zero + inv * inv
    return u, (zero - inv, -u * inv), ((zero, cross), (cross, 2.0 * u * inv * inv))
