r"""The shared optimizers: small pure transforms, immutable state, named optimizers as recipes.

An optimizer is a pair of pure functions (optax's design)::

    state = opt.init(params)
    step, state = opt.update(grads, state, params, **extra)
    params = [p + s for p, s in zip(params, step)]

``params``, ``grads`` and ``step`` are lists of float64 arrays; ``state`` is an immutable
NamedTuple. A *transform* turns a gradient into something else (a momentum trace, an Adam
direction, a clipped gradient); :func:`chain` composes transforms; a named optimizer (``adam``,
``sgd``...) is a short chain ending in :func:`scale_by_learning_rate`. Line-search methods read
``extra``: ``value`` (the objective at ``params``), ``value_fn(params)`` and ``hessian_fn(params)``,
which :func:`loglik.estimation.minimize` passes.

Notation in the docstrings: :math:`g_t` the gradient at step :math:`t = 1, 2, \ldots`,
:math:`\theta_t` the parameters, :math:`\eta_t` the learning rate (a float or a schedule of
:math:`t - 1`), :math:`\Delta_t` the step returned, so :math:`\theta_{t} = \theta_{t-1} + \Delta_t`.

Weight decay comes in two kinds, never mixed under one name:

* **coupled** (``sgd(weight_decay=)``, ``adam(weight_decay=)``): :math:`\lambda\theta` is added
  to the gradient before anything else, exactly the gradient of the Gaussian prior / L2 penalty
  :math:`\tfrac{\lambda}{2}\|\theta\|^2`;
* **decoupled** (``adamw``): :math:`\eta_t\lambda\theta` is subtracted after the adaptive scaling
  (Loshchilov & Hutter), which is *not* the gradient of any penalty under Adam.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from scipy import linalg, optimize

from .._validation import check_scalar
from .objective import flatten, global_norm, unflatten
from .schedules import as_schedule

__all__ = [
    "OPTIMIZERS",
    "Optimizer",
    "ScipySolver",
    "adagrad",
    "adam",
    "adamw",
    "add_decayed_weights",
    "chain",
    "clip_by_global_norm",
    "fista",
    "gd",
    "get_optimizer",
    "ista",
    "lbfgs",
    "momentum",
    "nesterov",
    "newton",
    "newton_step",
    "proximal",
    "proximal_optimizer",
    "rmsprop",
    "scale_by_adam",
    "scale_by_learning_rate",
    "scale_by_rms",
    "scale_by_rss",
    "sgd",
    "trace",
]


class Optimizer(NamedTuple):
    """A gradient transformation: ``init(params) -> state``, ``update(grads, state, params, **extra)
    -> (step, state)``. ``name`` is for display; ``full_batch`` marks methods that need the exact
    objective (line searches) rather than noisy mini-batch gradients."""

    init: Callable[..., Any]
    update: Callable[..., tuple[list, Any]]
    name: str = ""
    full_batch: bool = False


class EmptyState(NamedTuple):
    """State of a stateless transform."""


class CountState(NamedTuple):
    count: int


class TraceState(NamedTuple):
    velocity: list


class AdamState(NamedTuple):
    count: int
    mu: list
    nu: list


class RmsState(NamedTuple):
    nu: list


class ChainState(NamedTuple):
    states: tuple


class ProximalState(NamedTuple):
    inner: Any
    count: int


class FistaState(NamedTuple):
    count: int
    t: float
    x_prev: list | None
    n_restarts: int


class NewtonState(NamedTuple):
    count: int
    n_modified_steps: int
    last_step_size: float
    n_line_search_failures: int


def _zeros_like(params):
    return [np.zeros_like(p, dtype=np.float64) for p in params]


def _rate(value, name):
    return check_scalar(value, name, low=0.0, high=1.0, high_inclusive=False)


def _nonneg(value, name):
    return check_scalar(value, name, low=0.0)


def _positive(value, name):
    return check_scalar(value, name, low=0.0, low_inclusive=False)


# --------------------------------------------------------------------------------------------
# Transforms
# --------------------------------------------------------------------------------------------


def scale_by_learning_rate(learning_rate) -> Optimizer:
    r""":math:`\Delta_t = -\eta_{t-1}\,u_t` for the incoming direction :math:`u_t`."""
    schedule = as_schedule(learning_rate)

    def update(updates, state, params=None, **extra):
        lr = schedule(state.count)
        return [-lr * u for u in updates], CountState(state.count + 1)

    return Optimizer(lambda params: CountState(0), update, "scale_by_learning_rate")


def trace(decay: float, nesterov: bool = False) -> Optimizer:
    r"""Heavy-ball momentum: :math:`v_t = \mu v_{t-1} + g_t`, output :math:`v_t`;
    with ``nesterov``: output :math:`g_t + \mu v_t` (the look-ahead form used by PyTorch/optax)."""
    decay = _rate(decay, "momentum")

    def update(updates, state, params=None, **extra):
        velocity = [decay * v + g for v, g in zip(state.velocity, updates)]
        out = [g + decay * v for g, v in zip(updates, velocity)] if nesterov else velocity
        return out, TraceState(velocity)

    return Optimizer(lambda params: TraceState(_zeros_like(params)), update, "trace")


def scale_by_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    r"""Adam's direction with bias correction (Kingma & Ba 2015):

    .. math:: m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\quad
              v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\quad
              u_t = \frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}.
    """
    b1, b2 = _rate(b1, "b1"), _rate(b2, "b2")
    eps = _positive(eps, "eps")

    def update(updates, state, params=None, **extra):
        t = state.count + 1
        # u = (m/c1)/(sqrt(v/c2) + eps) = (sqrt(c2)/c1) m/(sqrt(v) + eps sqrt(c2)), computed
        # with three fresh arrays per block (new m, new v, output) instead of a dozen
        # temporaries: allocation dominates the cost of the step for large blocks.
        root_c2 = np.sqrt(1 - b2**t)
        scale, shifted_eps = root_c2 / (1 - b1**t), eps * root_c2
        mu, nu, out = [], [], []
        for m, v, g in zip(state.mu, state.nu, updates):
            m_new = np.multiply(m, b1, out=np.empty_like(m))
            u = np.multiply(g, 1 - b1, out=np.empty_like(m))
            m_new += u
            v_new = np.multiply(v, b2, out=np.empty_like(v))
            np.multiply(g, g, out=u)
            u *= 1 - b2
            v_new += u
            np.sqrt(v_new, out=u)
            u += shifted_eps
            np.divide(m_new, u, out=u)
            u *= scale
            mu.append(m_new)
            nu.append(v_new)
            out.append(u)
        return out, AdamState(t, mu, nu)

    def init(params):
        return AdamState(0, _zeros_like(params), _zeros_like(params))

    return Optimizer(init, update, "scale_by_adam")


def scale_by_rms(decay: float = 0.9, eps: float = 1e-8) -> Optimizer:
    r"""RMSprop's direction: :math:`v_t = \rho v_{t-1} + (1-\rho) g_t^2`,
    :math:`u_t = g_t / (\sqrt{v_t} + \epsilon)`."""
    decay, eps = _rate(decay, "decay"), _positive(eps, "eps")

    def update(updates, state, params=None, **extra):
        nu = [decay * v + (1 - decay) * g * g for v, g in zip(state.nu, updates)]
        return [g / (np.sqrt(v) + eps) for g, v in zip(updates, nu)], RmsState(nu)

    return Optimizer(lambda params: RmsState(_zeros_like(params)), update, "scale_by_rms")


def scale_by_rss(initial_accumulator_value: float = 0.0, eps: float = 1e-10) -> Optimizer:
    r"""Adagrad's direction: :math:`G_t = G_{t-1} + g_t^2`, :math:`u_t = g_t/(\sqrt{G_t}+\epsilon)`,
    with :math:`G_0` = ``initial_accumulator_value``."""
    initial = _nonneg(initial_accumulator_value, "initial_accumulator_value")
    eps = _positive(eps, "eps")

    def update(updates, state, params=None, **extra):
        nu = [v + g * g for v, g in zip(state.nu, updates)]
        return [g / (np.sqrt(v) + eps) for g, v in zip(updates, nu)], RmsState(nu)

    def init(params):
        return RmsState([np.full_like(p, initial, dtype=np.float64) for p in params])

    return Optimizer(init, update, "scale_by_rss")


def add_decayed_weights(weight_decay: float) -> Optimizer:
    r""":math:`u_t \leftarrow u_t + \lambda\,\theta_{t-1}` (where in a chain decides coupled or
    decoupled decay; see the module docstring)."""
    weight_decay = _nonneg(weight_decay, "weight_decay")

    def update(updates, state, params=None, **extra):
        if weight_decay == 0.0:
            return updates, state
        return [u + weight_decay * p for u, p in zip(updates, params)], state

    return Optimizer(lambda params: EmptyState(), update, "add_decayed_weights")


def clip_by_global_norm(max_norm: float) -> Optimizer:
    r"""Rescale the gradient when its global norm exceeds ``max_norm``:
    :math:`u_t = g_t \min(1, c/\|g_t\|_2)` (the norm over all blocks together)."""
    max_norm = _positive(max_norm, "max_norm")

    def update(updates, state, params=None, **extra):
        norm = global_norm(updates)
        if norm <= max_norm:
            return updates, state
        return [u * (max_norm / norm) for u in updates], state

    return Optimizer(lambda params: EmptyState(), update, "clip_by_global_norm")


def chain(*transforms: Optimizer, name: str = "chain") -> Optimizer:
    """Apply ``transforms`` in order, each to the previous one's output."""
    full_batch = any(t.full_batch for t in transforms)

    def init(params):
        return ChainState(tuple(t.init(params) for t in transforms))

    def update(updates, state, params=None, **extra):
        new_states = []
        for t, s in zip(transforms, state.states):
            updates, s = t.update(updates, s, params, **extra)
            new_states.append(s)
        return updates, ChainState(tuple(new_states))

    return Optimizer(init, update, name, full_batch)


