"""MLPRegressor / MLPClassifier: the likelihoods they maximise, training machinery, errors."""

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from sklearn.linear_model import Lasso

import loglik as ll
from loglik.models.neural import MLPClassifier, MLPRegressor
from loglik.schedules import exponential_decay

RNG = np.random.default_rng(0)


def _quiet(estimator, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ll.ConvergenceWarning)
        return estimator.fit(*args, **kwargs)


def _linear_data(n=300, p=4, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    eta = X @ np.linspace(1.0, -1.0, p) * 0.8 + 0.4
    return rng, X, eta


GLM = dict(hidden_layers=(), optimizer="lbfgs", max_epochs=2000, tol=0, initializer="zeros")


# ---------------------------------------------------------------------------------------------
# With no hidden layer the network is a GLM: the same maximum-likelihood estimates
# ---------------------------------------------------------------------------------------------


def test_gaussian_without_hidden_layers_is_least_squares():
    rng, X, eta = _linear_data()
    y = eta + rng.normal(size=eta.size)
    model = MLPRegressor(**GLM).fit(X, y)
    A = np.column_stack([X, np.ones(len(y))])
    beta, *_ = np.linalg.lstsq(A, y, rcond=None)
    np.testing.assert_allclose(model.coefs_[0].ravel(), beta[:-1], atol=1e-6)
    np.testing.assert_allclose(model.intercepts_[0], beta[-1:], atol=1e-6)
    resid = y - A @ beta
    assert model.sigma_ == pytest.approx(np.sqrt(np.mean(resid**2)), rel=1e-6)
    assert model.score(X, y) == pytest.approx(1 - resid.var() / y.var(), rel=1e-8)


def test_bernoulli_without_hidden_layers_is_the_logistic_mle():
    rng, X, eta = _linear_data(seed=2)
    y = (rng.random(eta.size) < 1 / (1 + np.exp(-eta))).astype(int)
    model = MLPClassifier(**GLM).fit(X, y)
    ref = sm.Logit(y, sm.add_constant(X)).fit(disp=0)
    np.testing.assert_allclose(model.coefs_[0].ravel(), ref.params[1:], atol=1e-5)
    np.testing.assert_allclose(model.intercepts_[0], ref.params[:1], atol=1e-5)
    assert model.log_likelihood(X, y) == pytest.approx(ref.llf, rel=1e-9)
    assert model.nll(X, y) == pytest.approx(-ref.llf / len(y), rel=1e-9)


def test_categorical_without_hidden_layers_is_the_multinomial_mle():
    rng, X, _ = _linear_data(n=400, p=3, seed=3)
    logits = X @ rng.normal(size=(3, 3))
    y = np.array([rng.choice(3, p=np.exp(r) / np.exp(r).sum()) for r in logits])
    model = MLPClassifier(**GLM).fit(X, y)
    ref = sm.MNLogit(y, sm.add_constant(X)).fit(disp=0, method="bfgs", maxiter=2000, gtol=1e-10)
    assert model.log_likelihood(X, y) == pytest.approx(ref.llf, rel=1e-8)
    np.testing.assert_allclose(model.predict_proba(X), ref.predict(sm.add_constant(X)), atol=1e-5)


def test_poisson_without_hidden_layers_is_the_poisson_glm():
    rng, X, eta = _linear_data(seed=4)
    y = rng.poisson(np.exp(0.5 * eta))
    model = MLPRegressor(likelihood="poisson", **GLM).fit(X, y)
    ref = sm.GLM(y, sm.add_constant(X), family=sm.families.Poisson()).fit()
    np.testing.assert_allclose(model.coefs_[0].ravel(), ref.params[1:], atol=1e-5)
    np.testing.assert_allclose(model.predict(X), ref.fittedvalues, rtol=1e-5)
    assert model.log_likelihood(X, y) == pytest.approx(ref.llf, rel=1e-9)
    assert model.score(X, y) == pytest.approx(1 - ref.deviance / ref.null_deviance, rel=1e-6)


def test_alpha_is_ridge_with_an_unpenalised_intercept():
    rng, X, eta = _linear_data(seed=5)
    y = eta + rng.normal(size=eta.size)
    alpha = 0.3
    model = MLPRegressor(alpha=alpha, **GLM).fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = len(y)
    w = np.linalg.solve(Xc.T @ Xc / n + alpha * np.eye(X.shape[1]), Xc.T @ yc / n)
    np.testing.assert_allclose(model.coefs_[0].ravel(), w, atol=1e-6)


def test_l1_is_the_lasso_by_proximal_gradient():
    rng, X, _ = _linear_data(n=200, p=6, seed=6)
    y = X[:, 0] * 2 - X[:, 1] + rng.normal(size=200)
    A = np.column_stack([X, np.ones(200)])
    step = 1 / np.linalg.eigvalsh(A.T @ A / 200).max()
    model = MLPRegressor(
        hidden_layers=(),
        optimizer="fista",
        learning_rate=step,
        l1=0.2,
        max_epochs=3000,
        tol=0,
        initializer="zeros",
    )
    _quiet(model, X, y)
    ref = Lasso(alpha=0.2, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(model.coefs_[0].ravel(), ref.coef_, atol=1e-6)
    # exact zeros on both sides (soft-thresholding): the same support
    assert np.sum(model.coefs_[0] == 0) == np.sum(ref.coef_ == 0) >= 3


@pytest.mark.parametrize(("optimizer", "rate"), [("sgd", 0.05), ("adam", 0.01)])
def test_l1_by_a_proximal_step_zeroes_irrelevant_inputs(optimizer, rate):
    rng, X, _ = _linear_data(n=500, p=8, seed=7)
    y = X[:, 0] + rng.normal(scale=0.5, size=500)
    kwargs = dict(optimizer=optimizer, max_epochs=100, learning_rate=rate, random_state=0)
    model = _quiet(MLPRegressor((8,), l1=0.05, **kwargs), X, y)
    first = model.coefs_[0]
    assert np.mean(first[1:] == 0) > 0.8 and np.any(first[0] != 0)
    assert model.score(X, y) > 0.75
    dense = _quiet(MLPRegressor((8,), **kwargs), X, y)
    assert not np.any(dense.coefs_[0] == 0)


# ---------------------------------------------------------------------------------------------
# Nonlinear capacity and the heteroscedastic likelihood
# ---------------------------------------------------------------------------------------------


def test_xor_is_learned():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1.0]])
    y = np.array([0, 1, 1, 0])
    model = MLPClassifier(
        (4,), activation="tanh", optimizer="lbfgs", max_epochs=500, tol=0, random_state=0
    )
    _quiet(model, X, y)
    assert model.score(X, y) == 1.0
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], y, atol=0.05)
    linear = _quiet(MLPClassifier(**GLM), X, y)
    assert linear.score(X, y) <= 0.75


