r"""The negative binomial distribution (scipy's ``nbinom`` parametrisation)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ...estimation.data import moments
from ...estimation.domains import POSITIVE, UNIT, Param, Support
from ...estimation.family import Limit
from .base import Distribution
from .common import log_profile, no_mle, refine_discrete_ppf, trigamma
from .exact import (
    SMALL,
    digamma_minus_log,
    log_binom_raw,
    log_poisson_raw,
    trigamma_minus_inv,
)


class NegativeBinomial(Distribution):
    r"""The negative binomial distribution: failures before the ``n``-th success, success
    probability ``p`` (scipy's ``nbinom(n, p)``); ``n > 0`` need not be an integer.

    .. math:: \log p(x) = \log\Gamma(x + n) - \log\Gamma(n) - \log x! + n\log p
              + x\log(1 - p),\qquad x = 0, 1, \ldots,

    computed as :math:`\tfrac{n}{n+x}` times the binomial probability of :math:`n` successes
    in :math:`n + x` trials, in Loader's saddle-point form (as R's ``dnbinom``;
    :func:`.exact.log_binom_raw`): exact near the Poisson limit and for large counts, where the
    log-gamma differences cancel.

    Mean :math:`n(1-p)/p`, variance :math:`n(1-p)/p^2` (over-dispersed against the Poisson).
    Score :math:`(\psi(x+n) - \psi(n) + \log p,\ n/p - x/(1-p))`; Fisher information
    :math:`I_{pp} = n/(p^2(1-p))`, :math:`I_{np} = -1/p`,
    :math:`I_{nn} = \psi'(n) - E\,\psi'(X + n)` (the expectation summed over the support until
    the tail is below 1e-14).

    **MLE**: for a given :math:`n`, :math:`\hat p = n/(n + \bar x)`; Newton on :math:`\log n`
    over the profile likelihood, with the counts reduced once to their distinct values (each
    step costs the number of distinct counts, not n); the differences
    :math:`\psi(x + n) - \psi(n) = \log(1 + x/n) + [\psi - \log](x + n) - [\psi - \log](n)`
    and their derivatives are taken in that form, which does not cancel as :math:`n` grows.
    It exists only when the sample variance (divided by n) exceeds the mean; otherwise the
    likelihood increases towards the Poisson (:math:`n \to \infty`) and fitting raises a
    ValueError; when it exists but the Poisson fits as well (to 1e-8), the result flags ``n`` as
    tending to the boundary (:meth:`boundary_limits`).
    """

    name = "negative_binomial"
    param_specs = (
        Param("n", POSITIVE, doc="number of successes (dispersion)"),
        Param("p", UNIT, doc="success probability"),
    )
    support = Support(0.0, np.inf, low_open=False, integer=True)
    discrete = True

    @staticmethod
    def _logpdf(x, n, p):
        return log_binom_raw(n, x, p) - np.log1p(x / n)

    @staticmethod
    def _cdf(x, n, p):
        return special.betainc(n, x + 1.0, p)

    @classmethod
    def _ppf(cls, q, n, p):
        from scipy import stats

        return refine_discrete_ppf(lambda k: cls._cdf(k, n, p), q, stats.nbinom.ppf(q, n, p))

    @staticmethod
    def _sample(rng, shape, n, p):
        return rng.negative_binomial(n, p, shape)

    @staticmethod
    def _mean(n, p):
        return n * (1.0 - p) / p

    @staticmethod
    def _var(n, p):
        return n * (1.0 - p) / p**2

    @staticmethod
    def _scipy(n, p):
        from scipy import stats

        return stats.nbinom(n, p)

    @staticmethod
    def _score(x, n, p):
        return (
            special.digamma(x + n) - special.digamma(n) + np.log(p),
            n / p - x / (1.0 - p),
        )

    @staticmethod
    def _hess(x, n, p):
        h_np = 1.0 / p + 0.0 * x
        return (
            (trigamma(x + n) - trigamma(n), h_np),
            (h_np, -n / p**2 - x / (1.0 - p) ** 2),
        )

    # censored counts: the upper tail from the mirrored incomplete beta
    @staticmethod
    def _logsf(x, n, p):
        with np.errstate(divide="ignore"):
            return np.log(special.betainc(np.floor(x) + 1.0, n, 1.0 - p))

    @classmethod
    def _fisher(cls, n, p):
        n, p = np.broadcast_arrays(np.asarray(n, float), np.asarray(p, float))
        i_nn = np.empty(n.shape)
        for idx in np.ndindex(n.shape):
            top = max(int(cls._ppf(1.0 - 1e-14, n[idx], p[idx])), 1)
            k = np.arange(top + 1.0)
            probs = np.exp(cls._logpdf(k, n[idx], p[idx]))
            i_nn[idx] = trigamma(n[idx]) - probs @ trigamma(k + n[idx])
        return ((i_nn, -1.0 / p), (-1.0 / p, n / (p**2 * (1.0 - p))))

    @classmethod
    def _overdispersion(cls, data) -> tuple[float, float]:
        """``(mean, variance)``, raising when the MLE does not exist (variance <= mean)."""
        W, mean, M2 = moments(data)
        var = M2 / W
        if not var > mean:
            raise no_mle(
                cls,
                f"the variance ({var:.4g}) does not exceed the mean ({mean:.4g}); the likelihood "
                "increases towards the Poisson limit (n -> infinity): fit 'poisson'",
            )
        return mean, var

    @classmethod
    def closed_form_mle(cls, data, fixed):
        if "n" in fixed:
            return {} if "p" in fixed else {"p": fixed["n"] / (fixed["n"] + data.mean())}
        return None

    @classmethod
    def profile_problem(cls, data, fixed):
        if fixed:
            return None
        mean, _ = cls._overdispersion(data)
        rows = data.compressed()
        values, counts, W = rows.x, rows.w, data.n
        top = float(values[-1])  # the distinct counts are sorted
        log_factorials = np.dot(counts, special.gammaln(values + 1.0)) / W

        def derivatives(theta):
            n = float(theta[0])
            p = 1.0 / (1.0 + mean / n)
            if n + top < SMALL:  # the textbook sums are as exact there, and cheaper
                f = log_factorials + special.gammaln(n) - n * math.log(p) - mean * math.log1p(-p)
                f -= np.dot(counts, special.gammaln(values + n)) / W
            else:
                f = -np.dot(counts, cls._logpdf(values, n, p)) / W
            # psi(x + n) - psi(n) + log p and its derivative, without cancellation at large n
            g = -(np.dot(counts, _digamma_step(values, n)) / W - np.log1p(mean / n))
            h = -(np.dot(counts, _trigamma_step(values, n)) / W + mean / (n * (n + mean)))
            return f, np.array([g]), np.array([[h]])

        def expand(params):
            n = float(np.exp(params[0]))
            return {"n": n, "p": n / (n + mean)}

        start = cls.start_values(data, fixed)["n"]
        return log_profile(derivatives, start, expand, "newton on the profile likelihood of n")

    @classmethod
    def boundary_limits(cls, data, theta, free):
        r"""As :math:`n \to \infty` and :math:`p \to 1` with the mean :math:`n(1-p)/p` held, the
        negative binomial tends to the Poisson: its maximised log-likelihood (at the mean) is
        the supremum of the negative binomial's when the counts are not over-dispersed."""
        if set(free) != {"n", "p"}:
            return []
        rows = data.compressed()  # the Poisson log-likelihood at the mean, over distinct counts
        best = float(np.dot(rows.w, log_poisson_raw(rows.x, data.mean())))
        return [Limit("n", "inf", best, "poisson"), Limit("p", "1", best, "poisson")]

    @classmethod
    def start_values(cls, data, fixed):
        mean, var = cls._overdispersion(data)
        n = fixed.get("n", mean * mean / (var - mean))
        return {"n": n, "p": fixed.get("p", n / (n + mean))}


def _digamma_step(x, n):
    r""":math:`\psi(x + n) - \psi(n)` for counts :math:`x \ge 0` (about :math:`x/n` for large
    :math:`n`), as :math:`\log(1 + x/n)` plus the small remainders of
    :func:`.exact.digamma_minus_log`."""
    if n < 100.0:  # the plain difference loses nothing that matters here, and is cheaper
        return special.digamma(x + n) - special.digamma(n)
    return np.log1p(x / n) + digamma_minus_log(x + n) - digamma_minus_log(n)


def _trigamma_step(x, n):
    r""":math:`\psi'(x + n) - \psi'(n) = 1/(x+n) - 1/n + ` the remainders of
    :func:`.exact.trigamma_minus_inv`."""
    if n < 100.0:
        return trigamma(x + n) - trigamma(n)
    return -x / (n * (x + n)) + trigamma_minus_inv(x + n) - trigamma_minus_inv(n)
