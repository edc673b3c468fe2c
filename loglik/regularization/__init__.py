"""Priors as penalties: L1 (Laplace), L2 (Gaussian), elastic net; paths and cross-validation."""

from . import penalties
from .penalties import (
    L1,
    L2,
    ElasticNetPenalty,
    Penalty,
    get_penalty,
    l1_norm,
    l2_norm,
    p_norm,
    soft_threshold,
    squared_l2_norm,
)

__all__ = [
    "L1",
    "L2",
    "ElasticNetPenalty",
    "Penalty",
    "get_penalty",
    "l1_norm",
    "l2_norm",
    "p_norm",
    "penalties",
    "soft_threshold",
    "squared_l2_norm",
]