# --------------------------------------------------------------------------------------------
# Named first-order optimizers
# --------------------------------------------------------------------------------------------


def gd(learning_rate=0.1) -> Optimizer:
    r"""Gradient descent: :math:`\theta_t = \theta_{t-1} - \eta_{t-1} g_t`.

    On mini-batches (``minimize(..., batch_size=)``) this is stochastic gradient descent.
    """
    return chain(scale_by_learning_rate(learning_rate), name="gd")


def sgd(learning_rate=0.01, momentum: float = 0.0, nesterov: bool = False, weight_decay=0.0):
    r"""SGD with optional (Nesterov) momentum and coupled weight decay.

    .. math:: \tilde g_t = g_t + \lambda\theta_{t-1},\quad v_t = \mu v_{t-1} + \tilde g_t,\quad
              \theta_t = \theta_{t-1} - \eta_{t-1} v_t
              \;\;(\text{Nesterov: } - \eta_{t-1}(\tilde g_t + \mu v_t)).

    ``momentum`` :math:`\mu \in [0, 1)`; ``weight_decay`` :math:`\lambda` is the L2 / Gaussian-prior
    gradient.
    """
    if nesterov and momentum == 0.0:
        raise ValueError("nesterov=True needs momentum > 0")
    parts = [add_decayed_weights(weight_decay)]
    if momentum != 0.0:
        parts.append(trace(momentum, nesterov))
    parts.append(scale_by_learning_rate(learning_rate))
    name = "nesterov" if nesterov else ("momentum" if momentum else "sgd")
    return chain(*parts, name=name)


