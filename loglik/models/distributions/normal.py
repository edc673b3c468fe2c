r"""The normal distribution."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.data import moments
from ...estimation.domains import POSITIVE, REAL, Param
from ...estimation.family import Conjugate
from . import tails
from .common import no_mle, one_parameter_posterior, require_spread
from .location_scale import LocationScale

_LOG_2PI = np.log(2.0 * np.pi)


class Normal(LocationScale):
    r"""The normal distribution :math:`N(\mu, \sigma^2)`.

    .. math:: \log p(x) = -\tfrac12\log(2\pi) - \log\sigma - \tfrac12 z^2,\qquad
              z = (x - \mu)/\sigma.

    Score :math:`(z/\sigma,\ (z^2 - 1)/\sigma)`; Fisher information
    :math:`\mathrm{diag}(1/\sigma^2, 2/\sigma^2)` per observation.

    **MLE** (closed form): :math:`\hat\mu = \bar x`,
    :math:`\hat\sigma^2 = \sum_i w_i (x_i - \bar x)^2 / n` — divided by :math:`n`, not
    :math:`n - 1`: it is biased low by the factor :math:`(n-1)/n`. The usual estimate
    :math:`s = \hat\sigma\sqrt{n/(n-1)}` is shown by ``summary(usual=True)``. Exact intervals
    (``conf_int(method="exact")``) use Student's t for :math:`\mu` and the chi-square for
    :math:`\sigma`.
    """

    name = "normal"
    param_specs = (
        Param("mu", REAL, default=0.0, doc="mean"),
        Param("sigma", POSITIVE, default=1.0, doc="standard deviation"),
    )

    @staticmethod
    def _logpdf(x, mu, sigma):
        z = (x - mu) / sigma
        return -0.5 * _LOG_2PI - np.log(sigma) - 0.5 * z * z

    _standard_cdf = staticmethod(special.ndtr)
    _standard_ppf = staticmethod(special.ndtri)
    _sampler, _scipy_name = "normal", "norm"
    _tails = tails.NORMAL  # censored data: the standard member's log-tails

    @staticmethod
    def _var(mu, sigma):
        return sigma**2 + 0.0 * mu

    @staticmethod
    def _score(x, mu, sigma):
        z = (x - mu) / sigma
        return z / sigma, (z * z - 1.0) / sigma

    @staticmethod
    def _hess(x, mu, sigma):
        z = (x - mu) / sigma
        s2 = sigma * sigma
        h_ms = -2.0 * z / s2
        return ((-1.0 / s2, h_ms), (h_ms, (1.0 - 3.0 * z * z) / s2))

    @staticmethod
    def _dlogpdf_dx(x, mu, sigma):
        return -(x - mu) / sigma**2

    @staticmethod
    def _d2logpdf_dx2(x, mu, sigma):
        return -1.0 / sigma**2 + 0.0 * x

    def mode(self):
        """The mode, mu."""
        return self.mean()

    @staticmethod
    def _fisher(mu, sigma):
        s2 = sigma * sigma
        return ((1.0 / s2, 0.0), (0.0, 2.0 / s2))

    @classmethod
    def loglik_total(cls, data, mu, sigma):
        W, mean, M2 = moments(data)
        ss = M2 + W * (mean - mu) ** 2
        return -0.5 * W * _LOG_2PI - W * np.log(sigma) - 0.5 * ss / sigma**2

    @classmethod
    def closed_form_mle(cls, data, fixed):
        W, mean, M2 = moments(data)
        out = {}
        if "mu" not in fixed:
            out["mu"] = mean
        if "sigma" not in fixed:
            mu = fixed.get("mu", mean)
            ss = M2 + W * (mean - mu) ** 2
            if "mu" in fixed and ss == 0:
                raise no_mle(cls, f"every value equals the fixed mu={mu!r}, so sigma would be 0")
            require_spread(cls, data, ss)
            out["sigma"] = float(np.sqrt(ss / W))
        return out

    @classmethod
    def fit_batch(cls, samples, fixed):
        """The closed form row by row: means and root mean squares about them."""
        mu = samples.mean(axis=1) if "mu" not in fixed else np.full(samples.shape[0], fixed["mu"])
        if "sigma" in fixed:
            return mu, np.full(samples.shape[0], fixed["sigma"])
        d = samples - mu[:, None]
        return mu, np.sqrt(np.einsum("ij,ij->i", d, d) / samples.shape[1])

    @classmethod
    def start_values(cls, data, fixed):
        return cls.closed_form_mle(data, fixed)

    @classmethod
    def usual_estimates(cls, data, theta, free):
        W = data.n
        if "sigma" in free and "mu" in free and W > 1:
            return {"sigma": float(theta[1]) * np.sqrt(W / (W - 1.0))}
        return {}

    @classmethod
    def conjugate_posterior(cls, data, fixed, prior):
        """Normal on mu with sigma fixed -> Normal; NormalInverseGamma on (mu, sigma) -> NIG."""
        from .normal_inverse_gamma import NormalInverseGamma

        W, mean, M2 = moments(data)
        if set(prior) == {"mu"} and "sigma" in fixed and isinstance(prior["mu"], Normal):
            m0, s0 = (float(v) for v in prior["mu"]._theta)
            precision = 1.0 / s0**2 + W / fixed["sigma"] ** 2
            center = (m0 / s0**2 + W * mean / fixed["sigma"] ** 2) / precision
            return one_parameter_posterior("mu", Normal(center, np.sqrt(1.0 / precision)))
        joint = prior.get(("mu", "sigma"))
        if set(prior) == {("mu", "sigma")} and isinstance(joint, NormalInverseGamma):
            posterior = joint.update(W, mean, M2)
            mode = posterior.mode()
            return Conjugate(
                posterior, {"mu": float(mode[0]), "sigma": float(mode[1])}, posterior.interval
            )
        return None

    @classmethod
    def exact_conf_int(cls, data, theta, free, level):
        from scipy import stats

        W, mean, M2 = moments(data)
        mu, sigma = float(theta[0]), float(theta[1])
        a = 1.0 - level
        out = {}
        if "mu" in free:
            if "sigma" in free:
                s = np.sqrt(M2 / (W - 1.0))
                half = stats.t.ppf(1 - a / 2, W - 1.0) * s / np.sqrt(W)
            else:
                half = special.ndtri(1 - a / 2) * sigma / np.sqrt(W)
            out["mu"] = (mean - half, mean + half)
        if "sigma" in free:
            dof = W - 1.0 if "mu" in free else W
            ss = M2 if "mu" in free else M2 + W * (mean - mu) ** 2
            out["sigma"] = (
                float(np.sqrt(ss / stats.chi2.ppf(1 - a / 2, dof))),
                float(np.sqrt(ss / stats.chi2.ppf(a / 2, dof))),
            )
        return out
