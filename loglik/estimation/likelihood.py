r"""The likelihood of a family on data: the checks of ``fixed`` and ``start``, the parameter tuple,
and the mean negative log-likelihood as an objective over the free parameters.

With :math:`n = \sum_i w_i` and the free parameters on their unconstrained scale
:math:`\theta = T(u)`, the objective is

.. math:: F(u) = -\frac{1}{n}\sum_i w_i \log p(x_i \mid \theta(u)) + \frac{1}{n} R(\theta),

:math:`R` an optional penalty (a negative log-prior). :class:`LikelihoodObjective` serves every
shared optimizer (mini-batches included); :func:`newton_problem` gives the same objective to
Newton as a small :class:`~loglik.estimation.objective.SmoothObjective` over scalar parameters.
Everything here reads the family through the protocol (:mod:`loglik.estimation.family`) only.
"""

from __future__ import annotations

import numpy as np

from .data import FitData
from .family import ProfileProblem
from .objective import SmoothObjective

__all__ = [
    "LikelihoodObjective",
    "check_fixed",
    "check_start",
    "free_of",
    "label_value",
    "newton_problem",
    "theta_from",
]


def check_fixed(cls, fixed) -> dict:
    """Validate ``fixed`` (names, domains) and require the parameters that cannot be estimated."""
    if not fixed and cls.estimable_names == cls.param_names:
        return {}
    fixed = {} if fixed is None else dict(fixed)
    for name, value in fixed.items():
        if name not in cls.param_names:
            raise ValueError(
                f"fixed has {name!r}, which {cls.name} does not have; its parameters: "
                f"{', '.join(cls.param_names)}"
            )
        spec = cls.spec(name)
        if spec.kind == "scalar":
            if isinstance(value, bool) or np.ndim(value) != 0:
                raise ValueError(f"fixed {name} must be a number, got {value!r}")
            try:
                v = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"fixed {name} must be a number, got {value!r}") from None
            if not np.isfinite(v) or not spec.domain.contains(np.array(v)):
                raise ValueError(f"fixed {name} must be {spec.domain.text}, got {value!r}")
            fixed[name] = v
        else:
            fixed[name] = np.array(value, dtype=np.float64)
    missing = [s.name for s in cls.param_specs if not s.estimable and s.name not in fixed]
    if missing:
        given = ", ".join(f"{m!r}: ..." for m in missing)
        raise ValueError(
            f"{cls.name} needs {', '.join(missing)} given, not estimated: pass fixed={{{given}}}"
        )
    return fixed


def check_start(cls, start, fixed) -> dict:
    """Validate the names in ``start`` (estimable, not fixed); return it as a new dict."""
    start = dict(start)
    for name in start:
        if name not in cls.estimable_names:
            raise ValueError(
                f"start has {name!r}, which {cls.name} does not estimate; its parameters: "
                f"{', '.join(cls.estimable_names)}"
            )
        if name in fixed:
            raise ValueError(f"start has {name!r}, which is also fixed")
    return start


def theta_from(cls, values: dict, context: str = "") -> tuple:
    """The full parameter tuple (``param_names`` order) from a dict, validated."""
    missing = [n for n in cls.param_names if n not in values]
    if missing:
        raise ValueError(f"{cls.name}{context}: no value for {', '.join(missing)}")
    return cls.check_params(values, context)


def free_of(cls, fixed) -> tuple:
    """The estimable parameters not in ``fixed``, in order."""
    return tuple(n for n in cls.estimable_names if n not in fixed)


def label_value(cls, theta, param, index) -> float:
    """One scalar entry of the parameter tuple (0 for a category beyond the vector's end)."""
    v = theta[cls.param_names.index(param)]
    try:
        return float(v[index]) if index else float(v)
    except IndexError:
        return 0.0