def momentum(learning_rate=0.01, beta: float = 0.9, weight_decay=0.0) -> Optimizer:
    """Heavy-ball momentum: ``sgd(learning_rate, momentum=beta)``."""
    return sgd(learning_rate, momentum=beta, weight_decay=weight_decay)


def nesterov(learning_rate=0.01, beta: float = 0.9, weight_decay=0.0) -> Optimizer:
    """Nesterov accelerated gradient: ``sgd(learning_rate, momentum=beta, nesterov=True)``."""
    return sgd(learning_rate, momentum=beta, nesterov=True, weight_decay=weight_decay)


def adagrad(learning_rate=0.1, initial_accumulator_value=0.0, eps=1e-10, weight_decay=0.0):
    r"""Adagrad (Duchi et al. 2011): :math:`G_t = G_{t-1} + \tilde g_t^2`,
    :math:`\theta_t = \theta_{t-1} - \eta_{t-1}\,\tilde g_t/(\sqrt{G_t} + \epsilon)`,
    :math:`\tilde g_t = g_t + \lambda\theta_{t-1}` (coupled decay)."""
    return chain(
        add_decayed_weights(weight_decay),
        scale_by_rss(initial_accumulator_value, eps),
        scale_by_learning_rate(learning_rate),
        name="adagrad",
    )


