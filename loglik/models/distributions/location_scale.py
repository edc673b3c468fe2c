r"""Location-scale families: :math:`X = \mu + \sigma Z` with :math:`Z` from a standard density
(normal, logistic, laplace, cauchy). The distribution functions and sampling follow from the
standard ones:

.. math:: F(x) = F_Z\!\left(\frac{x - \mu}{\sigma}\right),\qquad
          F^{-1}(q) = \mu + \sigma F_Z^{-1}(q),\qquad E[X] = \mu + \sigma E[Z].
"""

from __future__ import annotations

from .base import Distribution

__all__ = ["LocationScale"]


class LocationScale(Distribution):
    """A family over ``(location, scale)`` built from its standard member.

    A subclass gives ``_standard_cdf(z)`` and ``_standard_ppf(q)``, ``_sampler`` (the name of
    the ``numpy.random.Generator`` method drawing ``(loc, scale, shape)``) and ``_scipy_name``
    (the ``scipy.stats`` distribution taking ``(loc, scale)``); its mean is the location.
    """

    _sampler = ""
    _scipy_name = ""

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
