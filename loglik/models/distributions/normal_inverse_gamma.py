r"""The normal-inverse-gamma distribution over a normal's (mu, sigma): its conjugate prior."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.domains import POSITIVE, REAL, Param
from .base import Distribution, WithoutQuantiles
from .inverse_gamma import InverseGamma
from .student_t import StudentT


class NormalInverseGamma(WithoutQuantiles, Distribution):
    r"""The joint conjugate prior of a normal's mean and standard deviation:
    :math:`\sigma^2 \sim \mathrm{InvGamma}(a, b)` and :math:`\mu \mid \sigma \sim
    N(m, \sigma^2/\lambda)`, written as a density over :math:`(\mu, \sigma)` — the normal
    family's own parameters, in which loglik's MAP is defined:

    .. math:: \log p(\mu, \sigma) = \log N(\mu; m, \sigma^2/\lambda)
              + \log\mathrm{IG}(\sigma^2; a, b) + \log(2\sigma)

    (the last term the Jacobian of :math:`\sigma \mapsto \sigma^2`). Points are pairs
    ``[mu, sigma]`` (last axis). After :math:`n` observations with mean :math:`\bar x` and
    :math:`S = \sum(x - \bar x)^2` the posterior is NIG with :math:`\lambda_n = \lambda + n`,
    :math:`m_n = (\lambda m + n\bar x)/\lambda_n`, :math:`a_n = a + n/2`,
    :math:`b_n = b + S/2 + \lambda n(\bar x - m)^2/(2\lambda_n)`. Marginally
    :math:`\mu \sim t_{2a}(m, \sqrt{b/(a\lambda)})` and :math:`\sigma^2 \sim \mathrm{IG}(a, b)`;
    the mode over :math:`(\mu, \sigma)` is :math:`(m, \sqrt{b/(a + 1)})`. A prior, not a family
    to fit.
    """

    name = "normal_inverse_gamma"
    registered = False
    param_specs = (
        Param("mu", REAL, default=0.0, doc="prior mean of mu"),
        Param("lam", POSITIVE, default=1.0, doc="prior sample size behind mu"),
        Param("a", POSITIVE, default=1.0, doc="inverse-gamma shape of sigma^2"),
        Param("b", POSITIVE, default=1.0, doc="inverse-gamma scale of sigma^2"),
    )
    multivariate = True
    variables = ("mu", "sigma")

    def _points(self, x):
        x = self._as_points(x)
        if x.shape[-1:] != (2,):
            raise ValueError(f"points must be pairs [mu, sigma] (last axis), got shape {x.shape}")
        return x

    @staticmethod
    def _logpdf(x, m, lam, a, b):
        mu, sigma = x[..., 0], x[..., 1]
        s2 = sigma * sigma
        normal = -0.5 * np.log(2.0 * np.pi * s2 / lam) - 0.5 * lam * (mu - m) ** 2 / s2
        inv_gamma = a * np.log(b) - special.gammaln(a) - (a + 1.0) * np.log(s2) - b / s2
        return normal + inv_gamma + np.log(2.0 * sigma)

    def logpdf(self, x):
        """Log density at ``[mu, sigma]`` pairs; ``-inf`` where sigma <= 0."""
        x = self._points(x)
        ok = x[..., 1] > 0
        safe = np.where(ok[..., None], x, 1.0)
        out = np.where(ok, self._logpdf(safe, *self._theta), -np.inf)
        return out if out.ndim else float(out)

    def dlogpdf(self, x) -> np.ndarray:
        r"""The gradient of :meth:`logpdf` in :math:`(\mu, \sigma)`."""
        m, lam, a, b = self._theta
        x = self._points(x)
        mu, sigma = x[..., 0], x[..., 1]
        q = lam * (mu - m) ** 2 + 2.0 * b
        return np.stack([-lam * (mu - m) / sigma**2, -(2.0 * a + 2.0) / sigma + q / sigma**3], -1)

    def d2logpdf(self, x) -> np.ndarray:
        """The Hessian of :meth:`logpdf` in (mu, sigma)."""
        m, lam, a, b = self._theta
        x = self._points(x)
        mu, sigma = x[..., 0], x[..., 1]
        q = lam * (mu - m) ** 2 + 2.0 * b
        h_mm = -lam / sigma**2
        h_ms = 2.0 * lam * (mu - m) / sigma**3
        h_ss = (2.0 * a + 2.0) / sigma**2 - 3.0 * q / sigma**4
        return np.stack([np.stack([h_mm, h_ms], -1), np.stack([h_ms, h_ss], -1)], -2)

    @staticmethod
    def _sample(rng, shape, m, lam, a, b):
        s2 = b / rng.gamma(a, 1.0, shape)
        mu = rng.normal(m, np.sqrt(s2 / lam))
        return np.stack([mu, np.sqrt(s2)], -1)

    @staticmethod
    def _mean(m, lam, a, b):
        """``[E mu, E sigma]`` (E sigma infinite for a <= 1/2)."""
        with np.errstate(over="ignore"):
            e_sigma = np.sqrt(b) * np.exp(special.gammaln(a - 0.5) - special.gammaln(a))
        return np.array([float(m), float(e_sigma) if a > 0.5 else np.inf])

    @staticmethod
    def _var(m, lam, a, b):
        """``[Var mu, Var sigma]`` (infinite where they do not exist)."""
        var_mu = b / ((a - 1.0) * lam) if a > 1 else np.inf
        if a > 1:
            e_sigma = np.sqrt(b) * np.exp(special.gammaln(a - 0.5) - special.gammaln(a))
            var_sigma = b / (a - 1.0) - e_sigma**2
        else:
            var_sigma = np.inf
        return np.array([var_mu, var_sigma])

    def marginal(self, name: str):
        r"""``"mu"``: the Student t marginal of the mean; ``"variance"``: the inverse-gamma of
        :math:`\sigma^2` (:math:`\sigma`'s quantiles are their square roots)."""
        m, lam, a, b = (float(t) for t in self._theta)
        if name == "mu":
            return StudentT(2.0 * a, m, np.sqrt(b / (a * lam)))
        if name in ("variance", "sigma2"):
            return InverseGamma(a, b)
        raise ValueError(f"marginal must be 'mu' or 'variance', got {name!r}")

    def interval(self, level: float = 0.95) -> dict:
        """Equal-tailed intervals for mu and sigma from the marginals."""
        a = (1.0 - level) / 2.0
        mu = self.marginal("mu").ppf([a, 1.0 - a])
        s2 = self.marginal("variance").ppf([a, 1.0 - a])
        return {"mu": (float(mu[0]), float(mu[1])), "sigma": tuple(float(v) for v in np.sqrt(s2))}

    def mode(self) -> np.ndarray:
        """``[m, sqrt(b/(a + 1))]``: the maximum of the density over (mu, sigma)."""
        m, _, a, b = (float(t) for t in self._theta)
        return np.array([m, np.sqrt(b / (a + 1.0))])

    def update(self, n: float, mean: float, ss: float) -> NormalInverseGamma:
        """The posterior after ``n`` observations with ``mean`` and sum of squared deviations
        ``ss`` (the formulas in the class doc)."""
        m, lam, a, b = (float(t) for t in self._theta)
        lam_n = lam + n
        return NormalInverseGamma(
            (lam * m + n * mean) / lam_n,
            lam_n,
            a + 0.5 * n,
            b + 0.5 * ss + 0.5 * lam * n * (mean - m) ** 2 / lam_n,
        )

    def _scipy(self, *theta):
        raise TypeError("scipy.stats has no normal-inverse-gamma distribution")

    def to_scipy(self):
        return self._scipy()

    @property
    def batch_shape(self):
        return ()
