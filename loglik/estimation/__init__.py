"""How parameters are estimated: the objective protocol, the shared optimizers, the loop."""

from . import inference, objective, optimizers, schedules, surface
from .inference import LRTResult, lrt
from .minimize import History, IterationInfo, MinimizeResult, compare_optimizers, minimize
from .mle import compare, fit
from .objective import (
    FunctionObjective,
    Objective,
    TransformedObjective,
    check_gradient,
    check_objective,
    numerical_gradient,
    numerical_hessian,
)
from .registry import family_names, get_family, register_family
from .result import FitResult, Summary
from .surface import LikelihoodSurface, loglik_curve, loglik_surface, wilks_drop

__all__ = [
    "FitResult",
    "FunctionObjective",
    "History",
    "IterationInfo",
    "LRTResult",
    "LikelihoodSurface",
    "MinimizeResult",
    "Objective",
    "Summary",
    "TransformedObjective",
    "check_gradient",
    "check_objective",
    "compare",
    "compare_optimizers",
    "family_names",
    "fit",
    "get_family",
    "inference",
    "loglik_curve",
    "loglik_surface",
    "lrt",
    "minimize",
    "numerical_gradient",
    "numerical_hessian",
    "objective",
    "optimizers",
    "register_family",
    "schedules",
    "surface",
    "wilks_drop",
]