def rmsprop(learning_rate=0.001, decay=0.9, eps=1e-8, momentum=0.0, weight_decay=0.0):
    r"""RMSprop (Tieleman & Hinton 2012): :math:`v_t = \rho v_{t-1} + (1-\rho)\tilde g_t^2`,
    :math:`\theta_t = \theta_{t-1} - \eta_{t-1}\,\tilde g_t/(\sqrt{v_t}+\epsilon)`; with
    ``momentum`` :math:`\mu` the scaled gradient is accumulated in a heavy-ball trace first."""
    parts = [add_decayed_weights(weight_decay), scale_by_rms(decay, eps)]
    if momentum != 0.0:
        parts.append(trace(momentum))
    parts.append(scale_by_learning_rate(learning_rate))
    return chain(*parts, name="rmsprop")


def adam(learning_rate=0.001, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.0) -> Optimizer:
    r"""Adam: :math:`\theta_t = \theta_{t-1} - \eta_{t-1}\,\hat m_t/(\sqrt{\hat v_t}+\epsilon)`
    (see :func:`scale_by_adam`), on :math:`\tilde g_t = g_t + \lambda\theta_{t-1}` (coupled decay:
    an L2 penalty / Gaussian prior)."""
    return chain(
        add_decayed_weights(weight_decay),
        scale_by_adam(b1, b2, eps),
        scale_by_learning_rate(learning_rate),
        name="adam",
    )


def adamw(learning_rate=0.001, b1=0.9, b2=0.999, eps=1e-8, weight_decay=0.01) -> Optimizer:
    r"""AdamW (decoupled weight decay):
    :math:`\theta_t = \theta_{t-1} - \eta_{t-1}\,(\hat m_t/(\sqrt{\hat v_t}+\epsilon) +
    \lambda\theta_{t-1})`, the moments built from the raw gradient :math:`g_t`."""
    return chain(
        scale_by_adam(b1, b2, eps),
        add_decayed_weights(weight_decay),
        scale_by_learning_rate(learning_rate),
        name="adamw",
    )


# --------------------------------------------------------------------------------------------
# Proximal methods
# --------------------------------------------------------------------------------------------

Prox = Callable[[list, float], list]


def _no_prox(params, step_size):
    return params


def proximal(inner: Optimizer, prox: Prox | None, learning_rate) -> Optimizer:
    r"""Follow ``inner``'s step with the proximal operator of the non-smooth part :math:`h`:

    .. math:: \theta_t = \operatorname{prox}_{\eta_{t-1} h}(\theta_{t-1} + \Delta^{\text{inner}}_t),

    .. math:: \operatorname{prox}_{\eta h}(v) = \arg\min_x h(x) + \tfrac{1}{2\eta}\|x - v\|^2.

    ``prox(params, step_size)`` receives ``learning_rate`` at the same step; with ``inner = gd`` of
    the same rate this is ISTA (proximal gradient). For the L1 penalty
    :math:`h = \lambda\|\cdot\|_1` the prox is soft-thresholding at :math:`\eta\lambda`.

    The fixed points are the minimisers of :math:`f + h` only when ``learning_rate`` is the step
    ``inner`` takes on a constant gradient: right for plain gradient steps, wrong for momentum
    (which steps :math:`\eta/(1-\beta)`) and for adaptive methods (per-coordinate steps). Use
    :func:`proximal_optimizer`, which passes each recipe's own step, for those.
    """
    prox = _no_prox if prox is None else prox
    schedule = as_schedule(learning_rate)

    def init(params):
        return ProximalState(inner.init(params), 0)

    def update(grads, state, params=None, **extra):
        step, inner_state = inner.update(grads, state.inner, params, **extra)
        moved = [p + s for p, s in zip(params, step)]
        new = prox(moved, schedule(state.count))
        return [n - p for n, p in zip(new, params)], ProximalState(inner_state, state.count + 1)

    return Optimizer(init, update, f"proximal({inner.name})", inner.full_batch)


