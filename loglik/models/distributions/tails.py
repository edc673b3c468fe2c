r"""Log-cdf and log-survival functions with their parameter derivatives: what censored and
truncated likelihoods are made of (see :mod:`loglik.estimation.censoring`).

Three ways a family's tails get derivatives, best first:

* **a pivot**: :math:`F(x\mid\theta) = G(u)` with :math:`u = u(x, \theta)` and :math:`G` a fixed
  standard distribution (location-scale families: :math:`u = (x - \mu)/\sigma`; the lognormal on
  :math:`\log x`; the Weibull with :math:`u = (x/\lambda)^k` and :math:`G` the unit exponential).
  With :math:`T` the tail (:math:`G` or :math:`1 - G`), :math:`\rho = d\log T/du` (the hazard
  ratio :math:`g/G`, or :math:`-g/(1 - G)`) and :math:`\rho' = \rho\,(d\log g/du - \rho)`,

  .. math:: \frac{\partial \log T}{\partial\theta_j} = \rho\, u_j,\qquad
            \frac{\partial^2 \log T}{\partial\theta_j\partial\theta_k}
            = \rho'\, u_j u_k + \rho\, u_{jk},

  all from :math:`\log g`, :math:`d\log g/du`, :math:`\log G`, :math:`\log(1 - G)` of the
  standard member, evaluated in log space (no ratio of underflowed numbers);
* **finite differences** of the stable log-tail in the parameters otherwise (5-point stencils for
  first and pure second derivatives, error :math:`O(h^4)`; 4-point for mixed ones), for the
  parameters whose cdf derivative has no closed form (the gamma's and beta's shapes, Student's
  degrees of freedom, the count families).

Stable special functions: :func:`log_gammainc` and :func:`log_gammaincc` (the regularised
incomplete gamma functions in log space, by series and continued fraction where they
underflow), :func:`log_expm1_neg` (:math:`\log(1 - e^{-t})`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy import special

__all__ = [
    "CAUCHY",
    "EXPONENTIAL",
    "LAPLACE",
    "LOGISTIC",
    "NORMAL",
    "StandardTails",
    "fd_tail_derivatives",
    "log_expm1_neg",
    "log_gammainc",
    "log_gammaincc",
    "pivot_tail_derivatives",
]

_TINY = 1e-280


def log_expm1_neg(t):
    r""":math:`\log(1 - e^{-t})` for :math:`t \ge 0` (the log-cdf of the unit exponential)."""
    t = np.asarray(t, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.where(t < np.log(2.0), np.log(-np.expm1(-t)), np.log1p(-np.exp(-t)))


def _log_series_p(a, z, terms=200):
    r""":math:`\log P(a, z)` by the series :math:`z^a e^{-z}/\Gamma(a+1)\sum_k z^k/((a+1)\cdots
    (a+k))` (where :math:`P` underflows, :math:`z \ll a` and it converges fast)."""
    term = np.ones_like(z)
    total = np.ones_like(z)
    for k in range(1, terms):
        term = term * z / (a + k)
        total = total + term
        if np.all(term < 1e-17 * total):
            break
    return a * np.log(z) - z - special.gammaln(a + 1.0) + np.log(total)


def _log_cf_q(a, z, iterations=300):
    r""":math:`\log Q(a, z)` by Legendre's continued fraction (modified Lentz), for large
    :math:`z` where :math:`Q` underflows."""
    b = z + 1.0 - a
    c = np.full_like(z, 1e300)
    d = 1.0 / b
    h = d
    for i in range(1, iterations):
        an = -i * (i - a)
        b = b + 2.0
        d = an * d + b
        d = np.where(np.abs(d) < 1e-300, 1e-300, d)
        c = b + an / c
        c = np.where(np.abs(c) < 1e-300, 1e-300, c)
        d = 1.0 / d
        delta = d * c
        h = h * delta
        if np.all(np.abs(delta - 1.0) < 1e-16):
            break
    return -z + a * np.log(z) - special.gammaln(a) + np.log(h)


def _log_regularised(a, z, small, big, series):
    a, z = np.broadcast_arrays(np.asarray(a, dtype=np.float64), np.asarray(z, dtype=np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        s = small(a, z)
        out = np.log(s)
        near_one = s >= 0.5  # log(s) = log1p(-(1 - s)), the complement computed directly
        if np.any(near_one):
            out[near_one] = np.log1p(-big(a[near_one], z[near_one]))
        under = (s < _TINY) & (z > 0)
        if np.any(under):
            out = np.array(out, dtype=np.float64)
            out[under] = series(a[under], z[under])
        out = np.where(z <= 0, -np.inf if series is _log_series_p else 0.0, out)
    return out if out.ndim else float(out)


def log_gammainc(a, z):
    r""":math:`\log P(a, z)`, the log of the regularised lower incomplete gamma function
    (the gamma's log-cdf at :math:`z = x/s`), accurate where :math:`P` underflows."""
    return _log_regularised(a, z, special.gammainc, special.gammaincc, _log_series_p)


def log_gammaincc(a, z):
    r""":math:`\log Q(a, z) = \log(1 - P(a, z))`, accurate in the upper tail."""
    return _log_regularised(a, z, special.gammaincc, special.gammainc, _log_cf_q)


# --------------------------------------------------------------------------------------------
# Standard members of pivotal families
# --------------------------------------------------------------------------------------------


class StandardTails(NamedTuple):
    r"""A standard distribution's :math:`\log g(u)`, :math:`d\log g/du`, :math:`\log G(u)` and
    :math:`\log(1 - G(u))`, each accurate in both tails."""

    logpdf: Callable
    dlogpdf: Callable
    logcdf: Callable
    logsf: Callable


def _cauchy_logsf(u):
    u = np.asarray(u, dtype=np.float64)  # S(u) = atan2(1, u)/pi, exact in the upper tail
    return np.where(
        u >= 0, np.log(np.arctan2(1.0, u) / np.pi), np.log1p(-np.arctan2(1.0, -u) / np.pi)
    )


def _laplace_logcdf(u):
    u = np.asarray(u, dtype=np.float64)
    return np.where(u < 0, u - np.log(2.0), np.log1p(-0.5 * np.exp(-np.abs(u))))


NORMAL = StandardTails(
    lambda u: -0.5 * np.log(2.0 * np.pi) - 0.5 * u * u,
    lambda u: -u,
    special.log_ndtr,
    lambda u: special.log_ndtr(-u),
)
LOGISTIC = StandardTails(
    lambda u: -np.abs(u) - 2.0 * np.log1p(np.exp(-np.abs(u))),
    lambda u: -np.tanh(0.5 * u),
    lambda u: -np.logaddexp(0.0, -u),
    lambda u: -np.logaddexp(0.0, u),
)
LAPLACE = StandardTails(
    lambda u: -np.log(2.0) - np.abs(u),
    lambda u: -np.sign(u),
    _laplace_logcdf,
    lambda u: _laplace_logcdf(-u),
)
CAUCHY = StandardTails(
    lambda u: -np.log(np.pi) - np.log1p(u * u),
    lambda u: -2.0 * u / (1.0 + u * u),
    lambda u: _cauchy_logsf(-u),
    _cauchy_logsf,
)
#: The unit exponential in :math:`t \ge 0` (the Weibull's and the exponential's pivot).
EXPONENTIAL = StandardTails(
    lambda t: -t,
    lambda t: -np.ones_like(t),
    log_expm1_neg,
    lambda t: -t,
)


# --------------------------------------------------------------------------------------------
# Derivatives
# --------------------------------------------------------------------------------------------


def pivot_tail_derivatives(log_tail, log_g, dlog_g, u, du, d2u, upper: bool, order: int):
    r"""``(L, grad, hess)`` of :math:`L = \log T(u(\theta))` from the standard member's
    ``log_tail`` (:math:`\log G` or :math:`\log(1 - G)`; ``upper`` says which), ``log_g``
    and ``dlog_g`` at ``u``, and the pivot's derivatives ``du[j]``, ``d2u[j][k]``."""
    L = log_tail
    with np.errstate(over="ignore", invalid="ignore"):
        rho = np.exp(log_g - L)
    rho = -rho if upper else rho
    grad = [rho * dj for dj in du]
    if order < 2:
        return L, grad, None
    rho1 = rho * (dlog_g - rho)
    k = len(du)
    hess = [[rho1 * du[j] * du[m] + rho * d2u[j][m] for m in range(k)] for j in range(k)]
    return L, grad, hess


def _step(theta_j: float, scale: str) -> float:
    if scale == "log":
        return 1e-3 * abs(theta_j)
    if scale == "logit":
        return 1e-3 * min(theta_j, 1.0 - theta_j)
    return 1e-3 * max(abs(theta_j), 1.0)


def fd_tail_derivatives(fn, cls, x, theta: tuple, order: int):
    r"""``(L, grad, hess)`` of ``fn(x, *theta)`` (a log-tail) by finite differences over the
    estimable parameters: 5-point stencils (:math:`O(h^4)`) for first and pure second
    derivatives, the 4-point stencil for mixed ones, :math:`h = 10^{-3}` relative."""
    L = fn(x, *theta)
    names = cls.estimable_names
    pos = [cls.param_names.index(n) for n in names]
    steps = [_step(float(theta[p]), cls.spec(n).domain.scale) for n, p in zip(names, pos)]

    def at(shifts):
        t = list(theta)
        for p, h, s in shifts:
            t[p] = np.float64(float(t[p]) + s * h)
        return fn(x, *t)

    grad, diag = [], []
    for p, h in zip(pos, steps):
        f1, f_1, f2, f_2 = (at([(p, h, s)]) for s in (1, -1, 2, -2))
        grad.append((8.0 * (f1 - f_1) - (f2 - f_2)) / (12.0 * h))
        diag.append((16.0 * (f1 + f_1) - (f2 + f_2) - 30.0 * L) / (12.0 * h * h))
    if order < 2:
        return L, grad, None
    k = len(pos)
    hess = [[None] * k for _ in range(k)]
    for j in range(k):
        hess[j][j] = diag[j]
        for m in range(j + 1, k):
            pj, pm, hj, hm = pos[j], pos[m], steps[j], steps[m]
            mixed = (
                at([(pj, hj, 1), (pm, hm, 1)])
                - at([(pj, hj, 1), (pm, hm, -1)])
                - at([(pj, hj, -1), (pm, hm, 1)])
                + at([(pj, hj, -1), (pm, hm, -1)])
            ) / (4.0 * hj * hm)
            hess[j][m] = hess[m][j] = mixed
    return L, grad, hess
