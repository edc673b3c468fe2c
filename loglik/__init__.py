"""loglik: statistics and estimation centred on the likelihood.

Every estimate is the minimiser of a negative log-likelihood, plus a negative log-prior when there
is one. See DESIGN.md for the architecture and the public API.
"""

from . import data, optimizers, regularization, schedules
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
from .models.glm import (
    GLMObjective,
    LinearRegression,
    LogisticRegression,
    PoissonRegression,
    SoftmaxRegression,
)
from .regularization import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    Ridge,
    regularization_path,
)

__version__ = "0.1.0"

__all__ = [
    "ConvergenceWarning",
    "ElasticNet",
    "ElasticNetCV",
    "FunctionObjective",
    "GLMObjective",
    "Lasso",
    "LassoCV",
    "LinearRegression",
    "LogisticRegression",
    "MinimizeResult",
    "Objective",
    "PoissonRegression",
    "Ridge",
    "SoftmaxRegression",
    "__version__",
    "check_gradient",
    "check_objective",
    "compare_optimizers",
    "data",
    "minimize",
    "objective",
    "optimizers",
    "regularization",
    "regularization_path",
    "schedules",
]
