r"""The gamma distribution."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ...estimation.domains import POSITIVE, Param, Support
from . import tails
from .base import Distribution
from .common import batch_newton, log_profile, require_spread, trigamma, trigamma_series
from .exact import (
    bd0,
    bd0_float,
    digamma_minus_log_float,
    finite_or,
    log1pmx,
    log_poisson_raw,
    log_ratio_float,
    log_ratio_minus_linear,
    stirlerr,
    stirlerr_float,
    trigamma_minus_inv_float,
)


class Gamma(Distribution):
    r"""The gamma distribution with ``shape`` :math:`a` and ``scale`` :math:`s`.

    .. math:: \log p(x) = (a - 1)\log x - x/s - \log\Gamma(a) - a\log s
              = \log(a/x) - \operatorname{stirlerr}(a) - \operatorname{bd0}(a, x/s)
                - \tfrac12\log(2\pi a),\qquad x > 0,

    the second form (Loader's, as R's ``dgamma``; see :mod:`.exact`) computed: its terms are
    small where the first form's cancel (:math:`\log\Gamma(a)` against :math:`a\log s` at
    large shapes). Summed over the data with :math:`m = \bar x`,
    :math:`S = \log\bar x - \overline{\log x} \ge 0` and :math:`u = m/s`,

    .. math:: \ell = n\,[\log(a/m) - \operatorname{stirlerr}(a) - \operatorname{bd0}(a, u)
              - \tfrac12\log(2\pi a) - (a - 1) S],

    with :math:`S` from the centred logarithms (:func:`.exact.log_ratio_minus_linear`) when it
    is small (nearly constant data, large shapes), where the difference of the two means
    would lose it.

    Score :math:`(\log x - \psi(a) - \log s,\ x/s^2 - a/s)`; Fisher information
    :math:`\begin{pmatrix}\psi'(a) & 1/s\\ 1/s & a/s^2\end{pmatrix}`.

    **MLE**: the data enter through :math:`\bar x` and :math:`\overline{\log x}` only
    (sufficient statistics, one pass). Profiling out :math:`s = \bar x/a` leaves the equation
    :math:`\log a - \psi(a) = \log\bar x - \overline{\log x}`, solved by Newton on
    :math:`\log a` from Minka's (2002) closed-form approximation (each step O(1)); the
    profile negative log-likelihood per observation is
    :math:`\operatorname{stirlerr}(a) + \tfrac12\log(2\pi/a) + \log m + (a - 1)S`. The MLE
    exists (and is unique) whenever the values are not all equal: :math:`1/(2a) \approx S`, so
    nearly constant data give a large but interior shape (its profile has curvature
    :math:`n/2` in :math:`\log a`), not a boundary estimate.
    """

    name = "gamma"
    param_specs = (
        Param("shape", POSITIVE, doc="shape a"),
        Param("scale", POSITIVE, default=1.0, doc="scale s (mean a s)"),
    )
    support = Support(0.0, np.inf, low_open=True)

    @staticmethod
    def _logpdf(x, shape, scale):
        with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
            out = np.log(shape / x) + log_poisson_raw(shape, x / scale)
        return finite_or(
            out,
            lambda: (
                special.xlogy(shape - 1.0, x)
                - x / scale
                - special.gammaln(shape)
                - shape * np.log(scale)
            ),
        )

    @staticmethod
    def _cdf(x, shape, scale):
        return special.gammainc(shape, x / scale)

    @staticmethod
    def _ppf(q, shape, scale):
        return special.gammaincinv(shape, q) * scale

    @staticmethod
    def _sample(rng, shape_, shape, scale):
        return rng.gamma(shape, scale, shape_)

    @staticmethod
    def _mean(shape, scale):
        return shape * scale

    @staticmethod
    def _var(shape, scale):
        return shape * scale**2

    @staticmethod
    def _scipy(shape, scale):
        from scipy import stats

        return stats.gamma(shape, scale=scale)

    @staticmethod
    def _score(x, shape, scale):
        return np.log(x) - special.digamma(shape) - np.log(scale), x / scale**2 - shape / scale

    @staticmethod
    def _hess(x, shape, scale):
        cross = -1.0 / scale
        return (
            (-trigamma(shape), cross),
            (cross, shape / scale**2 - 2.0 * x / scale**3),
        )

    @staticmethod
    def _dlogpdf_dx(x, shape, scale):
        return (shape - 1.0) / x - 1.0 / scale

    @staticmethod
    def _d2logpdf_dx2(x, shape, scale):
        return -(shape - 1.0) / x**2

    def mode(self):
        """``(shape - 1) scale``; a ValueError for shape < 1 (the density is unbounded at 0)."""
        shape, scale = self._theta
        if np.any(shape < 1):
            raise ValueError("a gamma with shape below 1 has an unbounded density at 0: no mode")
        return _scalar_or_array((shape - 1.0) * scale)

    # censored data: the incomplete gamma functions in log space (derivatives in the shape
    # have no closed form: finite differences, see tails.py)
    @staticmethod
    def _logcdf(x, shape, scale):
        return tails.log_gammainc(shape, x / scale)

    @staticmethod
    def _logsf(x, shape, scale):
        return tails.log_gammaincc(shape, x / scale)

    @classmethod
    def _inner_tail_derivatives(cls, x, theta, order, upper):
        r"""The scale is a pivot (:math:`z = x/s`): with :math:`\rho = \partial L/\partial z
        = \pm p(z)/T` and :math:`\rho' = \rho(\partial_z\log p - \rho)`,
        :math:`L_s = -\rho z/s`, :math:`L_{ss} = (\rho' z + 2\rho) z/s^2`; the shape has no
        closed form: 5-point differences of :math:`L` and of :math:`\rho` in :math:`a`
        (five incomplete-gamma evaluations in all)."""
        a, s = float(theta[0]), float(theta[1])
        z = x / s
        log_z = np.log(z)
        fn = cls._logsf if upper else cls._logcdf
        h = 1e-3 * a
        shifts = (0.0, h, -h, 2.0 * h, -2.0 * h)
        Ls = [fn(x, a + d, s) for d in shifts]
        with np.errstate(over="ignore", invalid="ignore"):
            rhos = [
                (-1.0 if upper else 1.0)
                * np.exp((a + d - 1.0) * log_z - z - special.gammaln(a + d) - L)
                for d, L in zip(shifts, Ls)
            ]
        L, rho = Ls[0], rhos[0]

        def first(v):
            return (8.0 * (v[1] - v[2]) - (v[3] - v[4])) / (12.0 * h)

        grad = [first(Ls), -rho * z / s]
        if order < 2:
            return L, grad, None
        rho1 = rho * ((a - 1.0) / z - 1.0 - rho)
        h_aa = (16.0 * (Ls[1] + Ls[2]) - (Ls[3] + Ls[4]) - 30.0 * L) / (12.0 * h * h)
        h_as = -first(rhos) * z / s
        return L, grad, [[h_aa, h_as], [h_as, (rho1 * z + 2.0 * rho) * z / s**2]]

    @staticmethod
    def _fisher(shape, scale):
        return ((trigamma(shape), 1.0 / scale), (1.0 / scale, shape / scale**2))

    @classmethod
    def loglik_total(cls, data, shape, scale):
        W, m, S = data.n, data.mean(), cls._log_ratio(data, check=False)
        if np.ndim(shape) == 0 and np.ndim(scale) == 0:  # one point: plain floats
            a = float(shape)
            return W * (
                math.log(a / m)
                - stirlerr_float(a)
                - bd0_float(a, m / float(scale))
                - 0.5 * math.log(2.0 * math.pi * a)
                - (a - 1.0) * S
            )
        a = np.asarray(shape, dtype=np.float64)
        return W * (
            np.log(a / m)
            - stirlerr(a)
            - bd0(a, m / np.asarray(scale, dtype=np.float64))
            - 0.5 * np.log(2.0 * np.pi * a)
            - (a - 1.0) * S
        )

    @classmethod
    def loglik_derivatives(cls, data, theta, order=2):
        a, s = float(theta[0]), float(theta[1])
        W, Sx, S = data.n, data.sum_x(), cls._log_ratio(data, check=False)
        ll = cls.loglik_total(data, a, s)
        # sum log x - n(psi(a) + log s) = n(log(u/a) - (psi(a) - log a) - S), u = mean/s
        grad = [
            W * (log_ratio_float(Sx / (W * s), a) - digamma_minus_log_float(a) - S),
            Sx / s**2 - W * a / s,
        ]
        hess = None
        if order >= 2:
            h_as = -W / s
            hess = np.array([[-W * trigamma(a), h_as], [h_as, W * a / s**2 - 2.0 * Sx / s**3]])
        return float(ll), grad, hess

    @classmethod
    def _log_ratio(cls, data, check=True) -> float:
        r""":math:`S = \log\bar x - \overline{\log x} \ge 0` (zero only when all values are
        equal). The difference of the two means loses their size times the rounding; when that
        is not negligible against :math:`S` (which the shape's MLE, about :math:`1/(2S)`,
        multiplies), :math:`S = \log(1 + \bar t) - \bar t - \overline{(\log(1 + t) - t)}` with
        :math:`t = x/c - 1` about the computed mean :math:`c`: small terms, no cancellation."""
        if check:
            require_spread(cls, data, float(data.max() - data.min()))
        return data.cached("gamma_log_ratio", lambda: _log_ratio(data))

    @classmethod
    def closed_form_mle(cls, data, fixed):
        if "shape" in fixed:
            return {} if "scale" in fixed else {"scale": data.mean() / fixed["shape"]}
        return None

    @classmethod
    def profile_problem(cls, data, fixed):
        if fixed:
            return None
        S, mean = cls._log_ratio(data), data.mean()
        log_mean = math.log(mean)

        def derivatives(theta):  # plain floats: each Newton step is O(1)
            a = float(theta[0])
            if not 0.0 < a < math.inf:  # a trial step under- or overflowed
                return math.inf, (0.0,), ((1.0,),)
            f = stirlerr_float(a) + 0.5 * math.log(2.0 * math.pi / a) + log_mean + (a - 1.0) * S
            return f, (digamma_minus_log_float(a) + S,), ((trigamma_minus_inv_float(a),),)

        def expand(params):
            a = float(np.exp(params[0]))
            return {"shape": a, "scale": mean / a}

        a0 = (3.0 - S + np.sqrt((S - 3.0) ** 2 + 24.0 * S)) / (12.0 * S)
        return log_profile(derivatives, a0, expand, "newton on the profile likelihood of the shape")

    @classmethod
    def fit_batch(cls, samples, fixed):
        r"""Every row's profile equation :math:`\log a - \psi(a) = \log\bar x - \overline{\log x}`
        by Newton on :math:`\log a`, all rows at once from Minka's start (a few steps)."""
        if fixed:
            return None
        mean = samples.mean(axis=1)
        S = np.log(mean) - np.log(samples).mean(axis=1)
        a = (3.0 - S + np.sqrt((S - 3.0) ** 2 + 24.0 * S)) / (12.0 * S)

        def step(a, rows):
            g = np.log(a) - special.digamma(a) - S[rows]
            h = 1.0 / a - trigamma_series(a)  # d g / d a < 0 (only the step's size)
            return np.clip(-g / (h * a), -1.0, 1.0)  # the Newton step in log a

        a = batch_newton(step, a)
        return a, mean / a

    @classmethod
    def start_values(cls, data, fixed):
        S = max(cls._log_ratio(data, check=False), 1e-6)
        a0 = fixed.get("shape", (3.0 - S + np.sqrt((S - 3.0) ** 2 + 24.0 * S)) / (12.0 * S))
        return {"shape": a0, "scale": fixed.get("scale", data.mean() / a0)}


def _log_ratio(data) -> float:
    r""":math:`\log\bar x - \overline{\log x}`: the plain difference when it is large against
    the rounding of the two means, else from the centred logarithms (see
    :meth:`Gamma._log_ratio`)."""
    m = data.mean()
    plain = float(np.log(m) - data.sum_log() / data.n)
    if plain > 1e-2 * (1.0 + abs(math.log(m))):
        return plain
    centred = data.total_of(lambda x: log_ratio_minus_linear(x, m)) / data.n
    t_bar = data.total_of(lambda x: x - m) / (data.n * m)
    return max(float(log1pmx(t_bar)) - centred, 0.0)


def _scalar_or_array(v):
    v = np.asarray(v, dtype=np.float64)
    return float(v) if v.ndim == 0 else v
