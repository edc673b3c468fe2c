r"""Penalties as priors: L1 (Laplace), L2 (Gaussian) and the elastic net between them.

One convention everywhere (glmnet's, scikit-learn's ``Lasso``/``ElasticNet``): the penalised
objective is the *mean* negative log-likelihood plus

.. math:: h(w) = \alpha \sum_j f_j \Big(\rho\,|w_j| + \frac{1-\rho}{2}\,w_j^2\Big)
          + \iota_{[l_j,\,u_j]}(w_j),

with strength :math:`\alpha \ge 0`, mixing ``l1_ratio`` :math:`\rho \in [0, 1]`, per-coefficient
penalty factors :math:`f_j \ge 0` (0 = unpenalised; not rescaled, unlike glmnet) and optional box
constraints :math:`l_j \le w_j \le u_j` (``positive=True`` is :math:`l_j = 0`; :math:`\iota` is 0
inside the box and :math:`+\infty` outside). The intercept is never part of :math:`w`.

Because the objective is a mean over :math:`n` rows, :math:`h` is :math:`-\tfrac1n` times a log
prior: the penalised fit is the MAP estimate under independent priors with density
:math:`\propto e^{-n h_j(w_j)}`, i.e. :math:`\mathrm{Laplace}(0, 1/(n\alpha\rho f_j))` for L1 and
:math:`\mathrm{Normal}(0, \sigma^2 = 1/(n\alpha(1-\rho) f_j))` for L2 (:meth:`Penalty.prior`).

Each penalty has its value, its (sub)gradient, its proximal operator

.. math:: \operatorname{prox}_{t h}(v)_j = \operatorname{clip}\Big(
          \frac{S(v_j,\ t\alpha\rho f_j)}{1 + t\alpha(1-\rho) f_j},\ l_j,\ u_j\Big),
          \qquad S(v, \tau) = \operatorname{sign}(v)\max(|v| - \tau, 0),

(exact: for a convex function of one variable, the minimiser over an interval is the clipped
unconstrained minimiser) and the minimum-norm element of :math:`\nabla L + \partial h` (the KKT
residual estimators report). The norms themselves are plain functions.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import special, stats

from .._validation import check_choice, check_finite_array, check_scalar
from ..estimation.proximal import soft_threshold
from ..models.proximal_blocks import block_prox

__all__ = [
    "L1",
    "L2",
    "PENALTIES",
    "ElasticNetPenalty",
    "Penalty",
    "PenaltyArrays",
    "PenaltyPrior",
    "get_penalty",
    "l1_norm",
    "l2_norm",
    "min_norm_subgradient",
    "p_norm",
    "squared_l2_norm",
]


# --------------------------------------------------------------------------------------------
# Norms and the soft-thresholding operator
# --------------------------------------------------------------------------------------------


def l1_norm(x) -> float:
    r""":math:`\|x\|_1 = \sum_j |x_j|` over every entry of ``x``."""
    return float(np.abs(np.asarray(x, dtype=np.float64)).sum())


def l2_norm(x) -> float:
    r""":math:`\|x\|_2 = \sqrt{\sum_j x_j^2}` over every entry of ``x`` (overflow-safe)."""
    return p_norm(x, 2)


def squared_l2_norm(x) -> float:
    r""":math:`\|x\|_2^2 = \sum_j x_j^2` over every entry of ``x``."""
    x = np.ravel(np.asarray(x, dtype=np.float64))
    return float(x @ x)


def p_norm(x, p) -> float:
    r""":math:`\|x\|_p = (\sum_j |x_j|^p)^{1/p}` for :math:`p \ge 1`; ``p=np.inf`` gives
    :math:`\max_j |x_j|`. Values :math:`p < 1` are rejected (not a norm: not convex)."""
    p = float(p) if p == np.inf else check_scalar(p, "p", low=1.0)
    x = np.abs(np.ravel(np.asarray(x, dtype=np.float64)))
    top = float(x.max(initial=0.0))
    if p == np.inf or top == 0.0 or not np.isfinite(top):
        return top
    return top * float(np.sum((x / top) ** p) ** (1.0 / p))  # scaled: no overflow


def min_norm_subgradient(w, grad, l1, lower=-np.inf, upper=np.inf):
    r"""Per coordinate, the point of :math:`g_j + l_{1,j}\,\partial|w_j| + N_{[l_j, u_j]}(w_j)`
    closest to 0 (:math:`N` the normal cone of the box): the KKT residual of
    :math:`\min_w L(w) + \sum_j l_{1,j}|w_j|` over the box, where ``grad`` is the gradient of
    the smooth part (any ridge term included). All arguments broadcast."""
    low = np.where(w > 0, grad + l1, grad - l1)  # the subdifferential at 0 is [g - t, g + t]
    high = np.where(w < 0, grad - l1, grad + l1)
    low = np.where(w <= lower, -np.inf, low)
    high = np.where(w >= upper, np.inf, high)
    return np.clip(0.0, low, high)


def _enet_terms(w, l1, l2):
    r"""The elastic-net penalty per coefficient: :math:`\lambda|w| + \tfrac{\mu}{2}w^2`."""
    return l1 * np.abs(w) + 0.5 * l2 * w * w


def _enet_prox(v, t, l1, l2, lower, upper, constrained=True):
    r"""The prox of :math:`t(\lambda|\cdot| + \tfrac{\mu}{2}(\cdot)^2)` on the box, elementwise
    (module docstring)."""
    out = soft_threshold(v, t * l1) / (1.0 + t * l2)
    return np.clip(out, lower, upper) if constrained else out


# --------------------------------------------------------------------------------------------
# The elastic-net family of penalties
# --------------------------------------------------------------------------------------------


def _check_steps(step_size):
    """A non-negative scalar step, or an array of them, as float64."""
    if np.ndim(step_size) == 0:
        return check_scalar(step_size, "step_size", low=0.0)
    steps = np.asarray(step_size, dtype=np.float64)
    if not np.all(np.isfinite(steps)) or np.any(steps < 0):
        raise ValueError("step_size must hold finite non-negative steps")
    return steps


def _check_factor(penalty_factor):
    if penalty_factor is None:
        return None
    f = check_finite_array(penalty_factor, "penalty_factor")
    if f.ndim > 1:
        raise ValueError(f"penalty_factor must be a scalar or 1-dimensional, got shape {f.shape}")
    if np.any(f < 0):
        j = int(np.argmax(f < 0))
        raise ValueError(f"penalty_factor must be >= 0; entry {j} is {f.flat[j]}")
    return f


def _check_bounds(bounds, positive):
    low, high = (-np.inf, np.inf) if bounds is None else bounds
    low = np.asarray(-np.inf if low is None else low, dtype=np.float64)
    high = np.asarray(np.inf if high is None else high, dtype=np.float64)
    if np.any(np.isnan(low)) or np.any(np.isnan(high)):
        raise ValueError("bounds must not contain NaN")
    if positive:
        low = np.maximum(low, 0.0)
    if np.any(low > 0) or np.any(high < 0):
        raise ValueError(
            "bounds must contain 0 (lower <= 0 <= upper), so that w = 0 is feasible; "
            f"got lower={low}, upper={high}"
        )
    return low, high


class Penalty:
    r"""The elastic-net penalty :math:`h(w)` of the module docstring.

    Parameters
    ----------
    alpha : float
        Strength :math:`\alpha \ge 0`.
    l1_ratio : float
        Mixing :math:`\rho \in [0, 1]`: 1 is the lasso (L1), 0 ridge (L2).
    penalty_factor : float or array of shape (p,), optional
        Per-coefficient multipliers :math:`f_j \ge 0`; 0 leaves a coefficient unpenalised.
    positive : bool
        Constrain :math:`w \ge 0`.
    bounds : (lower, upper), optional
        Box constraints, scalars or arrays of shape (p,), ``None`` for no bound; they must
        contain 0.

    Every method works on an array of any shape (a coefficient vector, a weight matrix);
    ``penalty_factor`` and ``bounds`` broadcast against it.
    """

    name = "elasticnet"

    def __init__(
        self, alpha=1.0, l1_ratio=0.5, *, penalty_factor=None, positive=False, bounds=None
    ):
        self.alpha = check_scalar(alpha, "alpha", low=0.0)
        self.l1_ratio = check_scalar(l1_ratio, "l1_ratio", low=0.0, high=1.0)
        self.penalty_factor = _check_factor(penalty_factor)
        self.positive = bool(positive)
        self.lower, self.upper = _check_bounds(bounds, positive)

    def __repr__(self):
        extra = "" if self.penalty_factor is None else ", penalty_factor=..."
        if self.positive:
            extra += ", positive=True"
        return f"{type(self).__name__}(alpha={self.alpha:g}, l1_ratio={self.l1_ratio:g}{extra})"

    # -- the weights of the two parts --------------------------------------------------------

    @property
    def _factor(self):
        return 1.0 if self.penalty_factor is None else self.penalty_factor

    @property
    def l1_weight(self):
        r""":math:`\alpha\rho f_j`: the soft-threshold per unit step (scalar or array)."""
        return self.alpha * self.l1_ratio * self._factor

    @property
    def l2_weight(self):
        r""":math:`\alpha(1-\rho) f_j`: the ridge curvature (scalar or array)."""
        return self.alpha * (1.0 - self.l1_ratio) * self._factor

    @property
    def constrained(self) -> bool:
        """True when a bound (or ``positive``) restricts the coefficients."""
        return bool(np.any(np.isfinite(self.lower)) or np.any(np.isfinite(self.upper)))

    def feasible(self, w) -> bool:
        """True when ``w`` lies inside the box."""
        w = np.asarray(w, dtype=np.float64)
        return bool(np.all(w >= self.lower) and np.all(w <= self.upper))

    # -- value, gradient, prox -----------------------------------------------------------------

    def value(self, w) -> float:
        r""":math:`h(w)`; :math:`+\infty` outside the box."""
        w = np.asarray(w, dtype=np.float64)
        if self.constrained and not self.feasible(w):
            return np.inf
        terms = _enet_terms(w, self.l1_weight, self.l2_weight)
        return float(np.sum(np.broadcast_to(terms, w.shape)))

    def gradient(self, w):
        r"""A subgradient of the unconstrained part: :math:`\alpha f_j(\rho\,\mathrm{sign}(w_j) +
        (1-\rho) w_j)`, with :math:`\mathrm{sign}(0) = 0` (the gradient wherever it exists;
        smooth everywhere for pure L2)."""
        w = np.asarray(w, dtype=np.float64)
        return np.broadcast_to(self.l1_weight * np.sign(w) + self.l2_weight * w, w.shape).copy()

    def prox(self, v, step_size=1.0):
        r""":math:`\operatorname{prox}_{t h}(v)` (module docstring) for step :math:`t` =
        ``step_size``: a scalar, or an array broadcasting against ``v`` (one step per
        coordinate: the proximal operator in a diagonal metric, as adaptive optimizers need)."""
        v = np.asarray(v, dtype=np.float64)
        t = _check_steps(step_size)
        out = _enet_prox(
            v, t, self.l1_weight, self.l2_weight, self.lower, self.upper, self.constrained
        )
        return np.broadcast_to(out, v.shape).copy()

    def as_prox(self, blocks=None):
        """``prox(params, step_size)`` over a list of parameter arrays, for
        :func:`loglik.optimizers.proximal_optimizer`, :func:`~loglik.optimizers.ista` and
        :func:`~loglik.optimizers.fista`. ``step_size`` is a scalar or one array of
        per-coordinate steps per block.

        ``blocks`` lists the indices of the blocks that are penalised (default: all), e.g.
        ``[0]`` for ``[coef, intercept]`` so the intercept stays unpenalised.
        """
        return block_prox(self.prox, blocks)

    def min_norm_subgradient(self, w, loss_grad):
        r"""The element of :math:`\nabla L(w) + \partial h(w)` (with the box's normal cone)
        closest to 0, per coefficient: 0 exactly at a minimiser, so its largest absolute entry is
        the KKT violation in the units of the gradient.

        ``loss_grad`` is :math:`\nabla L(w)`, the gradient of the smooth loss.
        """
        w = np.asarray(w, dtype=np.float64)
        g = np.asarray(loss_grad, dtype=np.float64) + self.l2_weight * w
        t = np.broadcast_to(self.l1_weight, w.shape)
        return min_norm_subgradient(w, g, t, self.lower, self.upper)

    def kkt_violation(self, w, loss_grad) -> float:
        """:math:`\\max_j` of the absolute :meth:`min_norm_subgradient` (0 at the optimum)."""
        r = self.min_norm_subgradient(w, loss_grad)
        return float(np.max(np.abs(r), initial=0.0))

    def arrays(self, p, scale=1.0, excluded=None) -> PenaltyArrays:
        r"""This penalty in a solver's coordinates :math:`v = \sigma w` (``scale`` σ) for ``p``
        coefficients: one L1 weight, L2 weight and bound each, the ``excluded`` (constant
        columns) pinned at 0. The weights are not rescaled by σ: with ``standardize`` the
        penalty is on :math:`v` (glmnet's convention)."""
        for name, value in (
            ("penalty_factor", self.penalty_factor),
            ("bounds", self.lower),
            ("bounds", self.upper),
        ):
            if value is not None and np.size(value) not in (1, p):
                raise ValueError(f"{name} has {np.size(value)} entries; X has {p} columns")

        def full(x):
            return np.array(np.broadcast_to(np.asarray(x, dtype=np.float64), (p,)))

        l1, l2 = full(self.l1_weight), full(self.l2_weight)
        lower, upper = full(self.lower) * scale, full(self.upper) * scale
        if excluded is not None:
            l1[excluded] = l2[excluded] = lower[excluded] = upper[excluded] = 0.0
        return PenaltyArrays(l1, l2, lower, upper)

    def prior(self, n_samples) -> PenaltyPrior:
        """The prior this penalty is for ``n_samples`` rows (see :class:`PenaltyPrior`)."""
        return PenaltyPrior(self, n_samples)


class ElasticNetPenalty(Penalty):
    r"""The elastic net, :math:`\alpha\sum_j f_j(\rho|w_j| + \tfrac{1-\rho}{2}w_j^2)` (see
    :class:`Penalty`). Prior: density :math:`\propto e^{-n\alpha f_j(\rho|w| +
    (1-\rho)w^2/2)}`, a Laplace-Gaussian product."""


class L1(Penalty):
    r"""The lasso penalty :math:`\alpha\sum_j f_j|w_j|`; its prior is
    :math:`\mathrm{Laplace}(0,\ b_j = 1/(n\alpha f_j))`; its prox is soft-thresholding."""

    name = "l1"

    def __init__(self, alpha=1.0, *, penalty_factor=None, positive=False, bounds=None):
        super().__init__(
            alpha, 1.0, penalty_factor=penalty_factor, positive=positive, bounds=bounds
        )

    def __repr__(self):
        return super().__repr__().replace(", l1_ratio=1", "")


class L2(Penalty):
    r"""The ridge penalty :math:`\tfrac{\alpha}{2}\sum_j f_j w_j^2` (coupled weight decay
    :math:`\alpha`); its prior is :math:`\mathrm{Normal}(0,\ \sigma_j^2 = 1/(n\alpha f_j))`; its
    prox is the shrinkage :math:`v/(1 + t\alpha f_j)`."""

    name = "l2"

    def __init__(self, alpha=1.0, *, penalty_factor=None, positive=False, bounds=None):
        super().__init__(
            alpha, 0.0, penalty_factor=penalty_factor, positive=positive, bounds=bounds
        )

    def __repr__(self):
        return super().__repr__().replace(", l1_ratio=0", "")


class PenaltyArrays(NamedTuple):
    r"""A :class:`Penalty` as the solvers hold it (:meth:`Penalty.arrays`): per coefficient an L1
    weight :math:`\lambda_j`, an L2 weight :math:`\mu_j` and bounds, in the solver's coordinates.
    For a coefficient matrix (p, K), one column per class, they apply along the rows."""

    l1: np.ndarray
    l2: np.ndarray
    lower: np.ndarray
    upper: np.ndarray

    def along(self, v) -> PenaltyArrays:
        """The arrays shaped to broadcast against coefficients ``v`` ((p,) or (p, K))."""
        if np.ndim(v) != 2:
            return self
        return PenaltyArrays(*(a[:, None] for a in self))

    def value(self, v) -> float:
        r""":math:`\sum_j \lambda_j|v_j| + \tfrac{\mu_j}{2}v_j^2` (v inside the box)."""
        pen = self.along(v)
        return float(np.sum(_enet_terms(v, pen.l1, pen.l2)))

    def kkt(self, v, grad):
        """The KKT residual per coefficient given the gradient of the smooth loss."""
        pen = self.along(v)
        return min_norm_subgradient(v, grad + pen.l2 * v, pen.l1, pen.lower, pen.upper)

    def prox(self, v, step):
        """The proximal step at step size ``step`` (a scalar or one per coefficient)."""
        pen = self.along(v)
        return _enet_prox(v, step, pen.l1, pen.l2, pen.lower, pen.upper)

    def take(self, idx) -> PenaltyArrays:
        """The coefficients ``idx`` only."""
        return PenaltyArrays(self.l1[idx], self.l2[idx], self.lower[idx], self.upper[idx])

    def scaled(self, alpha) -> PenaltyArrays:
        """The penalty at strength ``alpha`` times this one (the bounds unchanged)."""
        return PenaltyArrays(alpha * self.l1, alpha * self.l2, self.lower, self.upper)

    def pinned(self, mask) -> PenaltyArrays:
        """No penalty, the coefficients in ``mask`` held at 0 (the others keep their bounds)."""
        zero = np.zeros_like(self.l1)
        return PenaltyArrays(
            zero, zero.copy(), np.where(mask, 0.0, self.lower), np.where(mask, 0.0, self.upper)
        )

    @property
    def unboxed(self) -> bool:
        """True when no coefficient has a finite bound."""
        return not (np.isfinite(self.lower).any() or np.isfinite(self.upper).any())


PENALTIES = {"l1": L1, "l2": L2, "elasticnet": ElasticNetPenalty}


def get_penalty(penalty, alpha=1.0, l1_ratio=0.5, **kwargs) -> Penalty | None:
    """A penalty by name (``None``, ``"l1"``, ``"l2"``, ``"elasticnet"``) or as given.

    ``l1_ratio`` is used by ``"elasticnet"`` only; ``kwargs`` (``penalty_factor``, ``positive``,
    ``bounds``) go to the class.
    """
    if penalty is None:
        return None
    if isinstance(penalty, Penalty):
        return penalty
    check_choice(penalty, "penalty", (None, *PENALTIES))
    if penalty == "elasticnet":
        return ElasticNetPenalty(alpha, l1_ratio, **kwargs)
    return PENALTIES[penalty](alpha, **kwargs)


# --------------------------------------------------------------------------------------------
# The prior a penalty is
# --------------------------------------------------------------------------------------------


def _half_mass(a, b, u):
    r""":math:`\int_0^u e^{-a t - b t^2/2}\,dt` for :math:`u \ge 0` (arrays broadcast).

    With :math:`c = a/\sqrt{2b}` and :math:`s = c + u\sqrt{b/2}` this is
    :math:`\sqrt{\pi/(2b)}\,(\mathrm{erfcx}(c) - e^{-(au + bu^2/2)}\mathrm{erfcx}(s))` (stable:
    scaled complementary error functions); :math:`(1 - e^{-au})/a` when :math:`b = 0`;
    :math:`u` when both are 0.
    """
    a, b, u = np.broadcast_arrays(*(np.asarray(z, dtype=np.float64) for z in (a, b, u)))
    out = np.array(u, dtype=np.float64, copy=True)
    gauss = b > 0
    lap = (b == 0) & (a > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rb = np.sqrt(b[gauss])
        c = a[gauss] / (np.sqrt(2.0) * rb)
        ug = u[gauss]
        s = c + ug * rb / np.sqrt(2.0)
        decay = np.where(np.isinf(ug), 0.0, np.exp(-(a[gauss] * ug + 0.5 * b[gauss] * ug * ug)))
        tail = np.where(np.isinf(ug), 0.0, decay * special.erfcx(s))
        out[gauss] = np.sqrt(np.pi / 2.0) / rb * (special.erfcx(c) - tail)
        out[lap] = -np.expm1(-a[lap] * u[lap]) / a[lap]
    return out


class PenaltyPrior:
    r"""The prior a :class:`Penalty` equals for ``n_samples`` rows.

    Coefficient :math:`j` has the density :math:`p_j(w) = e^{-a_j|w| - b_j w^2/2}/Z_j` on
    :math:`[l_j, u_j]`, with rate :math:`a_j = n\alpha\rho f_j` and precision
    :math:`b_j = n\alpha(1-\rho) f_j`: Laplace when :math:`b = 0`, Normal when :math:`a = 0`,
    truncated by the box when there is one. A coefficient with :math:`a_j = b_j = 0` and no
    bounds has the improper flat prior, density 1. Then
    :math:`-\tfrac1n\log p(w) = h(w) + \text{const}`, so the MAP estimate is the penalised fit.
    """

    def __init__(self, penalty: Penalty, n_samples):
        self.penalty = penalty
        self.n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
        self.rate = self.n_samples * penalty.l1_weight
        self.precision = self.n_samples * penalty.l2_weight

    @property
    def name(self) -> str:
        """``"laplace"``, ``"normal"`` or ``"elastic_net"``."""
        rho = self.penalty.l1_ratio
        return "laplace" if rho == 1 else ("normal" if rho == 0 else "elastic_net")

    def _log_normalizer(self, shape):
        a, b = np.broadcast_to(self.rate, shape), np.broadcast_to(self.precision, shape)
        low = np.broadcast_to(self.penalty.lower, shape)
        high = np.broadcast_to(self.penalty.upper, shape)
        improper = (a == 0) & (b == 0) & np.isinf(low) & np.isinf(high)
        mass = _half_mass(a, b, high) + _half_mass(a, b, -low)
        return np.where(improper, 0.0, np.log(np.where(improper, 1.0, mass)))

    def logpdf(self, w):
        r""":math:`\sum_j \log p_j(w_j)`; :math:`-\infty` outside the box."""
        w = np.asarray(w, dtype=np.float64)
        if self.penalty.constrained and not self.penalty.feasible(w):
            return -np.inf
        terms = self.rate * np.abs(w) + 0.5 * self.precision * w * w
        return float(-np.sum(np.broadcast_to(terms, w.shape) + self._log_normalizer(w.shape)))

    def to_scipy(self):
        """The frozen ``scipy.stats.laplace`` / ``norm`` (untruncated L1 / L2 with every factor
        positive); raises ValueError for the elastic-net, truncated or improper priors."""
        rho = self.penalty.l1_ratio
        if 0 < rho < 1:
            raise ValueError("the elastic-net prior has no scipy.stats equivalent")
        if self.penalty.constrained:
            raise ValueError(f"the truncated {self.name} prior has no scipy.stats equivalent")
        laplace = rho == 1
        if np.any(np.asarray(self.rate if laplace else self.precision) == 0):
            raise ValueError("a zero alpha or penalty factor gives an improper (flat) prior")
        if laplace:
            return stats.laplace(loc=0.0, scale=1.0 / self.rate)
        return stats.norm(loc=0.0, scale=1.0 / np.sqrt(self.precision))
