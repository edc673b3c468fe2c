r"""Building blocks for log densities that stay exact where the textbook formulas cancel.

A log density such as the Poisson's :math:`x\log\lambda - \lambda - \log x!` at
:math:`x \approx \lambda \approx 10^9` is the difference of terms of size :math:`2\cdot10^{10}`
whose result is about :math:`-11`: every digit lost to rounding in a term (an absolute error of
:math:`10^{-6}`) is lost in the result. Loader's saddle-point form (2000; R's ``dpois``,
``dbinom``, ``dnbinom`` use it) rewrites such densities so that every term is small:

.. math:: \log\frac{\lambda^k e^{-\lambda}}{\Gamma(k + 1)}
          = -\operatorname{stirlerr}(k) - \operatorname{bd0}(k, \lambda)
            - \tfrac12\log(2\pi k),

with the error of Stirling's formula
:math:`\operatorname{stirlerr}(n) = \log\Gamma(n + 1) - (n + \tfrac12)\log n + n
- \tfrac12\log 2\pi` (about :math:`1/(12n)`) and the deviance term
:math:`\operatorname{bd0}(x, m) = x\log(x/m) + m - x \ge 0`, each computed without cancellation.
The gamma, inverse-gamma, binomial, negative binomial, beta and Student t densities are written
with these pieces in their modules. Every function here is elementwise (numpy arrays, broadcast
together) unless its name ends in ``_float`` (plain Python floats: the per-step work of the small
Newton problems).

References: C. Loader (2000), *Fast and accurate computation of binomial probabilities*; the
asymptotic series are Stirling's and those of the digamma and trigamma functions (Abramowitz &
Stegun 6.1.40, 6.3.18, 6.4.12).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

__all__ = [
    "HALF_LOG_2PI",
    "SMALL",
    "bd0",
    "bd0_float",
    "digamma_minus_log",
    "digamma_minus_log_float",
    "finite_or",
    "log1p_square",
    "log1pmx",
    "log1pmx_float",
    "log_binom_raw",
    "log_poisson_raw",
    "log_ratio",
    "log_ratio_float",
    "log_ratio_minus_linear",
    "stirlerr",
    "stirlerr_float",
    "student_t_log_const",
    "trigamma_minus_inv",
    "trigamma_minus_inv_float",
]

HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)
_LOG_2PI = math.log(2.0 * math.pi)

# Bernoulli numbers B_2 .. B_16: the series below use B_2k / (2k(2k-1)), B_2k / (2k) and B_2k.
_B = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510)
_STIRLING = tuple(b / (2 * k * (2 * k - 1)) for k, b in enumerate(_B, 1))
_DIGAMMA = tuple(b / (2 * k) for k, b in enumerate(_B, 1))
_SERIES_FROM = 10.0  # the eight-term series are exact to rounding from here on
_LOG1P_SERIES = tuple(1.0 / (2 * k + 3) for k in range(12))  # log1pmx: sum y^k / (2k + 3)


def _horner(coefficients, y, x0):
    """:math:`\\sum_k c_k y^k` by Horner's rule (``x0`` the running value's type)."""
    out = x0 * 0.0 + coefficients[-1]
    for c in coefficients[-2::-1]:
        out = out * y + c
    return out


# --------------------------------------------------------------------------------------------
# Stirling's error and the gamma function's logarithmic derivatives, without cancellation
# --------------------------------------------------------------------------------------------


def stirlerr(n):
    r""":math:`\log\Gamma(n+1) - (n+\tfrac12)\log n + n - \tfrac12\log 2\pi`, :math:`n > 0`.

    From :math:`n = 10` the asymptotic series
    :math:`\sum_{k=1}^{8} B_{2k}/(2k(2k-1)\,n^{2k-1})` (exact to rounding there); below, the
    definition itself (its terms are below 40, so the absolute error stays under 1e-14)."""
    n = np.asarray(n, dtype=np.float64)
    big = n >= _SERIES_FROM
    safe = np.where(big, n, _SERIES_FROM)
    inv = 1.0 / safe
    series = _horner(_STIRLING, inv * inv, inv) * inv
    if big.all():
        return series
    small = np.where(big, 1.0, n)
    with np.errstate(divide="ignore"):
        direct = special.gammaln(small + 1.0) - (small + 0.5) * np.log(small) + small - HALF_LOG_2PI
    return np.where(big, series, direct)


def stirlerr_float(n: float) -> float:
    """:func:`stirlerr` for one Python float (no array overhead)."""
    if n >= _SERIES_FROM:
        inv = 1.0 / n
        return _horner(_STIRLING, inv * inv, 0.0) * inv
    return math.lgamma(n + 1.0) - (n + 0.5) * math.log(n) + n - HALF_LOG_2PI


def digamma_minus_log(a):
    r""":math:`\psi(a) - \log a` for :math:`a > 0` (about :math:`-1/(2a)`): from :math:`a = 10`
    the series :math:`-1/(2a) - \sum_{k=1}^{8} B_{2k}/(2k\,a^{2k})`, below the difference."""
    a = np.asarray(a, dtype=np.float64)
    big = a >= _SERIES_FROM
    safe = np.where(big, a, _SERIES_FROM)
    inv = 1.0 / safe
    y = inv * inv
    series = -0.5 * inv - _horner(_DIGAMMA, y, inv) * y
    if big.all():
        return series
    small = np.where(big, 1.0, a)
    return np.where(big, series, special.digamma(small) - np.log(small))


def digamma_minus_log_float(a: float) -> float:
    """:func:`digamma_minus_log` for one Python float."""
    if a >= _SERIES_FROM:
        inv = 1.0 / a
        y = inv * inv
        return -0.5 * inv - _horner(_DIGAMMA, y, 0.0) * y
    return float(special.digamma(a)) - math.log(a)


def trigamma_minus_inv(a):
    r""":math:`\psi'(a) - 1/a` for :math:`a > 0` (about :math:`1/(2a^2)`): from :math:`a = 10`
    the series :math:`1/(2a^2) + \sum_{k=1}^{8} B_{2k}/a^{2k+1}`, below the difference."""
    a = np.asarray(a, dtype=np.float64)
    big = a >= _SERIES_FROM
    safe = np.where(big, a, _SERIES_FROM)
    inv = 1.0 / safe
    y = inv * inv
    series = y * (0.5 + _horner(_B, y, inv) * inv)
    if big.all():
        return series
    small = np.where(big, 1.0, a)
    return np.where(big, series, special.zeta(2.0, small) - 1.0 / small)


def trigamma_minus_inv_float(a: float) -> float:
    """:func:`trigamma_minus_inv` for one Python float."""
    if a >= _SERIES_FROM:
        inv = 1.0 / a
        y = inv * inv
        return y * (0.5 + _horner(_B, y, 0.0) * inv)
    return float(special.zeta(2.0, a)) - 1.0 / a


# --------------------------------------------------------------------------------------------
# Logarithms near 1
# --------------------------------------------------------------------------------------------


def log1pmx(t):
    r""":math:`\log(1 + t) - t` for :math:`t > -1`, exact to rounding (about :math:`-t^2/2`).

    For :math:`-0.3 \le t \le 1/2`, with :math:`r = t/(2 + t)` and :math:`y = r^2`,
    :math:`\log(1+t) = 2\operatorname{artanh} r = 2r\sum_k y^k/(2k+1)`, so
    :math:`\log(1+t) - t = r\,(2y\sum_{k\ge0} y^k/(2k+3) - t)` (no cancellation: :math:`rt \ge 0`);
    the sum stops once :math:`y^k` is below rounding. Elsewhere the difference itself."""
    t = np.asarray(t, dtype=np.float64)
    near = (t >= -0.3) & (t <= 0.5)
    tn = np.where(near, t, 0.0)
    r = tn / (2.0 + tn)
    y = r * r  # at most 0.031
    top = float(np.max(y)) if y.size else 0.0
    terms = 1 if top == 0.0 else max(1, min(12, math.ceil(-37.0 / math.log(top))))
    series = r * (2.0 * y * _horner(_LOG1P_SERIES[:terms], y, y) - tn)
    if near.all():
        return series
    with np.errstate(invalid="ignore", divide="ignore"):
        far = np.log1p(np.where(near, 0.0, t)) - np.where(near, 0.0, t)
    return np.where(near, series, far)


def log1pmx_float(t: float) -> float:
    """:func:`log1pmx` for one Python float."""
    if -0.3 <= t <= 0.5:
        r = t / (2.0 + t)
        y = r * r
        return r * (2.0 * y * _horner(_LOG1P_SERIES, y, 0.0) - t)
    return math.log1p(t) - t


def log_ratio_float(x: float, c: float) -> float:
    """:func:`log_ratio` for two positive Python floats."""
    t = (x - c) / c
    if abs(t) <= 0.5:
        return math.log1p(t)
    ratio = x / c
    return math.log(ratio) if 0.0 < ratio < math.inf else math.log(x) - math.log(c)


def log_ratio(x, c):
    r""":math:`\log(x/c)` for :math:`x, c > 0`, exact to rounding also when :math:`x \approx c`:
    :math:`\log1p((x - c)/c)` there (the difference is exact), ``log(x/c)`` elsewhere (and
    :math:`\log x - \log c` where the ratio over- or underflows)."""
    x, c = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(c, np.float64))
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        t = (x - c) / c
        near = np.abs(t) <= 0.5
        out = np.where(near, np.log1p(np.where(near, t, 0.0)), np.log(x / c))
        bad = ~np.isfinite(out) & (x > 0) & np.isfinite(x)
        if bad.any():
            out = np.where(bad, np.log(np.where(bad, x, 1.0)) - np.log(np.where(bad, c, 1.0)), out)
    return out


def log_ratio_minus_linear(x, c):
    r""":math:`\log(x/c) - (x - c)/c \le 0`, exact to rounding (:func:`log1pmx` of
    :math:`(x - c)/c` near :math:`c`): what a sum of logarithms leaves once its linear part is
    taken out, as in :math:`\log\bar x - \overline{\log x}`."""
    x, c = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(c, np.float64))
    t = (x - c) / c
    near = np.abs(t) <= 0.5
    if near.all():
        return log1pmx(t)
    return np.where(near, log1pmx(np.where(near, t, 0.0)), log_ratio(x, c) - t)


def log1p_square(z, df, z2=None):
    r""":math:`\log(1 + z^2/\nu)` for a standardised value :math:`z` and :math:`\nu > 0`
    (``z2``: :math:`z^2` when the caller has it), also where :math:`z^2/\nu` overflows: there
    :math:`2\log|z| - \log\nu + \log(1 + \nu/z^2)`."""
    with np.errstate(over="ignore"):
        ratio = (z * z if z2 is None else z2) / df
    out = np.log1p(ratio)
    if not np.isfinite(np.add.reduce(out, axis=None)):  # every term is >= 0: a sum, no mask
        bad = ~np.isfinite(out)
        with np.errstate(over="ignore", divide="ignore", under="ignore"):
            az = np.abs(z)
            far = 2.0 * np.log(az) - np.log(df) + np.log1p(df / az / az)
        out = np.where(bad, far, out)
    return out


# --------------------------------------------------------------------------------------------
# Loader's deviance term and the raw Poisson and binomial probabilities
# --------------------------------------------------------------------------------------------


def bd0(x, m):
    r""":math:`x\log(x/m) + m - x \ge 0` for :math:`x \ge 0`, :math:`m > 0`, exact to rounding.

    Near :math:`x = m` (:math:`|t| \le 1/2`, :math:`t = (x - m)/m`; :math:`x - m` is then exact)
    it is :math:`(x - m)\log(1 + t) + m\,(\log(1+t) - t)` with :func:`log1pmx`: two terms of the
    result's size instead of two of size :math:`x\log x`. Elsewhere the formula itself, which
    does not cancel there."""
    x, m = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(m, np.float64))
    d = x - m
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = d / m
    near = np.abs(t) <= 0.5
    tn = np.where(near, t, 0.0)
    close = d * np.log1p(tn) + m * log1pmx(tn)
    if near.all():
        return close
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        far = x * log_ratio(np.where(x > 0, x, 1.0), m) + m - x  # 0 log 0 = 0
    return np.where(near, close, far)


def bd0_float(x: float, m: float) -> float:
    """:func:`bd0` for Python floats :math:`x \\ge 0`, :math:`m > 0`."""
    d = x - m
    t = d / m
    if abs(t) <= 0.5:
        return d * math.log1p(t) + m * log1pmx_float(t)
    return (x * log_ratio_float(x, m) if x > 0 else 0.0) + m - x


def finite_or(out, fallback):
    """``out`` where it is finite, ``fallback()`` (evaluated only when needed) elsewhere: a
    saddle-point form whose pieces over- or underflow at the edge of the floats gives way to the
    textbook form, which does not cancel there."""
    bad = ~np.isfinite(out)
    if not np.any(bad):
        return out
    with np.errstate(over="ignore", divide="ignore", invalid="ignore", under="ignore"):
        return np.where(bad, fallback(), out)


#: Below this the textbook forms of the Poisson and binomial log probabilities have terms under
#: 300 (absolute rounding under 4e-14) and are used: they cost a few ufuncs, Loader's dozens.
SMALL = 64.0


def _all_below(*arrays) -> bool:
    for a in arrays:
        top = float(a) if a.ndim == 0 else np.maximum.reduce(a, axis=None, initial=-np.inf)
        if not top < SMALL:
            return False
    return True


def log_poisson_raw(k, lam):
    r""":math:`\log(\lambda^k e^{-\lambda}/\Gamma(k+1))` for real :math:`k \ge 0`,
    :math:`\lambda \ge 0`: :math:`-\operatorname{stirlerr}(k) - \operatorname{bd0}(k, \lambda)
    - \tfrac12\log(2\pi k)`; :math:`-\lambda` at :math:`k = 0`; :math:`-\infty` at
    :math:`\lambda = 0 < k`. Below :data:`SMALL` (every :math:`k` and :math:`\lambda`) the
    textbook :math:`k\log\lambda - \lambda - \log\Gamma(k+1)`: its terms are then below 300,
    so it is as exact (to 4e-14) and several times cheaper."""
    k, lam = np.asarray(k, np.float64), np.asarray(lam, np.float64)
    if _all_below(k, lam):
        return special.xlogy(k, lam) - lam - special.gammaln(k + 1.0)
    k, lam = np.broadcast_arrays(k, lam)
    pos = k > 0
    kk = np.where(pos, k, 1.0)
    with np.errstate(divide="ignore"):
        inner = -stirlerr(kk) - bd0(kk, np.where(lam > 0, lam, 1.0)) - 0.5 * (_LOG_2PI + np.log(kk))
    inner = np.where(lam > 0, inner, -np.inf)
    return np.where(pos, inner, -lam)


def log_binom_raw(k, j, p):
    r""":math:`\log\binom{k+j}{k} p^k (1-p)^j` for real :math:`k, j \ge 0` (successes and
    failures, :math:`N = k + j` trials), :math:`0 \le p \le 1`:

    .. math:: \operatorname{stirlerr}(N) - \operatorname{stirlerr}(k) - \operatorname{stirlerr}(j)
              - \operatorname{bd0}(k, Np) - \operatorname{bd0}(j, Nq)
              - \tfrac12\log(2\pi k j/N),\qquad q = 1 - p,

    and :math:`j\log(1-p)`, :math:`k\log p` when :math:`k` or :math:`j` is 0. The two deviance
    terms move by opposite amounts when :math:`N` is rounded, so :math:`N = k + j` need not be
    exact."""
    k, j, p = (np.asarray(v, np.float64) for v in (k, j, p))
    N = k + j
    if _all_below(N):  # the textbook form is as exact there (see log_poisson_raw)
        log_choose = special.gammaln(N + 1.0) - special.gammaln(k + 1.0) - special.gammaln(j + 1.0)
        return log_choose + special.xlogy(k, p) + special.xlog1py(j, -p)
    k, j, p = np.broadcast_arrays(k, j, p)
    both = (k > 0) & (j > 0)
    kk, jj = np.where(both, k, 1.0), np.where(both, j, 1.0)
    N = kk + jj
    with np.errstate(divide="ignore", invalid="ignore"):
        inner = (
            stirlerr(N)
            - stirlerr(kk)
            - stirlerr(jj)
            - bd0(kk, N * p)
            - bd0(jj, N * (1.0 - p))
            - 0.5 * (_LOG_2PI + np.log(kk) + np.log(jj) - np.log(N))
        )
        inner = np.where((p > 0) & (p < 1), inner, -np.inf)
        edge = special.xlogy(k, p) + special.xlog1py(j, -p)
    return np.where(both, inner, edge)


def student_t_log_const(df):
    r""":math:`\log\Gamma(\tfrac{\nu+1}2) - \log\Gamma(\tfrac\nu2) - \tfrac12\log(\nu\pi)`, the
    log normalising constant of Student's t (scale 1), exact for every :math:`\nu > 0`.

    With :math:`h = \nu/2`, writing each log-gamma through :func:`stirlerr` leaves
    :math:`\operatorname{stirlerr}(h+\tfrac12) - \operatorname{stirlerr}(h)
    + h\,(\log(1 + \tfrac1{2h}) - \tfrac1{2h}) - \tfrac12\log 2\pi`: small terms, and the
    normal's :math:`-\tfrac12\log 2\pi` as :math:`\nu \to \infty`. (The direct difference loses
    :math:`\log\Gamma(\nu/2)`'s magnitude times the rounding: 1e-8 at :math:`\nu = 10^7`.)"""
    if np.ndim(df) == 0:  # one value: plain floats
        h = 0.5 * float(df)
        return (
            stirlerr_float(h + 0.5)
            - stirlerr_float(h)
            + h * log1pmx_float(0.5 / h)
            - (HALF_LOG_2PI)
        )
    h = 0.5 * np.asarray(df, dtype=np.float64)
    return stirlerr(h + 0.5) - stirlerr(h) + h * log1pmx(0.5 / h) - HALF_LOG_2PI
