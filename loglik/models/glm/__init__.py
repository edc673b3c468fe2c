"""Generalised linear models: the objective, validated data, the design-matrix seam, maximum
likelihood, Wald inference and the unpenalised estimators (the likelihoods themselves are
:mod:`loglik.models.likelihoods`; penalised fits are :mod:`loglik.regularization`)."""

from .data import GLMData, check_offset, check_sample_weight, encode_labels, glm_data
from .design import StandardizedDesign, column_moments, column_scales
from .estimators import (
    GLMEstimator,
    LinearRegression,
    LogisticRegression,
    MLERegression,
    PoissonRegression,
    SoftmaxRegression,
)
from .fit import fit_mle
from .inference import InferenceMixin, RegressionSummary, wald_table
from .objective import GLMObjective

__all__ = [
    "GLMData",
    "GLMEstimator",
    "GLMObjective",
    "InferenceMixin",
    "LinearRegression",
    "LogisticRegression",
    "MLERegression",
    "PoissonRegression",
    "RegressionSummary",
    "SoftmaxRegression",
    "StandardizedDesign",
    "check_offset",
    "check_sample_weight",
    "column_moments",
    "column_scales",
    "encode_labels",
    "fit_mle",
    "glm_data",
    "wald_table",
]
