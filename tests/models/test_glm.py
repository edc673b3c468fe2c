"""GLM likelihoods and the unpenalised estimators against statsmodels and NIST."""

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import special

import loglik as ll
from loglik.models.glm import GLMObjective

RNG = np.random.default_rng(0)
N, P = 300, 3
X = RNG.normal(size=(N, P))
ETA = X @ np.array([0.5, -1.0, 0.25]) + 0.3
Y = {
    "gaussian": ETA + RNG.normal(size=N),
    "bernoulli": (RNG.random(N) < special.expit(ETA)).astype(float),
    "poisson": RNG.poisson(np.exp(ETA)).astype(float),
}
_U = special.softmax(np.column_stack([np.zeros(N), ETA, -0.5 * ETA + X[:, 2]]), axis=1)
Y3 = (RNG.random(N)[:, None] > np.cumsum(_U, axis=1)).sum(axis=1)
WEIGHTS = RNG.integers(1, 4, N).astype(float)


# ---------------------------------------------------------------------------------------------
# The objective
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("family", ["gaussian", "bernoulli", "poisson", "categorical"])
def test_objective_gradient_and_hessian_match_finite_differences(family):
    y = Y3.astype(float) if family == "categorical" else Y[family]
    obj = GLMObjective(X[:40], y[:40], family, sample_weight=WEIGHTS[:40])
    if family == "categorical":
        params = [RNG.normal(size=(P, 3)) * 0.3, np.array([0.1, -0.2, 0.3])]
    else:
        params = [RNG.normal(size=P) * 0.3, np.array(0.2)]
    g_check, h_check = ll.check_objective(obj, params)
    assert g_check.ok, str(g_check)
    assert h_check.ok, str(h_check)
    g_check, h_check = ll.check_objective(obj, params, batch=np.array([1, 5, 9, 30]))
    assert g_check.ok and h_check.ok


def test_categorical_objective_is_the_softmax_nll():
    obj = GLMObjective(X, Y3.astype(float), "categorical")
    coef, intercept = RNG.normal(size=(P, 3)), RNG.normal(size=3)
    eta = X @ coef + intercept
    expected = np.mean(special.logsumexp(eta, axis=1) - eta[np.arange(N), Y3])
    assert obj.value([coef, intercept]) == pytest.approx(expected, rel=1e-13)


def test_objective_without_intercept_holds_it_at_zero():
    obj = GLMObjective(X, Y["poisson"], "poisson", fit_intercept=False)
    res = ll.minimize(obj, [np.zeros(P), np.zeros(())], "newton", gtol=1e-12, tol=0)
    # exact: the intercept is held at 0, never updated
    assert float(res.params[1]) == 0.0
    ref = sm.GLM(Y["poisson"], X, family=sm.families.Poisson()).fit()
    np.testing.assert_allclose(res.params[0], ref.params, atol=1e-8)


# ---------------------------------------------------------------------------------------------
# statsmodels as the oracle
# ---------------------------------------------------------------------------------------------


def _statsmodels(family, X_, y, weights=None, offset=None):
    Xc = sm.add_constant(X_)
    if family == "gaussian":
        model = sm.OLS(y, Xc) if weights is None else sm.WLS(y, Xc, weights=weights)
        return model.fit()
    if family == "bernoulli":
        return (
            sm.Logit(y, Xc).fit(disp=0, tol=1e-12)
            if weights is None
            else sm.GLM(y, Xc, family=sm.families.Binomial(), freq_weights=weights).fit(tol=1e-12)
        )
    return sm.GLM(y, Xc, family=sm.families.Poisson(), freq_weights=weights, offset=offset).fit(
        tol=1e-12
    )


ESTIMATORS = {
    "gaussian": ll.LinearRegression,
    "bernoulli": ll.LogisticRegression,
    "poisson": ll.PoissonRegression,
}