class PreconditionedProximalState(NamedTuple):
    inner: Any
    count: int


def _adam_scales(state, b2=0.999, eps=1e-8):
    correction = 1.0 - b2**state.count
    return [np.sqrt(v / correction) + eps for v in state.nu]


def _root_scales(eps):
    def scales(state):
        return [np.sqrt(v) + eps for v in state.nu]

    return scales


def _preconditioned_proximal(transform, scales, prox, learning_rate, name):
    r"""A diagonally preconditioned proximal step: with the direction :math:`u` and per-coordinate
    scales :math:`d` of ``transform`` (Adam's :math:`\hat m` and :math:`\sqrt{\hat v}+\epsilon`),
    :math:`\theta_t = \operatorname{prox}_{\eta_j h}(\theta_{t-1} - \eta u)` with
    :math:`\eta_j = \eta/d_j`: the proximal operator in the method's own metric."""
    schedule = as_schedule(learning_rate)

    def init(params):
        return PreconditionedProximalState(transform.init(params), 0)

    def update(grads, state, params=None, **extra):
        direction, inner = transform.update(grads, state.inner, params)
        lr = schedule(state.count)
        moved = [p - lr * u for p, u in zip(params, direction)]
        new = prox(moved, [lr / d for d in scales(inner)])
        step = [a - b for a, b in zip(new, params)]
        return step, PreconditionedProximalState(inner, state.count + 1)

    return Optimizer(init, update, f"proximal({name})")


def proximal_optimizer(name: str, learning_rate, prox: Prox, **kwargs) -> Optimizer:
    r"""The shared optimizer ``name`` followed by the proximal step of :math:`h`, with the step
    size that makes the iteration's fixed points the minimisers of :math:`f + h`:

    * ``gd``, ``sgd`` (no momentum), ``ista``, ``fista``: the learning rate :math:`\eta`;
    * ``momentum``, ``nesterov`` (``beta``, default 0.9): :math:`\eta/(1-\beta)`, the step they
      take on a constant gradient (the velocity sums the gradients);
    * ``adam``, ``rmsprop``, ``adagrad``: the per-coordinate step :math:`\eta/d_j` of their
      diagonal preconditioner :math:`d` (:math:`\sqrt{\hat v_j}+\epsilon` for Adam), i.e. the
      proximal operator in the method's own metric. With a scalar threshold instead, Adam's
      steps of about :math:`\eta` would swamp :math:`\eta\lambda` and no weight would reach 0.

    ``prox(params, step)`` receives a scalar step, or (adaptive methods) one array of steps per
    parameter block; :meth:`loglik.regularization.penalties.Penalty.as_prox` accepts both.
    ``kwargs`` go to the recipe (``beta``, ``b1``, ``b2``, ``eps``, ``decay``).
    """
    schedule = as_schedule(learning_rate)
    if name in ("ista", "fista"):
        return get_optimizer(name, learning_rate=learning_rate, prox=prox, **kwargs)
    if name in ("gd", "sgd"):
        if kwargs.get("momentum", 0.0):
            raise ValueError("use name='momentum' or 'nesterov' for a proximal step with momentum")
        return proximal(get_optimizer(name, learning_rate=learning_rate, **kwargs), prox, schedule)
    if name in ("momentum", "nesterov"):
        beta = _rate(kwargs.pop("beta", 0.9), "beta")
        inner = get_optimizer(name, learning_rate=learning_rate, beta=beta, **kwargs)
        return proximal(inner, prox, lambda t: schedule(t) / (1.0 - beta))
    if name == "adam":
        b1, b2 = kwargs.pop("b1", 0.9), kwargs.pop("b2", 0.999)
        eps = kwargs.pop("eps", 1e-8)
        transform, scales = scale_by_adam(b1, b2, eps), lambda s: _adam_scales(s, b2, eps)
    elif name == "rmsprop":
        eps = kwargs.pop("eps", 1e-8)
        transform, scales = scale_by_rms(kwargs.pop("decay", 0.9), eps), _root_scales(eps)
    elif name == "adagrad":
        eps = kwargs.pop("eps", 1e-10)
        transform, scales = (
            scale_by_rss(kwargs.pop("initial_accumulator_value", 0.0), eps),
            (_root_scales(eps)),
        )
    else:
        known = "gd, sgd, momentum, nesterov, adagrad, rmsprop, adam, ista, fista"
        raise ValueError(f"no proximal recipe for optimizer {name!r}; known: {known}")
    if kwargs:
        raise ValueError(f"unexpected settings for proximal {name}: {', '.join(kwargs)}")
    return _preconditioned_proximal(transform, scales, prox, learning_rate, name)