def test_heteroscedastic_head_recovers_the_noise_profile():
    rng = np.random.default_rng(8)
    x = rng.uniform(-3, 3, (1000, 1))
    sd = 0.1 + 0.3 * np.abs(x[:, 0])
    y = np.sin(x[:, 0]) + sd * rng.normal(size=1000)
    model = MLPRegressor(
        (16, 16),
        activation="tanh",
        likelihood="heteroscedastic",
        optimizer="lbfgs",
        max_epochs=500,
        tol=0,
        random_state=0,
    )
    _quiet(model, x, y)
    grid = np.linspace(-2.7, 2.7, 10)[:, None]
    params = model.predict_params(grid)
    truth = 0.1 + 0.3 * np.abs(grid[:, 0])
    np.testing.assert_allclose(params["sigma"], truth, rtol=0.25)
    np.testing.assert_allclose(params["mu"], np.sin(grid[:, 0]), atol=0.15)
    constant = MLPRegressor((16, 16), activation="tanh", optimizer="lbfgs", max_epochs=500)
    _quiet(constant.set_params(tol=0, random_state=0), x, y)
    assert model.log_likelihood(x, y) > constant.log_likelihood(x, y) + 100


# ---------------------------------------------------------------------------------------------
# Early stopping, warm starts, partial_fit, weights
# ---------------------------------------------------------------------------------------------


def _overfit_data(seed=9):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(120, 10))
    y = X[:, 0] + rng.normal(scale=1.0, size=120)
    Xv = rng.normal(size=(200, 10))
    yv = Xv[:, 0] + rng.normal(scale=1.0, size=200)
    return X, y, Xv, yv


