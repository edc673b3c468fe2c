"""How parameters are estimated: the objective protocol, the shared optimizers, the loop."""

from . import objective, optimizers, schedules
from .minimize import History, IterationInfo, MinimizeResult, compare_optimizers, minimize
from .objective import (
    FunctionObjective,
    Objective,
    TransformedObjective,
    check_gradient,
    check_objective,
    numerical_gradient,
    numerical_hessian,
)

__all__ = [
    "FunctionObjective",
    "History",
    "IterationInfo",
    "MinimizeResult",
    "Objective",
    "TransformedObjective",
    "check_gradient",
    "check_objective",
    "compare_optimizers",
    "minimize",
    "numerical_gradient",
    "numerical_hessian",
    "objective",
    "optimizers",
    "schedules",
]
