"""Linear-predictor likelihoods: NLL = -log pmf/pdf, derivatives by finite differences,
intercept-only fits, the distribution each parameterises."""

import numpy as np
import pytest
from scipy import special, stats

from loglik.estimation.gradcheck import check_gradient
from loglik.models.likelihoods import (
    LIKELIHOODS,
    HeteroscedasticGaussianLikelihood,
    Likelihood,
    get_likelihood,
    log_sum_exp,
    softmax,
)

RNG = np.random.default_rng(3)
N = 15


def _case(name):
    """(likelihood, eta, y)"""
    if name == "gaussian":
        return LIKELIHOODS[name], RNG.normal(size=N), RNG.normal(size=N)
    if name == "bernoulli":
        eta = RNG.normal(scale=3, size=N)
        return LIKELIHOODS[name], eta, (RNG.random(N) < special.expit(eta)).astype(float)
    if name == "poisson":
        eta = RNG.normal(size=N)
        return LIKELIHOODS[name], eta, RNG.poisson(np.exp(eta)).astype(float)
    eta = RNG.normal(scale=2, size=(N, 3))
    return LIKELIHOODS[name], eta, RNG.integers(0, 3, N).astype(float)


@pytest.mark.parametrize("name", ["bernoulli", "poisson", "categorical"])
def test_nll_is_minus_the_log_pmf_of_the_distribution(name):
    lik, eta, y = _case(name)
    dist = lik.distribution(**lik.dist_params(eta))
    if name == "categorical":
        expected = np.log(softmax(eta)[np.arange(N), y.astype(int)])
        assert dist.params["probs"].shape == eta.shape
    else:
        scipy_dist = stats.bernoulli(dist.params["p"]) if name == "bernoulli" else None
        scipy_dist = scipy_dist or stats.poisson(dist.params["rate"])
        expected = scipy_dist.logpmf(y)
    np.testing.assert_allclose(lik.nll(eta, y), -expected, rtol=1e-12, atol=1e-14)


def test_gaussian_nll_is_half_the_squared_residual():
    lik, eta, y = _case("gaussian")
    np.testing.assert_allclose(lik.nll(eta, y), 0.5 * (y - eta) ** 2)
    assert lik.least_squares and lik.dist_params(eta, 2.0)["sigma"].shape == eta.shape


@pytest.mark.parametrize("name", ["gaussian", "bernoulli", "poisson", "categorical"])
def test_first_and_second_derivatives_match_finite_differences(name):
    lik, eta, y = _case(name)
    shape = eta.shape

    def total(v):
        return float(np.sum(lik.nll(v.reshape(shape), y)))

    def grad(v):
        return lik.gradient(v.reshape(shape), y).ravel()

    result = check_gradient(total, grad, eta.ravel(), rtol=1e-7, atol=1e-9)
    assert result.ok, str(result)
    _, d1, _ = lik.terms(eta, y)
    np.testing.assert_allclose(d1, lik.gradient(eta, y), rtol=1e-12, atol=1e-15)
    # the diagonal of the Hessian in eta, entry by entry
    h = 1e-5
    bumped = [
        (lik.gradient(eta + h * e, y) - lik.gradient(eta - h * e, y)) / (2 * h)
        for e in np.eye(eta.size).reshape(-1, *shape)
    ]
    diagonal = np.array([b.ravel()[k] for k, b in enumerate(bumped)]).reshape(shape)
    curv = lik.curvature(eta, y)
    np.testing.assert_allclose(curv.reshape(shape), diagonal, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["gaussian", "bernoulli", "poisson"])
def test_intercept_only_fit_with_an_offset_zeroes_the_score(name):
    lik, _, y = _case(name)
    offset = RNG.normal(scale=0.5, size=N)
    s = RNG.random(N) + 0.5
    b = lik.intercept_only(y, s, offset)
    assert abs(float(s @ lik.gradient(offset + b, y))) < 1e-10 * s.sum()
    np.testing.assert_allclose(lik.null_eta(y, s, offset), offset + b)


def test_intercept_only_without_offset_is_the_link_of_the_mean():
    y = np.array([0.0, 1.0, 1.0, 1.0])
    assert LIKELIHOODS["bernoulli"].intercept_only(y) == pytest.approx(np.log(3.0))
    assert LIKELIHOODS["poisson"].intercept_only(np.array([1.0, 3.0])) == pytest.approx(np.log(2))
    b = LIKELIHOODS["categorical"].intercept_only(np.array([0.0, 1.0, 1.0, 2.0]), n_classes=3)
    np.testing.assert_allclose(np.exp(b), [0.25, 0.5, 0.25])
    # an all-zero response has no MLE: the floor keeps the start finite
    assert np.isfinite(LIKELIHOODS["bernoulli"].intercept_only(np.zeros(3), floor=1e-6))


def test_heteroscedastic_intercept_is_the_mean_and_the_standard_deviation():
    lik = HeteroscedasticGaussianLikelihood(0.01)
    y = RNG.normal(2.0, 3.0, size=(200, 2))
    b = lik.intercept_only(y)
    eta = np.broadcast_to(b, (200, 4))
    np.testing.assert_allclose(lik.mean(eta)[0], y.mean(axis=0))
    np.testing.assert_allclose(lik.sigma(eta)[0], y.std(axis=0))


def test_classification_helpers():
    eta = np.array([-2.0, 0.5])
    bern = LIKELIHOODS["bernoulli"]
    np.testing.assert_allclose(np.exp(bern.log_proba(eta)).sum(axis=-1), 1.0)
    np.testing.assert_array_equal(bern.predict_class(eta), [0.0, 1.0])
    cat = LIKELIHOODS["categorical"]
    Z = np.array([[1000.0, -1000.0, 0.0], [0.0, 1.0, 2.0]])
    np.testing.assert_allclose(log_sum_exp(Z), special.logsumexp(Z, axis=1))
    np.testing.assert_allclose(cat.log_proba(Z), special.log_softmax(Z, axis=1))
    np.testing.assert_array_equal(cat.predict_class(Z), [0, 2])
    np.testing.assert_array_equal(
        cat.observed_mean(np.array([2.0, 0.0]), 3), [[0, 0, 1], [1, 0, 0]]
    )
    # one-hot labels give the same NLL as class codes
    codes = np.array([0.0, 2.0])
    np.testing.assert_allclose(cat.nll(Z, codes), cat.nll(Z, cat.observed_mean(codes, 3)))


def test_the_table_and_bad_names():
    assert set(LIKELIHOODS) == {"gaussian", "bernoulli", "poisson", "categorical"}
    lik = LIKELIHOODS["poisson"]
    assert get_likelihood("poisson") is lik and get_likelihood(lik) is lik
    assert isinstance(lik, Likelihood) and lik.link == "log" and lik.accepts_exposure
    with pytest.raises(ValueError, match="unknown family 'gamma'"):
        get_likelihood("gamma")
    with pytest.raises(ValueError, match=r"non-negative counts for the poisson family; row 1"):
        lik.check_y(np.array([1.0, -1.0]))
