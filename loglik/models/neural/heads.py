r"""Likelihood heads: what the network's output layer parameterises, and the NLL it is trained on.

The last dense layer produces a pre-activation :math:`z_i` per row; a head turns it into the
parameters of a distribution for :math:`y_i` through an inverse link, and training minimises the
weighted mean negative log-likelihood

.. math:: L = \frac{\sum_i s_i\,\ell(y_i, z_i)}{\sum_i s_i}.

* **gaussian** (fixed σ): :math:`\mu = z`,
  :math:`\ell = \frac{(y-z)^2}{2\sigma^2} + \log\sigma + \tfrac12\log 2\pi`,
  :math:`\partial\ell/\partial z = (z - y)/\sigma^2` (MSE/2 plus a constant at σ = 1);
* **heteroscedastic**: :math:`\mu = z_1`, :math:`\sigma = \mathrm{softplus}(z_2) + \sigma_\min`,
  the same :math:`\ell` with σ per row; :math:`\partial\ell/\partial z_1 = (\mu - y)/\sigma^2`,
  :math:`\partial\ell/\partial z_2 = (1/\sigma - (y-\mu)^2/\sigma^3)\,\mathrm{expit}(z_2)`;
* **bernoulli** (logits): :math:`p = \mathrm{expit}(z)`, :math:`\ell = \log(1 + e^z) - yz`
  (binary cross-entropy), :math:`\partial\ell/\partial z = p - y`;
* **categorical** (logits): :math:`p = \mathrm{softmax}(z)`,
  :math:`\ell = \log\sum_k e^{z_k} - z_y` (softmax cross-entropy),
  :math:`\partial\ell/\partial z = p - e_y`;
* **poisson** (log-rate): :math:`\lambda = e^z`, :math:`\ell = e^z - yz + \log y!`,
  :math:`\partial\ell/\partial z = \lambda - y`.

The constants (:math:`\log\sigma + \frac12\log 2\pi`, :math:`\log y!`) are kept, so every value is
a true NLL and models with different heads can be compared on held-out data. With several targets
(columns of ``y``) the per-row NLL is the sum over them. The floor :math:`\sigma_\min` keeps the
heteroscedastic likelihood bounded (without it the NLL goes to :math:`-\infty` as a σ shrinks
onto one exactly fitted point).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ..._validation import check_scalar
from ..likelihoods import (
    BernoulliLikelihood,
    CategoricalLikelihood,
    GaussianLikelihood,
    HeteroscedasticGaussianLikelihood,
    Likelihood,
    PoissonLikelihood,
)

__all__ = [
    "HEADS",
    "BernoulliHead",
    "CategoricalHead",
    "GaussianHead",
    "Head",
    "HeteroscedasticGaussianHead",
    "PoissonHead",
]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)


def _weighted_mean(per_row, weights):
    return float(np.mean(per_row) if weights is None else weights @ per_row)


def _scale_rows(grad, weights):
    r""":math:`\partial L/\partial z` from per-row gradients: divided by n, or times the
    normalised weights."""
    if weights is None:
        grad /= grad.shape[0]
    else:
        grad *= weights[:, None].astype(grad.dtype, copy=False)
    return grad


class Head(ABC):
    r"""A likelihood for :math:`y` given the network output :math:`z` (see the module table):
    a :class:`~loglik.models.likelihoods.Likelihood` of :math:`z`, summed over the targets.

    Targets are 2-D float arrays (rows, targets), except for the categorical head (integer class
    codes, 1-D). ``weights`` are normalised case weights (summing to 1) or None (equal).
    """

    name = "head"
    likelihood: Likelihood

    @property
    def family(self) -> str:
        """The distribution family :meth:`dist_params` parameterises."""
        return self.likelihood.distribution.name

    def n_outputs(self, n_targets: int) -> int:
        """The width of the output layer for ``n_targets`` columns of ``y``."""
        return n_targets

    def nll(self, z, y):
        r"""Per-row negative log-likelihood :math:`\ell(y_i, z_i)`, shape (rows,)."""
        return np.sum(self.likelihood.nll(z, y), axis=1)

    def gradient(self, z, y):
        r"""Per-row :math:`\partial\ell(y_i, z_i)/\partial z_i`, shape of ``z``."""
        return self.likelihood.gradient(z, y)

    def inverse_link(self, z):
        r"""The mean :math:`E[y \mid z]` (probabilities for the classification heads)."""
        return self.likelihood.mean(z)

    def dist_params(self, z) -> dict:
        """The predictive distribution's parameters, one value (or row) per row of ``z``."""
        return self.likelihood.dist_params(z)

    @abstractmethod
    def initial_bias(self, y, weights=None):
        """The output bias at which the network with zero output weights is the intercept-only
        maximum-likelihood fit (a better start than 0)."""

    def loss(self, z, y, weights=None):
        """``(L, dL/dz)``: the weighted mean NLL and its gradient."""
        return _weighted_mean(self.nll(z, y), weights), _scale_rows(self.gradient(z, y), weights)

    requirement = None  # what the targets must be ("be 0 or 1"), when the support is checked

    def check_target(self, y, name="y"):
        """Raise ValueError naming the first entry of ``y`` outside the likelihood's support."""
        if self.requirement is None:
            return y
        bad = self.likelihood.outside_support(y)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{name} must {self.requirement} for the {self.name.capitalize()} likelihood "
                f"(row {where[0]} is {y[where]})"
            )
        return y

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "likelihood")
        return f"{type(self).__name__}({args})"


