"""Distribution families: one small class per module over a shared base.

Every family registers itself by name (``loglik.fit(x, "gamma")``); the classes are also what
priors are built from (``loglik.Normal(0, 10)``). ``Dirichlet``, ``NormalInverseGamma`` and
``Flat`` are priors only (not families to fit).
"""

from ...estimation.domains import Param, Support
from .base import Distribution
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .cauchy import Cauchy
from .dirichlet import Dirichlet
from .exponential import Exponential
from .flat import Flat
from .gamma import Gamma
from .geometric import Geometric
from .inverse_gamma import InverseGamma
from .laplace import Laplace
from .logistic import Logistic
from .lognormal import LogNormal
from .multivariate_normal import MultivariateNormal
from .negative_binomial import NegativeBinomial
from .normal import Normal
from .normal_inverse_gamma import NormalInverseGamma
from .poisson import Poisson
from .student_t import StudentT
from .uniform import Uniform
from .weibull import Weibull

__all__ = [
    "Bernoulli",
    "Beta",
    "Binomial",
    "Categorical",
    "Cauchy",
    "Dirichlet",
    "Distribution",
    "Exponential",
    "Flat",
    "Gamma",
    "Geometric",
    "InverseGamma",
    "Laplace",
    "LogNormal",
    "Logistic",
    "MultivariateNormal",
    "NegativeBinomial",
    "Normal",
    "NormalInverseGamma",
    "Param",
    "Poisson",
    "StudentT",
    "Support",
    "Uniform",
    "Weibull",
]