def ista(learning_rate=0.1, prox: Prox | None = None) -> Optimizer:
    r"""ISTA, the proximal gradient method:
    :math:`\theta_t = \operatorname{prox}_{\eta h}(\theta_{t-1} - \eta g_t)`; converges for
    :math:`\eta \le 1/L` (:math:`L` the gradient's Lipschitz constant)."""
    opt = proximal(gd(learning_rate), prox, learning_rate)
    return opt._replace(name="ista")


def fista(learning_rate=0.1, prox: Prox | None = None, restart: bool = True) -> Optimizer:
    r"""FISTA (Beck & Teboulle 2009), with the adaptive gradient restart of O'Donoghue & Candès.

    The loop's ``params`` are the extrapolated points :math:`y`; the state keeps :math:`x_{t-1}`:

    .. math:: x_t = \operatorname{prox}_{\eta h}(y_{t-1} - \eta g(y_{t-1})),\quad
              s_{t+1} = \tfrac{1 + \sqrt{1 + 4 s_t^2}}{2},\quad
              y_t = x_t + \tfrac{s_t - 1}{s_{t+1}}(x_t - x_{t-1}).

    With ``restart``, when :math:`(y_{t-1} - x_t)\cdot(x_t - x_{t-1}) > 0` (momentum points
    uphill) the momentum is dropped: :math:`s = 1`, :math:`y_t = x_t`. At a fixed point
    :math:`y = x`, so the loop's final parameters are the solution.
    """
    prox = _no_prox if prox is None else prox
    schedule = as_schedule(learning_rate)

    def init(params):
        return FistaState(0, 1.0, None, 0)

    def update(grads, state, params=None, **extra):
        lr = schedule(state.count)
        x = prox([y - lr * g for y, g in zip(params, grads)], lr)
        x_prev = params if state.x_prev is None else state.x_prev
        t, n_restarts = state.t, state.n_restarts
        diff = [a - b for a, b in zip(x, x_prev)]
        if restart and sum(float(np.vdot(y - a, d)) for y, a, d in zip(params, x, diff)) > 0:
            t, n_restarts = 1.0, n_restarts + 1
            y_new = x
        else:
            t_next = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
            y_new = [a + ((t - 1.0) / t_next) * d for a, d in zip(x, diff)]
            t = t_next
        step = [a - y for a, y in zip(y_new, params)]
        return step, FistaState(state.count + 1, t, x, n_restarts)

    return Optimizer(init, update, "fista")


# --------------------------------------------------------------------------------------------
# Second order
# --------------------------------------------------------------------------------------------


