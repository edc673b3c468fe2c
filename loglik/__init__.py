"""loglik: statistics and estimation centred on the likelihood.

Every estimate is the minimiser of a negative log-likelihood, plus a negative log-prior when there
is one. See DESIGN.md for the architecture and the public API.
"""

from . import data, optimizers, priors, regularization, schedules
from ._validation import BoundaryWarning, ConvergenceWarning
from .estimation import (
    FitResult,
    FunctionObjective,
    LikelihoodSurface,
    MAPResult,
    MinimizeResult,
    Objective,
    check_gradient,
    check_objective,
    compare,
    compare_optimizers,
    family_names,
    fit,
    fit_map,
    loglik_curve,
    loglik_surface,
    lrt,
    map_vs_mle,
    minimize,
    objective,
    register_family,
    wilks_drop,
)
from .models import losses, metrics
from .models.distributions import (
    Bernoulli,
    Beta,
    Binomial,
    Categorical,
    Cauchy,
    Dirichlet,
    Distribution,
    Exponential,
    Flat,
    Gamma,
    Geometric,
    InverseGamma,
    Laplace,
    Logistic,
    LogNormal,
    MultivariateNormal,
    NegativeBinomial,
    Normal,
    NormalInverseGamma,
    Poisson,
    StudentT,
    Uniform,
    Weibull,
)
from .models.glm import GLMObjective, LinearRegression, PoissonRegression, SoftmaxRegression
from .models.neural import MLPClassifier, MLPRegressor
from .models.preprocessing import MinMaxScaler, StandardScaler, train_validation_test_split
from .regularization import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    LogisticRegression,
    Ridge,
    regularization_path,
)

__version__ = "0.1.0"

__all__ = [
    "Bernoulli",
    "Beta",
    "Binomial",
    "BoundaryWarning",
    "Categorical",
    "Cauchy",
    "ConvergenceWarning",
    "Dirichlet",
    "Distribution",
    "ElasticNet",
    "ElasticNetCV",
    "Exponential",
    "FitResult",
    "Flat",
    "FunctionObjective",
    "GLMObjective",
    "Gamma",
    "Geometric",
    "InverseGamma",
    "Laplace",
    "Lasso",
    "LassoCV",
    "LikelihoodSurface",
    "LinearRegression",
    "LogNormal",
    "Logistic",
    "LogisticRegression",
    "MAPResult",
    "MLPClassifier",
    "MLPRegressor",
    "MinMaxScaler",
    "MinimizeResult",
    "MultivariateNormal",
    "NegativeBinomial",
    "Normal",
    "NormalInverseGamma",
    "Objective",
    "Poisson",
    "PoissonRegression",
    "Ridge",
    "SoftmaxRegression",
    "StandardScaler",
    "StudentT",
    "Uniform",
    "Weibull",
    "__version__",
    "check_gradient",
    "check_objective",
    "compare",
    "compare_optimizers",
    "data",
    "family_names",
    "fit",
    "fit_map",
    "loglik_curve",
    "loglik_surface",
    "losses",
    "lrt",
    "map_vs_mle",
    "metrics",
    "minimize",
    "objective",
    "optimizers",
    "priors",
    "register_family",
    "regularization",
    "regularization_path",
    "schedules",
    "train_validation_test_split",
    "wilks_drop",
]


def __getattr__(name):
    # ``ll.plotting`` imports matplotlib: only on first use, not with ``import loglik``
    if name == "plotting":
        import importlib

        return importlib.import_module(".plotting", __name__)
    raise AttributeError(f"module 'loglik' has no attribute {name!r}")