@pytest.mark.parametrize("batch_norm", [False, True])
def test_early_stopping_restores_the_best_epoch(batch_norm):
    X, y, Xv, yv = _overfit_data()
    model = MLPRegressor(
        (64, 64),
        learning_rate=0.01,
        batch_size=32,
        max_epochs=300,
        early_stopping=True,
        patience=8,
        batch_norm=batch_norm,
        random_state=0,
    ).fit(X, y, validation_data=(Xv, yv))
    curve = np.asarray(model.val_loss_curve_)
    best = int(np.argmin(curve)) + 1
    assert model.best_epoch_ == best
    assert model.n_epochs_ == best + 8 < 300 and model.converged_
    assert "early stopping" in model.stop_message_
    assert curve[-1] > curve.min()
    # the validation NLL of training is at sigma = 1: half the MSE plus log(2 pi)/2
    val_nll = 0.5 * np.mean((yv - model.predict(Xv)) ** 2) + 0.5 * np.log(2 * np.pi)
    assert val_nll == pytest.approx(curve.min(), rel=1e-10)


def test_early_stopping_uses_a_stratified_internal_split():
    X = RNG.normal(size=(400, 3))
    y = np.r_[np.zeros(360), np.ones(40)].astype(int)
    model = MLPClassifier(
        (8,), early_stopping=True, validation_fraction=0.25, max_epochs=5, random_state=0
    )
    _quiet(model, X, y)
    assert len(model.val_loss_curve_) == model.n_epochs_ == len(model.loss_curve_)
    with pytest.raises(ValueError, match="at least 2 rows"):
        MLPRegressor(early_stopping=True).fit(X[:1], X[:1, 0])


def test_partial_fit_continues_exactly_like_fit():
    X = RNG.normal(size=(90, 3))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(int)
    kwargs = dict(hidden_layers=(6,), batch_size=16, random_state=3, tol=0)
    with pytest.warns(ll.ConvergenceWarning, match="max_epochs|maximum"):
        whole = MLPClassifier(max_epochs=3, **kwargs).fit(X, y)
    parts = MLPClassifier(max_epochs=99, **kwargs)
    for _ in range(3):
        parts.partial_fit(X, y, classes=[0, 1])
    for a, b in zip(whole.params_, parts.params_):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    assert parts.n_epochs_ == 3 and len(parts.loss_curve_) == 3
    np.testing.assert_allclose(parts.loss_curve_, whole.loss_curve_, rtol=1e-12)


def test_partial_fit_needs_the_classes_and_rejects_new_labels():
    X, y = RNG.normal(size=(20, 2)), np.arange(20) % 2
    model = MLPClassifier((3,))
    with pytest.raises(ValueError, match="classes must be passed"):
        model.partial_fit(X, y)
    model.partial_fit(X, y, classes=[0, 1, 2])
    assert list(model.classes_) == [0, 1, 2]
    with pytest.raises(ValueError, match="labels not seen in fit: 7"):
        model.partial_fit(X, np.full(20, 7))
    with pytest.raises(ValueError, match="labels not seen in classes: 5"):
        MLPClassifier().partial_fit(X, np.full(20, 5), classes=[0, 1])


def test_warm_start_continues_from_the_weights():
    X = RNG.normal(size=(200, 3))
    y = np.sin(X[:, 0]) + X[:, 1]
    model = MLPRegressor((16,), max_epochs=5, warm_start=True, random_state=0, tol=0)
    _quiet(model, X, y)
    first = list(model.loss_curve_)
    _quiet(model, X, y)
    # exact: the same seed and the same code give the same epochs, continued or not
    assert model.n_epochs_ == 10 and model.loss_curve_[:5] == first
    assert model.loss_curve_[5] < first[0]
    cold = _quiet(MLPRegressor((16,), max_epochs=5, random_state=0, tol=0), X, y)
    _quiet(cold, X, y)
    assert cold.n_epochs_ == 5 and cold.loss_curve_ == first


