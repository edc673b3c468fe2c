"""Likelihood heads: NLL = -log pdf of the scipy distribution, gradients, links, starts."""

import numpy as np
import pytest
from scipy import special, stats

from loglik.estimation.gradcheck import check_gradient
from loglik.models.neural.heads import (
    BernoulliHead,
    CategoricalHead,
    GaussianHead,
    HeteroscedasticGaussianHead,
    PoissonHead,
)

RNG = np.random.default_rng(0)
N = 12


def _case(name):
    """(head, z, y, scipy log-likelihood per row)"""
    if name == "gaussian":
        z, y = RNG.normal(size=(N, 2)), RNG.normal(size=(N, 2))
        return GaussianHead(1.7), z, y, stats.norm(z, 1.7).logpdf(y).sum(axis=1)
    if name == "heteroscedastic":
        z, y = RNG.normal(size=(N, 4)), RNG.normal(size=(N, 2))
        sigma = np.logaddexp(0, z[:, 2:]) + 0.05
        return (
            HeteroscedasticGaussianHead(0.05),
            z,
            y,
            stats.norm(z[:, :2], sigma).logpdf(y).sum(axis=1),
        )
    if name == "bernoulli":
        z = RNG.normal(scale=3, size=(N, 3))
        y = (RNG.random((N, 3)) < 0.5).astype(float)
        return BernoulliHead(), z, y, stats.bernoulli(special.expit(z)).logpmf(y).sum(axis=1)
    if name == "categorical":
        z, y = RNG.normal(scale=3, size=(N, 4)), RNG.integers(0, 4, N)
        p = special.softmax(z, axis=1)
        return CategoricalHead(4), z, y, np.log(p[np.arange(N), y])
    z = RNG.normal(size=(N, 2))
    y = RNG.poisson(3, size=(N, 2)).astype(float)
    return PoissonHead(), z, y, stats.poisson(np.exp(z)).logpmf(y).sum(axis=1)


HEADS = ["gaussian", "heteroscedastic", "bernoulli", "categorical", "poisson"]


@pytest.mark.parametrize("name", HEADS)
def test_nll_is_minus_the_scipy_log_likelihood(name):
    head, z, y, loglik = _case(name)
    np.testing.assert_allclose(head.nll(z, y), -loglik, rtol=1e-12)


@pytest.mark.parametrize("name", HEADS)
def test_gradient_wrt_the_pre_activation(name):
    head, z, y, _ = _case(name)

    def fun(v):
        return float(np.sum(head.nll(v.reshape(z.shape), y)))

    def grad(v):
        return head.gradient(v.reshape(z.shape), y).ravel()

    result = check_gradient(fun, grad, z.ravel(), rtol=1e-7, atol=1e-9)
    assert result.ok, str(result)


@pytest.mark.parametrize("name", HEADS)
@pytest.mark.parametrize("weighted", [False, True])
def test_fused_loss_is_the_weighted_mean(name, weighted):
    head, z, y, _ = _case(name)
    w = RNG.random(N) if weighted else None
    w = None if w is None else w / w.sum()
    value, grad = head.loss(z.copy(), y, w)
    per_row, g = head.nll(z, y), head.gradient(z, y)
    if w is None:
        assert value == pytest.approx(per_row.mean(), rel=1e-12)
        np.testing.assert_allclose(grad, g / N, rtol=1e-12, atol=1e-15)
    else:
        assert value == pytest.approx(w @ per_row, rel=1e-12)
        np.testing.assert_allclose(grad, g * w[:, None], rtol=1e-12, atol=1e-15)


def test_inverse_links_and_distribution_parameters():
    z = np.array([[-1.0, 0.0, 2.0]])
    np.testing.assert_allclose(BernoulliHead().inverse_link(z), special.expit(z))
    np.testing.assert_allclose(CategoricalHead(3).inverse_link(z), special.softmax(z, axis=1))
    np.testing.assert_allclose(PoissonHead().dist_params(z)["rate"], np.exp(z))
    np.testing.assert_allclose(GaussianHead(2.0).dist_params(z)["sigma"], 2.0)
    het = HeteroscedasticGaussianHead(0.1)
    zz = np.array([[1.0, 2.0, -50.0, 50.0]])
    np.testing.assert_allclose(het.inverse_link(zz), [[1.0, 2.0]])
    np.testing.assert_allclose(het.sigma(zz), [[0.1 + np.log1p(np.exp(-50.0)), 50.1]])
    assert het.n_outputs(2) == 4 and CategoricalHead(5).n_outputs() == 5


def test_extreme_logits_stay_finite():
    z = np.array([[800.0], [-800.0]])
    y = np.array([[0.0], [1.0]])
    value, grad = BernoulliHead().loss(z, y)
    assert value == pytest.approx(800.0) and np.all(np.isfinite(grad))
    zc = np.array([[1000.0, -1000.0, 0.0]])
    assert CategoricalHead(3).nll(zc, np.array([1])) == pytest.approx(2000.0)


@pytest.mark.parametrize("name", HEADS)
def test_initial_bias_is_the_intercept_only_mle(name):
    head, z, y, _ = _case(name)
    w = RNG.random(N)
    w /= w.sum()
    bias = head.initial_bias(y, w)
    zb = np.broadcast_to(bias, z.shape).copy()
    _, grad = head.loss(zb, y, w)
    # the gradient wrt a shared bias is the column sum of dL/dz: zero at the MLE
    np.testing.assert_allclose(grad.sum(axis=0), 0.0, atol=1e-6)


def test_targets_outside_the_support():
    with pytest.raises(ValueError, match=r"non-negative counts.*row 1"):
        PoissonHead().check_target(np.array([[1.0], [-2.0]]))
    with pytest.raises(ValueError, match=r"0 or 1.*row 0"):
        BernoulliHead().check_target(np.array([[0.5]]))
    with pytest.raises(ValueError, match=r"class codes 0\.\.2"):
        CategoricalHead(3).check_target(np.array([0, 3]))
    with pytest.raises(ValueError, match="sigma"):
        GaussianHead(0.0)
    with pytest.raises(ValueError, match="n_classes"):
        CategoricalHead(1)
