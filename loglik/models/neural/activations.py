r"""Activation functions, each carrying its own chain rule.

An activation maps a layer's pre-activation :math:`z` to :math:`a = f(z)`. ``forward(z)`` returns
:math:`a`; ``backward(z, a, grad)`` turns :math:`\partial L/\partial a` into
:math:`\partial L/\partial z` (it receives both :math:`z` and :math:`a` and uses the cheaper one).
Elementwise activations also give ``derivative(z)`` = :math:`f'(z)`.

* identity :math:`f(z) = z`, :math:`f' = 1`;
* sigmoid :math:`f(z) = \sigma(z) = 1/(1 + e^{-z})`, :math:`f' = a(1 - a)`;
* tanh :math:`f(z) = \tanh z`, :math:`f' = 1 - a^2`;
* relu :math:`f(z) = \max(z, 0)`, :math:`f' = [z > 0]`;
* leaky_relu :math:`f(z) = z` if :math:`z > 0` else :math:`s z`, :math:`f' = 1` or :math:`s`;
* swish / silu :math:`f(z) = z\,\sigma(\beta z)`,
  :math:`f' = \sigma(\beta z)(1 + \beta z(1 - \sigma(\beta z)))` (SiLU: :math:`\beta = 1`);
* softmax, by row, :math:`a_j = e^{z_j - m}/\sum_k e^{z_k - m}` with :math:`m = \max_k z_k`
  (never overflows); :math:`\partial L/\partial z = a \odot (g - \langle g, a\rangle)`.

The learned-slope ReLU (PReLU) has parameters, so it is a layer:
:class:`loglik.models.neural.layers.PReLU`. Each activation names the initialiser that keeps the
variance of the signal constant through it (``default_initializer``): He for the ReLU family,
Glorot for the saturating ones.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ..._validation import check_scalar
from ...estimation.transforms import Logit
from ..likelihoods import softmax

_SIGMOID = Logit()  # its forward map is the logistic function, its derivative a(1 - a)

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "ElementwiseActivation",
    "Identity",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Softmax",
    "Swish",
    "Tanh",
    "get_activation",
    "softmax",
]


class Activation(ABC):
    """Base class: ``forward(z)`` and ``backward(z, a, grad)``."""

    name = "activation"
    default_initializer = "glorot_uniform"
    elementwise = False

    @abstractmethod
    def forward(self, z):
        """:math:`a = f(z)`."""

    @abstractmethod
    def backward(self, z, a, grad):
        r""":math:`\partial L/\partial z` from :math:`g = \partial L/\partial a`."""

    def __call__(self, z):
        return self.forward(z)

    def __repr__(self):
        return f"{type(self).__name__}()"

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self).__name__, tuple(sorted(vars(self).items()))))


class ElementwiseActivation(Activation):
    """An activation applied entry by entry, with its derivative :math:`f'(z)`."""

    elementwise = True

    @abstractmethod
    def derivative(self, z):
        """:math:`f'(z)`, entry by entry."""

    def backward(self, z, a, grad):
        r""":math:`\partial L/\partial z = \partial L/\partial a \odot f'(z)`."""
        return grad * self.derivative(z)


class Identity(ElementwiseActivation):
    r""":math:`f(z) = z` (the output of a regression network, a linear bottleneck)."""

    name = "identity"

    def forward(self, z):
        return z

    def derivative(self, z):
        return np.ones_like(z)

    def backward(self, z, a, grad):
        return grad


class Sigmoid(ElementwiseActivation):
    r""":math:`f(z) = 1/(1 + e^{-z})` (the logistic function of
    :class:`loglik.estimation.transforms.Logit`: no overflow); :math:`f' = a(1 - a)`, at most
    1/4, which is why deep sigmoid networks' gradients vanish."""

    name = "sigmoid"

    def forward(self, z):
        return _SIGMOID.forward(z)

    def derivative(self, z):
        return _SIGMOID.derivative(z)

    def backward(self, z, a, grad):
        return grad * a * (1.0 - a)