@pytest.mark.parametrize("family", list(ESTIMATORS))
def test_coefficients_and_standard_errors_match_statsmodels(family):
    est = ESTIMATORS[family]().fit(X, Y[family])
    ref = _statsmodels(family, X, Y[family])
    np.testing.assert_allclose(est.params_.to_numpy(), ref.params, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(est.bse_.to_numpy(), ref.bse, rtol=1e-6)
    np.testing.assert_allclose(est.tvalues_.to_numpy(), ref.tvalues, rtol=1e-6)
    np.testing.assert_allclose(est.pvalues_.to_numpy(), ref.pvalues, rtol=1e-5, atol=1e-300)
    np.testing.assert_allclose(est.conf_int().to_numpy(), ref.conf_int(), rtol=1e-6)
    assert est.loglik_ == pytest.approx(ref.llf, rel=1e-9)
    assert est.aic_ == pytest.approx(ref.aic, rel=1e-9)
    assert est.bic_ == pytest.approx(ref.bic_llf if hasattr(ref, "bic_llf") else ref.bic, rel=1e-9)
    assert est.coef_.shape == (P,)
    assert est.params_.index.tolist() == ["intercept", "x0", "x1", "x2"]


@pytest.mark.parametrize("family", list(ESTIMATORS))
def test_weighted_fits_match_statsmodels(family):
    est = ESTIMATORS[family]().fit(X, Y[family], sample_weight=WEIGHTS)
    ref = _statsmodels(family, X, Y[family], weights=WEIGHTS)
    np.testing.assert_allclose(est.params_.to_numpy(), ref.params, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(est.bse_.to_numpy(), ref.bse, rtol=1e-6)


def test_deviances_match_statsmodels_glm():
    for family, smfam in [
        ("bernoulli", sm.families.Binomial()),
        ("poisson", sm.families.Poisson()),
    ]:
        est = ESTIMATORS[family]().fit(X, Y[family])
        ref = sm.GLM(Y[family], sm.add_constant(X), family=smfam).fit()
        assert est.deviance_ == pytest.approx(ref.deviance, rel=1e-8)
        assert est.null_deviance_ == pytest.approx(ref.null_deviance, rel=1e-8)


def test_poisson_offset_and_exposure_match_statsmodels():
    exposure = RNG.uniform(0.5, 3.0, N)
    y = RNG.poisson(exposure * np.exp(ETA)).astype(float)
    est = ll.PoissonRegression().fit(X, y, exposure=exposure)
    ref = sm.GLM(y, sm.add_constant(X), family=sm.families.Poisson(), exposure=exposure).fit()
    np.testing.assert_allclose(est.params_.to_numpy(), ref.params, rtol=1e-7)
    np.testing.assert_allclose(est.bse_.to_numpy(), ref.bse, rtol=1e-6)
    same = ll.PoissonRegression().fit(X, y, offset=np.log(exposure))
    np.testing.assert_allclose(same.coef_, est.coef_, rtol=1e-12)
    rate = est.predict(X[:5])
    np.testing.assert_allclose(est.predict(X[:5], exposure=exposure[:5]), rate * exposure[:5])
    assert est.null_deviance_ == pytest.approx(ref.null_deviance, rel=1e-8)


def test_softmax_regression_matches_mnlogit():
    est = ll.SoftmaxRegression().fit(X, Y3)
    ref = sm.MNLogit(Y3, sm.add_constant(X)).fit(disp=0, method="newton", tol=1e-12)
    params = np.asarray(ref.params).T.ravel()
    np.testing.assert_allclose(est.params_.to_numpy(), params, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(est.bse_.to_numpy(), np.asarray(ref.bse).T.ravel(), rtol=1e-6)
    assert est.loglik_ == pytest.approx(ref.llf, rel=1e-10)
    assert est.coef_.shape == (3, P)
    # exact: the reference class's coefficients are 0 by definition
    np.testing.assert_array_equal(est.coef_[0], 0.0)
    assert est.params_.index[0] == "1:intercept"
    proba = est.predict_proba(X)
    np.testing.assert_allclose(proba, ref.predict(sm.add_constant(X)), rtol=1e-7)
    multi = ll.LogisticRegression().fit(X, Y3)
    np.testing.assert_allclose(multi.coef_, est.coef_, rtol=1e-9, atol=1e-12)


def test_longley_matches_the_nist_certified_values():
    data = ll.data.load("longley")
    est = ll.LinearRegression().fit(data.drop(columns="TOTEMP"), data["TOTEMP"])
    # NIST StRD, Longley: certified estimates and standard deviations
    certified = [
        (-3482258.63459582, 890420.383607373),
        (15.0618722713733, 84.9149257747669),
        (-0.358191792925910e-01, 0.334910077722432e-01),
        (-2.02022980381683, 0.488399681651699),
        (-1.03322686717359, 0.214274163161675),
        (-0.511041056535807e-01, 0.226073200069370),
        (1829.15146461355, 455.478499142212),
    ]
    estimate, sd = np.array(certified).T
    np.testing.assert_allclose(est.params_.to_numpy(), estimate, rtol=1e-10)
    np.testing.assert_allclose(est.bse_.to_numpy(), sd, rtol=1e-10)
    assert np.sqrt(est.scale_) == pytest.approx(304.854073561965, rel=1e-10)
    assert est.summary().info["R-squared"] == pytest.approx(0.995479004577296, rel=1e-12)
    assert est.params_.index.tolist()[1:] == ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]


def test_integer_weights_equal_repeated_rows_for_the_estimates():
    reps = WEIGHTS.astype(int)
    for family, est in ESTIMATORS.items():
        weighted = est().fit(X, Y[family], sample_weight=WEIGHTS)
        repeated = est().fit(np.repeat(X, reps, axis=0), np.repeat(Y[family], reps))
        np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-8, atol=1e-12)


def test_zero_weight_rows_are_ignored():
    w = np.ones(N)
    w[:50] = 0.0
    dropped = ll.LogisticRegression().fit(X[50:], Y["bernoulli"][50:])
    zeroed = ll.LogisticRegression().fit(X, Y["bernoulli"], sample_weight=w)
    np.testing.assert_allclose(zeroed.params_, dropped.params_, rtol=1e-9)
    np.testing.assert_allclose(zeroed.bse_, dropped.bse_, rtol=1e-9)
    assert zeroed.nobs_ == N - 50


def test_without_intercept_matches_statsmodels():
    est = ll.PoissonRegression(fit_intercept=False).fit(X, Y["poisson"])
    ref = sm.GLM(Y["poisson"], X, family=sm.families.Poisson()).fit()
    assert est.params_.index.tolist() == ["x0", "x1", "x2"]
    np.testing.assert_allclose(est.params_.to_numpy(), ref.params, rtol=1e-8)
    np.testing.assert_allclose(est.bse_.to_numpy(), ref.bse, rtol=1e-7)
    assert est.intercept_ == 0.0
    ols = ll.LinearRegression(fit_intercept=False).fit(X, Y["gaussian"])
    np.testing.assert_allclose(ols.bse_.to_numpy(), sm.OLS(Y["gaussian"], X).fit().bse)


def test_summary_uses_the_feature_names_and_statsmodels_columns():
    frame = pd.DataFrame(X, columns=["age", "dose", "weight"])
    est = ll.LogisticRegression().fit(frame, Y["bernoulli"])
    summary = est.summary()
    table = summary.coefficients
    assert table.index.tolist() == ["intercept", "age", "dose", "weight"]
    assert table.columns.tolist() == ["coef", "std err", "z", "P>|z|", "[0.025", "0.975]"]
    text = str(summary)
    assert "dose" in text and "log-likelihood" in text and "LogisticRegression" in text
    assert "<table" in summary._repr_html_()
    assert ll.LinearRegression().fit(frame, Y["gaussian"]).summary().coefficients.columns[2] == "t"
    ci = est.conf_int(level=0.9)
    assert ci.columns.tolist() == ["lower", "upper"]
    assert np.all(ci["lower"] < est.params_) and np.all(est.params_ < ci["upper"])


def test_scores():
    lin = ll.LinearRegression().fit(X, Y["gaussian"])
    ref = sm.OLS(Y["gaussian"], sm.add_constant(X)).fit()
    assert lin.score(X, Y["gaussian"]) == pytest.approx(ref.rsquared, rel=1e-12)
    pois = ll.PoissonRegression().fit(X, Y["poisson"])
    assert pois.score(X, Y["poisson"]) == pytest.approx(
        1 - pois.deviance_ / pois.null_deviance_, rel=1e-10
    )
    logit = ll.LogisticRegression().fit(X, Y["bernoulli"])
    assert logit.score(X, Y["bernoulli"]) == pytest.approx(
        np.mean(logit.predict(X) == Y["bernoulli"])
    )
    np.testing.assert_allclose(logit.predict_proba(X).sum(axis=1), 1.0)
    np.testing.assert_allclose(np.exp(logit.predict_log_proba(X)), logit.predict_proba(X))


def test_string_labels_and_classes():
    labels = np.where(Y["bernoulli"] == 1, "yes", "no")
    est = ll.LogisticRegression().fit(X, labels)
    assert est.classes_.tolist() == ["no", "yes"]
    assert set(est.predict(X)) <= {"no", "yes"}
    numeric = ll.LogisticRegression().fit(X, Y["bernoulli"])
    np.testing.assert_allclose(est.coef_, numeric.coef_)


# ---------------------------------------------------------------------------------------------
# Degenerate data
# ---------------------------------------------------------------------------------------------


def test_constant_and_duplicated_columns_are_aliased_not_crashing():
    Xd = np.column_stack([X, np.ones(N), X[:, 0]])
    with pytest.warns(UserWarning, match=r"\['x3', 'x4'\].*aliased"):
        est = ll.LinearRegression().fit(Xd, Y["gaussian"])
    np.testing.assert_array_equal(est.aliased_, [False, False, False, True, True])
    # exact: aliased columns' coefficients are set to 0, not estimated
    assert est.coef_[3] == 0.0 and est.coef_[4] == 0.0
    assert np.isnan(est.bse_["x3"]) and np.isnan(est.bse_["x4"])
    base = ll.LinearRegression().fit(X, Y["gaussian"])
    np.testing.assert_allclose(est.coef_[:3], base.coef_, rtol=1e-10)
    np.testing.assert_allclose(est.predict(Xd), base.predict(X), rtol=1e-10)
    with pytest.warns(UserWarning, match="aliased"):
        logit = ll.LogisticRegression().fit(Xd, Y["bernoulli"])
    assert logit.coef_[4] == 0.0


def test_perfect_separation_warns():
    y = (X[:, 0] > 0).astype(float)
    with pytest.warns(ll.ConvergenceWarning, match="perfectly separated"):
        est = ll.LogisticRegression().fit(X, y)
    assert not est.converged_
    assert est.score(X, y) == 1.0


def test_quasi_separation_warns():
    y3 = np.where(ETA > 0.8, 2, (RNG.random(N) < 0.5).astype(int))
    with pytest.warns(ll.ConvergenceWarning, match="separated"):
        ll.SoftmaxRegression().fit(X, y3)


def test_more_parameters_than_rows_warns_about_degrees_of_freedom():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est = ll.LinearRegression().fit(X[:3], Y["gaussian"][:3])
    messages = " ".join(str(w.message) for w in caught)
    assert "no residual degrees of freedom" in messages
    np.testing.assert_allclose(est.predict(X[:3]), Y["gaussian"][:3], atol=1e-9)


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("est", "X_", "y", "kwargs", "error", "match"),
    [
        (
            ll.LinearRegression(),
            np.where(np.arange(N)[:, None] == 17, np.nan, X),
            Y["gaussian"],
            {},
            ValueError,
            "X contains NaN at row 17, column 0",
        ),
        (
            ll.LinearRegression(),
            X,
            np.r_[Y["gaussian"][:-1], np.inf],
            {},
            ValueError,
            "y contains inf at row 299",
        ),
        (
            ll.PoissonRegression(),
            X,
            np.r_[-1.0, Y["poisson"][1:]],
            {},
            ValueError,
            "non-negative counts for the poisson family; row 0 is -1.0",
        ),
        (ll.LogisticRegression(), X, np.ones(N), {}, ValueError, "only one class"),
        (ll.LogisticRegression(), X, ETA, {}, ValueError, "Unknown label type: continuous"),
        (
            ll.LinearRegression(),
            X,
            Y["gaussian"][:-1],
            {},
            ValueError,
            "X has 300 rows but y has 299",
        ),
        (ll.LinearRegression(), X[:0], Y["gaussian"][:0], {}, ValueError, "X has 0 samples"),
        (ll.LinearRegression(), X[:, 0], Y["gaussian"], {}, ValueError, "Reshape your data"),
        (ll.LinearRegression(), X, None, {}, ValueError, "requires y to be passed"),
        (
            ll.LinearRegression(),
            X,
            Y["gaussian"],
            {"sample_weight": -np.ones(N)},
            ValueError,
            "sample_weight must be non-negative; row 0",
        ),
        (
            ll.LinearRegression(),
            X,
            Y["gaussian"],
            {"sample_weight": np.zeros(N)},
            ValueError,
            "zero for every row",
        ),
        (
            ll.LinearRegression(),
            X,
            Y["gaussian"],
            {"sample_weight": np.ones(3)},
            ValueError,
            r"sample_weight.shape == \(3,\), expected \(300,\)",
        ),
        (
            ll.PoissonRegression(),
            X,
            Y["poisson"],
            {"exposure": np.zeros(N)},
            ValueError,
            "exposure must be positive; row 0",
        ),
        (
            ll.LinearRegression(),
            X.astype(complex),
            Y["gaussian"],
            {},
            ValueError,
            "Complex data not supported",
        ),
    ],
)
def test_bad_input_gives_clear_errors(est, X_, y, kwargs, error, match):
    with pytest.raises(error, match=match):
        est.fit(X_, y, **kwargs)