class GaussianHead(Head):
    r"""Normal with mean :math:`z` and a fixed :math:`\sigma` (least squares: the maximiser in
    :math:`z` does not depend on σ). ``sigma`` is a scalar or one value per target."""

    name = "gaussian"
    likelihood = GaussianLikelihood()

    def __init__(self, sigma=1.0):
        sigma = np.asarray(sigma, dtype=np.float64)
        if sigma.ndim > 1 or not np.all(np.isfinite(sigma)) or np.any(sigma <= 0):
            raise ValueError(f"sigma must be positive (a scalar or one per target), got {sigma}")
        self.sigma = float(sigma) if sigma.ndim == 0 else sigma

    def _constant(self, k):
        r""":math:`\sum_j (\log\sigma_j + \tfrac12\log 2\pi)` over the k targets."""
        return float(np.sum(np.broadcast_to(np.log(self.sigma) + _HALF_LOG_2PI, (k,))))

    def nll(self, z, y):
        r = (y - z) / self.sigma
        return 0.5 * np.einsum("ij,ij->i", r, r) + self._constant(r.shape[1])

    def gradient(self, z, y):
        return self.likelihood.gradient(z, y) / self.sigma**2

    def loss(self, z, y, weights=None):
        r = z - y
        if np.ndim(self.sigma) == 0:
            per_row = (0.5 / self.sigma**2) * np.einsum("ij,ij->i", r, r)
            r *= 1.0 / self.sigma**2
        else:
            per_row = 0.5 * np.einsum("ij,ij->i", r / self.sigma, r / self.sigma)
            r /= self.sigma**2
        per_row += self._constant(r.shape[1])
        return _weighted_mean(per_row, weights), _scale_rows(r, weights)

    def dist_params(self, z):
        return self.likelihood.dist_params(z, self.sigma)

    def initial_bias(self, y, weights=None):
        return self.likelihood.intercept_only(y, weights)


class HeteroscedasticGaussianHead(Head):
    r"""Normal with a mean and a standard deviation per row: for :math:`k` targets the network
    has :math:`2k` outputs, :math:`\mu = z_{1..k}`, :math:`\sigma = \mathrm{softplus}(z_{k+1..2k})
    + \sigma_\min` (``min_sigma``, in the units of y)."""

    name = "heteroscedastic"

    def __init__(self, min_sigma: float = 1e-3):
        self.min_sigma = check_scalar(min_sigma, "min_sigma", low=0.0)
        self.likelihood = HeteroscedasticGaussianLikelihood(self.min_sigma)

    def n_outputs(self, n_targets):
        return 2 * n_targets

    def sigma(self, z):
        r""":math:`\sigma = \mathrm{softplus}(z_2) + \sigma_\min` per row and target."""
        return self.likelihood.sigma(z)

    def initial_bias(self, y, weights=None):
        return self.likelihood.intercept_only(y, weights)

    def check_target(self, y, name="y"):
        if self.min_sigma == 0.0 and y.shape[0] < 2:
            raise ValueError("the heteroscedastic likelihood needs min_sigma > 0 or 2+ rows")
        return y


class BernoulliHead(Head):
    r"""Bernoulli on logits, one output per binary target: the binary cross-entropy
    :math:`\log(1 + e^z) - yz` (computed with softplus: never overflows)."""

    name = "bernoulli"
    likelihood = BernoulliLikelihood()
    requirement = "be 0 or 1"

    def initial_bias(self, y, weights=None):
        return self.likelihood.intercept_only(y, weights, floor=1e-6)


class CategoricalHead(Head):
    r"""Categorical on logits, one output per class; targets are class codes :math:`0..K-1`.
    The softmax cross-entropy :math:`\log\sum_k e^{z_k} - z_y` is evaluated with the max-shift."""

    name = "categorical"
    likelihood = CategoricalLikelihood()

    def __init__(self, n_classes: int):
        self.n_classes = check_scalar(n_classes, "n_classes", low=2, integer=True)

    def n_outputs(self, n_targets=1):
        return self.n_classes

    def nll(self, z, y):
        return self.likelihood.nll(z, y)

    def loss(self, z, y, weights=None):
        per_row, grad = self.likelihood.nll_and_gradient(z, y)
        return _weighted_mean(per_row, weights), _scale_rows(grad, weights)

    def initial_bias(self, y, weights=None):
        b = self.likelihood.intercept_only(y, weights, n_classes=self.n_classes, floor=1e-6)
        return b - b.mean()

    def check_target(self, y, name="y"):
        if y.ndim != 1 or np.any(self.likelihood.outside_support(y, self.n_classes)):
            raise ValueError(f"{name} must hold class codes 0..{self.n_classes - 1}")
        return y


class PoissonHead(Head):
    r"""Poisson on the log-rate: :math:`\lambda = e^z`,
    :math:`\ell = e^z - yz + \log\Gamma(y + 1)` (``gammaln``)."""

    name = "poisson"
    likelihood = PoissonLikelihood()
    requirement = "be non-negative counts"

    def loss(self, z, y, weights=None):
        nll, grad, _ = self.likelihood.terms(z, y)
        return _weighted_mean(np.sum(nll, axis=1), weights), _scale_rows(grad, weights)

    def initial_bias(self, y, weights=None):
        return self.likelihood.intercept_only(y, weights, floor=1e-8)


HEADS = {
    "gaussian": GaussianHead,
    "heteroscedastic": HeteroscedasticGaussianHead,
    "bernoulli": BernoulliHead,
    "categorical": CategoricalHead,
    "poisson": PoissonHead,
}