def test_integer_weights_equal_repeated_rows():
    rng, X, eta = _linear_data(n=60, p=3, seed=10)
    y = (rng.random(60) < 1 / (1 + np.exp(-eta))).astype(int)
    w = rng.integers(0, 4, 60)
    Xr, yr = np.repeat(X, w, axis=0), np.repeat(y, w)
    # the convex case: the same maximiser
    weighted = MLPClassifier(**GLM).fit(X, y, sample_weight=w)
    repeated = MLPClassifier(**GLM).fit(Xr, yr)
    np.testing.assert_allclose(weighted.coefs_[0], repeated.coefs_[0], rtol=1e-6)
    # any network: the same objective
    net = _quiet(MLPClassifier((3,), max_epochs=20, random_state=0), X, y, sample_weight=w)
    assert net.nll(X, y, sample_weight=w) == pytest.approx(net.nll(Xr, yr), rel=1e-12)
    ones = _quiet(MLPClassifier((3,), max_epochs=5, random_state=0), X, y, np.ones(60))
    plain = _quiet(MLPClassifier((3,), max_epochs=5, random_state=0), X, y)
    # exact: equal weights are dropped (no weights), so the arithmetic is identical
    np.testing.assert_array_equal(ones.params_[0], plain.params_[0])
    original = w.copy()
    assert np.array_equal(w, original)


# ---------------------------------------------------------------------------------------------
# Gradient norms per layer: vanishing gradients in deep sigmoid networks
# ---------------------------------------------------------------------------------------------


def test_gradient_norms_show_vanishing_gradients():
    X = RNG.normal(size=(256, 20))
    y = (X[:, :3].sum(axis=1) > 0).astype(int)
    ratios = {}
    for act in ("sigmoid", "relu"):
        model = MLPClassifier((32,) * 6, activation=act, max_epochs=2, batch_size=64)
        _quiet(model.set_params(random_state=0), X, y)
        norms = model.gradient_norms_
        assert list(norms.columns) == [f"dense_{k}" for k in range(1, 8)]
        assert norms.shape == (2, 7) and norms.index.name == "epoch"
        ratios[act] = norms.iloc[0, 0] / norms.iloc[0, -1]
    assert ratios["sigmoid"] < 1e-2 < 0.1 < ratios["relu"]


# ---------------------------------------------------------------------------------------------
# Everything else a user touches
# ---------------------------------------------------------------------------------------------

