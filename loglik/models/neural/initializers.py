r"""Weight initialisers: the starting point of the likelihood maximisation.

A dense layer with :math:`n_\text{in}` inputs and :math:`n_\text{out}` outputs draws its weights
independently with mean 0 and a variance chosen so the signal neither grows nor shrinks from layer
to layer:

============== =========================================== =====================================
name            variance                                     for
============== =========================================== =====================================
glorot / xavier :math:`2/(n_\text{in} + n_\text{out})`       tanh, sigmoid, identity, softmax
he / kaiming    :math:`2/n_\text{in}`                        relu, leaky_relu, prelu, swish
lecun           :math:`1/n_\text{in}`                        SELU-style self-normalising nets
zeros           0                                            biases; a network with no hidden layer
============== =========================================== =====================================

Each comes as ``*_uniform`` (:math:`U(-l, l)` with :math:`l = \sqrt{3\,\mathrm{var}}`) and
``*_normal`` (:math:`N(0, \mathrm{var})`). An initialiser is a function
``init(fan_in, fan_out, rng) -> array of shape (fan_in, fan_out)``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "INITIALIZERS",
    "get_initializer",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "lecun_uniform",
    "zeros",
]


def _uniform(variance, fan_in, fan_out, rng):
    limit = np.sqrt(3.0 * variance)
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def _normal(variance, fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(variance), size=(fan_in, fan_out))


def glorot_uniform(fan_in, fan_out, rng):
    r"""Glorot & Bengio (2010): :math:`U(-l, l)`,
    :math:`l = \sqrt{6/(n_\text{in}+n_\text{out})}`."""
    return _uniform(2.0 / (fan_in + fan_out), fan_in, fan_out, rng)


def glorot_normal(fan_in, fan_out, rng):
    r""":math:`N(0, 2/(n_\text{in} + n_\text{out}))`."""
    return _normal(2.0 / (fan_in + fan_out), fan_in, fan_out, rng)


def he_uniform(fan_in, fan_out, rng):
    r"""He et al. (2015): :math:`U(-l, l)`, :math:`l = \sqrt{6/n_\text{in}}`."""
    return _uniform(2.0 / fan_in, fan_in, fan_out, rng)


def he_normal(fan_in, fan_out, rng):
    r""":math:`N(0, 2/n_\text{in})`."""
    return _normal(2.0 / fan_in, fan_in, fan_out, rng)


def lecun_uniform(fan_in, fan_out, rng):
    r"""LeCun et al. (1998): :math:`U(-l, l)`, :math:`l = \sqrt{3/n_\text{in}}`."""
    return _uniform(1.0 / fan_in, fan_in, fan_out, rng)


def lecun_normal(fan_in, fan_out, rng):
    r""":math:`N(0, 1/n_\text{in})`."""
    return _normal(1.0 / fan_in, fan_in, fan_out, rng)


def zeros(fan_in, fan_out, rng=None):
    """All zeros (a convex problem such as a network without hidden layers starts here well;
    a hidden layer started at zero never breaks the symmetry between its units)."""
    return np.zeros((fan_in, fan_out))


INITIALIZERS = {
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "xavier_uniform": glorot_uniform,
    "xavier_normal": glorot_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "kaiming_uniform": he_uniform,
    "kaiming_normal": he_normal,
    "lecun_uniform": lecun_uniform,
    "lecun_normal": lecun_normal,
    "zeros": zeros,
}


def get_initializer(initializer):
    """An initialiser by name (see the module table) or a callable
    ``init(fan_in, fan_out, rng)`` as given."""
    if callable(initializer):
        return initializer
    if not isinstance(initializer, str) or initializer not in INITIALIZERS:
        known = ", ".join(repr(k) for k in INITIALIZERS)
        raise ValueError(f"unknown initializer {initializer!r}; known: {known}")
    return INITIALIZERS[initializer]
