"""Penalties: norms, values, (sub)gradients, proximal operators, KKT residuals, priors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

from loglik.estimation.gradcheck import check_gradient
from loglik.estimation.proximal import soft_threshold
from loglik.regularization.penalties import (
    L1,
    L2,
    ElasticNetPenalty,
    Penalty,
    get_penalty,
    l1_norm,
    l2_norm,
    p_norm,
    squared_l2_norm,
)

RNG = np.random.default_rng(0)
W = RNG.normal(size=(7,))


def test_norms_match_numpy():
    M = RNG.normal(size=(3, 4))
    assert l1_norm(M) == pytest.approx(np.abs(M).sum())
    assert l2_norm(M) == pytest.approx(np.sqrt((M**2).sum()))
    assert squared_l2_norm(M) == pytest.approx((M**2).sum())
    assert p_norm(W, 3) == pytest.approx((np.abs(W) ** 3).sum() ** (1 / 3))
    assert p_norm(W, np.inf) == pytest.approx(np.abs(W).max())
    assert p_norm(W, 1) == pytest.approx(l1_norm(W))
    assert l2_norm(np.array([1e200, 1e200])) == pytest.approx(np.sqrt(2) * 1e200)


def test_p_norm_rejects_p_below_one():
    with pytest.raises(ValueError, match="p must be in"):
        p_norm(W, 0.5)


def test_soft_threshold():
    x = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    # exact: |x| - t on small binary fractions, and exact zeros below the threshold
    np.testing.assert_array_equal(soft_threshold(x, 1.0), [-2.0, 0.0, 0.0, 0.0, 2.0])
    np.testing.assert_array_equal(soft_threshold(x, np.array([0, 0, 0, 0, 5.0])), [*x[:4], 0.0])


@pytest.mark.parametrize(
    ("penalty", "expected"),
    [
        (L1(0.3), 0.3 * np.abs(W).sum()),
        (L2(0.3), 0.15 * (W**2).sum()),
        (ElasticNetPenalty(0.3, 0.2), 0.3 * (0.2 * np.abs(W).sum() + 0.4 * (W**2).sum())),
        (L1(0.3, penalty_factor=np.arange(7.0)), 0.3 * (np.arange(7.0) * np.abs(W)).sum()),
    ],
    ids=["l1", "l2", "elasticnet", "factors"],
)
def test_value(penalty, expected):
    assert penalty.value(W) == pytest.approx(expected, rel=1e-14)


def test_value_is_infinite_outside_the_box():
    pen = L1(1.0, positive=True)
    assert pen.value(np.abs(W)) == pytest.approx(np.abs(W).sum())
    assert pen.value(W) == np.inf
    boxed = L2(1.0, bounds=(-0.1, 0.1))
    assert boxed.value(np.full(3, 0.05)) < np.inf
    assert boxed.value(np.full(3, 0.2)) == np.inf


@pytest.mark.parametrize(
    "penalty",
    [L1(0.7), L2(0.7), ElasticNetPenalty(0.7, 0.4, penalty_factor=np.linspace(0, 2, 7))],
    ids=["l1", "l2", "elasticnet"],
)
def test_gradient_matches_finite_differences_away_from_zero(penalty):
    check = check_gradient(penalty.value, penalty.gradient, W)
    assert check.ok, str(check)


def test_gradient_of_l1_is_zero_at_zero_and_works_on_matrices():
    M = np.array([[0.0, -2.0], [3.0, 0.0]])
    np.testing.assert_array_equal(L1(2.0).gradient(M), [[0.0, -2.0], [2.0, 0.0]])
    np.testing.assert_allclose(L2(2.0).gradient(M), 2.0 * M)


def _prox_objective(penalty, v, t):
    return lambda x: penalty.value(x) + np.sum((x - v) ** 2) / (2 * t)


@settings(max_examples=60, deadline=None)
@given(
    v=st.lists(st.floats(-5, 5), min_size=1, max_size=6),
    alpha=st.floats(0, 3),
    l1_ratio=st.floats(0, 1),
    t=st.floats(0.01, 3),
    low=st.floats(-2, 0),
    high=st.floats(0, 2),
    seed=st.integers(0, 1000),
)
def test_prox_minimises_the_prox_objective(v, alpha, l1_ratio, t, low, high, seed):
    v = np.array(v)
    pen = ElasticNetPenalty(alpha, l1_ratio, bounds=(low, high))
    x = pen.prox(v, t)
    assert pen.feasible(x)
    f = _prox_objective(pen, v, t)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        y = np.clip(x + rng.normal(scale=0.1, size=x.shape), low, high)
        assert f(x) <= f(y) + 1e-12
    # optimality: (v - x)/t is a subgradient of h at x, so the KKT residual of the prox
    # problem is exactly zero
    assert pen.kkt_violation(x, (x - v) / t) <= 1e-12


def test_prox_matches_a_numerical_minimiser():
    pen = ElasticNetPenalty(1.3, 0.6, penalty_factor=np.array([0.0, 1.0, 2.0]), positive=True)
    v = np.array([-1.0, 0.4, 3.0])
    x = pen.prox(v, 0.7)
    for j in range(3):
        one = ElasticNetPenalty(1.3, 0.6, penalty_factor=pen.penalty_factor[j], positive=True)
        res = optimize.minimize_scalar(
            lambda z, j=j, one=one: one.value(np.array([z])) + (z - v[j]) ** 2 / 1.4,
            bounds=(0, 10),
            method="bounded",
            options={"xatol": 1e-12},
        )
        assert x[j] == pytest.approx(res.x, abs=1e-7)
    np.testing.assert_array_equal(x[0], 0.0)  # unpenalised but projected on w >= 0


def test_as_prox_leaves_unlisted_blocks_alone():
    params = [np.array([3.0, -0.1]), np.array(5.0)]
    out = L1(1.0).as_prox(blocks=[0])(params, 0.5)
    np.testing.assert_array_equal(out[0], [2.5, 0.0])
    assert out[1] == 5.0
    both = L1(1.0).as_prox()(params, 0.5)
    assert both[1] == 4.5


def test_min_norm_subgradient_cases():
    pen = L1(1.0)
    w = np.array([0.0, 0.0, 1.0, -1.0])
    g = np.array([0.5, -3.0, -1.0, 0.2])
    np.testing.assert_allclose(pen.min_norm_subgradient(w, g), [0.0, -2.0, 0.0, -0.8])
    positive = L1(1.0, positive=True)
    # at the bound w = 0 a negative residual is the only violation (pushing w up would help)
    np.testing.assert_allclose(
        positive.min_norm_subgradient(np.zeros(2), np.array([5.0, -3.0])), [0.0, -2.0]
    )
    assert positive.kkt_violation(np.zeros(2), np.array([5.0, -3.0])) == pytest.approx(2.0)


def test_priors_are_laplace_and_normal():
    n = 50
    lap = L1(0.2).prior(n)
    assert lap.name == "laplace"
    ref = stats.laplace(0, 1 / (n * 0.2))
    assert lap.logpdf(W) == pytest.approx(ref.logpdf(W).sum(), rel=1e-12)
    assert lap.to_scipy().logpdf(W).sum() == pytest.approx(ref.logpdf(W).sum())
    gauss = L2(0.2).prior(n)
    assert gauss.name == "normal"
    ref = stats.norm(0, 1 / np.sqrt(n * 0.2))
    assert gauss.logpdf(W) == pytest.approx(ref.logpdf(W).sum(), rel=1e-12)
    assert gauss.to_scipy().std() == pytest.approx(1 / np.sqrt(n * 0.2))


def test_penalty_is_minus_log_prior_over_n_up_to_a_constant():
    pen = ElasticNetPenalty(0.3, 0.7, penalty_factor=np.linspace(0.5, 2, 7))
    prior = pen.prior(40)
    other = RNG.normal(size=7)
    lhs = -(prior.logpdf(W) - prior.logpdf(other)) / 40
    assert lhs == pytest.approx(pen.value(W) - pen.value(other), rel=1e-12)


@pytest.mark.parametrize(
    "penalty",
    [
        ElasticNetPenalty(0.05, 0.5),
        ElasticNetPenalty(0.05, 0.5, bounds=(-0.3, 0.1)),
        L1(0.02, positive=True),
        L2(0.01, bounds=(None, 0.5)),
        L1(0.0, bounds=(-1.0, 2.0)),
    ],
    ids=["elasticnet", "en-box", "l1-positive", "l2-upper", "flat-box"],
)
def test_prior_densities_integrate_to_one(penalty):
    prior = penalty.prior(10)
    lo, hi = float(penalty.lower), float(penalty.upper)
    mass = sum(
        integrate.quad(lambda z: np.exp(prior.logpdf(np.array([z]))), a, b)[0]
        for a, b in [(lo, 0.0), (0.0, hi)]
    )
    assert mass == pytest.approx(1.0, rel=1e-8)


def test_improper_flat_prior_and_to_scipy_errors():
    flat = L1(0.0).prior(5)
    assert flat.logpdf(W) == 0.0
    with pytest.raises(ValueError, match="improper"):
        flat.to_scipy()
    with pytest.raises(ValueError, match="elastic-net"):
        ElasticNetPenalty(1.0, 0.5).prior(5).to_scipy()
    with pytest.raises(ValueError, match="truncated"):
        L1(1.0, positive=True).prior(5).to_scipy()
    assert L1(1.0, positive=True).prior(5).logpdf(-np.ones(2)) == -np.inf


def test_get_penalty():
    assert get_penalty(None) is None
    assert isinstance(get_penalty("l1", 0.5), L1)
    assert isinstance(get_penalty("l2", 0.5), L2)
    en = get_penalty("elasticnet", 0.5, 0.3, positive=True)
    assert (en.alpha, en.l1_ratio, en.positive) == (0.5, 0.3, True)
    pen = Penalty(1.0)
    assert get_penalty(pen) is pen
    with pytest.raises(ValueError, match="unknown penalty 'l3'; known: None, 'l1'"):
        get_penalty("l3")
    assert "L1(alpha=0.5)" == repr(L1(0.5))
    assert "l1_ratio" not in repr(L2(0.5))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"alpha": -1.0}, "alpha must be in"),
        ({"alpha": np.nan}, "alpha must be finite"),
        ({"l1_ratio": 1.5}, "l1_ratio must be in"),
        ({"penalty_factor": [1.0, -1.0]}, "penalty_factor must be >= 0; entry 1"),
        ({"penalty_factor": [1.0, np.inf]}, "penalty_factor contains inf"),
        ({"bounds": (0.5, 1.0)}, "bounds must contain 0"),
        ({"bounds": (np.nan, 1.0)}, "bounds must not contain NaN"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Penalty(**kwargs)


def test_prox_rejects_negative_step():
    with pytest.raises(ValueError, match="step_size"):
        L1(1.0).prox(W, -1.0)
