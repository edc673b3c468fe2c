r"""The Weibull distribution."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ...estimation.data import FitData, dot, moments
from ...estimation.domains import POSITIVE, Param, Support
from . import tails
from .base import Distribution
from .common import batch_newton, log_profile, require_spread
from .exact import log_ratio

_EULER = np.euler_gamma


class Weibull(Distribution):
    r"""The Weibull distribution with ``shape`` :math:`k` and ``scale`` :math:`\lambda`
    (scipy's ``weibull_min(k, scale=lambda)``).

    .. math:: \log p(x) = \log k - \log\lambda + (k - 1) y - e^{k y},\qquad
              y = \log(x/\lambda),\ x > 0,

    with :math:`y` from ``log1p`` of the exact difference near :math:`\lambda`
    (:func:`.exact.log_ratio`): at large shapes :math:`k y` is of order one and carries no
    :math:`k`-fold rounding.

    With :math:`t = (x/\lambda)^k`: score :math:`(1/k + y - t y,\ k(t - 1)/\lambda)`; Fisher
    information
    :math:`\begin{pmatrix}(\pi^2/6 + (1-\gamma)^2)/k^2 & -(1-\gamma)/\lambda\\
    -(1-\gamma)/\lambda & k^2/\lambda^2\end{pmatrix}` (:math:`\gamma` Euler's constant).

    **MLE**: for a given :math:`k` the scale is :math:`\hat\lambda^k = \sum w x^k / n`; the
    profile negative log-likelihood per observation,
    :math:`-\log k + \log(\tfrac1n\sum w x^k) - (k-1)\overline{\log x} + 1`, is strictly
    convex in :math:`k` (its second derivative is :math:`1/k^2` plus a weighted variance of
    :math:`\log x`), so Newton on :math:`\log k` from the Gumbel-moment start
    :math:`k_0 = \pi/(\sqrt6\,\mathrm{sd}(\log x))` converges in a few steps. Each step is one
    pass over the (centred) logs computing :math:`\sum w e^{k y}`, :math:`\sum w e^{k y} y` and
    :math:`\sum w e^{k y} y^2`, block by block.
    """

    name = "weibull"
    param_specs = (
        Param("shape", POSITIVE, doc="shape k"),
        Param("scale", POSITIVE, default=1.0, doc="scale lambda"),
    )
    support = Support(0.0, np.inf, low_open=True)

    @staticmethod
    def _logpdf(x, shape, scale):
        y = log_ratio(x, scale)
        with np.errstate(over="ignore"):
            return np.log(shape) - np.log(scale) + (shape - 1.0) * y - np.exp(shape * y)

    @staticmethod
    def _cdf(x, shape, scale):
        return -np.expm1(-((x / scale) ** shape))

    @staticmethod
    def _ppf(q, shape, scale):
        return scale * (-np.log1p(-q)) ** (1.0 / shape)

    @staticmethod
    def _sample(rng, shape_, shape, scale):
        return scale * rng.weibull(shape, shape_)

    @staticmethod
    def _mean(shape, scale):
        return scale * special.gamma(1.0 + 1.0 / shape)

    @staticmethod
    def _var(shape, scale):
        g1, g2 = special.gamma(1.0 + 1.0 / shape), special.gamma(1.0 + 2.0 / shape)
        return scale**2 * (g2 - g1 * g1)

    @staticmethod
    def _scipy(shape, scale):
        from scipy import stats

        return stats.weibull_min(shape, scale=scale)

    @staticmethod
    def _score(x, shape, scale):
        y = log_ratio(x, scale)
        t = np.exp(shape * y)
        return 1.0 / shape + y - t * y, shape * (t - 1.0) / scale

    @staticmethod
    def _hess(x, shape, scale):
        y = log_ratio(x, scale)
        t = np.exp(shape * y)
        h_kl = (t - 1.0 + shape * t * y) / scale
        return (
            (-1.0 / shape**2 - t * y * y, h_kl),
            (h_kl, -shape * (t - 1.0 + shape * t) / scale**2),
        )

    @staticmethod
    def _dlogpdf_dx(x, shape, scale):
        return (shape - 1.0) / x - shape * (x / scale) ** shape / x

    @staticmethod
    def _d2logpdf_dx2(x, shape, scale):
        return -(shape - 1.0) / x**2 - shape * (shape - 1.0) * (x / scale) ** shape / x**2

    # censored data: the pivot t = (x/scale)^shape, a unit exponential; log S = -t exactly
    _tails = tails.EXPONENTIAL

    @staticmethod
    def _pivot(x, shape, scale):
        r""":math:`t = (x/\lambda)^k`: :math:`t_k = t y`, :math:`t_\lambda = -k t/\lambda`,
        :math:`t_{kk} = t y^2`, :math:`t_{k\lambda} = -t(1 + k y)/\lambda`,
        :math:`t_{\lambda\lambda} = k(k + 1) t/\lambda^2` (:math:`y = \log(x/\lambda)`)."""
        y = np.log(x / scale)
        t = np.exp(shape * y)
        cross = -t * (1.0 + shape * y) / scale
        d2 = ((t * y * y, cross), (cross, shape * (shape + 1.0) * t / scale**2))
        return t, (t * y, -shape * t / scale), d2

    @staticmethod
    def _logcdf(x, shape, scale):
        return tails.log_expm1_neg((x / scale) ** shape)

    @staticmethod
    def _logsf(x, shape, scale):
        return -((x / scale) ** shape)

    @staticmethod
    def _fisher(shape, scale):
        c = 1.0 - _EULER
        cross = -c / scale
        return ((((np.pi**2) / 6.0 + c * c) / shape**2, cross), (cross, (shape / scale) ** 2))

    @classmethod
    def _logs(cls, data):
        r"""``(y, mean, var, top)``: the centred logs :math:`y = \log x - \overline{\log x}`
        (one array, cached), their weighted mean, variance and maximum. The profile multiplies
        :math:`y` by the shape :math:`k \approx 1.28/\mathrm{sd}(\log x)`, so when the logs
        barely vary (nearly constant data) :math:`y` is taken as :math:`\log(x/c)` about a
        centre :math:`c` (``log1p`` of the exact difference), not as a difference of two
        logarithms whose rounding :math:`k` would amplify."""

        def compute():
            y = np.log(data.x)
            W, mean, M2 = moments(FitData(y, data.w, data.n))
            if M2 < (1e-3 * W) * (1.0 + mean * mean):  # nearly constant: logs about a centre
                c = float(np.exp(mean))
                y = log_ratio(data.x, c)
                W, mean, M2 = moments(FitData(y, data.w, data.n))
                y -= mean
                return y, mean + math.log(c), M2 / W, float(y.max())
            y -= mean
            return y, mean, M2 / W, float(y.max())

        return data.cached("weibull_logs", compute)

    @classmethod
    def _power_sums(cls, data, k):
        r""":math:`(\sum w e^{k(y - c)}, \sum w e^{k(y-c)} y, \sum w e^{k(y-c)} y^2)`, block by
        block (:math:`c = \max y` keeps every exponent :math:`\le 0`)."""
        y, _, _, top = cls._logs(data)
        a0 = a1 = a2 = 0.0
        for yb, wb in FitData(y, data.w, data.n).chunks():
            e = yb - top
            e *= k
            np.exp(e, out=e)
            if wb is not None:
                e *= wb
            a0 += e.sum()
            a1 += dot(e, yb)
            e *= yb
            a2 += dot(e, yb)
        return a0, a1, a2

    @classmethod
    def _log_scale(cls, data, k) -> float:
        r""":math:`\log\hat\lambda(k) = \tfrac1k\log(\tfrac1n\sum w x^k)`."""
        _, mean, _, top = cls._logs(data)
        a0 = cls._power_sums(data, k)[0]
        return (np.log(a0 / data.n)) / k + top + mean

    @classmethod
    def closed_form_mle(cls, data, fixed):
        if "shape" in fixed:
            return (
                {} if "scale" in fixed else {"scale": np.exp(cls._log_scale(data, fixed["shape"]))}
            )
        return None

    @classmethod
    def profile_problem(cls, data, fixed):
        if fixed:
            return None
        return cls._shape_profile(
            data, data.n, None, "newton on the profile likelihood of the shape"
        )

    @classmethod
    def _shape_profile(cls, rows, d, log_total, label):
        r"""The profile likelihood of the shape over ``rows`` (every value: exact ones and, under
        right censoring, the censoring times) with ``d`` the exact rows' weight and
        ``log_total`` :math:`L_E = \sum_E w \log x` (None: all rows are exact). With
        :math:`A(k) = \sum w x^k`, :math:`\hat\lambda^k = A/d` and, per unit of weight,
        :math:`f(k) = [-d\log k + d\log(A/d) - (k - 1) L_E + d]/n`, written with
        :math:`D = L_E - d\,\overline{\log x}` (0 when every row is exact) so that no term of
        order :math:`k\,\overline{\log x}` cancels at large shapes."""
        _, mean, var, top = cls._logs(rows)
        require_spread(cls, rows, var)
        n = rows.n
        D = 0.0 if log_total is None else log_total - d * mean
        last = {}

        def derivatives(theta):
            k = theta[0]
            a0, a1, a2 = cls._power_sums(rows, k)
            last.update(k=k, a0=a0)
            m1, m2 = a1 / a0, a2 / a0
            f = -d * np.log(k) + d * (np.log(a0 / d) + k * top + mean + 1.0) - (k - 1.0) * D
            g = -d / k + d * m1 - D
            return f / n, np.array([g / n]), np.array([[(d / k**2 + d * (m2 - m1 * m1)) / n]])

        def expand(params):
            k = float(np.exp(params[0]))
            a0 = last["a0"] if last.get("k") == k else cls._power_sums(rows, k)[0]
            return {"shape": k, "scale": float(np.exp(np.log(a0 / d) / k + top + mean))}

        return log_profile(derivatives, np.pi / np.sqrt(6.0 * var), expand, label)

    @classmethod
    def fit_batch(cls, samples, fixed):
        r"""Every row's profile likelihood of the shape by Newton on :math:`\log k`, all rows at
        once (centred logs, exponents shifted by each row's maximum)."""
        if fixed:
            return None
        y = np.log(samples)
        mean = y.mean(axis=1, keepdims=True)
        y -= mean
        top = y.max(axis=1, keepdims=True)
        k = np.pi / np.sqrt(6.0 * np.maximum(np.einsum("ij,ij->i", y, y) / y.shape[1], 1e-300))

        def sums(k, rows):
            yr = y[rows]
            e = np.exp(k[:, None] * (yr - top[rows]))
            a0 = e.sum(axis=1)
            e *= yr
            m1 = e.sum(axis=1) / a0
            return a0, m1, np.einsum("ij,ij->i", e, yr) / a0

        def step(k, rows):
            _, m1, m2 = sums(k, rows)
            g = -1.0 / k + m1  # d f / d k of the profile NLL per observation
            h = 1.0 / k**2 + m2 - m1 * m1
            return np.clip(-(k * g) / (k * k * h + k * g), -1.0, 1.0)

        k = batch_newton(step, k)
        a0 = sums(np.nan_to_num(k, nan=1.0), np.arange(k.size))[0]
        log_scale = np.log(a0 / y.shape[1]) / k + top[:, 0] + mean[:, 0]
        return k, np.exp(log_scale)

    @classmethod
    def censored_closed_form(cls, data, fixed):
        r"""With the shape fixed and only right censoring: :math:`\hat\lambda^k = \sum_{\text{all}}
        w x^k / d` (:math:`d` the total weight of the exact rows)."""
        if "shape" not in fixed or not _right_censored_only(data):
            return None
        if "scale" in fixed:
            return {}
        rows, d = _observed_and_right(data)
        return {
            "scale": float(
                np.exp(cls._log_scale(rows, fixed["shape"]) + np.log(rows.n / d) / fixed["shape"])
            )
        }

    @classmethod
    def censored_profile_problem(cls, data, fixed):
        r"""Right censoring only (no truncation): with :math:`E` the exact rows (total weight
        :math:`d`, :math:`L_E = \sum_E w\log x`) and :math:`A(k) = \sum_{\text{all}} w x^k`
        (exact values and censoring times alike), :math:`\hat\lambda(k)^k = A(k)/d` and

        .. math:: \ell_p(k) = d\log k - d\log(A(k)/d) + (k - 1) L_E - d,

        strictly concave (:math:`\log A` is convex), so Newton on :math:`\log k` converges
        from the Gumbel-moment start; each step is one pass over the logs."""
        if fixed or not _right_censored_only(data):
            return None
        rows, d = _observed_and_right(data)
        label = "newton on the profile likelihood of the shape (right-censored)"
        return cls._shape_profile(rows, d, data.group("exact").sum_log(), label)

    @classmethod
    def start_values(cls, data, fixed):
        _, _, var, _ = cls._logs(data)
        k = fixed.get("shape", np.pi / np.sqrt(6.0 * max(var, 1e-12)))
        return {"shape": k, "scale": fixed.get("scale", np.exp(cls._log_scale(data, k)))}


def _right_censored_only(data) -> bool:
    """Exact and right-censored rows only, nothing truncated (the profile's case)."""
    counts = data.counts()
    return data.truncation is None and counts["left"] == counts["interval"] == 0


def _observed_and_right(data):
    """``(rows, d)``: the exact values and right-censoring times together as one
    :class:`FitData` (cached), and the exact rows' total weight :math:`d`."""

    def compute():  # an exact row's lower bound is its value, a right-censored row's its time
        return FitData(np.ascontiguousarray(data.bounds[:, 0]), data.w)

    return data.cached("weibull_rows", compute), data.group("exact").n
