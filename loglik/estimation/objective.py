r"""The objective protocol, parameter transforms and finite-difference checks.

Every estimate in loglik minimises an *objective*: the mean negative log-likelihood of the data,
plus a penalty (a negative log-prior divided by n) when there is one,

.. math:: F(\theta) = -\frac{1}{n}\sum_{i=1}^n w_i \log p(x_i \mid \theta) + \frac{1}{n} R(\theta).

Parameters are a *list of float64 arrays* (a weight matrix and a bias vector, a mean and a log
scale, ...) in an **unconstrained** space; transforms map them to the constrained parameters a
family documents (``sigma = exp(u)``, ``p = expit(u)``, ``cov = L L^T``).

An objective implements :class:`Objective`: ``value_and_grad(params, batch=None)`` returns the mean
objective over the rows ``batch`` (all rows when ``None``) and its gradient, one array per
parameter. ``n_samples`` is the number of rows a mini-batch can index (``None`` when the objective
has no rows).
It may also have ``value(params, batch=None)`` (cheaper than value_and_grad: line searches use it)
and ``hessian(params, batch=None)``: the Hessian over the flattened parameters, in the order of
:func:`flatten`. :class:`FunctionObjective` makes an objective from plain functions.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, runtime_checkable

import numpy as np
from scipy import special

Params = list  # list[np.ndarray], float64, one array per parameter block

__all__ = [
    "CholeskyCovariance",
    "ElementwiseTransform",
    "FunctionObjective",
    "GradientCheck",
    "Identity",
    "Interval",
    "Log",
    "Logit",
    "LowerBound",
    "Objective",
    "Simplex",
    "SmoothObjective",
    "Softplus",
    "Transform",
    "TransformedObjective",
    "as_params",
    "assert_gradient",
    "check_gradient",
    "check_hessian",
    "check_objective",
    "flatten",
    "get_transform",
    "global_norm",
    "numerical_gradient",
    "numerical_hessian",
    "unflatten",
]


# --------------------------------------------------------------------------------------------
# Parameters as lists of arrays
# --------------------------------------------------------------------------------------------


def as_params(params, name: str = "params") -> Params:
    """Validate ``params`` (an array or a sequence of arrays) and return a list of float64 copies.

    Raises ValueError naming the block and position of the first NaN or inf.
    """
    blocks = [params] if isinstance(params, np.ndarray | float | int) else params
    if not isinstance(blocks, Sequence) or isinstance(blocks, str) or len(blocks) == 0:
        raise ValueError(f"{name} must be an array or a non-empty list of arrays, got {params!r}")
    out = []
    for k, block in enumerate(blocks):
        try:
            arr = np.array(block, dtype=np.float64)  # always a copy: inputs are never modified
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name}[{k}] is not numeric: {exc}") from None
        bad = ~np.isfinite(arr)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(f"{name}[{k}] contains NaN or inf at index {where}")
        out.append(arr)
    return out


def flatten(params: Params) -> np.ndarray:
    """Concatenate the blocks of ``params`` into one 1-D vector (C order)."""
    if len(params) == 1:
        return params[0].ravel().copy()
    return np.concatenate([np.ravel(p) for p in params])


def unflatten(vector: np.ndarray, like: Params) -> Params:
    """Split a flat ``vector`` into blocks shaped like ``like`` (the inverse of :func:`flatten`)."""
    out, start = [], 0
    for p in like:
        stop = start + p.size
        out.append(vector[start:stop].reshape(p.shape))
        start = stop
    if start != vector.size:
        raise ValueError(f"vector has {vector.size} entries, params need {start}")
    return out


def global_norm(tree: Params) -> float:
    r"""The Euclidean norm of all blocks together, :math:`\sqrt{\sum_k \|g_k\|_2^2}`."""
    return float(np.sqrt(sum(float(np.vdot(g, g)) for g in tree)))


# --------------------------------------------------------------------------------------------
# The protocol
# --------------------------------------------------------------------------------------------


@runtime_checkable
class Objective(Protocol):
    """What :func:`loglik.estimation.minimize` needs from an objective (see the module doc)."""

    n_samples: int | None

    def value_and_grad(
        self, params: Params, batch: np.ndarray | None = None
    ) -> tuple[float, Params]:
        """Mean objective over the rows ``batch`` (all when None) and its gradient."""


class FunctionObjective:
    """An objective made from plain functions of one flat parameter vector.

    Parameters
    ----------
    fun : callable
        ``fun(x)`` (or ``fun(x, batch)`` when ``n_samples`` is given) returns the objective value.
    grad : callable, optional
        Its gradient with the same signature. When omitted, ``fun`` must return
        ``(value, gradient)`` — set ``value_and_grad=True``.
    hess : callable, optional
        Its Hessian, a ``(d, d)`` array.
    value_and_grad : bool
        ``fun`` returns the pair ``(value, gradient)``.
    n_samples : int, optional
        The number of rows the functions can be restricted to with ``batch``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import optimize
    >>> import loglik as ll
    >>> rosen = ll.FunctionObjective(optimize.rosen, optimize.rosen_der, hess=optimize.rosen_hess)
    >>> res = ll.minimize(rosen, np.array([-1.2, 1.0]), "newton", gtol=1e-10)
    >>> res.converged, np.round(res.params, 8).tolist()
    (True, [1.0, 1.0])
    """

    def __init__(self, fun, grad=None, hess=None, *, value_and_grad=False, n_samples=None):
        if grad is None and not value_and_grad:
            raise ValueError("grad is required unless fun returns (value, gradient)")
        self._fun, self._grad, self._hess = fun, grad, hess
        self._pair = value_and_grad
        self.n_samples = n_samples
        if hess is None:
            self.hessian = None  # the protocol's "no Hessian"

    def _call(self, f, params, batch):
        x = flatten(params) if len(params) > 1 else params[0]
        return f(x) if self.n_samples is None else f(x, batch)

    def value(self, params, batch=None) -> float:
        out = self._call(self._fun, params, batch)
        return float(out[0] if self._pair else out)

    def value_and_grad(self, params, batch=None):
        if self._pair:
            f, g = self._call(self._fun, params, batch)
        else:
            f = self._call(self._fun, params, batch)
            g = self._call(self._grad, params, batch)
        return float(f), unflatten(np.asarray(g, dtype=np.float64).ravel(), params)

    def hessian(self, params, batch=None):
        return np.atleast_2d(np.asarray(self._call(self._hess, params, batch), dtype=np.float64))


# --------------------------------------------------------------------------------------------
# Transforms: unconstrained u  ->  constrained theta
# --------------------------------------------------------------------------------------------


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


class Identity(ElementwiseTransform):
    r""":math:`\theta = u` (unbounded parameters: a location, a regression coefficient)."""

    name = "identity"

    def forward(self, u):
        return np.asarray(u, dtype=np.float64)

    def inverse(self, theta):
        return np.asarray(theta, dtype=np.float64)

    def derivative(self, u):
        return np.ones_like(np.asarray(u, dtype=np.float64))

    def second_derivative(self, u):
        return np.zeros_like(np.asarray(u, dtype=np.float64))


class Log(ElementwiseTransform):
    r""":math:`\theta = e^u`, :math:`u = \log\theta` (a scale, a rate: :math:`\theta > 0`)."""

    name = "log"

    def forward(self, u):
        return np.exp(u)

    def inverse(self, theta):
        return np.log(theta)

    def derivative(self, u):
        return np.exp(u)

    second_derivative = derivative


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

    def forward(self, u):
        return special.expit(u)

    def inverse(self, theta):
        return special.logit(theta)

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


class TransformedObjective:
    r"""An objective over unconstrained ``u`` from one over constrained :math:`\theta = T(u)`.

    The value is unchanged; the gradient is :math:`J^T \nabla_\theta F`, and for elementwise
    transforms the Hessian is :math:`J^T H_\theta J + \mathrm{diag}(\nabla_\theta F \odot T''(u))`.

    Parameters
    ----------
    objective : Objective
        Over constrained parameters (one block per transform).
    transforms : sequence of Transform or str
        One per parameter block.
    """

    def __init__(self, objective, transforms):
        self.objective = objective
        self.transforms = [get_transform(t) for t in transforms]
        self.n_samples = getattr(objective, "n_samples", None)
        if getattr(objective, "hessian", None) is None:
            self.hessian = None

    def constrain(self, params: Params) -> Params:
        """Map unconstrained blocks to constrained ones."""
        return [np.asarray(t.forward(u), dtype=np.float64) for t, u in zip(self.transforms, params)]

    def unconstrain(self, theta: Params) -> Params:
        """Map constrained blocks to unconstrained ones."""
        return [np.asarray(t.inverse(v), dtype=np.float64) for t, v in zip(self.transforms, theta)]

    def value(self, params, batch=None) -> float:
        theta = self.constrain(params)
        if hasattr(self.objective, "value"):
            return self.objective.value(theta, batch)
        return self.objective.value_and_grad(theta, batch)[0]

    def value_and_grad(self, params, batch=None):
        f, g = self.objective.value_and_grad(self.constrain(params), batch)
        return f, [t.vjp(u, gk) for t, u, gk in zip(self.transforms, params, g)]

    def hessian(self, params, batch=None):
        if not all(t.elementwise for t in self.transforms):
            raise ValueError("the Hessian chain rule here needs elementwise transforms")
        theta = self.constrain(params)
        _, g = self.objective.value_and_grad(theta, batch)
        H = self.objective.hessian(theta, batch)
        jac = flatten([t.derivative(u) for t, u in zip(self.transforms, params)])
        curv = flatten(
            [gk * t.second_derivative(u) for t, u, gk in zip(self.transforms, params, g)]
        )
        return jac[:, None] * H * jac[None, :] + np.diag(curv)


def _scalar_transform(t: Transform, v: float) -> tuple[float, float, float]:
    """``(T(v), T'(v), T''(v))`` for one float: the log and identity scales in plain floats
    (the hot path of small Newton problems), any other transform through its methods."""
    if type(t) is Log:
        e = math.exp(v)
        return e, e, e
    if type(t) is Identity:
        return v, 1.0, 0.0
    return float(t.forward(v)), float(t.derivative(v)), float(t.second_derivative(v))


class SmoothObjective:
    r"""An objective over unconstrained scalars from one function that gives the value, gradient
    and Hessian over the constrained parameters.

    ``derivatives(theta)`` returns ``(f, g, H)`` at the 1-D array ``theta`` of the :math:`k`
    constrained parameters; the objective's params are :math:`k` 0-d blocks :math:`u_j` with
    :math:`\theta_j = T_j(u_j)` (elementwise transforms). Then

    .. math:: \nabla_u F = g \odot T'(u),\qquad
              \nabla^2_u F = \mathrm{diag}(T') H \mathrm{diag}(T') +
              \mathrm{diag}(g \odot T''(u)).

    The last evaluation is cached: a Newton step asks for the value, gradient and Hessian at one
    point, and pays for one call (small likelihood problems reduced to sufficient statistics or
    to a profile, where each call is one pass over the data or O(1)).
    """

    n_samples = None

    def __init__(self, derivatives, transforms):
        self.derivatives = derivatives
        self.transforms = [get_transform(t) for t in transforms]
        if not all(t.elementwise for t in self.transforms):
            raise ValueError("SmoothObjective needs elementwise transforms")
        self._key, self._last = None, None

    def constrain(self, params) -> np.ndarray:
        """The constrained parameters :math:`\theta = T(u)` as a 1-D array."""
        return np.array([float(t.forward(float(u))) for t, u in zip(self.transforms, params)])

    def evaluate(self, u):
        """``(value, gradient, Hessian)`` at the unconstrained point ``u``, cached for the last
        point: for a flat vector (or blocks) a 1-D gradient and a ``(k, k)`` Hessian; for a
        one-parameter objective and a float ``u``, three floats (what a scalar Newton iterates
        on, without the overhead of one-element arrays)."""
        scalar = isinstance(u, float)
        key = (u,) if scalar else tuple(map(float, u))
        if key != self._key:
            self._key, self._last = key, self._evaluate(key)
        f, g, H = self._last
        if scalar or not isinstance(g, float):
            return self._last
        return f, np.array([g]), np.array([[H]])

    def _evaluate(self, key):
        # plain floats throughout: k is small, and numpy's per-call cost on tiny arrays would
        # be most of the work of a Newton step on sufficient statistics or a profile
        theta, d1, d2 = zip(*[_scalar_transform(t, v) for t, v in zip(self.transforms, key)])
        f, g, H = self.derivatives(np.array(theta))
        if len(key) == 1:  # one parameter (a profile): the float form Newton iterates on
            g, h = float(g[0]), float(H[0][0])
            return float(f), g * d1[0], h * (d1[0] * d1[0]) + g * d2[0]
        g = np.asarray(g, dtype=np.float64).tolist()
        H = [[h * (a * b) for h, b in zip(row, d1)] for row, a in zip(np.asarray(H).tolist(), d1)]
        for j, (gj, c) in enumerate(zip(g, d2)):
            H[j][j] += gj * c
        return float(f), np.array([gj * a for gj, a in zip(g, d1)]), np.array(H)

    def value(self, params, batch=None) -> float:
        return self.evaluate(params)[0]

    def value_and_grad(self, params, batch=None):
        f, g, _ = self.evaluate(params)
        return f, [np.array(gj) for gj in g]

    def hessian(self, params, batch=None):
        return self.evaluate(params)[2]


# --------------------------------------------------------------------------------------------
# Finite differences
# --------------------------------------------------------------------------------------------

_EPS = np.finfo(np.float64).eps


def _steps(x: np.ndarray, eps, power: float) -> np.ndarray:
    if eps is not None:
        return np.broadcast_to(np.asarray(eps, dtype=np.float64), x.shape).copy()
    return _EPS**power * np.maximum(1.0, np.abs(x))


def numerical_gradient(fun: Callable[[np.ndarray], float], x, *, eps=None) -> np.ndarray:
    r"""Gradient of ``fun`` at the flat vector ``x`` by a fourth-order central difference.

    .. math:: \partial_j f \approx \frac{f(x - 2h e_j) - 8 f(x - h e_j) + 8 f(x + h e_j)
              - f(x + 2h e_j)}{12 h},

    with :math:`h_j = \epsilon^{1/5}\max(1, |x_j|)` (truncation and rounding error balanced,
    about :math:`10^{-12}` relative for smooth functions).
    """
    x = np.array(x, dtype=np.float64).ravel()
    h = _steps(x, eps, 1.0 / 5.0)
    grad = np.empty_like(x)
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h[j]
        grad[j] = (fun(x - 2 * e) - 8 * fun(x - e) + 8 * fun(x + e) - fun(x + 2 * e)) / (12 * h[j])
    return grad


def numerical_hessian(fun: Callable[[np.ndarray], float], x, *, grad=None, eps=None) -> np.ndarray:
    r"""Hessian at ``x``: central differences of ``grad`` when given, else of ``fun`` twice.

    With a gradient, column :math:`j` is :math:`(\nabla f(x + h e_j) - \nabla f(x - h e_j))/(2h)`
    (:math:`h = \epsilon^{1/3}\max(1,|x_j|)`); the result is symmetrised.
    """
    x = np.array(x, dtype=np.float64).ravel()
    d = x.size
    H = np.empty((d, d))
    if grad is not None:
        h = _steps(x, eps, 1.0 / 3.0)
        for j in range(d):
            e = np.zeros(d)
            e[j] = h[j]
            H[:, j] = (np.ravel(grad(x + e)) - np.ravel(grad(x - e))) / (2 * h[j])
    else:
        h = _steps(x, eps, 1.0 / 4.0)
        for j in range(d):
            for k in range(j, d):
                ej, ek = np.zeros(d), np.zeros(d)
                ej[j], ek[k] = h[j], h[k]
                H[j, k] = (
                    fun(x + ej + ek) - fun(x + ej - ek) - fun(x - ej + ek) + fun(x - ej - ek)
                ) / (4 * h[j] * h[k])
                H[k, j] = H[j, k]
    return 0.5 * (H + H.T)


class GradientCheck(NamedTuple):
    """The outcome of comparing an analytic derivative with finite differences."""

    ok: bool
    max_abs_error: float
    max_rel_error: float
    worst_index: Any
    analytic: np.ndarray
    numeric: np.ndarray

    def __str__(self):
        verdict = "agree" if self.ok else "DISAGREE"
        return (
            f"analytic and numerical derivatives {verdict}: max abs error {self.max_abs_error:.3g},"
            f" max rel error {self.max_rel_error:.3g} at index {self.worst_index}"
            f" (analytic {self.analytic.flat[self._flat_worst()]:.10g},"
            f" numeric {self.numeric.flat[self._flat_worst()]:.10g})"
        )

    def _flat_worst(self) -> int:
        idx = self.worst_index
        return (
            int(np.ravel_multi_index(idx, self.analytic.shape)) if isinstance(idx, tuple) else idx
        )


def _compare(analytic, numeric, rtol, atol) -> GradientCheck:
    analytic = np.asarray(analytic, dtype=np.float64)
    numeric = np.asarray(numeric, dtype=np.float64).reshape(analytic.shape)
    err = np.abs(analytic - numeric)
    tol = atol + rtol * np.abs(numeric)
    ok = bool(np.all(err <= tol)) and bool(np.all(np.isfinite(analytic)))
    rel = err / np.maximum(np.abs(numeric), atol / max(rtol, 1e-300))
    worst = int(np.argmax(err - tol)) if err.size else 0
    worst_index = worst if analytic.ndim <= 1 else np.unravel_index(worst, analytic.shape)
    if isinstance(worst_index, tuple):
        worst_index = tuple(int(i) for i in worst_index)
    return GradientCheck(
        ok, float(err.max(initial=0.0)), float(rel.max(initial=0.0)), worst_index, analytic, numeric
    )


def check_gradient(fun, grad, x, *, rtol=1e-6, atol=1e-8, eps=None) -> GradientCheck:
    """Compare ``grad(x)`` with :func:`numerical_gradient` of ``fun`` at the flat vector ``x``.

    Passes when every component satisfies ``|analytic - numeric| <= atol + rtol * |numeric|``.
    """
    x = np.array(x, dtype=np.float64).ravel()
    return _compare(np.ravel(grad(x)), numerical_gradient(fun, x, eps=eps), rtol, atol)


def check_hessian(fun, hess, x, *, grad=None, rtol=1e-5, atol=1e-6, eps=None) -> GradientCheck:
    """Compare ``hess(x)`` with :func:`numerical_hessian` (of ``grad`` when given, else ``fun``)."""
    x = np.array(x, dtype=np.float64).ravel()
    return _compare(
        np.atleast_2d(hess(x)), numerical_hessian(fun, x, grad=grad, eps=eps), rtol, atol
    )


def assert_gradient(fun, grad, x, **kwargs) -> GradientCheck:
    """:func:`check_gradient`, raising AssertionError with the worst component when it fails."""
    result = check_gradient(fun, grad, x, **kwargs)
    if not result.ok:
        raise AssertionError(str(result))
    return result


def check_objective(objective, params, *, batch=None, hessian=None, rtol=1e-6, atol=1e-8):
    """Check an :class:`Objective`'s gradient (and Hessian, when it has one) by finite differences.

    Returns ``(gradient_check, hessian_check_or_None)``; ``hessian=False`` skips the Hessian.
    """
    params = as_params(params)
    x0 = flatten(params)

    def fun(x):
        return objective.value_and_grad(unflatten(x, params), batch)[0]

    def grad(x):
        return flatten(objective.value_and_grad(unflatten(x, params), batch)[1])

    g_check = check_gradient(fun, grad, x0, rtol=rtol, atol=atol)
    h_check = None
    if hessian is not False and getattr(objective, "hessian", None) is not None:
        h_check = check_hessian(
            fun,
            lambda x: objective.hessian(unflatten(x, params), batch),
            x0,
            grad=grad,
            rtol=max(rtol, 1e-5),
            atol=max(atol, 1e-6),
        )
    return g_check, h_check
