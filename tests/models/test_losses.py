"""Losses: values against scikit-learn and scipy, and the likelihoods they are."""

import numpy as np
import pytest
from scipy import special, stats
from sklearn import metrics as skm

from loglik.models import losses as L

RNG = np.random.default_rng(0)
N = 40
Y = RNG.normal(size=N)
P = Y + RNG.normal(size=N)
W = RNG.random(N)
B = (RNG.random(N) < 0.4).astype(float)
Z = RNG.normal(scale=2, size=N)
C = RNG.integers(0, 3, N)
ZC = RNG.normal(size=(N, 3))


def test_regression_losses_against_sklearn():
    assert L.mean_squared_error(Y, P) == pytest.approx(skm.mean_squared_error(Y, P))
    assert L.mean_squared_error(Y, P, W) == pytest.approx(
        skm.mean_squared_error(Y, P, sample_weight=W)
    )
    assert L.root_mean_squared_error(Y, P) == pytest.approx(np.sqrt(skm.mean_squared_error(Y, P)))
    assert L.mean_absolute_error(Y, P, W) == pytest.approx(
        skm.mean_absolute_error(Y, P, sample_weight=W)
    )
    counts, rate = RNG.poisson(3, N), np.exp(RNG.normal(size=N))
    assert L.poisson_deviance(counts, rate, W) == pytest.approx(
        skm.mean_poisson_deviance(counts, rate, sample_weight=W)
    )


def test_regression_losses_are_the_gaussian_laplace_and_poisson_nll():
    nll = -stats.norm(P, 1).logpdf(Y).mean()
    assert L.mean_squared_error(Y, P) == pytest.approx(2 * nll - np.log(2 * np.pi))
    b = 0.7
    laplace = -stats.laplace(P, b).logpdf(Y).mean()
    assert L.mean_absolute_error(Y, P) == pytest.approx(b * (laplace - np.log(2 * b)))
    counts, rate = RNG.poisson(3, N), np.exp(RNG.normal(size=N))
    sat = np.where(counts > 0, counts, 1.0)
    ll_model = stats.poisson(rate).logpmf(counts)
    ll_sat = stats.poisson(sat).logpmf(counts) * (counts > 0)  # log p(0 | 0) = 0
    assert L.poisson_deviance(counts, rate) == pytest.approx(2 * np.mean(ll_sat - ll_model))


def test_cross_entropies_against_sklearn_log_loss_and_bernoulli():
    p = special.expit(Z)
    expected = skm.log_loss(B, p)
    assert L.binary_cross_entropy(B, p) == pytest.approx(expected)
    assert L.log_loss(B, p) == pytest.approx(expected)
    assert L.binary_cross_entropy_with_logits(B, Z) == pytest.approx(expected)
    assert expected == pytest.approx(-stats.bernoulli(p).logpmf(B).mean())
    assert L.binary_cross_entropy_with_logits(B, Z, W) == pytest.approx(
        skm.log_loss(B, p, sample_weight=W)
    )


def test_categorical_cross_entropies():
    probs = special.softmax(ZC, axis=1)
    expected = skm.log_loss(C, probs, labels=[0, 1, 2])
    assert L.categorical_cross_entropy(C, probs) == pytest.approx(expected)
    assert L.log_loss(C, probs) == pytest.approx(expected)
    assert L.categorical_cross_entropy_with_logits(C, ZC) == pytest.approx(expected)
    onehot = np.eye(3)[C]
    assert L.categorical_cross_entropy_with_logits(onehot, ZC, W) == pytest.approx(
        skm.log_loss(C, probs, sample_weight=W, labels=[0, 1, 2])
    )


def test_logits_are_stable_where_probabilities_round():
    z = np.array([800.0, -800.0])
    y = np.array([0.0, 1.0])
    assert L.binary_cross_entropy_with_logits(y, z) == pytest.approx(800.0)
    assert np.isfinite(L.binary_cross_entropy(y, special.expit(z)))
    assert L.categorical_cross_entropy_with_logits([1], [[1000.0, -1000.0]]) == pytest.approx(2000)


def test_margin_losses():
    t = np.where(B > 0, 1.0, -1.0)
    assert L.hinge_loss(B, Z) == pytest.approx(skm.hinge_loss(t, Z))
    assert L.hinge_loss(t, Z) == pytest.approx(skm.hinge_loss(t, Z))
    assert L.exponential_loss(B, Z) == pytest.approx(np.mean(np.exp(-t * Z)))
    # neither is an NLL: exp(-loss) does not sum to a constant over the two labels
    f = np.linspace(-3, 3, 7)
    total = np.exp(-np.maximum(0, 1 - f)) + np.exp(-np.maximum(0, 1 + f))
    assert np.ptp(total) > 0.1


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: L.binary_cross_entropy([0, 2], [0.5, 0.5]), "0 or 1"),
        (lambda: L.binary_cross_entropy([0, 1], [0.5, 1.5]), "probabilities"),
        (lambda: L.mean_squared_error([1, 2], [1]), "rows"),
        (lambda: L.mean_squared_error([1, np.nan], [1, 2]), "NaN"),
        (lambda: L.poisson_deviance([-1, 2], [1, 1]), "non-negative"),
        (lambda: L.poisson_deviance([1, 2], [0, 1]), "positive"),
        (lambda: L.categorical_cross_entropy([0, 3], np.full((2, 3), 1 / 3)), "class indices"),
        (lambda: L.categorical_cross_entropy([0, 1], [0.5, 0.5]), "2-D"),
        (lambda: L.hinge_loss([0, 2], [1, 1]), "labels in"),
        (lambda: L.mean_squared_error([1, 2], [1, 2], [1, -1]), "non-negative"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
