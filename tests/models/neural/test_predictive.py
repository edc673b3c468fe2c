"""The predictive distributions returned by predict_dist: against scipy.stats."""

import numpy as np
import pytest
from scipy import stats

from loglik.models.neural.predictive import Bernoulli, Categorical, Normal, Poisson

RNG = np.random.default_rng(0)
N = 50


@pytest.mark.parametrize(
    ("dist", "frozen", "y"),
    [
        (
            Normal(mu=np.arange(N) / 10, sigma=np.linspace(0.5, 2, N)),
            stats.norm(np.arange(N) / 10, np.linspace(0.5, 2, N)),
            RNG.normal(size=N),
        ),
        (
            Poisson(rate=np.linspace(0.1, 9, N)),
            stats.poisson(np.linspace(0.1, 9, N)),
            RNG.poisson(3, N).astype(float),
        ),
        (
            Bernoulli(p=np.linspace(0.01, 0.99, N)),
            stats.bernoulli(np.linspace(0.01, 0.99, N)),
            (RNG.random(N) < 0.5).astype(float),
        ),
    ],
    ids=["normal", "poisson", "bernoulli"],
)
def test_against_scipy(dist, frozen, y):
    np.testing.assert_allclose(
        dist.logpdf(y), frozen.logpdf(y) if dist.name == "normal" else frozen.logpmf(y), rtol=1e-12
    )
    np.testing.assert_allclose(dist.mean(), frozen.mean())
    np.testing.assert_allclose(dist.var(), frozen.var())
    np.testing.assert_allclose(dist.std(), frozen.std())
    np.testing.assert_allclose(dist.cdf(y), frozen.cdf(y))
    np.testing.assert_allclose(dist.ppf(0.9), frozen.ppf(0.9))
    np.testing.assert_allclose(dist.pdf(y), np.exp(dist.logpdf(y)))
    draws = dist.sample(size=4000, random_state=1)
    assert draws.shape == (4000, N)
    np.testing.assert_allclose(
        draws.mean(axis=0), frozen.mean(), atol=5 * np.sqrt(frozen.var().max() / 4000) + 1e-9
    )
    assert dist.sample(random_state=2).shape == (N,)
    assert len(dist) == N and "shape (50,)" in repr(dist)


def test_categorical():
    probs = RNG.dirichlet(np.ones(4), N)
    dist = Categorical(probs=probs)
    y = RNG.integers(0, 4, N)
    np.testing.assert_allclose(dist.logpdf(y), np.log(probs[np.arange(N), y]))
    k = np.arange(4)
    np.testing.assert_allclose(dist.mean(), probs @ k)
    np.testing.assert_allclose(dist.var(), probs @ k**2 - (probs @ k) ** 2)
    np.testing.assert_allclose(dist.cdf(y), np.cumsum(probs, axis=1)[np.arange(N), y])
    np.testing.assert_array_equal(dist.cdf(np.full(N, -1)), 0.0)
    q = dist.cdf(y)
    np.testing.assert_array_equal(dist.ppf(q), y)
    draws = dist.sample(size=5000, random_state=3)
    assert draws.shape == (5000, N)
    freq = (draws[:, :, None] == k).mean(axis=0)
    np.testing.assert_allclose(freq, probs, atol=0.03)
    with pytest.raises(ValueError, match="no categorical"):
        dist.to_scipy()


def test_params_are_copies_and_names_are_checked():
    dist = Normal(mu=np.zeros(3), sigma=np.ones(3))
    dist.params["mu"][:] = 5
    assert np.all(dist.params["mu"] == 0)
    with pytest.raises(TypeError, match="takes the parameters"):
        Normal(mu=np.zeros(3))
    with pytest.raises(TypeError, match="takes the parameters"):
        Poisson(rate=1.0, scale=2.0)
