r"""The objective protocol: what every estimator minimises, and objectives built from parts.

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

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from .transforms import get_transform

Params = list  # list[np.ndarray], float64, one array per parameter block

__all__ = [
    "FunctionObjective",
    "Objective",
    "SmoothObjective",
    "TransformedObjective",
    "as_params",
    "flatten",
    "global_norm",
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
        theta, d1, d2 = zip(*[t.scalar(v) for t, v in zip(self.transforms, key)])
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
