"""Neural networks as likelihood maximisers: layers and activations with their own chain rule,
initialisers, likelihood heads, the network objective, and the MLP estimators."""

from . import activations, heads, initializers, layers
from .activations import ACTIVATIONS, Activation, get_activation
from .estimators import MLPClassifier, MLPRegressor
from .heads import (
    HEADS,
    BernoulliHead,
    CategoricalHead,
    GaussianHead,
    Head,
    HeteroscedasticGaussianHead,
    PoissonHead,
)
from .initializers import INITIALIZERS, get_initializer
from .layers import ActivationLayer, BatchNorm, Dense, Dropout, Layer, PReLU
from .network import Network, NetworkObjective, mlp

__all__ = [
    "ACTIVATIONS",
    "HEADS",
    "INITIALIZERS",
    "Activation",
    "ActivationLayer",
    "BatchNorm",
    "BernoulliHead",
    "CategoricalHead",
    "Dense",
    "Dropout",
    "GaussianHead",
    "Head",
    "HeteroscedasticGaussianHead",
    "Layer",
    "MLPClassifier",
    "MLPRegressor",
    "Network",
    "NetworkObjective",
    "PReLU",
    "PoissonHead",
    "activations",
    "get_activation",
    "get_initializer",
    "heads",
    "initializers",
    "layers",
    "mlp",
]
