"""Penalised estimators: scikit-learn objectives, MAP equivalences, every solver, options."""

import warnings

import numpy as np
import pytest
import sklearn.linear_model as sk
from scipy import optimize, special

import loglik as ll
from loglik.regularization.penalties import L1, L2, ElasticNetPenalty

RNG = np.random.default_rng(1)
N, P = 200, 12
X = RNG.normal(size=(N, P)) + 0.5 * RNG.normal(size=(N, 1))  # correlated columns
W_TRUE = np.r_[2.0, -1.5, 1.0, 0.5, np.zeros(P - 4)]
Y = X @ W_TRUE + 0.7 + RNG.normal(size=N)
Y_BIN = (RNG.random(N) < special.expit(X @ W_TRUE * 0.7)).astype(float)
Y_POIS = RNG.poisson(np.exp(0.2 * X @ W_TRUE * 0.5)).astype(float)
Y_CAT = np.digitize(X @ W_TRUE + RNG.logistic(size=N), [-1.0, 1.0])


def gaussian_objective(coef, intercept, alpha, rho, X_=X, y=Y):
    r = y - X_ @ coef - intercept
    return r @ r / (2 * len(y)) + alpha * (rho * np.abs(coef).sum() + (1 - rho) / 2 * coef @ coef)


def logistic_objective(coef, intercept, alpha, rho):
    eta = X @ coef + intercept
    nll = np.mean(np.logaddexp(0, eta) - Y_BIN * eta)
    return nll + alpha * (rho * np.abs(coef).sum() + (1 - rho) / 2 * coef @ coef)


# ---------------------------------------------------------------------------------------------
# Objectives no worse than scikit-learn's
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("alpha", [0.5, 0.05, 0.002])
@pytest.mark.parametrize("rho", [1.0, 0.5, 0.1])
def test_elastic_net_objective_is_no_worse_than_sklearn(alpha, rho):
    ours = ll.ElasticNet(alpha, rho).fit(X, Y)
    ref = sk.ElasticNet(alpha=alpha, l1_ratio=rho, tol=1e-12, max_iter=100_000).fit(X, Y)
    f_ours = gaussian_objective(ours.coef_, ours.intercept_, alpha, rho)
    f_ref = gaussian_objective(ref.coef_, ref.intercept_, alpha, rho)
    assert f_ours <= f_ref * (1 + 1e-8)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    assert ours.objective_ == pytest.approx(f_ours, rel=1e-10)
    assert ours.dual_gap_ <= 1e-10 * f_ours
    assert ours.converged_


def test_lasso_equals_sklearn_lasso():
    ours = ll.Lasso(0.05).fit(X, Y)
    ref = sk.Lasso(alpha=0.05, tol=1e-12, max_iter=100_000).fit(X, Y)
    assert gaussian_objective(ours.coef_, ours.intercept_, 0.05, 1) <= gaussian_objective(
        ref.coef_, ref.intercept_, 0.05, 1
    ) * (1 + 1e-8)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-7)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-7)


@pytest.mark.parametrize("alpha", [1.0, 0.01])
def test_ridge_equals_sklearn_ridge_with_alpha_times_n(alpha):
    ours = ll.Ridge(alpha).fit(X, Y)
    ref = sk.Ridge(alpha=alpha * N).fit(X, Y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    assert ours.intercept_ == pytest.approx(ref.intercept_, rel=1e-10)
    f_ours = gaussian_objective(ours.coef_, ours.intercept_, alpha, 0.0)
    assert f_ours <= gaussian_objective(ref.coef_, ref.intercept_, alpha, 0.0) * (1 + 1e-8)


@pytest.mark.parametrize(("penalty", "rho"), [("l1", 1.0), ("elasticnet", 0.5), ("l2", 0.0)])
def test_penalised_logistic_objective_is_no_worse_than_sklearn(penalty, rho):
    alpha = 0.02
    ours = ll.LogisticRegression(penalty=penalty, alpha=alpha, l1_ratio=rho).fit(X, Y_BIN)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", UserWarning)
        ref = sk.LogisticRegression(
            penalty=penalty,
            C=1 / (N * alpha),
            l1_ratio=rho if penalty == "elasticnet" else None,
            solver="saga",
            tol=1e-12,
            max_iter=200_000,
        ).fit(X, Y_BIN)
    f_ours = logistic_objective(ours.coef_, ours.intercept_, alpha, rho)
    f_ref = logistic_objective(ref.coef_[0], ref.intercept_[0], alpha, rho)
    assert f_ours <= f_ref * (1 + 1e-8)
    np.testing.assert_allclose(ours.coef_, ref.coef_[0], atol=1e-5)
    assert ours.kkt_violation_ < 1e-9


def test_poisson_ridge_equals_sklearn_poisson_regressor():
    ours = ll.Ridge(0.01, family="poisson").fit(X, Y_POIS)
    ref = sk.PoissonRegressor(alpha=0.01, tol=1e-12, max_iter=10_000).fit(X, Y_POIS)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-8)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-8)


