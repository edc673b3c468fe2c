"""Distribution families: one small class per module over a shared base.

Every family registers itself by name (``loglik.fit(x, "gamma")``); the classes are also what
priors are built from (``loglik.Normal(0, 10)``).
"""

from .base import Distribution, Param, Support
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .exponential import Exponential
from .gamma import Gamma
from .geometric import Geometric
from .laplace import Laplace
from .logistic import Logistic
from .lognormal import LogNormal
from .multivariate_normal import MultivariateNormal
from .negative_binomial import NegativeBinomial
from .normal import Normal
from .poisson import Poisson
from .student_t import StudentT
from .uniform import Uniform
from .weibull import Weibull

FAMILIES = {
    cls.name: cls
    for cls in (
        Normal,
        Exponential,
        Gamma,
        LogNormal,
        Weibull,
        Beta,
        StudentT,
        Laplace,
        Cauchy,
        Logistic,
        Uniform,
        Poisson,
        Bernoulli,
        Binomial,
        NegativeBinomial,
        Geometric,
        Categorical,
        MultivariateNormal,
    )
}

__all__ = [
    "FAMILIES",
    "Bernoulli",
    "Beta",
    "Binomial",
    "Categorical",
    "Cauchy",
    "Distribution",
    "Exponential",
    "Gamma",
    "Geometric",
    "Laplace",
    "LogNormal",
    "Logistic",
    "MultivariateNormal",
    "NegativeBinomial",
    "Normal",
    "Param",
    "Poisson",
    "StudentT",
    "Support",
    "Uniform",
    "Weibull",
]
