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


class Beta(Distribution):
    r"""The beta distribution on (0, 1) with shapes :math:`a, b`.

    .. math:: \log p(x) = (a-1)\log x + (b-1)\log(1-x) - \log B(a, b),\qquad 0 < x < 1.

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
        return special.xlogy(a - 1.0, x) + special.xlog1py(b - 1.0, -x) - special.betaln(a, b)

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
    def loglik_total(cls, data, a, b):
        s1, s2 = cls._log_sums(data)
        return (a - 1.0) * s1 + (b - 1.0) * s2 - data.n * special.betaln(a, b)

    @classmethod
    def loglik_derivatives(cls, data, theta, order=2):
        a, b = np.float64(theta[0]), np.float64(theta[1])
        s1, s2 = cls._log_sums(data)
        W, common = data.n, special.digamma(a + b)
        grad = [s1 - W * (special.digamma(a) - common), s2 - W * (special.digamma(b) - common)]
        hess = None
        if order >= 2:
            (h11, h12), (_, h22) = cls._hess(None, a, b)
            hess = W * np.array([[h11, h12], [h12, h22]])
        return float(cls.loglik_total(data, a, b)), grad, hess

    @classmethod
    def profile_problem(cls, data, fixed):
        r"""Newton on :math:`(\log a, \log b)` over the two mean log sums (floats: each step is
        O(1)); the same objective as the generic one on the full likelihood, without its
        per-step array work."""
        if fixed:
            return None
        s1, s2 = cls._log_sums(data)
        m1, m2 = s1 / data.n, s2 / data.n

        def derivatives(theta):
            a, b = float(theta[0]), float(theta[1])
            psi_ab, tri_ab = special.digamma(a + b), trigamma(a + b)
            f = special.betaln(a, b) - (a - 1.0) * m1 - (b - 1.0) * m2
            g = (special.digamma(a) - psi_ab - m1, special.digamma(b) - psi_ab - m2)
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