class LikelihoodObjective:
    r"""The mean negative log-likelihood of a family over its free parameters, unconstrained:

    .. math:: F(u) = -\frac{1}{n_B}\sum_{i\in B} w_i \log p(x_i \mid \theta(u))

    (:math:`B` all rows, or a mini-batch), one parameter block per free parameter,
    :math:`\theta = T(u)` by the family's transforms, plus :math:`R(\theta)/n` with a
    ``penalty(theta) -> (R, grad, hess)``. The gradient is the family's score pulled back through
    the transforms; the Hessian (scalar parameters on elementwise transforms only) adds the
    transforms' curvature.
    """

    def __init__(self, cls, data: FitData, fixed: dict, theta0: tuple, penalty=None):
        self.cls, self.data, self.penalty = cls, data, penalty
        self.free = free_of(cls, fixed)
        self._theta = list(theta0)
        self.positions = [cls.param_names.index(n) for n in self.free]
        self._grad_pos = [cls.estimable_names.index(n) for n in self.free]
        transforms = cls.transforms(theta0)
        self.transforms = [transforms[p] for p in self.positions]
        self.n_samples = data.n_obs
        scalar = all(cls.spec(n).kind == "scalar" for n in self.free)
        if not (scalar and all(t.elementwise for t in self.transforms)):
            self.hessian = None  # the protocol's "no Hessian": Newton then says it needs one

    def unconstrain(self, theta: tuple) -> list:
        return [np.asarray(t.inverse(theta[p])) for t, p in zip(self.transforms, self.positions)]

    def theta(self, params) -> tuple:
        theta = list(self._theta)
        for p, t, u in zip(self.positions, self.transforms, params):
            theta[p] = np.asarray(t.forward(u), dtype=np.float64)
        return tuple(theta)

    def free_values(self, params) -> dict:
        """The free parameters at ``params``, name -> float (or array for vector parameters)."""
        theta = self.theta(params)
        return {n: _as_value(theta[p]) for n, p in zip(self.free, self.positions)}

    def _rows(self, batch) -> FitData:
        return self.data if batch is None else self.data.take(batch)

    def value(self, params, batch=None) -> float:
        data, theta = self._rows(batch), self.theta(params)
        f = -float(self.cls.loglik_total(data, *theta)) / data.n
        return f if self.penalty is None else f + self.penalty(theta)[0] / self.data.n

    def value_and_grad(self, params, batch=None):
        data, theta = self._rows(batch), self.theta(params)
        ll, g, _ = self.cls.loglik_derivatives(data, theta, 1)
        f = -ll / data.n
        g_theta = [-np.asarray(g[j], dtype=np.float64) / data.n for j in self._grad_pos]
        if self.penalty is not None:
            r, gr, _ = self.penalty(theta)
            f += r / self.data.n
            g_theta = [gj + np.asarray(rj) / self.data.n for gj, rj in zip(g_theta, gr)]
        grads = [
            np.asarray(t.vjp(u, gj), dtype=np.float64)
            for t, u, gj in zip(self.transforms, params, g_theta)
        ]
        return f, grads

    def hessian(self, params, batch=None):
        data, theta = self._rows(batch), self.theta(params)
        _, g, H = self.cls.loglik_derivatives(data, theta, 2)
        idx = self._grad_pos
        g = -np.asarray(g, dtype=np.float64)[idx] / data.n
        H = -H[np.ix_(idx, idx)] / data.n
        if self.penalty is not None:
            _, gr, Hr = self.penalty(theta)
            g = g + np.asarray(gr, dtype=np.float64) / self.data.n
            H = H + Hr / self.data.n
        d1 = np.array([float(t.derivative(u)) for t, u in zip(self.transforms, params)])
        d2 = np.array([float(t.second_derivative(u)) for t, u in zip(self.transforms, params)])
        return d1[:, None] * H * d1[None, :] + np.diag(g * d2)


def _as_value(v):
    v = np.asarray(v, dtype=np.float64)
    return float(v) if v.ndim == 0 else v


def newton_problem(cls, data: FitData, fixed: dict, start: dict, penalty=None) -> ProfileProblem:
    r"""Newton on the full likelihood over the free (scalar) parameters, each on its
    unconstrained scale, with the family's analytic gradient and Hessian.

    With ``penalty`` (``penalty(theta) -> (R, grad, hess)`` over the free parameters, e.g. a
    negative log-prior) the objective is the mean NLL plus :math:`R(\theta)/n`."""
    free = free_of(cls, fixed)
    base = list(theta_from(cls, {**start, **fixed}, context=" (start)"))
    pos = [cls.param_names.index(n) for n in free]
    grad_pos = [cls.estimable_names.index(n) for n in free]
    transforms = [cls.spec(n).domain.transform() for n in free]
    W = data.n

    every = len(grad_pos) == len(cls.estimable_names)

    def derivatives(values):
        theta = list(base)
        for p, v in zip(pos, values):
            theta[p] = np.float64(v)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            return _derivatives(tuple(theta))

    def _derivatives(theta):  # a trial point may be extreme: inf/nan there is rejected
        ll, g, H = cls.loglik_derivatives(data, theta, 2)
        if every:
            f, g, H = -ll / W, -np.asarray(g) / W, -H / W
        else:
            f, g, H = -ll / W, -np.asarray(g)[grad_pos] / W, -H[np.ix_(grad_pos, grad_pos)] / W
        if penalty is None:
            return f, g, H
        r, gr, Hr = penalty(theta)
        return f + r / W, g + np.asarray(gr, dtype=np.float64) / W, H + Hr / W

    def expand(params):
        return {n: float(t.forward(float(u))) for n, t, u in zip(free, transforms, params)}

    u0 = [np.array(float(t.inverse(base[p]))) for t, p in zip(transforms, pos)]
    return ProfileProblem(SmoothObjective(derivatives, transforms), u0, expand, "newton")
