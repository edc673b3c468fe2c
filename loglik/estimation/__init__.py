"""How parameters are estimated: the objective and family protocols, the shared optimizers, the
loop, maximum-likelihood and MAP fits, and their inference."""

from . import inference, objective, optimizers, schedules, surface
from .family import family_names, get_family, register_family
from .gradcheck import check_gradient, check_objective, numerical_gradient, numerical_hessian
from .inference import LRTResult, lrt
from .map import MAPResult, fit_map, map_vs_mle
from .minimize import History, IterationInfo, MinimizeResult, compare_optimizers, minimize
from .mle import compare, fit
from .objective import FunctionObjective, Objective, TransformedObjective
from .result import FitResult, Summary
from .surface import LikelihoodSurface, loglik_curve, loglik_surface, wilks_drop

__all__ = [
    "FitResult",
    "FunctionObjective",
    "History",
    "IterationInfo",
    "LRTResult",
    "LikelihoodSurface",
    "MAPResult",
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
    "fit_map",
    "get_family",
    "inference",
    "loglik_curve",
    "loglik_surface",
    "lrt",
    "map_vs_mle",
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
