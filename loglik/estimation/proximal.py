r"""Proximal methods: a smooth step followed by the proximal operator of a non-smooth part.

.. math:: \operatorname{prox}_{\eta h}(v) = \arg\min_x h(x) + \tfrac{1}{2\eta}\|x - v\|^2.

For the L1 penalty :math:`h = \lambda\|\cdot\|_1` the prox is :func:`soft_threshold` at
:math:`\eta\lambda`. :func:`proximal` wraps any shared optimizer; :func:`proximal_optimizer`
gives each recipe the step that keeps the fixed points right; :func:`ista` and :func:`fista` are
the proximal gradient methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .._validation import check_scalar
from .optimizers import FIRST_ORDER, Optimizer, gd, scale_by_adam, scale_by_rms, scale_by_rss
from .schedules import as_schedule

__all__ = [
    "FistaState",
    "PreconditionedProximalState",
    "Prox",
    "ProximalState",
    "fista",
    "ista",
    "proximal",
    "proximal_optimizer",
    "soft_threshold",
]

Prox = Callable[[list, float], list]


class ProximalState(NamedTuple):
    inner: Any
    count: int


class FistaState(NamedTuple):
    count: int
    t: float
    x_prev: list | None
    n_restarts: int


def soft_threshold(x, threshold):
    r"""The proximal operator of :math:`\tau\|\cdot\|_1`: :math:`\operatorname{sign}(x)\max(|x| -
    \tau, 0)`, elementwise (``threshold`` broadcasts against ``x``)."""
    x = np.asarray(x, dtype=np.float64)
    return np.sign(x) * np.maximum(np.abs(x) - threshold, 0.0)


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
        return (ista if name == "ista" else fista)(learning_rate=learning_rate, prox=prox, **kwargs)
    if name in ("gd", "sgd"):
        if kwargs.get("momentum", 0.0):
            raise ValueError("use name='momentum' or 'nesterov' for a proximal step with momentum")
        return proximal(FIRST_ORDER[name](learning_rate=learning_rate, **kwargs), prox, schedule)
    if name in ("momentum", "nesterov"):
        beta = check_scalar(
            kwargs.pop("beta", 0.9), "beta", low=0.0, high=1.0, high_inclusive=False
        )
        inner = FIRST_ORDER[name](learning_rate=learning_rate, beta=beta, **kwargs)
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
