"""What is estimated: likelihoods (distribution families, GLMs, neural networks)."""

from .glm import (
    GLMObjective,
    LinearRegression,
    LogisticRegression,
    PoissonRegression,
    RegressionSummary,
    SoftmaxRegression,
)

__all__ = [
    "GLMObjective",
    "LinearRegression",
    "LogisticRegression",
    "PoissonRegression",
    "RegressionSummary",
    "SoftmaxRegression",
]
