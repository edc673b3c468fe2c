r"""Student's t distribution with location and scale."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ...estimation.domains import POSITIVE, REAL, Param
from ...estimation.family import Limit, get_family
from .base import Distribution
from .common import require_spread, trigamma
from .exact import (
    digamma_minus_log,
    digamma_minus_log_float,
    log1p_square,
    student_t_log_const,
    trigamma_minus_inv,
    trigamma_minus_inv_float,
)


class StudentT(Distribution):
    r"""Student's t with ``df`` :math:`\nu`, location :math:`\mu` and scale :math:`\sigma`.

    .. math:: \log p(x) = \log\Gamma(\tfrac{\nu+1}{2}) - \log\Gamma(\tfrac\nu2)
              - \tfrac12\log(\nu\pi) - \log\sigma - \tfrac{\nu+1}{2}\log(1 + z^2/\nu),
              \qquad z = (x - \mu)/\sigma,

    the constant computed through Stirling's error (:func:`.exact.student_t_log_const`) and the
    kernel with ``log1p``: exact as :math:`\nu \to \infty`, where the log-gamma difference
    would lose :math:`\log\Gamma(\nu/2)`'s magnitude times the rounding (the normal limit).

    With :math:`r = \nu + z^2`, the score is
    :math:`s_\nu = \tfrac12[\psi(\tfrac{\nu+1}2) - \psi(\tfrac\nu2) - \log(r/\nu) + (z^2-1)/r]`,
    :math:`s_\mu = (\nu+1)z/(\sigma r)`, :math:`s_\sigma = ((\nu+1)z^2/r - 1)/\sigma`. Fisher
    information (Lange, Little & Taylor 1989): :math:`I_{\mu\mu} = (\nu+1)/((\nu+3)\sigma^2)`,
    :math:`I_{\sigma\sigma} = 2\nu/((\nu+3)\sigma^2)`,
    :math:`I_{\nu\sigma} = -2/((\nu+1)(\nu+3)\sigma)`,
    :math:`I_{\nu\nu} = \tfrac14[\psi'(\tfrac\nu2) - \psi'(\tfrac{\nu+1}2)]
    - (\nu+5)/(2\nu(\nu+1)(\nu+3))`, the location uncorrelated with the others.

    **MLE**: Newton on :math:`(\log\nu, \mu, \log\sigma)` with the analytic Hessian (each
    step one pass over the data), from the median, a MAD-based scale and :math:`\nu = 5`.
    When the data are lighter-tailed than any t, the likelihood increases towards
    :math:`\nu = \infty` (the normal): the fit then stops at a large :math:`\nu` with a
    negligible gradient, and the result flags ``df`` as tending to the boundary
    (:meth:`boundary_limits`: the normal's maximised log-likelihood is at least the fit's).
    """

    name = "student_t"
    param_specs = (
        Param("df", POSITIVE, doc="degrees of freedom"),
        Param("loc", REAL, default=0.0, doc="location"),
        Param("scale", POSITIVE, default=1.0, doc="scale"),
    )

    @staticmethod
    def _logpdf(x, df, loc, scale):
        z = (x - loc) / scale
        const = student_t_log_const(df) - np.log(scale)
        return const - 0.5 * (df + 1.0) * log1p_square(z, df)

    @staticmethod
    def _cdf(x, df, loc, scale):
        return special.stdtr(df, (x - loc) / scale)

    @staticmethod
    def _ppf(q, df, loc, scale):
        return loc + scale * special.stdtrit(df, q)

    @staticmethod
    def _sample(rng, shape, df, loc, scale):
        return loc + scale * rng.standard_t(df, shape)

    @staticmethod
    def _mean(df, loc, scale):
        """The mean, ``loc`` (undefined, NaN, for ``df <= 1``)."""
        return np.where(df > 1, loc + 0.0 * scale, np.nan)

    @staticmethod
    def _var(df, loc, scale):
        """``scale**2 df/(df-2)`` (infinite for ``1 < df <= 2``, undefined for ``df <= 1``)."""
        safe = np.where(df > 2, df, 3.0)
        finite = scale**2 * safe / (safe - 2.0) + 0.0 * loc
        return np.where(df > 2, finite, np.where(df > 1, np.inf, np.nan))

    @staticmethod
    def _scipy(df, loc, scale):
        from scipy import stats

        return stats.t(df, loc, scale)

    @staticmethod
    def _score(x, df, loc, scale):
        z = (x - loc) / scale
        z2 = z * z
        r = df + z2
        s_df = 0.5 * (_digamma_half_step(df) - log1p_square(z, df, z2) + (z2 - 1.0) / r)
        return s_df, (df + 1.0) * z / (scale * r), ((df + 1.0) * z2 / r - 1.0) / scale

    @staticmethod
    def _hess(x, df, loc, scale):
        z = (x - loc) / scale
        z2 = z * z
        r = df + z2
        r2 = r * r
        s2 = scale * scale
        h_nn = 0.5 * (_trigamma_half_step(df) - (1.0 / r - 1.0 / df) - (z2 - 1.0) / r2)
        h_nm = z * (z2 - 1.0) / (scale * r2)
        h_ns = z2 * (z2 - 1.0) / (scale * r2)
        ratio = (df + 1.0) / r  # bounded, so nothing overflows as df grows without limit
        h_mm = -ratio * (df - z2) / (s2 * r)
        h_ms = -2.0 * ratio * (df / r) * z / s2
        h_ss = (1.0 - ratio * z2 - 2.0 * ratio * (df / r) * z2) / s2
        return ((h_nn, h_nm, h_ns), (h_nm, h_mm, h_ms), (h_ns, h_ms, h_ss))

    @staticmethod
    def _pointwise(x, df, loc, scale):
        z = (x - loc) / scale
        z2 = z * z
        r = df + z2
        inv = 1.0 / r
        inv2 = inv * inv
        log_q = log1p_square(z, df, z2)
        half = 0.5 * (df + 1.0)
        const = student_t_log_const(df)
        s2 = scale * scale
        zm1 = z2 - 1.0
        ratio = (df + 1.0) * inv  # bounded, so nothing overflows as df grows without limit
        a = ratio * z2
        b = 2.0 * ratio * (df * inv)
        h_nm = z * zm1 * inv2 / scale
        h_ns = z2 * zm1 * inv2 / scale
        h_ms = -b * z / s2
        digammas = _digamma_half_step(df)
        trigammas = _trigamma_half_step(df)
        return (
            const - np.log(scale) - half * log_q,
            (
                0.5 * (digammas - log_q + zm1 * inv),
                (df + 1.0) * z * inv / scale,
                (a - 1.0) / scale,
            ),
            (
                (0.5 * (trigammas - (inv - 1.0 / df) - zm1 * inv2), h_nm, h_ns),
                (h_nm, -ratio * (df - z2) * inv / s2, h_ms),
                (h_ns, h_ms, (1.0 - a - b * z2) / s2),
            ),
        )

    @staticmethod
    def _dlogpdf_dx(x, df, loc, scale):
        z = (x - loc) / scale
        return -(df + 1.0) * z / (scale * (df + z * z))

    @staticmethod
    def _d2logpdf_dx2(x, df, loc, scale):
        z = (x - loc) / scale
        r = df + z * z
        return -(df + 1.0) * (df - z * z) / (scale**2 * r * r)

    # censored data: each tail from its own side of the symmetric cdf
    @staticmethod
    def _logcdf(x, df, loc, scale):
        z = (x - loc) / scale
        with np.errstate(divide="ignore"):
            low = np.log(special.stdtr(df, np.minimum(z, 0.0)))
            return np.where(z < 0, low, np.log1p(-special.stdtr(df, -np.abs(z))))

    @classmethod
    def _logsf(cls, x, df, loc, scale):
        return cls._logcdf(2.0 * loc - x, df, loc, scale)

    @staticmethod
    def _fisher(df, loc, scale):
        s2 = scale * scale
        i_nn = 0.25 * (trigamma(0.5 * df) - trigamma(0.5 * (df + 1.0))) - (df + 5.0) / (
            2.0 * df * (df + 1.0) * (df + 3.0)
        )
        i_ns = -2.0 / ((df + 1.0) * (df + 3.0) * scale)
        zero = 0.0 * loc
        return (
            (i_nn, zero, i_ns),
            (zero, (df + 1.0) / ((df + 3.0) * s2), zero),
            (i_ns, zero, 2.0 * df / ((df + 3.0) * s2)),
        )

    @classmethod
    def start_values(cls, data, fixed):
        x = data.x
        loc = fixed.get("loc", float(np.median(x)))
        mad = float(np.median(np.abs(x - loc)))
        require_spread(cls, data, mad if mad > 0 else float(data.max() - data.min()))
        if mad == 0:
            mad = float(np.mean(np.abs(x - loc)))
        df = fixed.get("df", 5.0)
        # the MAD of a t(5) is 0.727 scale
        return {"df": df, "loc": loc, "scale": fixed.get("scale", mad / 0.7267)}

    @classmethod
    def boundary_limits(cls, data, theta, free):
        r"""As :math:`\nu \to \infty` the t tends to the normal with the same location and
        scale: its maximised log-likelihood (``loc``/``scale`` held where they are fixed) is the
        supremum of the t's when the data are not heavier-tailed than a normal."""
        if "df" not in free:
            return []
        fixed = {
            name: float(theta[cls.param_names.index(mine)])
            for mine, name in (("loc", "mu"), ("scale", "sigma"))
            if mine not in free
        }
        normal = get_family("normal")  # by name: normal's module imports this one's neighbours
        try:
            values = {**fixed, **normal.closed_form_mle(data, fixed)}
        except ValueError:  # every value at the fixed location: no normal fit
            return []
        best = normal.loglik_total(data, values["mu"], values["sigma"])
        return [Limit("df", "inf", float(best), "normal")]


