"""The shared optimizers as ``loglik.optimizers`` (defined in ``loglik.estimation.optimizers``)."""

from .estimation.optimizers import *  # noqa: F403
from .estimation.optimizers import __all__  # noqa: F401