def test_predicting_with_the_wrong_number_of_features():
    est = ll.LinearRegression().fit(X, Y["gaussian"])
    with pytest.raises(ValueError, match="X has 2 features, but LinearRegression is expecting 3"):
        est.predict(X[:, :2])


def test_unfitted_and_penalised_inference_errors():
    with pytest.raises(ValueError, match="not fitted yet"):
        ll.LinearRegression().predict(X)
    penalised = ll.LogisticRegression(penalty="l2", alpha=0.1).fit(X, Y["bernoulli"])
    with pytest.raises(ValueError, match="no classical inference"):
        penalised.summary()
    with pytest.raises(ValueError, match="unknown penalty 'l3'"):
        ll.LogisticRegression(penalty="l3").fit(X, Y["bernoulli"])
    with pytest.raises(ValueError, match="unknown family 'binomial'"):
        GLMObjective(X, Y["bernoulli"], "binomial")
    with pytest.raises(ValueError, match="exposure applies to the poisson family only"):
        ll.Lasso(family="gaussian").fit(X, Y["gaussian"], exposure=np.ones(N))


def test_regressors_have_no_classifier_methods():
    est = ll.LinearRegression().fit(X, Y["gaussian"])
    assert not hasattr(est, "predict_proba") and not hasattr(est, "decision_function")
    np.testing.assert_allclose(est.linear_predictor(X), est.predict(X))


def test_objective_rejects_responses_outside_the_support():
    with pytest.raises(ValueError, match=r"must be 0 or 1 for the bernoulli family; row 2 is 2\.0"):
        GLMObjective(X[:4], np.array([0.0, 1.0, 2.0, 0.0]), "bernoulli")
    with pytest.raises(ValueError, match=r"class codes 0, 1, \.\.\.; row 1 is 0\.5"):
        GLMObjective(X[:3], np.array([0.0, 0.5, 1.0]), "categorical")
    with pytest.raises(ValueError, match="offset is not supported for the categorical family"):
        ll.SoftmaxRegression().fit(X, Y3, offset=np.zeros(N))