def newton(damping: float = 0.0, c1: float = 1e-4, shrink: float = 0.5, max_backtracks: int = 50):
    r"""Damped Newton with a backtracking (Armijo) line search.

    Direction :math:`d = -(H + \delta I)^{-1} g` when :math:`H + \delta I` is positive definite
    (Cholesky succeeds). Otherwise (a saddle, a concave region) a gradient step in the metric of
    :math:`|H|`: with :math:`H = V\Lambda V^T`, :math:`d = -V|\Lambda|_\epsilon^{-1}V^T g`, the
    eigenvalues replaced by :math:`\max(|\lambda_i|, 10^{-8}\max_j|\lambda_j|)` — a descent
    direction that keeps Newton's scaling (plain :math:`-g` would crawl on badly scaled
    problems); plain :math:`-g` only when H is not finite. Such steps are counted in the state as
    ``n_modified_steps``. The step :math:`\alpha d` takes the largest
    :math:`\alpha \in \{1, \beta, \beta^2, \ldots\}` with
    :math:`f(\theta + \alpha d) \le f(\theta) + c_1 \alpha\, g^T d`. Needs ``value_fn`` and
    ``hessian_fn`` from the loop (so the objective must have a Hessian); full batch only.
    """
    damping = _nonneg(damping, "damping")
    c1 = check_scalar(c1, "c1", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)
    shrink = check_scalar(
        shrink, "shrink", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )
    max_backtracks = check_scalar(max_backtracks, "max_backtracks", low=1, integer=True)

    def init(params):
        return NewtonState(0, 0, 1.0, 0)

    def update(grads, state, params=None, *, value=None, value_fn=None, hessian_fn=None, **extra):
        if value_fn is None or hessian_fn is None:
            raise ValueError("newton needs an objective with a Hessian (value_fn and hessian_fn)")
        g = flatten(grads)
        H = np.asarray(hessian_fn(params), dtype=np.float64)
        if damping:
            H = H + damping * np.eye(g.size)
        f0 = value_fn(params) if value is None else value
        step, alpha, modified = newton_step(
            g,
            H,
            f0,
            lambda x: value_fn(unflatten(x, params)),
            flatten(params),
            c1=c1,
            shrink=shrink,
            max_backtracks=max_backtracks,
        )
        return unflatten(step, params), NewtonState(
            state.count + 1,
            state.n_modified_steps + modified,
            alpha,
            state.n_line_search_failures + (alpha == 0.0),
        )

    return Optimizer(init, update, "newton", full_batch=True)


_ROUNDING = 8 * np.finfo(np.float64).eps
_TINY = np.finfo(np.float64).tiny


def newton_step(g, H, f0, value_at, x0, *, c1=1e-4, shrink=0.5, max_backtracks=50):
    r"""One step of :func:`newton` on a flat vector ``x0`` (or a float, for one parameter:
    then ``g`` and ``H`` are floats too): ``(step, alpha, modified)``.

    The direction is :math:`-H^{-1}g` (or the :math:`|H|`-metric one when H is not positive
    definite: ``modified`` True), scaled by the first :math:`\alpha \in \{1, \beta, \ldots\}`
    with :math:`f(x_0 + \alpha d) \le f_0 + c_1\alpha\,g^Td` (``value_at(x)`` gives f); a
    zero step and ``alpha = 0`` when no trial passes. The optimizer's ``update`` and small
    solvers that skip :func:`loglik.minimize`'s bookkeeping share it.
    """
    scalar = isinstance(x0, float)
    modified = False
    d = _newton_direction(H, g)
    slope = np.nan if d is None else _dot(g, d)
    if not slope < 0:  # no direction, a non-finite one, or not a descent direction
        d, modified = _modified_direction(H, g), True
        slope = _dot(g, d)
    alpha = 1.0
    slack = _ROUNDING * abs(f0)  # rounding noise near the optimum
    for _ in range(max_backtracks):
        if value_at(x0 + alpha * d) <= f0 + c1 * alpha * slope + slack:  # False for NaN
            return alpha * d, alpha, modified
        alpha *= shrink
    return (0.0 if scalar else np.zeros_like(x0)), 0.0, modified


def _dot(a, b) -> float:
    return a * b if isinstance(a, float) else float(np.dot(a, b))


_SMALL = 32  # below this dimension numpy's LAPACK calls beat scipy's checked wrappers


def _newton_direction(H, g):
    """:math:`-H^{-1}g` through a Cholesky factor, or None when H is not positive definite."""
    if isinstance(g, float):
        return -g / H if 0 < H < np.inf else None
    if g.size == 1:
        h = float(H[0, 0])
        return -g / h if 0 < h < np.inf else None
    if g.size == 2:  # explicit: positive definite iff h11 > 0 and det > 0
        a, b, c = float(H[0, 0]), float(H[0, 1]), float(H[1, 1])
        det = a * c - b * b
        if not (0 < a < np.inf and 0 < det < np.inf):
            return None
        return -np.array([c * g[0] - b * g[1], a * g[1] - b * g[0]]) / det
    if not np.isfinite(H).all():
        return None
    try:
        if g.size <= _SMALL:
            L = np.linalg.cholesky(H)
            return -np.linalg.solve(L.T, np.linalg.solve(L, g))
        return -linalg.cho_solve(linalg.cho_factor(H, lower=True, check_finite=False), g)
    except (np.linalg.LinAlgError, linalg.LinAlgError, ValueError):
        return None