class Tanh(ElementwiseActivation):
    r""":math:`f(z) = \tanh z`, :math:`f' = 1 - a^2`."""

    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def derivative(self, z):
        a = np.tanh(z)
        return 1.0 - a * a

    def backward(self, z, a, grad):
        return grad * (1.0 - a * a)


class ReLU(ElementwiseActivation):
    r""":math:`f(z) = \max(z, 0)`, :math:`f'(z) = [z > 0]` (0 at the kink)."""

    name = "relu"
    default_initializer = "he_uniform"

    def forward(self, z):
        return np.maximum(z, 0.0)

    def derivative(self, z):
        return (z > 0).astype(z.dtype)

    def backward(self, z, a, grad):
        return grad * (a > 0)


class LeakyReLU(ElementwiseActivation):
    r""":math:`f(z) = z` for :math:`z > 0`, :math:`s z` otherwise (``slope`` :math:`s \ge 0`)."""

    name = "leaky_relu"
    default_initializer = "he_uniform"

    def __init__(self, slope: float = 0.01):
        self.slope = check_scalar(slope, "slope", low=0.0)

    def __repr__(self):
        return f"LeakyReLU(slope={self.slope:g})"

    def forward(self, z):
        return np.where(z > 0, z, self.slope * z)

    def derivative(self, z):
        return np.where(z > 0, 1.0, self.slope).astype(z.dtype)

    def backward(self, z, a, grad):
        return np.where(z > 0, grad, self.slope * grad)


class Swish(ElementwiseActivation):
    r"""Swish :math:`f(z) = z\,\sigma(\beta z)`; SiLU is :math:`\beta = 1`.

    :math:`f'(z) = \sigma(\beta z) + \beta z\,\sigma(\beta z)(1 - \sigma(\beta z))`.
    """

    name = "swish"
    default_initializer = "he_uniform"

    def __init__(self, beta: float = 1.0):
        self.beta = check_scalar(beta, "beta", low=0.0, low_inclusive=False)

    def __repr__(self):
        return f"Swish(beta={self.beta:g})"

    def forward(self, z):
        return z * _SIGMOID.forward(self.beta * z)

    def derivative(self, z):
        s = _SIGMOID.forward(self.beta * z)
        return s * (1.0 + self.beta * z * (1.0 - s))

    def backward(self, z, a, grad):
        return grad * self.derivative(z)


class Softmax(Activation):
    r"""Row-wise :math:`a_j = e^{z_j - m}/\sum_k e^{z_k - m}` with :math:`m = \max_k z_k`.

    Not elementwise: the Jacobian of a row is :math:`\mathrm{diag}(a) - a a^T`, so
    :math:`\partial L/\partial z = a \odot (g - \sum_k g_k a_k)` (computed without forming it).
    A categorical head works on the logits directly (:mod:`~loglik.models.neural.heads`); this
    layer is for networks whose hidden representation is a distribution (attention-like mixing).
    """

    name = "softmax"

    def forward(self, z):
        return softmax(z)

    def backward(self, z, a, grad):
        return a * (grad - np.sum(grad * a, axis=-1, keepdims=True))


ACTIVATIONS = {
    "identity": Identity,
    "linear": Identity,
    "sigmoid": Sigmoid,
    "logistic": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "swish": Swish,
    "silu": Swish,
    "softmax": Softmax,
}


def get_activation(activation) -> Activation:
    """An activation by name (``"relu"``, ``"tanh"``, ...; ``"logistic"`` and ``"linear"`` are
    scikit-learn's names for sigmoid and identity) or as given."""
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str) or activation not in ACTIVATIONS:
        known = ", ".join(repr(k) for k in (*ACTIVATIONS, "prelu"))
        raise ValueError(f"unknown activation {activation!r}; known: {known}")
    return ACTIVATIONS[activation]()
