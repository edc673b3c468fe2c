"""The table that drives the family tests: one instance per family, with its scipy twin built
independently (not through ``to_scipy``) and what a fit needs."""

from typing import NamedTuple

import numpy as np
from scipy import stats

import loglik as ll


class Case(NamedTuple):
    dist: object
    scipy: object
    fixed: dict | None = None
    scipy_fit: object = None  # (data) -> loglik of scipy's own MLE, for continuous families


def _scipy_fit(dist, **kw):
    def run(x):
        params = dist.fit(x, **kw)
        return float(np.sum(dist.logpdf(x, *params)))

    return run


CASES = {
    "normal": Case(ll.Normal(1.0, 2.0), stats.norm(1.0, 2.0), scipy_fit=_scipy_fit(stats.norm)),
    "exponential": Case(
        ll.Exponential(2.0), stats.expon(scale=2.0), scipy_fit=_scipy_fit(stats.expon, floc=0)
    ),
    "gamma": Case(
        ll.Gamma(2.5, 1.5), stats.gamma(2.5, scale=1.5), scipy_fit=_scipy_fit(stats.gamma, floc=0)
    ),
    "lognormal": Case(
        ll.LogNormal(0.3, 0.7),
        stats.lognorm(0.7, scale=np.exp(0.3)),
        scipy_fit=_scipy_fit(stats.lognorm, floc=0),
    ),
    "weibull": Case(
        ll.Weibull(1.7, 2.0),
        stats.weibull_min(1.7, scale=2.0),
        scipy_fit=_scipy_fit(stats.weibull_min, floc=0),
    ),
    "beta": Case(
        ll.Beta(2.0, 5.0), stats.beta(2.0, 5.0), scipy_fit=_scipy_fit(stats.beta, floc=0, fscale=1)
    ),
    "student_t": Case(
        ll.StudentT(4.0, 1.0, 2.0), stats.t(4.0, 1.0, 2.0), scipy_fit=_scipy_fit(stats.t)
    ),
    "laplace": Case(
        ll.Laplace(1.0, 2.0), stats.laplace(1.0, 2.0), scipy_fit=_scipy_fit(stats.laplace)
    ),
    "cauchy": Case(ll.Cauchy(1.0, 2.0), stats.cauchy(1.0, 2.0), scipy_fit=_scipy_fit(stats.cauchy)),
    "logistic": Case(
        ll.Logistic(1.0, 2.0), stats.logistic(1.0, 2.0), scipy_fit=_scipy_fit(stats.logistic)
    ),
    "uniform": Case(
        ll.Uniform(-1.0, 3.0), stats.uniform(-1.0, 4.0), scipy_fit=_scipy_fit(stats.uniform)
    ),
    "poisson": Case(ll.Poisson(3.5), stats.poisson(3.5)),
    "bernoulli": Case(ll.Bernoulli(0.3), stats.bernoulli(0.3)),
    "binomial": Case(ll.Binomial(10, 0.3), stats.binom(10, 0.3), fixed={"n": 10}),
    "negative_binomial": Case(ll.NegativeBinomial(3.0, 0.4), stats.nbinom(3.0, 0.4)),
    "geometric": Case(ll.Geometric(0.3), stats.geom(0.3)),
    "categorical": Case(
        ll.Categorical([0.2, 0.5, 0.3]),
        stats.rv_discrete(values=([0, 1, 2], [0.2, 0.5, 0.3])),
    ),
    "multivariate_normal": Case(
        ll.MultivariateNormal([1.0, -1.0], [[2.0, 0.5], [0.5, 1.0]]),
        stats.multivariate_normal([1.0, -1.0], [[2.0, 0.5], [0.5, 1.0]]),
    ),
}

UNIVARIATE = [name for name, case in CASES.items() if not case.dist.multivariate]
CONTINUOUS = [name for name in UNIVARIATE if not CASES[name].dist.discrete]
DISCRETE = [name for name in UNIVARIATE if CASES[name].dist.discrete]
SCALAR = [n for n in UNIVARIATE if n != "categorical"]  # families with scalar parameters only


def free_vector(dist) -> np.ndarray:
    """The estimable parameters as one flat vector (categorical: p_0..p_{K-2}; mvn: mean, vech)."""
    p = dist.params
    if dist.name == "categorical":
        return p["probs"][:-1]
    if dist.name == "multivariate_normal":
        rows, cols = np.tril_indices(p["mean"].size)
        return np.r_[p["mean"], p["cov"][rows, cols]]
    return np.array([p[n] for n in dist.estimable_names])


def from_vector(dist, v):
    """The inverse of :func:`free_vector`: a distribution of the same family (other params kept)."""
    cls = type(dist)
    if dist.name == "categorical":
        return cls(np.r_[v, 1.0 - v.sum()])
    if dist.name == "multivariate_normal":
        d = dist.params["mean"].size
        rows, cols = np.tril_indices(d)
        cov = np.zeros((d, d))
        cov[rows, cols] = v[d:]
        cov[cols, rows] = v[d:]
        return cls(v[:d], cov)
    return cls(**{**dist.params, **dict(zip(dist.estimable_names, v))})
