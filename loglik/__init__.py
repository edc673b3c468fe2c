"""loglik: statistics and estimation centred on the likelihood.

Every estimate is the minimiser of a negative log-likelihood, plus a negative log-prior when there
is one. See DESIGN.md for the architecture and the public API.
"""

from . import data, optimizers, schedules
from ._validation import ConvergenceWarning
from .estimation import (
    FunctionObjective,
    MinimizeResult,
    Objective,
    check_gradient,
    check_objective,
    compare_optimizers,
    minimize,
    objective,
)
from .models import losses, metrics
from .models.neural import MLPClassifier, MLPRegressor
from .models.preprocessing import MinMaxScaler, StandardScaler, train_validation_test_split

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning",
    "FunctionObjective",
    "MLPClassifier",
    "MLPRegressor",
    "MinMaxScaler",
    "MinimizeResult",
    "Objective",
    "StandardScaler",
    "__version__",
    "check_gradient",
    "check_objective",
    "compare_optimizers",
    "data",
    "losses",
    "metrics",
    "minimize",
    "objective",
    "optimizers",
    "schedules",
    "train_validation_test_split",
]