def _digamma_half_step(df):
    r""":math:`\psi(h + \tfrac12) - \psi(h)`, :math:`h = \nu/2` (about :math:`1/(2h)`), as
    :math:`\log(1 + \tfrac1{2h})` plus the remainders of :func:`.exact.digamma_minus_log`: no
    cancellation as :math:`\nu \to \infty`."""
    if np.ndim(df) == 0:  # one value (a Newton step): plain floats
        h = 0.5 * float(df)
        return math.log1p(0.5 / h) + digamma_minus_log_float(h + 0.5) - digamma_minus_log_float(h)
    h = 0.5 * df
    return np.log1p(0.5 / h) + digamma_minus_log(h + 0.5) - digamma_minus_log(h)


def _trigamma_half_step(df):
    r""":math:`\tfrac12[\psi'(h + \tfrac12) - \psi'(h)]`, :math:`h = \nu/2`, through
    :func:`.exact.trigamma_minus_inv`."""
    if np.ndim(df) == 0:
        h = 0.5 * float(df)
        rest = trigamma_minus_inv_float(h + 0.5) - trigamma_minus_inv_float(h)
        return 0.5 * (-0.5 / (h * (h + 0.5)) + rest)
    h = 0.5 * df
    return 0.5 * (-0.5 / (h * (h + 0.5)) + trigamma_minus_inv(h + 0.5) - trigamma_minus_inv(h))
