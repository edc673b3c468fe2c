r"""The continuous uniform distribution."""

from __future__ import annotations

import math

import numpy as np

from ...estimation.data import first_bad
from ...estimation.domains import REAL, Param, Support
from .base import Distribution
from .common import no_mle


class Uniform(Distribution):
    r"""The uniform distribution on :math:`[a, b]` (``low``, ``high``).

    .. math:: \log p(x) = -\log(b - a),\qquad a \le x \le b.

    **MLE** (closed form): :math:`\hat a = \min x`, :math:`\hat b = \max x` (only rows with
    positive weight count). The family is *not regular*: the support depends on the
    parameters, the MLE sits on the edge of the region the data allow, and it converges at
    rate :math:`1/n`, not :math:`1/\sqrt n`. So there is no Fisher information; the standard
    errors come from the exact distribution of the extremes,
    :math:`\mathrm{Var}(\hat a) = \mathrm{Var}(\hat b) = (b-a)^2 n/((n+1)^2(n+2))`; Wald and
    profile intervals do not apply, and ``conf_int(method="exact")`` gives exact ones: given the
    minimum, the other :math:`n-1` values are uniform on :math:`[\hat a, b]`, so
    :math:`((\hat b - \hat a)/(b - \hat a))^{n-1}` is uniform on (0, 1) and
    :math:`b \in [\hat b,\ \hat a + (\hat b - \hat a)\,\alpha^{-1/(n-1)}]` (and symmetrically
    for :math:`a`). The MLE is biased inwards; the unbiased (UMVU) estimates
    :math:`(n\hat a - \hat b)/(n-1)` and :math:`(n\hat b - \hat a)/(n-1)` are shown by
    ``summary(usual=True)``.
    """

    name = "uniform"
    param_specs = (
        Param("low", REAL, default=0.0, doc="lower end a"),
        Param("high", REAL, default=1.0, doc="upper end b"),
    )
    support = Support(-np.inf, np.inf, low_open=False, high_open=False)
    regular = False

    @classmethod
    def _check_array_params(cls, theta, context):
        low, high = theta
        if low.ndim == 0 and high.ndim == 0:
            bad = not low < high
        else:
            bad = bool(np.any(np.greater_equal(*np.broadcast_arrays(low, high))))
        if bad:
            raise ValueError(
                f"uniform{context}: low must be below high, got low={theta[0]!r}, high={theta[1]!r}"
            )
        return theta

    @classmethod
    def _bounds(cls, low, high):
        return low, high

    @staticmethod
    def _logpdf(x, low, high):
        return -np.log(high - low) + 0.0 * x

    @staticmethod
    def _cdf(x, low, high):
        return (x - low) / (high - low)

    @staticmethod
    def _ppf(q, low, high):
        return low + q * (high - low)

    @staticmethod
    def _sample(rng, shape, low, high):
        return rng.uniform(low, high, shape)

    @staticmethod
    def _mean(low, high):
        return 0.5 * (low + high)

    @staticmethod
    def _var(low, high):
        return (high - low) ** 2 / 12.0

    @staticmethod
    def _scipy(low, high):
        from scipy import stats

        return stats.uniform(low, high - low)

    @staticmethod
    def _score(x, low, high):
        r = 1.0 / (high - low) + 0.0 * x
        return r, -r

    @staticmethod
    def _hess(x, low, high):
        r2 = 1.0 / (high - low) ** 2 + 0.0 * x
        return ((r2, -r2), (-r2, r2))

    @staticmethod
    def _dlogpdf_dx(x, low, high):
        return 0.0 * x

    _d2logpdf_dx2 = _dlogpdf_dx

    @classmethod
    def _extremes(cls, data):
        """The smallest and largest value with positive weight."""

        def compute():
            if data.w is None:
                return float(data.min()), float(data.max())
            x = data.x[data.w > 0]
            return float(x.min()), float(x.max())

        return data.cached("extremes", compute)

    @classmethod
    def check_data(cls, data, fixed):
        lo, hi = cls._extremes(data)
        if "low" in fixed and lo < fixed["low"]:
            raise ValueError(
                f"x has values below the fixed low={fixed['low']!r}: "
                f"{first_bad(data.x < fixed['low'], data.x)}"
            )
        if "high" in fixed and hi > fixed["high"]:
            raise ValueError(
                f"x has values above the fixed high={fixed['high']!r}: "
                f"{first_bad(data.x > fixed['high'], data.x)}"
            )

    @classmethod
    def loglik_total(cls, data, low, high):
        lo, hi = cls._extremes(data)
        scalars = isinstance(low, float) and isinstance(high, float)  # np.float64 included
        if scalars or np.ndim(low) == np.ndim(high) == 0:
            ok = low <= lo and high >= hi and low < high
            return -data.n * math.log(high - low) if ok else -np.inf
        inside = (low <= lo) & (high >= hi) & (low < high)
        width = np.where(inside, high - low, 1.0)
        return np.where(inside, -data.n * np.log(width), -np.inf)

    @classmethod
    def closed_form_mle(cls, data, fixed):
        lo, hi = cls._extremes(data)
        low, high = fixed.get("low", lo), fixed.get("high", hi)
        if not low < high:
            raise no_mle(cls, "all values are equal, so the interval would have zero width")
        return {k: v for k, v in (("low", low), ("high", high)) if k not in fixed}

    start_values = closed_form_mle

    @classmethod
    def asymptotic_covariance(cls, data, theta, free):
        n, width2 = data.n, float(theta[1] - theta[0]) ** 2
        var = width2 * n / ((n + 1.0) ** 2 * (n + 2.0))
        cov = width2 / ((n + 1.0) ** 2 * (n + 2.0))
        full = np.array([[var, cov], [cov, var]])
        idx = [cls.param_names.index(p) for p in free]
        return full[np.ix_(idx, idx)]

    @classmethod
    def usual_estimates(cls, data, theta, free):
        if len(free) < 2 or data.n <= 1:
            return {}
        n, lo, hi = data.n, float(theta[0]), float(theta[1])
        return {"low": (n * lo - hi) / (n - 1.0), "high": (n * hi - lo) / (n - 1.0)}

    @classmethod
    def exact_conf_int(cls, data, theta, free, level):
        lo, hi = cls._extremes(data)
        a, n = 1.0 - level, data.n
        out = {}
        if "high" in free:
            anchor, m = (lo, n - 1.0) if "low" in free else (float(theta[0]), n)
            out["high"] = (hi, anchor + (hi - anchor) * a ** (-1.0 / m))
        if "low" in free:
            anchor, m = (hi, n - 1.0) if "high" in free else (float(theta[1]), n)
            out["low"] = (anchor - (anchor - lo) * a ** (-1.0 / m), lo)
        return out