OPTIMIZERS = ["gd", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"]


@pytest.mark.parametrize("name", [*OPTIMIZERS, "ista", "fista", "lbfgs"])
def test_every_shared_optimizer_trains(name):
    X = RNG.normal(size=(200, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    rate = {"gd": 0.5, "sgd": 0.2, "ista": 0.5, "fista": 0.5, "adagrad": 0.1}.get(name, 0.02)
    model = MLPClassifier((16,), optimizer=name, learning_rate=rate, max_epochs=60, batch_size=20)
    _quiet(model.set_params(random_state=0, activation="tanh"), X, y)
    assert model.score(X, y) > 0.85, name
    assert model.loss_curve_[-1] < model.loss_curve_[0]


def test_configured_optimizer_and_schedule():
    X = RNG.normal(size=(150, 2))
    y = X[:, 0] - 2 * X[:, 1]
    opt = ll.optimizers.sgd(0.05, momentum=0.9)
    a = _quiet(MLPRegressor((8,), optimizer=opt, max_epochs=40, random_state=0), X, y)
    sched = exponential_decay(0.02, decay_rate=0.5, decay_steps=200)
    b = _quiet(MLPRegressor((8,), learning_rate=sched, max_epochs=40, random_state=0), X, y)
    assert a.score(X, y) > 0.95 and b.score(X, y) > 0.95


def test_multiclass_multilabel_and_string_labels():
    X = RNG.normal(size=(300, 4))
    labels = np.array(["cat", "dog", "emu"])[np.argmax(X[:, :3], axis=1)]
    model = MLPClassifier((16,), max_epochs=100, learning_rate=0.01, random_state=0)
    _quiet(model, X, labels)
    assert list(model.classes_) == ["cat", "dog", "emu"] and model.score(X, labels) > 0.9
    proba = model.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.log(proba), model.predict_log_proba(X), atol=1e-10)
    assert model.decision_function(X).shape == (300, 3)
    assert model.predict_params(X)["probs"].shape == (300, 3)
    Y = (X[:, :2] > 0).astype(int)
    multi = _quiet(MLPClassifier((16,), max_epochs=100, learning_rate=0.01), X, Y)
    assert multi.predict(X).shape == (300, 2) and multi.score(X, Y) > 0.85
    assert multi.predict_proba(X).shape == (300, 2)


def test_binary_outputs():
    X = RNG.normal(size=(100, 2))
    y = np.where(X[:, 0] > 0, "yes", "no")
    model = _quiet(MLPClassifier((4,), max_epochs=50, random_state=0), X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (100, 2) and model.decision_function(X).shape == (100,)
    np.testing.assert_allclose(proba[:, 1], model.predict_params(X)["p"])
    np.testing.assert_allclose(model.predict_log_proba(X), np.log(proba), atol=1e-12)


def test_pandas_feature_names_and_float32():
    X = pd.DataFrame(RNG.normal(size=(120, 3)), columns=["a", "b", "c"])
    y = pd.Series(X["a"] * 2 + X["b"])
    model = _quiet(
        MLPRegressor((8,), max_epochs=100, learning_rate=0.05, random_state=0, dtype="float32"),
        X,
        y,
    )
    assert list(model.feature_names_in_) == ["a", "b", "c"]
    assert model.predict(X).dtype == np.float64 and model.score(X, y) > 0.8
    with pytest.raises(ValueError, match="feature names"):
        model.predict(X[["b", "a", "c"]])
    twin = _quiet(MLPRegressor((8,), max_epochs=100, learning_rate=0.05, random_state=0), X, y)
    np.testing.assert_allclose(model.predict(X), twin.predict(X), rtol=1e-3, atol=1e-3)


def test_multi_output_regression_and_sigma():
    X = RNG.normal(size=(200, 3))
    Y = np.column_stack([X[:, 0], -X[:, 1]]) + RNG.normal(scale=[0.1, 0.5], size=(200, 2))
    model = MLPRegressor(**GLM).fit(X, Y)
    assert model.predict(X).shape == (200, 2)
    np.testing.assert_allclose(model.sigma_, [0.1, 0.5], rtol=0.15)
    assert model.predict_params(X)["sigma"].shape == (200, 2)


def test_inputs_are_not_modified():
    X = RNG.normal(size=(50, 2))
    y = X[:, 0].copy()
    w = np.ones(50)
    w[0] = 3
    copies = X.copy(), y.copy(), w.copy()
    _quiet(MLPRegressor((4,), max_epochs=3), X, y, sample_weight=w)
    for a, b in zip((X, y, w), copies):
        np.testing.assert_array_equal(a, b)


def test_same_random_state_same_model():
    X = RNG.normal(size=(80, 2))
    y = (X[:, 0] > 0).astype(int)
    kw = dict(hidden_layers=(5,), max_epochs=5, dropout=0.2, batch_size=10)
    a = _quiet(MLPClassifier(random_state=4, **kw), X, y)
    b = _quiet(MLPClassifier(random_state=4, **kw), X, y)
    c = _quiet(MLPClassifier(random_state=5, **kw), X, y)
    # exact: the same random_state gives the same initial weights, batches and dropout masks
    np.testing.assert_array_equal(a.params_[0], b.params_[0])
    assert not np.array_equal(a.params_[0], c.params_[0])


def test_convergence_warning_and_flag():
    X = RNG.normal(size=(50, 2))
    match = r"MLPRegressor stopped without converging \(max_epochs=2 reached\)"
    with pytest.warns(ll.ConvergenceWarning, match=match):
        model = MLPRegressor((4,), max_epochs=2).fit(X, X[:, 0])
    assert not model.converged_


# ---------------------------------------------------------------------------------------------
# Bad input: clear errors
# ---------------------------------------------------------------------------------------------

X_OK = RNG.normal(size=(30, 3))
Y_OK = (X_OK[:, 0] > 0).astype(int)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"hidden_layers": (10, 0)}, r"hidden_layers\[1\]"),
        ({"hidden_layers": "big"}, "hidden_layers"),
        ({"dropout": 1.0}, "dropout"),
        ({"dropout": [0.1, 0.2]}, "one per hidden layer"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": "all"}, "batch_size"),
        ({"learning_rate": -1.0}, "learning_rate"),
        ({"learning_rate": "fast"}, "learning_rate"),
        ({"max_epochs": 0}, "max_epochs"),
        ({"alpha": -0.1}, "alpha"),
        ({"l1": -1}, "l1"),
        ({"activation": "gelu"}, "unknown activation"),
        ({"initializer": "orthogonal"}, "unknown initializer"),
        ({"optimizer": "newton"}, "Hessian"),
        ({"optimizer": "bfgs"}, "unknown optimizer"),
        ({"optimizer": 3}, "optimizer must be"),
        ({"optimizer": "lbfgs", "l1": 0.1}, "proximal"),
        ({"validation_fraction": 1.5}, "validation_fraction"),
        ({"patience": 0}, "patience"),
        ({"dtype": "float16"}, "dtype"),
    ],
)
def test_invalid_hyperparameters(params, match):
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**{"max_epochs": 1, **params}).fit(X_OK, Y_OK)


