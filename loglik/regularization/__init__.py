"""Priors as penalties: L1 (Laplace), L2 (Gaussian), elastic net; paths and cross-validation."""

from . import penalties
from .cv import ElasticNetCV, LassoCV
from .estimators import ElasticNet, Lasso, LogisticRegression, Ridge
from .path import RegularizationPath, alpha_grid, regularization_path
from .penalties import (
    L1,
    L2,
    ElasticNetPenalty,
    Penalty,
    PenaltyPrior,
    get_penalty,
    l1_norm,
    l2_norm,
    min_norm_subgradient,
    p_norm,
    squared_l2_norm,
)

__all__ = [
    "L1",
    "L2",
    "ElasticNet",
    "ElasticNetCV",
    "ElasticNetPenalty",
    "Lasso",
    "LassoCV",
    "LogisticRegression",
    "Penalty",
    "PenaltyPrior",
    "RegularizationPath",
    "Ridge",
    "alpha_grid",
    "get_penalty",
    "l1_norm",
    "l2_norm",
    "min_norm_subgradient",
    "p_norm",
    "penalties",
    "regularization_path",
    "squared_l2_norm",
]
