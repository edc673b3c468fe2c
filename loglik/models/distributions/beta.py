r"""The beta distribution."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ...estimation.data import moments
from ...estimation.domains import POSITIVE, Param, Support
from ...estimation.family import ProfileProblem
from ...estimation.objective import SmoothObjective
from .base import Distribution
from .common import require_spread, trigamma
from .exact import (
    digamma_minus_log_float,
    log1pmx,
    log_binom_raw,
    log_ratio_float,
    log_ratio_minus_linear,
)


class Beta(Distribution):
    r"""The beta distribution on (0, 1) with shapes :math:`a, b`.

    .. math:: \log p(x) = (a-1)\log x + (b-1)\log(1-x) - \log B(a, b),\qquad 0 < x < 1,

    computed for :math:`a, b > 2` in Loader's saddle-point form (:func:`beta_logpdf`, as R's
    ``dbeta``), and summed over nearly constant data about their mean (:meth:`Beta._centred`):
    exact at large shapes, where :math:`(a-1)\log x` and :math:`\log B(a, b)` cancel.

    Score :math:`(\log x - \psi(a) + \psi(a+b),\ \log(1-x) - \psi(b) + \psi(a+b))`; the
    Hessian does not depend on x, so the Fisher information is minus it:
    :math:`\begin{pmatrix}\psi'(a) - \psi'(a+b) & -\psi'(a+b)\\ -\psi'(a+b) & \psi'(b) -
    \psi'(a+b)\end{pmatrix}`.

    **MLE**: an exponential family — the data enter through :math:`\sum w\log x` and
    :math:`\sum w\log(1-x)` only (one pass), after which each Newton step (on
    :math:`\log a, \log b`, from the method-of-moments start) is O(1).
    """

    name = "beta"
    param_specs = (
        Param("a", POSITIVE, doc="first shape"),
        Param("b", POSITIVE, doc="second shape"),
    )
    support = Support(0.0, 1.0, low_open=True, high_open=True)

    @staticmethod
    def _logpdf(x, a, b):
        return beta_logpdf(x, a, b)

    @staticmethod
    def _cdf(x, a, b):
        return special.betainc(a, b, x)

    @staticmethod
    def _ppf(q, a, b):
        return special.betaincinv(a, b, q)

    @staticmethod
    def _sample(rng, shape, a, b):
        return rng.beta(a, b, shape)

    @staticmethod
    def _mean(a, b):
        return a / (a + b)

    @staticmethod
    def _var(a, b):
        s = a + b
        return a * b / (s * s * (s + 1.0))

    @staticmethod
    def _scipy(a, b):
        from scipy import stats

        return stats.beta(a, b)

    @staticmethod
    def _score(x, a, b):
        common = special.digamma(a + b)
        return np.log(x) - special.digamma(a) + common, np.log1p(-x) - special.digamma(b) + common

    @staticmethod
    def _hess(x, a, b):
        common = trigamma(a + b)
        return ((common - trigamma(a), common), (common, common - trigamma(b)))

    @staticmethod
    def _dlogpdf_dx(x, a, b):
        return (a - 1.0) / x - (b - 1.0) / (1.0 - x)

    @staticmethod
    def _d2logpdf_dx2(x, a, b):
        return -(a - 1.0) / x**2 - (b - 1.0) / (1.0 - x) ** 2

    def mode(self):
        """``(a-1)/(a+b-2)`` for a, b > 1; 0 or 1 when the density decreases or increases
        throughout; a ValueError when it is unbounded at both ends or flat."""
        a, b = (float(t) for t in np.broadcast_arrays(*self._theta))
        if a > 1 and b > 1:
            return (a - 1.0) / (a + b - 2.0)
        if a <= 1 < b:
            return 0.0
        if b <= 1 < a:
            return 1.0
        raise ValueError(f"Beta({a:g}, {b:g}) has no unique mode (both shapes <= 1)")

    # censored data: the upper tail from the mirrored incomplete beta (no cancellation)
    @staticmethod
    def _logsf(x, a, b):
        with np.errstate(divide="ignore"):
            return np.log(special.betainc(b, a, 1.0 - x))

    @staticmethod
    def _fisher(a, b):
        common = trigamma(a + b)
        return ((trigamma(a) - common, -common), (-common, trigamma(b) - common))

    @classmethod
    def _log_sums(cls, data):
        r""":math:`(\sum w\log x, \sum w\log(1-x))`."""
        return data.sum_log(), data.cached(
            "sum_log1m", lambda: data.total_of(lambda x: np.log1p(-x))
        )

    @classmethod
    def _centred(cls, data):
        r"""``(c, e, g1, g2)`` for nearly constant data (variance below 1e-3 of
        :math:`\bar x(1 - \bar x)`, i.e. :math:`a + b` above about 1000), else None:
        :math:`c = \bar x` as computed, :math:`e = \overline{x - c}`,
        :math:`g_1 = \overline{\log(x/c) - (x-c)/c}`,
        :math:`g_2 = \overline{\log((1-x)/(1-c)) - (c-x)/(1-c)}` (each without cancellation).
        Then :math:`\overline{\log x} = \log c + g_1 + e/c` and
        :math:`\overline{\log(1-x)} = \log(1-c) + g_2 - e/(1-c)`, and the log-likelihood is
        :math:`n` times the log density at :math:`c` plus :math:`(a-1)(g_1 + e/c) +
        (b-1)(g_2 - e/(1-c))`: small terms where :math:`(a-1)\sum\log x` and
        :math:`n\log B(a, b)` would cancel."""

        def compute():
            W, c, M2 = moments(data)
            if not M2 / W < 1e-3 * c * (1.0 - c):
                return None
            e = data.total_of(lambda x: x - c) / W
            g1 = data.total_of(lambda x: log_ratio_minus_linear(x, c)) / W
            g2 = data.total_of(lambda x: _log1m_ratio_minus_linear(x, c)) / W
            return c, e, g1, g2

        return data.cached("beta_centred", compute)

    @classmethod
    def loglik_total(cls, data, a, b):
        centred = cls._centred(data)
        if centred is None:
            s1, s2 = cls._log_sums(data)
            return (a - 1.0) * s1 + (b - 1.0) * s2 - data.n * special.betaln(a, b)
        c, e, g1, g2 = centred
        at_c = beta_logpdf(np.float64(c), a, b)
        return data.n * (at_c + (a - 1.0) * (g1 + e / c) + (b - 1.0) * (g2 - e / (1.0 - c)))

    @classmethod
    def loglik_derivatives(cls, data, theta, order=2):
        a, b = float(theta[0]), float(theta[1])
        W = data.n
        grad = [-W * gj for gj in cls._mean_nll_gradient(data, a, b)]
        hess = None
        if order >= 2:
            (h11, h12), (_, h22) = cls._hess(None, a, b)
            hess = W * np.array([[h11, h12], [h12, h22]])
        return float(cls.loglik_total(data, a, b)), grad, hess

    @classmethod
    def _mean_nll_gradient(cls, data, a: float, b: float) -> tuple[float, float]:
        r""":math:`(\psi(a) - \psi(a+b) - \overline{\log x},\ \psi(b) - \psi(a+b) -
        \overline{\log(1-x)})`; for nearly constant data through
        :func:`.exact.digamma_minus_log` and the centred sums, so the large terms
        (:math:`\log a` against :math:`\log(a+b) + \log\bar x`) are taken out exactly."""
        centred = cls._centred(data)
        if centred is None:
            s1, s2 = cls._log_sums(data)
            psi_ab = special.digamma(a + b)
            return (
                special.digamma(a) - psi_ab - s1 / data.n,
                special.digamma(b) - psi_ab - s2 / data.n,
            )
        c, e, g1, g2 = centred
        d_ab = digamma_minus_log_float(a + b)
        return (
            digamma_minus_log_float(a) - d_ab + log_ratio_float(a / (a + b), c) - g1 - e / c,
            digamma_minus_log_float(b)
            - d_ab
            + log_ratio_float(b / (a + b), 1.0 - c)
            - g2
            + e / (1.0 - c),
        )

    @classmethod
    def profile_problem(cls, data, fixed):
        r"""Newton on :math:`(\log a, \log b)` over the mean log sums (floats: each step is
        O(1)); the same objective as the generic one on the full likelihood, without its
        per-step array work."""
        if fixed:
            return None
        W = data.n

        def derivatives(theta):
            a, b = float(theta[0]), float(theta[1])
            tri_ab = trigamma(a + b)
            f = -cls.loglik_total(data, a, b) / W
            g = cls._mean_nll_gradient(data, a, b)
            return f, g, ((trigamma(a) - tri_ab, -tri_ab), (-tri_ab, trigamma(b) - tri_ab))

        def expand(params):
            return {"a": math.exp(float(params[0])), "b": math.exp(float(params[1]))}

        start = cls.start_values(data, fixed)
        u0 = [np.array(math.log(start["a"])), np.array(math.log(start["b"]))]
        return ProfileProblem(SmoothObjective(derivatives, ["log", "log"]), u0, expand, "newton")

    @classmethod
    def start_values(cls, data, fixed):
        W, m, M2 = moments(data)
        require_spread(cls, data, M2)
        common = m * (1.0 - m) / (M2 / W) - 1.0
        common = common if common > 0 else 1.0
        return {"a": fixed.get("a", m * common), "b": fixed.get("b", (1.0 - m) * common)}


def beta_logpdf(x, a, b):
    r"""The beta log density: for :math:`a, b > 2` as :math:`\log(a+b-1)` plus the binomial
    probability of :math:`a-1` successes and :math:`b-1` failures with success probability
    :math:`x` in Loader's form (:func:`.exact.log_binom_raw`, as R's ``dbeta``), exact at large
    shapes; otherwise :math:`(a-1)\log x + (b-1)\log(1-x) - \log B(a,b)` (small terms)."""
    direct = special.xlogy(a - 1.0, x) + special.xlog1py(b - 1.0, -x) - special.betaln(a, b)
    large = (a > 2.0) & (b > 2.0)
    if not np.any(large):
        return direct
    aa, bb = np.where(large, a, 3.0), np.where(large, b, 3.0)
    saddle = np.log(aa + bb - 1.0) + log_binom_raw(aa - 1.0, bb - 1.0, x)
    return np.where(large, saddle, direct)


def _log1m_ratio_minus_linear(x, c):
    r""":math:`\log((1-x)/(1-c)) - (c - x)/(1 - c)`, exact to rounding: :func:`.exact.log1pmx`
    of :math:`t = (c - x)/(1 - c)` (the difference :math:`c - x` is exact near :math:`c`), else
    :math:`\log(1-x) - \log(1-c) - t` with ``log1p``."""
    t = (c - x) / (1.0 - c)
    near = (t >= -0.3) & (t <= 0.5)
    close = log1pmx(np.where(near, t, 0.0))
    if np.all(near):
        return close
    return np.where(near, close, np.log1p(-x) - np.log1p(-c) - t)