def test_bad_data_for_the_classifier():
    model = MLPClassifier((3,), max_epochs=1)
    bad = X_OK.copy()
    bad[4, 1] = np.nan
    with pytest.raises(ValueError, match="X contains NaN at row 4, column 1"):
        model.fit(bad, Y_OK)
    with pytest.raises(ValueError, match="one class only"):
        model.fit(X_OK, np.zeros(30))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        model.fit(X_OK, X_OK[:, 0])
    with pytest.raises(ValueError, match="requires y"):
        model.fit(X_OK, None)
    with pytest.raises(ValueError, match="X has 30 rows but y has 29"):
        model.fit(X_OK, Y_OK[:-1])
    with pytest.raises(ValueError, match="2-dimensional"):
        model.fit(X_OK[:, 0], Y_OK)
    with pytest.raises(ValueError, match="sample_weight must be non-negative; row 2"):
        model.fit(X_OK, Y_OK, sample_weight=np.r_[1, 1, -1, np.ones(27)])
    with pytest.raises(ValueError, match="every sample_weight is zero"):
        model.fit(X_OK, Y_OK, sample_weight=np.zeros(30))
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(30,\)"):
        model.fit(X_OK, Y_OK, sample_weight=np.ones(3))
    with pytest.raises(TypeError, match="sparse"):
        from scipy import sparse

        model.fit(sparse.csr_matrix(X_OK), Y_OK)
    with pytest.warns(ll.ConvergenceWarning):
        model.fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="X has 2 features, but MLPClassifier is expecting 3"):
        model.predict(X_OK[:, :2])
    with pytest.raises(ValueError, match="labels not seen in fit: 9"):
        model.score(X_OK, np.r_[Y_OK[:-1], 9])
    with pytest.raises(ValueError, match="inf"):
        model.predict_proba(np.full((1, 3), np.inf))


def test_bad_data_for_the_regressor():
    with pytest.raises(ValueError, match=r"non-negative counts for the Poisson likelihood \(row 3"):
        MLPRegressor(likelihood="poisson").fit(X_OK, np.r_[1, 2, 0, -1, np.ones(26)])
    with pytest.raises(ValueError, match="unknown likelihood 'gamma'"):
        MLPRegressor(likelihood="gamma").fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="y contains inf at row 0"):
        MLPRegressor().fit(X_OK, np.r_[np.inf, np.ones(29)])
    with pytest.raises(ValueError, match="not fitted"):
        MLPRegressor().predict(X_OK)
    with pytest.raises(ValueError, match="Complex data"):
        MLPRegressor().fit(X_OK + 1j, Y_OK)
    with pytest.raises(ValueError, match=r"training diverged.*lower learning_rate"):
        MLPRegressor((5,), optimizer="gd", learning_rate=10.0).fit(X_OK, 100 * X_OK[:, 0])
    model = _quiet(MLPRegressor((2,), max_epochs=2), X_OK, Y_OK)
    with pytest.raises(ValueError, match="2 targets, the model was fitted on 1"):
        model.score(X_OK, np.ones((30, 2)))


# ---------------------------------------------------------------------------------------------
# The scikit-learn contract
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "estimator",
    [
        MLPClassifier((16,), learning_rate=0.01, max_epochs=100, random_state=0),
        MLPRegressor((16,), learning_rate=0.01, max_epochs=100, random_state=0),
        MLPRegressor(
            (16,), likelihood="heteroscedastic", learning_rate=0.01, max_epochs=100, random_state=0
        ),
    ],
    ids=["classifier", "regressor", "heteroscedastic"],
)
def test_check_estimator(estimator):
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ll.ConvergenceWarning)
        warnings.filterwarnings("ignore", message=".*does not inherit from")
        results = check_estimator(estimator, on_fail=None, on_skip=None)
    failed = [
        (r["check_name"], str(r["exception"])[:300]) for r in results if r["status"] == "failed"
    ]
    assert not failed
    assert sum(r["status"] == "passed" for r in results) > 50


