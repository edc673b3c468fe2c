r"""Layers, each carrying its own forward pass and chain rule (micrograd's idea, vectorised).

A layer is configuration plus two pure functions of its parameters:

* ``build(n_in, rng) -> (params, n_out)``: the initial parameter blocks (float64 arrays);
* ``forward(params, x, training, rng) -> (y, cache)`` for a batch ``x`` of shape (rows, n_in);
* ``backward(params, cache, grad, need_input_grad=True) -> (grad_x, grads)``: from
  :math:`G = \partial L/\partial y` to :math:`\partial L/\partial x` (None when not needed: the
  first layer skips it) and one gradient per parameter block.

``penalized`` lists the blocks that the L2 (Gaussian prior) and L1 (Laplace prior) penalties
apply to: the weight matrices of dense layers, never biases, slopes or batch-norm scales.
Batch normalisation also keeps running statistics (state, not parameters), updated by training
forward passes and used at inference.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ..._validation import check_scalar
from .activations import Activation, get_activation
from .initializers import get_initializer

__all__ = ["ActivationLayer", "BatchNorm", "Dense", "Dropout", "Layer", "PReLU"]


class Layer(ABC):
    """Base class of the layers (see the module docstring for the protocol)."""

    name = "layer"
    penalized: tuple = ()

    @abstractmethod
    def build(self, n_in: int, rng) -> tuple[list, int]:
        """Initial parameter blocks for ``n_in`` inputs, and the number of outputs."""

    @abstractmethod
    def forward(self, params, x, training=False, rng=None):
        """``(y, cache)`` for the batch ``x``."""

    @abstractmethod
    def backward(self, params, cache, grad, need_input_grad=True):
        """``(grad_x, grads)`` from ``grad`` = dL/dy."""

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"


class Dense(Layer):
    r"""A fully connected layer :math:`y = x W + b` with :math:`W \in R^{n_\text{in}\times
    \text{units}}`.

    Backward: :math:`\partial L/\partial W = x^T G`, :math:`\partial L/\partial b = \sum_i G_i`,
    :math:`\partial L/\partial x = G W^T`.

    Parameters
    ----------
    units : int
    initializer : str or callable
        For ``W`` (see :mod:`~loglik.models.neural.initializers`); ``b`` starts at 0.
    """

    name = "dense"
    penalized = (0,)

    def __init__(self, units: int, initializer="glorot_uniform"):
        self.units = check_scalar(units, "units", low=1, integer=True)
        self.initializer = initializer
        self._init = get_initializer(initializer)

    def build(self, n_in, rng):
        W = np.asarray(self._init(n_in, self.units, rng), dtype=np.float64)
        if W.shape != (n_in, self.units):
            raise ValueError(f"initializer returned shape {W.shape}, expected {(n_in, self.units)}")
        return [W, np.zeros(self.units)], self.units

    def forward(self, params, x, training=False, rng=None):
        W, b = params
        y = x @ W
        y += b
        return y, x

    def backward(self, params, cache, grad, need_input_grad=True):
        W = params[0]
        x = cache
        grad_x = grad @ W.T if need_input_grad else None
        return grad_x, [x.T @ grad, grad.sum(axis=0)]


class ActivationLayer(Layer):
    """An :class:`~loglik.models.neural.activations.Activation` as a parameter-free layer."""

    def __init__(self, activation="relu"):
        self.activation = get_activation(activation)

    @property
    def name(self):
        return self.activation.name

    def build(self, n_in, rng):
        return [], n_in

    def forward(self, params, x, training=False, rng=None):
        a = self.activation.forward(x)
        return a, (x, a)

    def backward(self, params, cache, grad, need_input_grad=True):
        z, a = cache
        return self.activation.backward(z, a, grad), []


class PReLU(Layer):
    r"""The parametric ReLU (He et al. 2015): :math:`y_j = z_j` for :math:`z_j > 0`,
    :math:`a_j z_j` otherwise, with one learned slope :math:`a_j` per unit.

    Backward: :math:`\partial L/\partial z = G` or :math:`a G`;
    :math:`\partial L/\partial a_j = \sum_i G_{ij}\min(z_{ij}, 0)`.
    """

    name = "prelu"
    default_initializer = "he_uniform"

    def __init__(self, initial_slope: float = 0.25):
        self.initial_slope = check_scalar(initial_slope, "initial_slope")

    def build(self, n_in, rng):
        return [np.full(n_in, self.initial_slope)], n_in

    def forward(self, params, x, training=False, rng=None):
        (slope,) = params
        return np.where(x > 0, x, slope * x), x

    def backward(self, params, cache, grad, need_input_grad=True):
        (slope,) = params
        z = cache
        grad_z = np.where(z > 0, grad, slope * grad)
        return grad_z, [np.sum(grad * np.minimum(z, 0.0), axis=0)]


class Dropout(Layer):
    r"""Inverted dropout (Srivastava et al. 2014), active in training only.

    In training each entry is kept with probability :math:`1 - r` and scaled by
    :math:`1/(1 - r)`: :math:`y = x \odot m`, :math:`m_{ij} \in \{0, 1/(1-r)\}`, so
    :math:`E[y] = x` and inference is the identity. Backward: :math:`G \odot m` (the same mask).
    """

    name = "dropout"

    def __init__(self, rate: float = 0.5):
        self.rate = check_scalar(rate, "rate", low=0.0, high=1.0, high_inclusive=False)

    def build(self, n_in, rng):
        return [], n_in

    def sample_mask(self, shape, rng, dtype=np.float64):
        """A mask :math:`m` of the given shape: 0 with probability ``rate``, else 1/(1-rate)."""
        keep = rng.random(shape, dtype=dtype) >= self.rate
        return keep * dtype(1.0 / (1.0 - self.rate))

    def forward(self, params, x, training=False, rng=None):
        if not training or self.rate == 0.0:
            return x, None
        if rng is None:
            raise ValueError("dropout in training mode needs a random generator (rng)")
        mask = self.sample_mask(x.shape, rng, x.dtype.type)
        return x * mask, mask

    def backward(self, params, cache, grad, need_input_grad=True):
        return (grad if cache is None else grad * cache), []


class BatchNorm(Layer):
    r"""Batch normalisation (Ioffe & Szegedy 2015).

    Training: with the batch mean :math:`\mu` and (biased) variance :math:`v` of each unit,
    :math:`\hat x = (x - \mu)/\sqrt{v + \epsilon}`, :math:`y = \gamma\hat x + \beta`; the running
    statistics move as :math:`m \leftarrow \rho m + (1-\rho)\mu`,
    :math:`s \leftarrow \rho s + (1-\rho)\,v\,n/(n-1)` (``momentum`` :math:`\rho`).
    Inference: :math:`y = \gamma (x - m)/\sqrt{s + \epsilon} + \beta`.

    Backward in training (:math:`\mu` and :math:`v` depend on the batch; :math:`n` rows,
    :math:`\hat G = G\gamma`):

    .. math:: \frac{\partial L}{\partial x} = \frac{1}{n\sqrt{v+\epsilon}}
              \Big(n\hat G - \sum_i \hat G_i - \hat x \sum_i \hat G_i \hat x_i\Big),\quad
              \frac{\partial L}{\partial\gamma} = \sum_i G_i\hat x_i,\quad
              \frac{\partial L}{\partial\beta} = \sum_i G_i.
    """

    name = "batch_norm"

    def __init__(self, momentum: float = 0.9, eps: float = 1e-5):
        self.momentum = check_scalar(momentum, "momentum", low=0.0, high=1.0)
        self.eps = check_scalar(eps, "eps", low=0.0, low_inclusive=False)
        self.running_mean = None
        self.running_var = None

    def __repr__(self):
        return f"BatchNorm(momentum={self.momentum:g}, eps={self.eps:g})"

    def build(self, n_in, rng):
        self.running_mean = np.zeros(n_in)
        self.running_var = np.ones(n_in)
        return [np.ones(n_in), np.zeros(n_in)], n_in

    def get_state(self):
        """A copy of the running statistics ``(mean, var)``."""
        return self.running_mean.copy(), self.running_var.copy()

    def set_state(self, state):
        self.running_mean, self.running_var = (np.array(s, dtype=np.float64) for s in state)

    def forward(self, params, x, training=False, rng=None):
        gamma, beta = params
        if not training:
            inv_std = (1.0 / np.sqrt(self.running_var + self.eps)).astype(x.dtype)
            x_hat = (x - self.running_mean.astype(x.dtype)) * inv_std
            return gamma * x_hat + beta, (x_hat, inv_std, False)
        n = x.shape[0]
        mean = x.mean(axis=0)
        centred = x - mean
        var = np.mean(centred * centred, axis=0)
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_hat = centred * inv_std
        rho = self.momentum
        self.running_mean = rho * self.running_mean + (1.0 - rho) * mean
        unbiased = var * (n / (n - 1.0)) if n > 1 else var
        self.running_var = rho * self.running_var + (1.0 - rho) * unbiased
        return gamma * x_hat + beta, (x_hat, inv_std, True)

    def backward(self, params, cache, grad, need_input_grad=True):
        gamma = params[0]
        x_hat, inv_std, batch_stats = cache
        grads = [np.sum(grad * x_hat, axis=0), grad.sum(axis=0)]
        if not need_input_grad:
            return None, grads
        g_hat = grad * gamma
        if not batch_stats:
            return g_hat * inv_std, grads
        n = grad.shape[0]
        grad_x = (n * g_hat - g_hat.sum(axis=0) - x_hat * np.sum(g_hat * x_hat, axis=0)) * (
            inv_std / n
        )
        return grad_x, grads


def layer_of(activation) -> Layer:
    """The layer for an activation given by name or object (``"prelu"`` is a layer)."""
    if isinstance(activation, Layer):
        return activation
    if activation == "prelu":
        return PReLU()
    if isinstance(activation, str | Activation):
        return ActivationLayer(activation)
    raise ValueError(f"activation must be a name, an Activation or a Layer, got {activation!r}")
