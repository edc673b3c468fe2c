"""Priors for :func:`loglik.fit_map`: the distribution families themselves, plus the priors that
are not families to fit (``Dirichlet``, ``NormalInverseGamma``, the improper ``Flat``).

A prior is a density over a family's documented parameter (``sigma``, ``scale``, ``p``...), so
``ll.priors.Gamma(2, 1)`` on a Poisson ``rate`` is the conjugate gamma prior, and
``ll.priors.InverseGamma(a, b)`` on an exponential ``scale`` is a gamma prior on its rate.
"""

from .models.distributions import (
    Beta,
    Cauchy,
    Dirichlet,
    Exponential,
    Flat,
    Gamma,
    InverseGamma,
    Laplace,
    Logistic,
    LogNormal,
    MultivariateNormal,
    Normal,
    NormalInverseGamma,
    StudentT,
    Uniform,
    Weibull,
)

__all__ = [
    "Beta",
    "Cauchy",
    "Dirichlet",
    "Exponential",
    "Flat",
    "Gamma",
    "InverseGamma",
    "Laplace",
    "LogNormal",
    "Logistic",
    "MultivariateNormal",
    "Normal",
    "NormalInverseGamma",
    "StudentT",
    "Uniform",
    "Weibull",
]
