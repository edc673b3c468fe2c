r"""The shared optimizers: small pure transforms, immutable state, named optimizers as recipes.

An optimizer is a pair of pure functions (optax's design)::

    state = opt.init(params)
    step, state = opt.update(grads, state, params, **extra)
    params = [p + s for p, s in zip(params, step)]

``params``, ``grads`` and ``step`` are lists of float64 arrays; ``state`` is an immutable
NamedTuple. A *transform* turns a gradient into something else (a momentum trace, an Adam
direction, a clipped gradient); :func:`chain` composes transforms; a named optimizer (``adam``,
``sgd``...) is a short chain ending in :func:`scale_by_learning_rate`. Proximal methods live in
:mod:`~loglik.estimation.proximal`, Newton in :mod:`~loglik.estimation.newton`, L-BFGS in
:mod:`~loglik.estimation.lbfgs`; :func:`~loglik.estimation.optimizer_names.get_optimizer` finds
any of them by name.

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

from .._validation import check_scalar
from .objective import global_norm
from .schedules import as_schedule

__all__ = [
    "FIRST_ORDER",
    "AdamState",
    "ChainState",
    "CountState",
    "EmptyState",
    "Optimizer",
    "RmsState",
    "TraceState",
    "adagrad",
    "adam",
    "adamw",
    "add_decayed_weights",
    "chain",
    "clip_by_global_norm",
    "gd",
    "momentum",
    "nesterov",
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


def _zeros_like(params):
    return [np.zeros_like(p, dtype=np.float64) for p in params]


def _unit_rate(value, name):
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
    decay = _unit_rate(decay, "momentum")

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
    b1, b2 = _unit_rate(b1, "b1"), _unit_rate(b2, "b2")
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
    decay, eps = _unit_rate(decay, "decay"), _positive(eps, "eps")

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


FIRST_ORDER: dict[str, Callable[..., Optimizer]] = {
    "gd": gd,
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamw": adamw,
}
