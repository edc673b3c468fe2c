r"""Parameter transforms: smooth bijections from unconstrained :math:`u` to constrained
:math:`\theta` (``sigma = exp(u)``, ``p = expit(u)``, ``cov = L L^T``, a simplex by softmax).

Optimizers work on :math:`u`; families document :math:`\theta`. Each transform maps both ways and
pulls a gradient back (``vjp``); elementwise ones also give :math:`T'` and :math:`T''`, which the
chain rule for Hessians needs (:class:`~loglik.estimation.objective.TransformedObjective`).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
from scipy import special

__all__ = [
    "CholeskyCovariance",
    "ElementwiseTransform",
    "Identity",
    "Interval",
    "Log",
    "Logit",
    "LowerBound",
    "Simplex",
    "Softplus",
    "Transform",
    "get_transform",
]


class Transform(ABC):
    r"""A smooth bijection :math:`\theta = T(u)` from the real line (or :math:`R^d`) to a domain.

    ``forward`` maps unconstrained to constrained, ``inverse`` back; ``vjp(u, g)`` pulls a
    gradient :math:`g = \partial F/\partial\theta` back to :math:`\partial F/\partial u = J^T g`.
    """

    name = "transform"
    elementwise = False

    @abstractmethod
    def forward(self, u):
        """Unconstrained to constrained."""

    @abstractmethod
    def inverse(self, theta):
        """Constrained to unconstrained."""

    @abstractmethod
    def vjp(self, u, g):
        """The gradient pulled back through the transform, :math:`J^T g`."""

    def __repr__(self):
        return f"{type(self).__name__}()"


class ElementwiseTransform(Transform):
    r"""A transform applied entry by entry; gives :math:`T'(u)` and :math:`T''(u)` as well,
    which the chain rule for Hessians needs."""

    elementwise = True

    @abstractmethod
    def derivative(self, u):
        """:math:`T'(u)`."""

    @abstractmethod
    def second_derivative(self, u):
        """:math:`T''(u)`."""

    def vjp(self, u, g):
        return np.asarray(g) * self.derivative(u)

    def scalar(self, v: float) -> tuple[float, float, float]:
        """``(T(v), T'(v), T''(v))`` for one float (the hot path of small Newton problems)."""
        return float(self.forward(v)), float(self.derivative(v)), float(self.second_derivative(v))


class Identity(ElementwiseTransform):
    r""":math:`\theta = u` (unbounded parameters: a location, a regression coefficient)."""

    name = "identity"

    def forward(self, u):
        return np.asarray(u, dtype=np.float64)

    def inverse(self, theta):
        return np.asarray(theta, dtype=np.float64)

    def scalar(self, v: float) -> tuple[float, float, float]:
        return v, 1.0, 0.0

    def derivative(self, u):
        return np.ones_like(np.asarray(u, dtype=np.float64))

    def second_derivative(self, u):
        return np.zeros_like(np.asarray(u, dtype=np.float64))


class Log(ElementwiseTransform):
    r""":math:`\theta = e^u`, :math:`u = \log\theta` (a scale, a rate: :math:`\theta > 0`)."""

    name = "log"
    forward = derivative = second_derivative = staticmethod(np.exp)
    inverse = staticmethod(np.log)

    def scalar(self, v: float) -> tuple[float, float, float]:
        e = math.exp(v)
        return e, e, e


class Softplus(ElementwiseTransform):
    r""":math:`\theta = \log(1 + e^u)` (:math:`\theta > 0`, close to linear for large u).

    Computed as ``logaddexp(0, u)``; the inverse is :math:`u = \theta + \log(1 - e^{-\theta})`.
    """

    name = "softplus"

    def forward(self, u):
        return np.logaddexp(0.0, u)

    def inverse(self, theta):
        theta = np.asarray(theta, dtype=np.float64)
        return theta + np.log(-np.expm1(-theta))

    def derivative(self, u):
        return special.expit(u)

    def second_derivative(self, u):
        s = special.expit(u)
        return s * (1.0 - s)


class Logit(ElementwiseTransform):
    r""":math:`\theta = 1/(1 + e^{-u})`, :math:`u = \log(\theta/(1-\theta))` (a probability)."""

    name = "logit"
    forward = staticmethod(special.expit)
    inverse = staticmethod(special.logit)

    def derivative(self, u):
        s = special.expit(u)
        return s * (1.0 - s)

    def second_derivative(self, u):
        s = special.expit(u)
        return s * (1.0 - s) * (1.0 - 2.0 * s)


@dataclass(frozen=True, repr=True)
class Interval(ElementwiseTransform):
    r""":math:`\theta = a + (b - a)\,\mathrm{expit}(u)` for :math:`a < \theta < b`."""

    low: float
    high: float
    name = "interval"

    def __post_init__(self):
        if not (np.isfinite(self.low) and np.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"Interval needs finite low < high, got ({self.low}, {self.high})")

    def forward(self, u):
        return self.low + (self.high - self.low) * special.expit(u)

    def inverse(self, theta):
        return special.logit(
            (np.asarray(theta, dtype=np.float64) - self.low) / (self.high - self.low)
        )

    def derivative(self, u):
        return (self.high - self.low) * Logit().derivative(u)

    def second_derivative(self, u):
        return (self.high - self.low) * Logit().second_derivative(u)


@dataclass(frozen=True, repr=True)
class LowerBound(ElementwiseTransform):
    r""":math:`\theta = a + e^u` for :math:`\theta > a`."""

    low: float
    name = "lower_bound"

    def forward(self, u):
        return self.low + np.exp(u)

    def inverse(self, theta):
        return np.log(np.asarray(theta, dtype=np.float64) - self.low)

    def derivative(self, u):
        return np.exp(u)

    second_derivative = derivative


class CholeskyCovariance(Transform):
    r"""A covariance matrix from an unconstrained vector: :math:`\Sigma = L L^T`.

    ``u`` holds the :math:`d(d+1)/2` entries of the lower triangle of :math:`L` row by row, with
    the diagonal stored as logarithms (:math:`L_{ii} = e^{u_{ii}}`), so every real ``u`` gives a
    positive-definite :math:`\Sigma` and every positive-definite :math:`\Sigma` has one ``u``.
    The pull-back of :math:`G = \partial F/\partial\Sigma` is :math:`\partial F/\partial L =
    (G + G^T) L` restricted to the lower triangle, times :math:`L_{ii}` on the diagonal.
    """

    name = "cholesky"
    elementwise = False

    def __init__(self, dim: int):
        if int(dim) != dim or dim < 1:
            raise ValueError(f"dim must be a positive integer, got {dim!r}")
        self.dim = int(dim)
        self._rows, self._cols = np.tril_indices(self.dim)
        self._diag = self._rows == self._cols

    def __repr__(self):
        return f"CholeskyCovariance(dim={self.dim})"

    def factor(self, u) -> np.ndarray:
        """The lower-triangular factor :math:`L` with positive diagonal."""
        u = np.asarray(u, dtype=np.float64)
        if u.shape != (self.dim * (self.dim + 1) // 2,):
            raise ValueError(f"u must have {self.dim * (self.dim + 1) // 2} entries, got {u.shape}")
        L = np.zeros((self.dim, self.dim))
        L[self._rows, self._cols] = np.where(self._diag, np.exp(u), u)
        return L

    def forward(self, u):
        L = self.factor(u)
        return L @ L.T

    def inverse(self, theta):
        L = np.linalg.cholesky(np.asarray(theta, dtype=np.float64))
        vals = L[self._rows, self._cols]
        vals[self._diag] = np.log(vals[self._diag])
        return vals

    def vjp(self, u, g):
        L = self.factor(u)
        G = np.asarray(g, dtype=np.float64)
        dL = (G + G.T) @ L
        vals = dL[self._rows, self._cols]
        return np.where(self._diag, vals * L[self._rows, self._cols], vals)


class Simplex(Transform):
    r"""Probabilities on the simplex from :math:`K - 1` free logits (softmax, last logit 0):

    .. math:: p_j = \frac{e^{u_j}}{1 + \sum_{i<K} e^{u_i}}\ (j < K),\qquad
              p_K = \frac{1}{1 + \sum_{i<K} e^{u_i}},

    so :math:`u_j = \log(p_j / p_K)` (the additive log-ratio). Every real ``u`` gives
    probabilities that are positive and sum to one, and the map is a bijection onto the open
    simplex. The pull-back of :math:`g = \partial F/\partial p` is
    :math:`\partial F/\partial u_j = p_j (g_j - p^T g)` for :math:`j < K`.
    """

    name = "simplex"
    elementwise = False

    def __init__(self, size: int):
        if int(size) != size or size < 2:
            raise ValueError(f"size must be an integer >= 2, got {size!r}")
        self.size = int(size)

    def __repr__(self):
        return f"Simplex(size={self.size})"

    def forward(self, u):
        u = np.asarray(u, dtype=np.float64)
        if u.shape != (self.size - 1,):
            raise ValueError(f"u must have {self.size - 1} entries, got shape {u.shape}")
        logits = np.append(u, 0.0)
        return np.exp(logits - special.logsumexp(logits))

    def inverse(self, theta):
        p = np.asarray(theta, dtype=np.float64)
        return np.log(p[:-1]) - np.log(p[-1])

    def vjp(self, u, g):
        p = self.forward(u)
        g = np.asarray(g, dtype=np.float64)
        return p[:-1] * (g[:-1] - p @ g)


_TRANSFORMS = {"identity": Identity, "log": Log, "softplus": Softplus, "logit": Logit}


def get_transform(name_or_transform) -> Transform:
    """A transform by name (``"identity"``, ``"log"``, ``"softplus"``, ``"logit"``) or as given."""
    if isinstance(name_or_transform, Transform):
        return name_or_transform
    if name_or_transform not in _TRANSFORMS:
        raise ValueError(
            f"unknown transform {name_or_transform!r}; known: {', '.join(sorted(_TRANSFORMS))}"
        )
    return _TRANSFORMS[name_or_transform]()
