"""Log densities in arbitrary precision (mpmath), the reference the exactness tests compare with.

Each function takes the float64 arguments a family's ``logpdf`` gets (converted to mpmath
exactly: every float is a dyadic rational) and returns the textbook formula evaluated with
``DIGITS`` significant digits beyond the magnitude of its largest term, so cancellation between
huge terms (``lgamma(1e300)``) cannot reach the digits compared. Only the tests import mpmath.
"""

import math

import mpmath as mp
import numpy as np

DIGITS = 40


def _digits_for(*values) -> int:
    """Working precision: DIGITS beyond the decimal exponent of the largest argument (a term
    like ``lgamma(a)`` or ``x log(lambda)`` is at most a few times ``a log a``)."""
    top = max([1.0] + [abs(float(v)) for v in values if np.isfinite(v)])
    return DIGITS + int(math.log10(top)) + 10


def _f(v):
    return mp.mpf(float(v))


def _xlogy(x, y):
    return mp.mpf(0) if x == 0 else x * mp.log(y)


def normal(x, mu, sigma):
    z = (x - mu) / sigma
    return -mp.log(2 * mp.pi) / 2 - mp.log(sigma) - z * z / 2


def lognormal(x, mu, sigma):
    return normal(mp.log(x), mu, sigma) - mp.log(x)


def exponential(x, scale):
    return -mp.log(scale) - x / scale


def gamma(x, shape, scale):
    return (shape - 1) * mp.log(x) - x / scale - mp.loggamma(shape) - shape * mp.log(scale)


def inverse_gamma(x, shape, scale):
    return shape * mp.log(scale) - mp.loggamma(shape) - (shape + 1) * mp.log(x) - scale / x


def weibull(x, shape, scale):
    t = x / scale
    return mp.log(shape) - mp.log(scale) + (shape - 1) * mp.log(t) - t**shape


def beta(x, a, b):
    return (
        (a - 1) * mp.log(x)
        + (b - 1) * mp.log(1 - x)
        - mp.loggamma(a)
        - mp.loggamma(b)
        + mp.loggamma(a + b)
    )


def student_t(x, df, loc, scale):
    z = (x - loc) / scale
    return (
        mp.loggamma((df + 1) / 2)
        - mp.loggamma(df / 2)
        - mp.log(df * mp.pi) / 2
        - mp.log(scale)
        - (df + 1) / 2 * mp.log(1 + z * z / df)
    )


def laplace(x, loc, scale):
    return -mp.log(2 * scale) - abs(x - loc) / scale


def cauchy(x, loc, scale):
    z = (x - loc) / scale
    return -mp.log(mp.pi * scale) - mp.log(1 + z * z)


def logistic(x, loc, scale):
    z = abs(x - loc) / scale
    return -mp.log(scale) - z - 2 * mp.log(1 + mp.exp(-z))


def uniform(x, low, high):
    return -mp.log(high - low)


def poisson(x, rate):
    return _xlogy(x, rate) - rate - mp.loggamma(x + 1)


def bernoulli(x, p):
    return _xlogy(x, p) + _xlogy(1 - x, 1 - p)


def binomial(x, n, p):
    log_choose = mp.loggamma(n + 1) - mp.loggamma(x + 1) - mp.loggamma(n - x + 1)
    return log_choose + _xlogy(x, p) + _xlogy(n - x, 1 - p)


def negative_binomial(x, n, p):
    return (
        mp.loggamma(x + n) - mp.loggamma(n) - mp.loggamma(x + 1) + n * mp.log(p) + _xlogy(x, 1 - p)
    )


def geometric(x, p):
    return _xlogy(x - 1, 1 - p) + mp.log(p)


FORMULAS = {
    "normal": normal,
    "lognormal": lognormal,
    "exponential": exponential,
    "gamma": gamma,
    "inverse_gamma": inverse_gamma,
    "weibull": weibull,
    "beta": beta,
    "student_t": student_t,
    "laplace": laplace,
    "cauchy": cauchy,
    "logistic": logistic,
    "uniform": uniform,
    "poisson": poisson,
    "bernoulli": bernoulli,
    "binomial": binomial,
    "negative_binomial": negative_binomial,
    "geometric": geometric,
}


def logpdf(name, x, theta) -> np.ndarray:
    """The log density of family ``name`` at each float in ``x`` for the float parameters
    ``theta`` (in ``param_names`` order), as float64 after the exact evaluation."""
    x = np.atleast_1d(np.asarray(x, dtype=np.float64))
    if name == "categorical":
        probs = np.asarray(theta[0], dtype=np.float64)
        with mp.workdps(DIGITS):
            return np.array([float(mp.log(_f(probs[int(v)]))) for v in x])
    if name == "multivariate_normal":
        return _mvn(x, *theta)
    formula = FORMULAS[name]
    scalars = [float(t) for t in theta]
    out = np.empty(x.shape)
    for i, v in enumerate(x.flat):
        with mp.workdps(_digits_for(v, *scalars)):
            out.flat[i] = float(formula(_f(v), *[_f(t) for t in scalars]))
    return out


def loglik(name, x, theta) -> tuple[float, float]:
    """``(sum of log p, sum of max(1, |log p|))``: the exact log-likelihood (each term exact,
    the sum in extended precision) and the scale its errors are measured against."""
    terms = logpdf_mp(name, x, theta)
    with mp.workdps(DIGITS + 20):
        total = mp.fsum(terms)
    scale = float(sum(max(1.0, abs(float(t))) for t in terms))
    return float(total), scale


def logpdf_mp(name, x, theta) -> list:
    """:func:`logpdf` as mpmath numbers (not rounded to float64), for exact sums."""
    x = np.asarray(x, dtype=np.float64)
    if name in ("categorical", "multivariate_normal"):
        return [mp.mpf(float(v)) for v in logpdf(name, x, theta)]  # summed terms are tiny here
    formula = FORMULAS[name]
    scalars = [float(t) for t in theta]
    out = []
    for v in x:
        with mp.workdps(_digits_for(v, *scalars)):
            out.append(formula(_f(v), *[_f(t) for t in scalars]))
    return out


def _mvn(x, mean, cov):
    x = np.atleast_2d(x)
    d = mean.size
    with mp.workdps(DIGITS):
        S = mp.matrix([[_f(cov[i, j]) for j in range(d)] for i in range(d)])
        inv, logdet = S**-1, mp.log(mp.det(S))
        out = []
        for row in x:
            r = mp.matrix([_f(row[i]) - _f(mean[i]) for i in range(d)])
            maha = (r.T * inv * r)[0]
            out.append(float(-(d * mp.log(2 * mp.pi) + logdet + maha) / 2))
    return np.array(out)
