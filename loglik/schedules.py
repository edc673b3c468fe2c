"""Learning-rate schedules as ``loglik.schedules`` (defined in ``loglik.estimation.schedules``)."""

from .estimation.schedules import *  # noqa: F403
from .estimation.schedules import __all__  # noqa: F401
