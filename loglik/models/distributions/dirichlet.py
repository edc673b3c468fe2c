r"""The Dirichlet distribution: a distribution over probability vectors (a prior)."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.domains import Param
from .base import Distribution, WithoutQuantiles
from .beta import Beta


class Dirichlet(WithoutQuantiles, Distribution):
    r"""The Dirichlet distribution over probability vectors :math:`p` (:math:`K` entries, summing
    to one), with concentrations :math:`\alpha_j > 0`:

    .. math:: \log p(p) = \log\Gamma(\alpha_0) - \sum_j\log\Gamma(\alpha_j)
              + \sum_j(\alpha_j - 1)\log p_j,\qquad \alpha_0 = \sum_j\alpha_j.

    The conjugate prior of the categorical ``probs``: the posterior after counts :math:`c` is
    Dirichlet(:math:`\alpha + c`). Each entry's marginal is Beta(:math:`\alpha_j,
    \alpha_0 - \alpha_j`) (:meth:`marginal`); the mode (when every :math:`\alpha_j \ge 1`) is
    :math:`(\alpha_j - 1)/(\alpha_0 - K)`. A prior, not a family to fit.
    """

    name = "dirichlet"
    registered = False
    param_specs = (Param("alpha", kind="vector", doc="concentrations"),)
    multivariate = True

    @classmethod
    def _check_array_params(cls, theta, context):
        (alpha,) = theta
        if alpha.ndim != 1 or alpha.size < 2:
            raise ValueError(f"dirichlet{context}: alpha must be a vector of at least 2 entries")
        if not np.all(np.isfinite(alpha)) or np.any(alpha <= 0):
            raise ValueError(f"dirichlet{context}: alpha must be finite and > 0, got {alpha!r}")
        return [alpha]

    @property
    def batch_shape(self):
        return ()

    @property
    def size(self) -> int:
        """The number of categories K."""
        return self._theta[0].size

    def _points(self, p):
        p = self._as_points(p, "p")
        if p.shape[-1:] != (self.size,):
            raise ValueError(f"p must have {self.size} entries (last axis), got shape {p.shape}")
        return p

    @staticmethod
    def _logpdf(p, alpha):
        norm = special.gammaln(alpha.sum()) - special.gammaln(alpha).sum()
        return norm + special.xlogy(alpha - 1.0, p).sum(axis=-1)

    def logpdf(self, p):
        """Log density at probability vectors ``p`` (last axis); ``-inf`` off the simplex."""
        p = self._points(p)
        on = np.all(p >= 0, axis=-1) & np.isclose(p.sum(axis=-1), 1.0, rtol=0.0, atol=1e-9)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(on, self._logpdf(np.clip(p, 0.0, 1.0), *self._theta), -np.inf)
        return out if out.ndim else float(out)

    def dlogpdf(self, p) -> np.ndarray:
        r""":math:`\partial\log p/\partial p_j = (\alpha_j - 1)/p_j` (entries treated as free)."""
        return (self._theta[0] - 1.0) / self._points(p)

    @staticmethod
    def _sample(rng, shape, alpha):
        return rng.dirichlet(alpha, size=shape if shape else None)

    @staticmethod
    def _mean(alpha):
        return alpha / alpha.sum()

    @staticmethod
    def _var(alpha):
        a0 = alpha.sum()
        return alpha * (a0 - alpha) / (a0 * a0 * (a0 + 1.0))

    def covariance(self) -> np.ndarray:
        r""":math:`(\mathrm{diag}(m) - mm^T)/(\alpha_0 + 1)`, :math:`m` the mean."""
        alpha = self._theta[0]
        m = alpha / alpha.sum()
        return (np.diag(m) - np.outer(m, m)) / (alpha.sum() + 1.0)

    def marginal(self, j: int) -> Beta:
        """The Beta distribution of entry ``j``."""
        alpha = self._theta[0]
        return Beta(alpha[j], alpha.sum() - alpha[j])

    def mode(self) -> np.ndarray:
        """The most probable vector; a ValueError when some concentration is below 1 (the
        density is then unbounded at that entry's zero)."""
        alpha = self._theta[0]
        if np.any(alpha < 1):
            raise ValueError(
                "a Dirichlet with a concentration below 1 has an unbounded density: no mode"
            )
        if np.all(alpha == 1):
            raise ValueError("the flat Dirichlet (all concentrations 1) has no unique mode")
        return (alpha - 1.0) / (alpha.sum() - alpha.size)

    @staticmethod
    def _scipy(alpha):
        from scipy import stats

        return stats.dirichlet(alpha)