def test_clone_pipeline_and_grid_search():
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    from loglik.models.preprocessing import StandardScaler

    X = RNG.normal(size=(120, 3)) * [1, 10, 100]
    y = (X[:, 0] + X[:, 1] / 10 > 0).astype(int)
    model = MLPClassifier((8,), alpha=1e-3, learning_rate=0.05, max_epochs=30, random_state=0)
    twin = clone(model)
    assert twin.get_params() == model.get_params() and twin is not model
    assert (
        repr(model)
        == "MLPClassifier(alpha=0.001, hidden_layers=(8,), learning_rate=0.05, max_epochs=30, "
        "random_state=0)"
    )
    pipe = make_pipeline(StandardScaler(), model)
    grid = GridSearchCV(pipe, {"mlpclassifier__alpha": [0.0, 0.01]}, cv=3)
    _quiet(grid, X, y)
    assert grid.best_score_ > 0.8
    with pytest.raises(ValueError, match="invalid parameter 'alpah'"):
        model.set_params(alpah=1)


# ---------------------------------------------------------------------------------------------
# Predictive distributions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("likelihood", ["gaussian", "heteroscedastic", "poisson"])
def test_regressor_predict_dist(likelihood):
    rng, X, eta = _linear_data(n=150, p=3, seed=11)
    y = rng.poisson(np.exp(0.4 * eta)) if likelihood == "poisson" else eta + rng.normal(size=150)
    model = _quiet(MLPRegressor((6,), likelihood=likelihood, max_epochs=30, random_state=0), X, y)
    dist = model.predict_dist(X)
    assert dist.name == ("poisson" if likelihood == "poisson" else "normal")
    assert all(v.shape == (150,) for v in dist.params.values()) and dist.batch_shape == (150,)
    np.testing.assert_allclose(dist.mean(), model.predict(X), rtol=1e-12)
    assert dist.sample(random_state=0).shape == (150,)
    assert dist.logpdf(y).sum() == pytest.approx(model.log_likelihood(X, y), rel=1e-10)
    assert model.nll(X, y) == pytest.approx(-model.log_likelihood(X, y) / 150, rel=1e-12)


def test_gaussian_log_likelihood_is_at_the_mle_sigma():
    rng, X, eta = _linear_data(seed=12)
    y = eta + rng.normal(scale=2.0, size=eta.size)
    model = MLPRegressor(**GLM).fit(X, y)
    ref = sm.OLS(y, sm.add_constant(X)).fit()
    assert model.log_likelihood(X, y) == pytest.approx(ref.llf, rel=1e-8)
    upper = model.predict_dist(X).ppf(0.975)
    assert np.mean(y <= upper) == pytest.approx(0.975, abs=0.03)


def test_classifier_predict_dist():
    X = RNG.normal(size=(200, 3))
    labels = np.array(["a", "b", "c"])[np.argmax(X, axis=1)]
    multi = _quiet(
        MLPClassifier((8,), max_epochs=40, learning_rate=0.01, random_state=0), X, labels
    )
    dist = multi.predict_dist(X)
    assert dist.name == "categorical" and dist.params["probs"].shape == (200, 3)
    codes = np.searchsorted(multi.classes_, labels)
    assert dist.logpdf(codes).sum() == pytest.approx(multi.log_likelihood(X, labels), rel=1e-10)
    binary = _quiet(
        MLPClassifier((8,), max_epochs=40, random_state=0), X, (X[:, 0] > 0).astype(int)
    )
    bern = binary.predict_dist(X)
    assert bern.name == "bernoulli" and bern.params["p"].shape == (200,)
    np.testing.assert_allclose(bern.mean(), binary.predict_proba(X)[:, 1])
    Y = (X[:, :2] > 0).astype(int)
    multilabel = _quiet(MLPClassifier((8,), max_epochs=20, random_state=0), X, Y)
    both = multilabel.predict_dist(X)
    assert both.params["p"].shape == (200, 2)
    assert both.logpdf(Y).sum() == pytest.approx(multilabel.log_likelihood(X, Y), rel=1e-10)
