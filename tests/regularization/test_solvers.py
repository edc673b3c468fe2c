"""The exact quadratic solver, the Gaussian sufficient statistics and the duality gap."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from loglik.regularization.gaussian import (
    GaussianDesign,
    GaussianGram,
    GaussianStats,
    gaussian_dual_gap,
)
from loglik.regularization.penalties import ElasticNetPenalty, min_norm_subgradient
from loglik.regularization.qp import _line_minimum, enet_qp


def _problem(seed, k, rank=None, bounded=False, free_fraction=0.0):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(rank or 2 * k, k))
    G = Z.T @ Z / Z.shape[0]
    q = Z.T @ rng.normal(size=Z.shape[0]) / Z.shape[0]  # q = Z'y/n: bounded below
    l1 = rng.uniform(0.0, 0.8, k)
    l1[rng.random(k) < free_fraction] = 0.0
    l2 = rng.uniform(0.0, 0.3, k) * (rng.random(k) < 0.5)
    lower = -rng.uniform(0.1, 2.0, k) if bounded else np.full(k, -np.inf)
    upper = rng.uniform(0.1, 2.0, k) if bounded else np.full(k, np.inf)
    return G, q, l1, l2, lower, upper


def _value(G, q, l1, l2, w):
    return 0.5 * w @ G @ w - q @ w + l1 @ np.abs(w) + 0.5 * l2 @ (w * w)


def _reference(G, q, l1, l2, lower, upper):
    """The same problem by L-BFGS-B on the split w = u - v, u, v >= 0 (smooth)."""
    k = q.size

    def fun(z):
        w = z[:k] - z[k:]
        g = G @ w + l2 * w - q
        return _value(G, q, l1, l2, w) - l1 @ np.abs(w) + l1 @ z[:k] + l1 @ z[k:], np.r_[
            g + l1, -g + l1
        ]

    bounds = [(0, None if np.isinf(u) else u) for u in upper] + [
        (0, None if np.isinf(lo) else -lo) for lo in lower
    ]
    res = optimize.minimize(
        fun,
        np.zeros(2 * k),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 20_000},
    )
    return res.x[:k] - res.x[k:]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    k=st.integers(1, 25),
    bounded=st.booleans(),
    singular=st.booleans(),
    free_fraction=st.sampled_from([0.0, 0.2]),
)
def test_enet_qp_is_exact(seed, k, bounded, singular, free_fraction):
    G, q, l1, l2, lower, upper = _problem(
        seed,
        k,
        rank=max(1, k // 2) if singular else None,
        bounded=bounded,
        free_fraction=free_fraction,
    )
    if singular and free_fraction > 0:  # unpenalised null directions can be unbounded below
        l2 = l2 + 0.1
    res = enet_qp(G, q, l1, l2, lower, upper, tol=1e-10)
    assert res.converged
    w = res.w
    assert np.all(w >= lower) and np.all(w <= upper)
    r = min_norm_subgradient(w, G @ w + l2 * w - q, l1, lower, upper)
    assert np.max(np.abs(r)) <= 1e-9
    ref = _reference(G, q, l1, l2, lower, upper)
    assert _value(G, q, l1, l2, w) <= _value(G, q, l1, l2, ref) + 1e-9


def test_enet_qp_warm_start_and_duplicated_columns():
    G, q, l1, l2, lower, upper = _problem(0, 12)
    cold = enet_qp(G, q, l1, l2, lower, upper, tol=1e-12)
    warm = enet_qp(G, q, l1, l2, lower, upper, cold.w, tol=1e-12)
    # exact: started at its own solution, the solver takes no step (n_iter == 0)
    np.testing.assert_array_equal(warm.w, cold.w)
    assert warm.n_iter == 0
    # duplicated columns: the Gram matrix is singular, the solver still lands on an optimum
    Z = np.random.default_rng(1).normal(size=(30, 4))
    Z = np.column_stack([Z, Z[:, 0]])
    G2 = Z.T @ Z / 30
    q2 = Z.T @ np.random.default_rng(2).normal(size=30) / 30
    res = enet_qp(
        G2, q2, np.full(5, 0.01), np.zeros(5), np.full(5, -np.inf), np.full(5, np.inf), tol=1e-12
    )
    assert res.converged


def test_line_minimum_is_the_exact_minimiser_on_the_segment():
    G, q, l1, l2, lower, upper = _problem(3, 8)
    rng = np.random.default_rng(4)
    w, d = rng.normal(size=8), rng.normal(size=8)
    g = G @ w + l2 * w - q
    t = _line_minimum(G, l1, l2, w, d, g, lower, upper)
    grid = np.linspace(0, 1, 20_001)
    values = [_value(G, q, l1, l2, w + s * d) for s in grid]
    assert _value(G, q, l1, l2, w + t * d) <= min(values) + 1e-12


def test_gaussian_statistics_are_additive_over_rows():
    rng = np.random.default_rng(0)
    X, y, s = rng.normal(size=(50, 4)) + 3.0, rng.normal(size=50), rng.uniform(0.5, 2, 50)
    shift_x, shift_y = X.mean(0), y.mean()
    full = GaussianStats.compute(X, y, s, shift_x, shift_y)
    part = GaussianStats.compute(X, y, s, shift_x, shift_y, rows=np.arange(20))
    rest = GaussianStats.compute(X, y, s, shift_x, shift_y, rows=np.arange(20, 50))
    for a, b in zip(full - part, rest):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    gram = GaussianGram(full, shift_x, shift_y, fit_intercept=True, standardize=False)
    sw = s / s.sum()
    Xc = X - sw @ X
    np.testing.assert_allclose(gram.G, (Xc * sw[:, None]).T @ Xc, rtol=1e-12)


def test_duality_gap_bounds_the_suboptimality_and_vanishes_at_the_optimum():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(40, 60))
    y = X[:, :3] @ np.ones(3) + rng.normal(size=40)
    design = GaussianDesign(X, y, np.ones(40), fit_intercept=True, standardize=False)
    pen = ElasticNetPenalty(0.05, 0.8).arrays(60, design.scale, design.excluded)
    res = design.solve(pen, tol=1e-12)
    assert gaussian_dual_gap(design, res.w, pen) <= 1e-12
    best = design.loss(res.w) + pen.value(res.w)
    for _ in range(5):
        other = res.w + rng.normal(scale=0.05, size=60)
        gap = gaussian_dual_gap(design, other, pen)
        assert gap >= design.loss(other) + pen.value(other) - best - 1e-12


def test_working_set_solution_equals_the_gram_solution():
    rng = np.random.default_rng(8)
    X, y, s = rng.normal(size=(80, 20)), rng.normal(size=80), rng.uniform(0.5, 2, 80)
    shift_x, shift_y = (s / s.sum()) @ X, (s / s.sum()) @ y
    gram = GaussianGram(
        GaussianStats.compute(X, y, s, shift_x, shift_y),
        shift_x,
        shift_y,
        fit_intercept=True,
        standardize=True,
    )
    design = GaussianDesign(X, y, s, fit_intercept=True, standardize=True)
    pen = ElasticNetPenalty(0.02, 0.5, positive=True).arrays(20, gram.scale, gram.excluded)
    a, b = gram.solve(pen, tol=1e-12), design.solve(pen, tol=1e-12)
    np.testing.assert_allclose(a.w, b.w, atol=1e-10)
    assert gram.loss(a.w) == pytest.approx(design.loss(b.w), rel=1e-10)


def test_columns_with_huge_means_keep_their_precision():
    rng = np.random.default_rng(9)
    X = rng.normal(size=(200, 5))
    y = X @ np.array([1.0, -1.0, 0.5, 0.0, 0.0]) + rng.normal(size=200)
    shifted = X + 1e7  # centring raw sums would lose ~14 digits here
    _, shift_x, _ = GaussianStats.about_means(shifted, y, np.ones(200), True)
    assert np.all(shift_x > 1e6)  # recomputed about the means
    import loglik as ll

    a = ll.Lasso(0.05).fit(X, y)
    b = ll.Lasso(0.05).fit(shifted, y)
    np.testing.assert_allclose(b.coef_, a.coef_, atol=1e-8)
    assert b.intercept_ == pytest.approx(a.intercept_ - 1e7 * a.coef_.sum(), rel=1e-9)


def test_single_threaded_blas_restores_the_thread_count():
    from loglik._blas import _setters, single_threaded_blas

    setters = _setters()
    with single_threaded_blas():
        inside = [fn(1) for fn in setters]  # setting 1 again returns the current value
        assert all(count == 1 for count in inside)
    before = [fn(1) for fn in setters]
    for fn, count in zip(setters, before):
        fn(count)
    with single_threaded_blas():
        pass
    after = [fn(count) for fn, count in zip(setters, before)]
    assert after == before