def test_multinomial_ridge_equals_sklearn_multinomial_logistic():
    alpha = 0.01
    ours = ll.Ridge(alpha, family="categorical").fit(X, Y_CAT)
    ref = sk.LogisticRegression(C=1 / (N * alpha), tol=1e-12, max_iter=10_000).fit(X, Y_CAT)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_ - ref.intercept_.mean(), atol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)

    def objective(coef, intercept):
        eta = X @ coef.T + intercept
        nll = np.mean(special.logsumexp(eta, axis=1) - eta[np.arange(N), Y_CAT])
        return nll + alpha / 2 * np.sum(coef**2)

    assert objective(ours.coef_, ours.intercept_) <= objective(ref.coef_, ref.intercept_)
    via_logistic = ll.LogisticRegression(penalty="l2", alpha=alpha).fit(X, Y_CAT)
    np.testing.assert_allclose(via_logistic.coef_, ours.coef_, atol=1e-10)


def test_multinomial_lasso_objective_is_no_worse_than_saga():
    alpha = 0.01
    ours = ll.Lasso(alpha, family="categorical").fit(X, Y_CAT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", UserWarning)
        ref = sk.LogisticRegression(
            penalty="l1", C=1 / (N * alpha), solver="saga", tol=1e-12, max_iter=100_000
        ).fit(X, Y_CAT)

    def objective(coef, intercept):
        eta = X @ coef.T + intercept
        nll = np.mean(special.logsumexp(eta, axis=1) - eta[np.arange(N), Y_CAT])
        return nll + alpha * np.abs(coef).sum()

    assert objective(ours.coef_, ours.intercept_) <= objective(ref.coef_, ref.intercept_) * (
        1 + 1e-8
    )
    assert ours.intercept_.sum() == pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------------------------------------
# A penalty is a prior
# ---------------------------------------------------------------------------------------------


def _negative_log_posterior(family_nll, prior):
    return lambda w: family_nll(w) - prior.logpdf(w[:-1])


def _gaussian_nll_sum(w):
    r = Y - X @ w[:-1] - w[-1]
    return 0.5 * r @ r


def test_lasso_is_the_map_estimate_under_a_laplace_prior():
    alpha = 0.05
    prior = L1(alpha).prior(N)
    assert prior.name == "laplace"
    # an independent MAP computation: w = u - v with u, v >= 0 makes the log posterior smooth
    # (the Laplace log density is -rate * (u + v) + const wherever min(u, v) = 0)
    rate = prior.rate

    def split(z):
        u, v, b = z[:P], z[P : 2 * P], z[-1]
        w = u - v
        r = Y - X @ w - b
        g = -X.T @ r
        return 0.5 * r @ r + rate * (u.sum() + v.sum()), np.r_[g + rate, -g + rate, -r.sum()]

    bounds = [(0, None)] * (2 * P) + [(None, None)]
    res = optimize.minimize(
        split,
        np.zeros(2 * P + 1),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    w_map = res.x[:P] - res.x[P : 2 * P]
    lasso = ll.Lasso(alpha).fit(X, Y)
    np.testing.assert_allclose(lasso.coef_, w_map, atol=1e-5)
    # and the lasso fit maximises the posterior: no nearby point has a higher log posterior
    post = _negative_log_posterior(_gaussian_nll_sum, prior)
    best = post(np.r_[lasso.coef_, lasso.intercept_])
    for _ in range(50):
        other = np.r_[lasso.coef_, lasso.intercept_] + RNG.normal(scale=1e-3, size=P + 1)
        assert best <= post(other)


def test_ridge_is_the_map_estimate_under_a_gaussian_prior():
    alpha = 0.3
    prior = L2(alpha).prior(N)
    assert prior.name == "normal"
    assert prior.to_scipy().std() == pytest.approx(1 / np.sqrt(N * alpha))
    post = _negative_log_posterior(_gaussian_nll_sum, prior)
    res = optimize.minimize(post, np.zeros(P + 1), method="BFGS", options={"gtol": 1e-9})
    ridge = ll.Ridge(alpha).fit(X, Y)
    np.testing.assert_allclose(ridge.coef_, res.x[:-1], atol=1e-5)
    assert ridge.intercept_ == pytest.approx(res.x[-1], abs=1e-5)


def test_elastic_net_logistic_is_the_map_under_its_prior():
    alpha, rho = 0.02, 0.4
    prior = ElasticNetPenalty(alpha, rho).prior(N)
    est = ll.ElasticNet(alpha, rho, family="bernoulli").fit(X, Y_BIN)

    def neg_post(w):
        eta = X @ w[:-1] + w[-1]
        return np.sum(np.logaddexp(0, eta) - Y_BIN * eta) - prior.logpdf(w[:-1])

    best = neg_post(np.r_[est.coef_, est.intercept_])
    for _ in range(50):
        other = np.r_[est.coef_, est.intercept_] + RNG.normal(scale=1e-3, size=P + 1)
        assert best <= neg_post(other)


# ---------------------------------------------------------------------------------------------
# Every solver reaches the same optimum
# ---------------------------------------------------------------------------------------------

SOLVER_CASES = [
    # (family, l1_ratio, solver, extra parameters, tolerance on the coefficients)
    ("gaussian", 1.0, "active_set", {}, 1e-10),
    ("gaussian", 1.0, "prox_newton", {}, 1e-10),
    ("gaussian", 1.0, "fista", {"tol": 1e-9, "max_iter": 50_000}, 1e-7),
    ("gaussian", 1.0, "ista", {"tol": 1e-8, "max_iter": 200_000}, 1e-6),
    ("gaussian", 0.5, "gd", {"tol": 1e-8, "max_iter": 200_000}, 1e-6),
    ("gaussian", 0.0, "closed_form", {}, 1e-10),
    ("gaussian", 0.0, "lbfgs", {"tol": 1e-8}, 1e-6),
    ("gaussian", 0.0, "newton", {"tol": 1e-10}, 1e-8),
    ("bernoulli", 1.0, "fista", {"tol": 1e-9, "max_iter": 50_000}, 1e-6),
    ("bernoulli", 0.5, "ista", {"tol": 1e-8, "max_iter": 200_000}, 1e-5),
    ("bernoulli", 0.0, "lbfgs", {"tol": 1e-8}, 1e-6),
    ("poisson", 1.0, "fista", {"tol": 1e-9, "max_iter": 50_000}, 1e-6),
    ("categorical", 1.0, "fista", {"tol": 1e-8, "max_iter": 50_000}, 1e-5),
    ("categorical", 0.0, "newton", {"tol": 1e-10}, 1e-7),
]


@pytest.mark.parametrize(("family", "rho", "solver", "extra", "atol"), SOLVER_CASES)
def test_every_solver_reaches_the_same_optimum(family, rho, solver, extra, atol):
    y = {"gaussian": Y, "bernoulli": Y_BIN, "poisson": Y_POIS, "categorical": Y_CAT}[family]
    alpha = 0.05 if family != "poisson" else 0.01
    reference = ll.ElasticNet(alpha, rho, family=family, tol=1e-12).fit(X, y)
    est = ll.ElasticNet(alpha, rho, family=family, solver=solver, **extra).fit(X, y)
    assert est.converged_
    np.testing.assert_allclose(est.coef_, reference.coef_, atol=atol)
    np.testing.assert_allclose(est.intercept_, reference.intercept_, atol=atol * 10)
    assert est.objective_ <= reference.objective_ * (1 + 10 * atol) + 1e-12


@pytest.mark.parametrize("solver", ["adam", "nesterov", "momentum", "adagrad"])
def test_momentum_and_adaptive_solvers_reach_the_optimum(solver):
    # the proximal step uses each method's effective step (module solvers), so the fixed point
    # is the optimum, not a shrunken penalty
    reference = ll.Lasso(0.05).fit(X, Y)
    rate = 0.1 if solver == "adagrad" else 0.01
    est = ll.Lasso(0.05, solver=solver, learning_rate=rate, max_iter=5000, tol=1e-6).fit(X, Y)
    assert est.converged_
    assert est.objective_ <= reference.objective_ * (1 + 1e-9)
    np.testing.assert_allclose(est.coef_, reference.coef_, atol=1e-5)


def test_stochastic_mini_batch_solver_gets_close():
    schedule = (
        ll.schedules.inverse_time_decay(0.05, decay_rate=0.05)
        if hasattr(ll.schedules, "inverse_time_decay")
        else 0.01
    )
    reference = ll.Lasso(0.05).fit(X, Y)
    est = ll.Lasso(
        0.05,
        solver="sgd",
        batch_size=20,
        learning_rate=schedule,
        max_iter=300,
        tol=1e-3,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ll.ConvergenceWarning)
        est.fit(X, Y)
    assert est.objective_ <= reference.objective_ * 1.01
    np.testing.assert_allclose(est.coef_, reference.coef_, atol=0.1)


def test_first_order_solver_warns_when_it_runs_out_of_iterations():
    with pytest.warns(ll.ConvergenceWarning, match="did not converge in 3 iterations"):
        est = ll.Lasso(0.05, solver="ista", max_iter=3).fit(X, Y)
    assert not est.converged_
    assert est.kkt_violation_ > 1e-7


# ---------------------------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------------------------


def test_standardize_penalises_standardised_coefficients():
    mean, sd = X.mean(axis=0), X.std(axis=0)
    Xs = (X - mean) / sd
    on_standardised = ll.ElasticNet(0.05, 0.7).fit(Xs, Y)
    est = ll.ElasticNet(0.05, 0.7, standardize=True).fit(X, Y)
    np.testing.assert_allclose(est.coef_, on_standardised.coef_ / sd, atol=1e-10)
    assert est.intercept_ == pytest.approx(on_standardised.intercept_ - mean @ est.coef_)
    np.testing.assert_allclose(est.predict(X), on_standardised.predict(Xs), atol=1e-10)
    logit = ll.Lasso(0.02, family="bernoulli", standardize=True).fit(X, Y_BIN)
    logit_s = ll.Lasso(0.02, family="bernoulli").fit(Xs, Y_BIN)
    np.testing.assert_allclose(logit.coef_, logit_s.coef_ / sd, atol=1e-8)


def test_penalty_factors_rescale_columns_and_zero_leaves_a_column_unpenalised():
    factors = np.linspace(0.5, 2.0, P)
    est = ll.Lasso(0.05, penalty_factor=factors).fit(X, Y)
    scaled = ll.Lasso(0.05).fit(X / factors, Y)  # L1: factor f_j == column scaled by 1/f_j
    np.testing.assert_allclose(est.coef_, scaled.coef_ / factors, atol=1e-10)
    free = np.ones(P)
    free[5] = 0.0
    est = ll.Lasso(10.0, penalty_factor=free).fit(X, Y)
    assert np.count_nonzero(est.coef_) == 1 and est.coef_[5] != 0
    ols_on_5 = ll.LinearRegression().fit(X[:, [5]], Y)
    assert est.coef_[5] == pytest.approx(ols_on_5.coef_[0], rel=1e-10)


def test_positive_matches_sklearn_and_bounds_hold():
    ours = ll.Lasso(0.02, positive=True).fit(X, -Y)
    ref = sk.Lasso(alpha=0.02, positive=True, tol=1e-12, max_iter=100_000).fit(X, -Y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-7)
    assert np.all(ours.coef_ >= 0)
    boxed = ll.ElasticNet(0.01, 0.5, bounds=(-0.5, 1.0)).fit(X, Y)
    assert np.all(boxed.coef_ >= -0.5) and np.all(boxed.coef_ <= 1.0)
    # exact: the projection onto the box sets active coefficients to the bound itself
    assert boxed.coef_.max() == 1.0 and boxed.coef_.min() == -0.5
    assert boxed.kkt_violation_ < 1e-10
    # the same box through L-BFGS-B on the (smooth) ridge objective
    ridge_box = ll.Ridge(0.01, bounds=(-0.5, 1.0)).fit(X, Y)
    ridge_lbfgs = ll.Ridge(0.01, bounds=(-0.5, 1.0), solver="lbfgs", tol=1e-8).fit(X, Y)
    np.testing.assert_allclose(ridge_box.coef_, ridge_lbfgs.coef_, atol=1e-6)


def test_warm_start_reuses_the_previous_solution():
    est = ll.Lasso(0.05, warm_start=True).fit(X, Y)
    first = est.coef_.copy()
    est.fit(X, Y)
    np.testing.assert_allclose(est.coef_, first, atol=1e-12)
    assert est.n_iter_ <= 1
    est.set_params(alpha=0.04).fit(X, Y)
    np.testing.assert_allclose(est.coef_, ll.Lasso(0.04).fit(X, Y).coef_, atol=1e-10)


def test_intercept_is_not_penalised_and_can_be_left_out():
    big = ll.Lasso(100.0).fit(X, Y)
    # exact: soft-thresholding gives exact zeros
    np.testing.assert_array_equal(big.coef_, 0.0)
    assert big.intercept_ == pytest.approx(Y.mean())
    assert big.alpha_max_ == pytest.approx(np.abs((X - X.mean(0)).T @ (Y - Y.mean())).max() / N)
    no_b = ll.Lasso(0.05, fit_intercept=False).fit(X, Y)
    ref = sk.Lasso(alpha=0.05, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, Y)
    np.testing.assert_allclose(no_b.coef_, ref.coef_, atol=1e-7)
    assert no_b.intercept_ == 0.0


def test_sample_weights_and_offsets():
    w = RNG.integers(1, 4, N).astype(float)
    weighted = ll.ElasticNet(0.05, 0.5).fit(X, Y, sample_weight=w)
    repeated = ll.ElasticNet(0.05, 0.5).fit(
        np.repeat(X, w.astype(int), 0), np.repeat(Y, w.astype(int))
    )
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, atol=1e-10)
    ref = sk.ElasticNet(alpha=0.05, l1_ratio=0.5, tol=1e-12, max_iter=100_000).fit(
        X, Y, sample_weight=w
    )
    np.testing.assert_allclose(weighted.coef_, ref.coef_, atol=1e-7)
    exposure = RNG.uniform(0.5, 2.0, N)
    with_exposure = ll.Lasso(0.01, family="poisson").fit(X, Y_POIS, exposure=exposure)
    with_offset = ll.Lasso(0.01, family="poisson").fit(X, Y_POIS, offset=np.log(exposure))
    np.testing.assert_allclose(with_exposure.coef_, with_offset.coef_, atol=1e-12)
    shifted = ll.Lasso(0.05).fit(X, Y, offset=np.full(N, 3.0))
    plain = ll.Lasso(0.05).fit(X, Y - 3.0)
    np.testing.assert_allclose(shifted.coef_, plain.coef_, atol=1e-12)


def test_fit_statistics():
    est = ll.Lasso(0.05).fit(X, Y)
    nonzero = np.count_nonzero(est.coef_)
    assert est.df_ == nonzero + 1
    resid = Y - est.predict(X)
    assert est.deviance_ == pytest.approx(resid @ resid, rel=1e-10)
    sigma2 = resid @ resid / N
    assert est.loglik_ == pytest.approx(-N / 2 * (np.log(2 * np.pi * sigma2) + 1), rel=1e-10)
    assert est.aic_ == pytest.approx(-2 * est.loglik_ + 2 * est.df_)
    ridge = ll.Ridge(0.1).fit(X, Y)
    Xc = X - X.mean(0)
    hat = Xc @ np.linalg.solve(Xc.T @ Xc + 0.1 * N * np.eye(P), Xc.T)
    assert ridge.df_ == pytest.approx(np.trace(hat) + 1, rel=1e-10)
    logit = ll.Lasso(0.02, family="bernoulli").fit(X, Y_BIN)
    eta = X @ logit.coef_ + logit.intercept_
    assert logit.loglik_ == pytest.approx(-np.sum(np.logaddexp(0, eta) - Y_BIN * eta))


def test_p_larger_than_n_and_constant_or_duplicated_columns():
    Xw = RNG.normal(size=(40, 150))
    yw = Xw[:, :3] @ np.array([2.0, -1.0, 1.5]) + 0.1 * RNG.normal(size=40)
    ours = ll.Lasso(0.05).fit(Xw, yw)
    ref = sk.Lasso(alpha=0.05, tol=1e-12, max_iter=100_000).fit(Xw, yw)
    assert gaussian_objective(ours.coef_, ours.intercept_, 0.05, 1, Xw, yw) <= (
        gaussian_objective(ref.coef_, ref.intercept_, 0.05, 1, Xw, yw) * (1 + 1e-8)
    )
    ridge = ll.Ridge(0.1).fit(Xw, yw)
    np.testing.assert_allclose(ridge.coef_, sk.Ridge(alpha=0.1 * 40).fit(Xw, yw).coef_, atol=1e-9)
    Xd = np.column_stack([X, np.full(N, 3.0), X[:, 0]])
    for est in (ll.Lasso(0.05), ll.Ridge(0.05), ll.Lasso(0.02, family="bernoulli")):
        y = Y_BIN if est.family == "bernoulli" else Y
        est.fit(Xd, y)
        assert est.coef_[P] == 0.0  # the constant column
        assert est.converged_


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("est", "match"),
    [
        (ll.Lasso(alpha=-1.0), r"alpha must be in \[0.0, inf\), got -1.0"),
        (ll.ElasticNet(l1_ratio=1.5), r"l1_ratio must be in \[0.0, 1.0\]"),
        (ll.Lasso(family="binomial"), "unknown family 'binomial'; known: 'gaussian'"),
        (ll.Lasso(solver="cd"), "unknown solver 'cd'; known: 'auto'"),
        (ll.Lasso(solver="lbfgs"), "needs a smooth penalty"),
        (ll.Lasso(solver="closed_form"), "closed_form"),
        (ll.Lasso(family="bernoulli", solver="active_set"), "Gaussian quadratic"),
        (ll.Lasso(penalty_factor=np.ones(3)), "penalty_factor has 3 entries; X has 12 columns"),
        (ll.Lasso(penalty_factor=-np.ones(P)), "penalty_factor must be >= 0"),
        (ll.Lasso(bounds=(1.0, 2.0)), "bounds must contain 0"),
        (ll.Lasso(tol=-1.0), "tol must be in"),
        (ll.Lasso(max_iter=0), "max_iter must be in"),
        (ll.Lasso(solver="fista", learning_rate=-1.0), "learning_rate must be in"),
    ],
)
def test_bad_parameters_give_clear_errors(est, match):
    y = Y_BIN if getattr(est, "family", "") == "bernoulli" else Y
    with pytest.raises(ValueError, match=match):
        est.fit(X, y)


def test_bad_data_gives_clear_errors():
    with pytest.raises(ValueError, match=r"row 3 is -1\.0"):
        ll.Lasso(family="poisson").fit(X, np.r_[Y_POIS[:3], -1.0, Y_POIS[4:]])
    with pytest.raises(ValueError, match="Only binary classification"):
        ll.Lasso(family="bernoulli").fit(X, Y_CAT)
    with pytest.raises(ValueError, match="only one class"):
        ll.Lasso(family="bernoulli").fit(X, np.zeros(N))
    with pytest.raises(ValueError, match="X contains NaN"):
        ll.Ridge().fit(np.where(X > 2.5, np.nan, X), Y)
    est = ll.Lasso(0.1).fit(X, Y)
    with pytest.raises(ValueError, match="X has 5 features, but Lasso is expecting 12"):
        est.predict(X[:, :5])
