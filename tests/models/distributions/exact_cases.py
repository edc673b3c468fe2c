"""The parameter regimes the exactness tests visit: for every registered family an ordinary
point and the extreme ones (huge and tiny shapes, df -> infinity, counts around 1e9,
probabilities near 0 and 1, tiny and huge scales, far tails), each with the points the log
density is evaluated at: a sample from the distribution itself plus chosen far-tail values."""

from typing import NamedTuple

import numpy as np

from loglik.estimation.family import get_family


class Regime(NamedTuple):
    family: str
    label: str
    params: dict
    extra: tuple = ()  # far-tail points added to the sample
    fixed: dict | None = None  # for the fit (the binomial's n)


def _r(family, label, params, extra=(), fixed=None):
    return Regime(family, label, params, tuple(extra), fixed)


REGIMES = [
    _r("normal", "ordinary", {"mu": 1.0, "sigma": 2.0}, [-30.0, 45.0]),
    _r("normal", "mean 1e8, sd 1e-3", {"mu": 1e8, "sigma": 1e-3}, [1e8 + 0.5]),
    _r("normal", "tiny scale", {"mu": -3.0, "sigma": 1e-200}, [-3.0 + 1e-190]),
    _r("normal", "huge scale", {"mu": 0.0, "sigma": 1e200}, [1e203]),
    _r("lognormal", "ordinary", {"mu": 0.3, "sigma": 0.7}, [1e-8, 1e6]),
    _r("lognormal", "sigma 1e-3", {"mu": 2.0, "sigma": 1e-3}),
    _r("lognormal", "wide", {"mu": -50.0, "sigma": 30.0}, [1e-300, 1e300]),
    _r("exponential", "ordinary", {"scale": 2.0}, [0.0, 300.0]),
    _r("exponential", "tiny scale", {"scale": 1e-300}, [1e-297]),
    _r("exponential", "huge scale", {"scale": 1e300}),
    _r("gamma", "ordinary", {"shape": 2.5, "scale": 1.5}, [1e-10, 200.0]),
    _r("gamma", "shape 1e8 (nearly constant)", {"shape": 1e8, "scale": 3e-8}, [2.9, 3.1]),
    _r("gamma", "shape 1e15", {"shape": 1e15, "scale": 1e-15}),
    _r("gamma", "shape 1e-6", {"shape": 1e-6, "scale": 2.0}, [1e-300, 1.0]),
    _r("inverse_gamma", "ordinary", {"shape": 3.0, "scale": 2.0}, [0.01, 1e4]),
    _r("inverse_gamma", "shape 1e8", {"shape": 1e8, "scale": 2e8}, [1.9, 2.1]),
    _r("inverse_gamma", "shape 1e-3", {"shape": 1e-3, "scale": 1.0}, [1e-3, 1e300]),
    _r("weibull", "ordinary", {"shape": 1.7, "scale": 2.0}, [1e-8, 10.0]),
    _r("weibull", "shape 1e8", {"shape": 1e8, "scale": 5.0}, [5.0 * (1 - 3e-8)]),
    _r("weibull", "shape 1e-3", {"shape": 1e-3, "scale": 1.0}, [1e-300, 1e300]),
    _r("weibull", "tiny scale", {"shape": 2.0, "scale": 1e-300}),
    _r("beta", "ordinary", {"a": 2.0, "b": 5.0}, [1e-10, 1 - 1e-10]),
    _r("beta", "a = b = 1e8", {"a": 1e8, "b": 1e8}, [0.5 + 5e-4]),
    _r("beta", "a 1e9, b 3", {"a": 1e9, "b": 3.0}),
    _r("beta", "a 0.5, b 1e7", {"a": 0.5, "b": 1e7}, [1e-300]),
    _r("beta", "tiny shapes", {"a": 1e-6, "b": 1e-6}, [0.5]),
    _r("student_t", "ordinary", {"df": 4.0, "loc": 1.0, "scale": 2.0}, [1e6]),
    _r("student_t", "df 1e7 (nearly normal)", {"df": 1e7, "loc": 25.0, "scale": 1.4}, [40.0]),
    _r("student_t", "df 1e12", {"df": 1e12, "loc": 0.0, "scale": 1.0}, [20.0]),
    _r("student_t", "df 1e300", {"df": 1e300, "loc": 0.0, "scale": 1.0}, [30.0]),
    _r("student_t", "df 1e-3, far tail", {"df": 1e-3, "loc": 0.0, "scale": 1.0}, [1e200]),
    _r("laplace", "ordinary", {"loc": 1.0, "scale": 2.0}, [1e6]),
    _r("laplace", "tiny scale", {"loc": 1e8, "scale": 1e-6}),
    _r("cauchy", "ordinary", {"loc": 1.0, "scale": 2.0}, [1e10]),
    _r("cauchy", "far tail", {"loc": 0.0, "scale": 1e-100}, [1e200, -1e150]),
    _r("logistic", "ordinary", {"loc": 1.0, "scale": 2.0}, [-800.0, 1e6]),
    _r("logistic", "tiny scale", {"loc": 1e8, "scale": 1e-6}),
    _r("uniform", "ordinary", {"low": -1.0, "high": 3.0}),
    _r("uniform", "narrow", {"low": 1.0, "high": 1.0 + 2**-40}),
    _r("poisson", "ordinary", {"rate": 3.5}, [0.0, 60.0]),
    _r("poisson", "rate 1e9", {"rate": 1e9}, [1e9 + 3e5]),
    _r("poisson", "rate 1e-300", {"rate": 1e-300}, [0.0, 3.0]),
    _r("poisson", "rate 1e15", {"rate": 1e15}),
    _r("bernoulli", "ordinary", {"p": 0.3}, [0.0, 1.0]),
    _r("bernoulli", "p 1e-300", {"p": 1e-300}, [1.0]),
    _r("bernoulli", "p 1 - 1e-16", {"p": 1 - 2**-53}, [0.0]),
    _r("binomial", "ordinary", {"n": 10.0, "p": 0.3}, [0.0, 10.0], {"n": 10.0}),
    _r("binomial", "n 1e9", {"n": 1e9, "p": 0.5}, [5e8 + 2e5], {"n": 1e9}),
    _r("binomial", "n 1e9, p 1e-9", {"n": 1e9, "p": 1e-9}, [0.0, 12.0], {"n": 1e9}),
    _r("binomial", "p near 1", {"n": 1e6, "p": 1 - 1e-7}, [1e6], {"n": 1e6}),
    _r("negative_binomial", "ordinary", {"n": 3.0, "p": 0.4}, [0.0, 80.0]),
    _r("negative_binomial", "n 1e9 (Poisson limit)", {"n": 1e9, "p": 1e9 / (1e9 + 3.0)}, [30.0]),
    _r("negative_binomial", "counts 1e9", {"n": 5.0, "p": 5e-9}, [1.0, 5e10]),
    _r("negative_binomial", "n 1e-3", {"n": 1e-3, "p": 0.01}, [0.0, 1e4]),
    _r("negative_binomial", "n 1e8, counts 1e8", {"n": 1e8, "p": 0.5}),
    _r("geometric", "ordinary", {"p": 0.3}, [1.0, 90.0]),
    _r("geometric", "p 1e-9", {"p": 1e-9}, [1.0, 3e10]),
    _r("geometric", "p near 1", {"p": 1 - 1e-12}, [1.0, 2.0]),
    _r("categorical", "ordinary", {"probs": [0.2, 0.5, 0.3]}),
    _r("categorical", "tiny probabilities", {"probs": [1e-300, 1 - 2e-300, 1e-300]}, [0.0, 2.0]),
    _r(
        "multivariate_normal",
        "ordinary",
        {"mean": [1.0, -1.0], "cov": [[2.0, 0.5], [0.5, 1.0]]},
    ),
    _r(
        "multivariate_normal",
        "strongly correlated",
        {"mean": [1e3, 1e3], "cov": [[1.0, 0.999999], [0.999999, 1.0]]},
    ),
]


def points(regime: Regime, n: int = 40, seed: int = 0) -> tuple:
    """``(dist, x)``: the distribution and the evaluation points (a sample, without draws that
    rounded to the support's ends, plus the extras)."""
    dist = get_family(regime.family)(**regime.params)
    with np.errstate(over="ignore", divide="ignore", under="ignore"):
        x = dist.sample(n, np.random.default_rng(seed))
    if not dist.multivariate:  # draws that under- or overflow the support are dropped
        x = x[np.isfinite(x) & dist._inside(x)]
    if regime.extra:
        x = np.concatenate([x, np.asarray(regime.extra, dtype=np.float64)])
    return dist, x