def _modified_direction(H, g):
    """:math:`-|H|^{-1} g` with the eigenvalues floored away from 0; :math:`-g` for non-finite H."""
    if isinstance(g, float):
        size = abs(H)
        return -g / max(size, _TINY) if 0 < size < np.inf else -g
    if not np.isfinite(H).all():
        return -g
    lam, V = np.linalg.eigh(0.5 * (H + H.T))
    size = np.abs(lam)
    floor = max(1e-8 * float(size.max(initial=0.0)), np.finfo(np.float64).tiny)
    if size.max(initial=0.0) == 0.0:
        return -g
    return -V @ ((V.T @ g) / np.maximum(size, floor))


class ScipySolver(NamedTuple):
    """A whole-run solver from ``scipy.optimize.minimize`` (full batch), used by ``minimize``
    in place of the step loop; it reports every iterate to the loop's bookkeeping."""

    method: str
    options: dict
    name: str
    bounds: Any = None
    full_batch: bool = True


def lbfgs(memory: int = 10, max_line_search: int = 20, bounds=None) -> ScipySolver:
    r"""L-BFGS (Liu & Nocedal 1989) through ``scipy.optimize.minimize(method="L-BFGS-B")``.

    The inverse Hessian is approximated from the last ``memory`` pairs
    :math:`(s_k, y_k) = (\theta_{k+1}-\theta_k, g_{k+1}-g_k)` by the two-loop recursion; the step
    satisfies the strong Wolfe conditions. ``bounds`` (a sequence of ``(low, high)`` per flattened
    parameter, ``None`` for unbounded) gives the box-constrained L-BFGS-B. Full batch only.
    """
    memory = check_scalar(memory, "memory", low=1, integer=True)
    max_line_search = check_scalar(max_line_search, "max_line_search", low=1, integer=True)
    return ScipySolver("L-BFGS-B", {"maxcor": memory, "maxls": max_line_search}, "lbfgs", bounds)


def run_scipy_solver(solver: ScipySolver, fun_and_grad, x0, *, max_iter, tol, gtol, callback):
    """Run ``solver`` from ``x0``; ``callback(x, f, g)`` sees every iterate and may raise
    StopIteration. ``fun_and_grad`` should cache its last point: the callback re-reads it."""

    def scipy_callback(intermediate_result):
        x = intermediate_result.x
        f, g = fun_and_grad(x)
        callback(x, f, g)

    options = dict(solver.options, maxiter=max_iter, ftol=tol, gtol=gtol)
    return optimize.minimize(
        fun_and_grad,
        x0,
        jac=True,
        method=solver.method,
        bounds=solver.bounds,
        options=options,
        callback=scipy_callback,
    )


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------

OPTIMIZERS: dict[str, Callable[..., Optimizer | ScipySolver]] = {
    "gd": gd,
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamw": adamw,
    "ista": ista,
    "fista": fista,
    "newton": newton,
    "lbfgs": lbfgs,
}


_BY_NAME: dict[str, Optimizer | ScipySolver] = {}


def get_optimizer(optimizer, **kwargs) -> Optimizer | ScipySolver:
    """An optimizer by name (``"adam"``; keyword arguments go to its recipe) or as given.

    A name without keyword arguments returns one shared default instance: optimizers are
    immutable pairs of pure functions, so sharing them is safe (and saves rebuilding).
    """
    if isinstance(optimizer, Optimizer | ScipySolver):
        if kwargs:
            raise ValueError("keyword arguments apply to an optimizer given by name only")
        return optimizer
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        known = ", ".join(OPTIMIZERS)
        raise ValueError(f"unknown optimizer {optimizer!r}; known: {known}")
    if kwargs:
        return OPTIMIZERS[optimizer](**kwargs)
    if optimizer not in _BY_NAME:
        _BY_NAME[optimizer] = OPTIMIZERS[optimizer]()
    return _BY_NAME[optimizer]
