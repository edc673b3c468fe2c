"""Regularisation paths against scikit-learn's, and their statistics against single fits."""

import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn.linear_model as sk
from scipy import special

import loglik as ll

RNG = np.random.default_rng(3)
N, P = 150, 10
X = RNG.normal(size=(N, P))
Y = X @ np.r_[1.5, -2.0, 1.0, np.zeros(P - 3)] + RNG.normal(size=N)
Y_BIN = (RNG.random(N) < special.expit(X[:, 0] - X[:, 1])).astype(float)


def test_lasso_path_matches_sklearn_on_its_own_grid():
    path = ll.regularization_path(X, Y, n_alphas=30, eps=1e-3)
    alphas, coefs, intercepts = path
    Xc, yc = X - X.mean(0), Y - Y.mean()
    alpha_max = np.abs(Xc.T @ yc).max() / N
    np.testing.assert_allclose(alphas, np.geomspace(alpha_max, alpha_max * 1e-3, 30), rtol=1e-12)
    _, ref_coefs, _ = sk.lasso_path(Xc, yc, alphas=alphas, tol=1e-12, max_iter=100_000)
    np.testing.assert_allclose(coefs, ref_coefs.T, atol=1e-7)
    np.testing.assert_allclose(intercepts, Y.mean() - coefs @ X.mean(0), atol=1e-10)
    # exact: at alpha_max soft-thresholding gives exact zeros
    np.testing.assert_array_equal(coefs[0], 0.0)
    assert path.converged.all()


def test_enet_path_matches_sklearn():
    path = ll.regularization_path(X, Y, l1_ratio=0.3, n_alphas=20)
    Xc, yc = X - X.mean(0), Y - Y.mean()
    _, ref, _ = sk.enet_path(Xc, yc, l1_ratio=0.3, alphas=path.alphas, tol=1e-12, max_iter=100_000)
    np.testing.assert_allclose(path.coefs, ref.T, atol=1e-7)


def test_p_larger_than_n_path_matches_sklearn():
    Xw = RNG.normal(size=(30, 80))
    yw = Xw[:, :4] @ np.array([2.0, -1.0, 1.0, 0.5]) + 0.1 * RNG.normal(size=30)
    path = ll.regularization_path(Xw, yw, n_alphas=25, eps=1e-2)
    Xc, yc = Xw - Xw.mean(0), yw - yw.mean()
    _, ref, _ = sk.lasso_path(Xc, yc, alphas=path.alphas, tol=1e-13, max_iter=1_000_000)
    np.testing.assert_allclose(path.coefs, ref.T, atol=1e-5)
    assert path.converged.all()


def test_path_statistics_equal_single_fits():
    path = ll.regularization_path(X, Y, l1_ratio=0.5, n_alphas=10)
    for k in (2, 6, 9):
        est = ll.ElasticNet(path.alphas[k], 0.5).fit(X, Y)
        np.testing.assert_allclose(path.coefs[k], est.coef_, atol=1e-10)
        assert path.loglik[k] == pytest.approx(est.loglik_, rel=1e-10)
        assert path.deviance[k] == pytest.approx(est.deviance_, rel=1e-10)
        assert path.df[k] == pytest.approx(est.df_, rel=1e-10)
        assert path.aic[k] == pytest.approx(est.aic_, rel=1e-10)
        assert path.bic[k] == pytest.approx(est.bic_, rel=1e-10)
    frame = path.to_frame()
    assert frame.columns.tolist()[:4] == ["alpha", "nonzero", "df", "loglik"]
    assert len(frame) == 10


def test_logistic_path_equals_individual_fits():
    path = ll.regularization_path(X, Y_BIN, family="bernoulli", n_alphas=8, eps=0.01)
    for k in (1, 4, 7):
        est = ll.LogisticRegression(penalty="l1", alpha=path.alphas[k]).fit(X, Y_BIN)
        np.testing.assert_allclose(path.coefs[k], est.coef_, atol=1e-8)
        assert path.intercepts[k] == pytest.approx(est.intercept_, abs=1e-8)
    # the top of the grid fits the intercept only
    # exact: at alpha_max soft-thresholding gives exact zeros
    np.testing.assert_array_equal(path.coefs[0], 0.0)
    assert path.intercepts[0] == pytest.approx(special.logit(Y_BIN.mean()))


def test_categorical_and_poisson_paths():
    y3 = np.digitize(X[:, 0] + RNG.normal(size=N), [-0.5, 0.5])
    path = ll.regularization_path(X, y3, family="categorical", n_alphas=5, eps=0.05)
    assert path.coefs.shape == (5, 3, P) and path.intercepts.shape == (5, 3)
    counts = RNG.poisson(np.exp(0.3 * X[:, 0])).astype(float)
    pois = ll.regularization_path(
        X, counts, family="poisson", n_alphas=5, eps=0.05, exposure=np.full(N, 2.0)
    )
    assert pois.converged.all()
    single = ll.Lasso(pois.alphas[-1], family="poisson").fit(X, counts, exposure=np.full(N, 2.0))
    np.testing.assert_allclose(pois.coefs[-1], single.coef_, atol=1e-8)


def test_ridge_path_uses_glmnets_grid_top_and_user_alphas():
    path = ll.regularization_path(X, Y, l1_ratio=0.0, n_alphas=5)
    Xc, yc = X - X.mean(0), Y - Y.mean()
    assert path.alphas[0] == pytest.approx(np.abs(Xc.T @ yc).max() / N / 1e-3)
    user = ll.regularization_path(X, Y, alphas=[0.01, 1.0, 0.1])
    np.testing.assert_allclose(user.alphas, [1.0, 0.1, 0.01])
    named = ll.regularization_path(
        pd.DataFrame(X, columns=[f"f{j}" for j in range(P)]), Y, n_alphas=3
    )
    assert named.coef_frame().columns.tolist()[0] == "f0"


def test_progress_bar_runs():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = ll.regularization_path(X, Y, n_alphas=5, progress=True)
    assert len(path.alphas) == 5


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"eps": 0.0}, "eps must be in"),
        ({"n_alphas": 0}, "n_alphas must be in"),
        ({"alphas": [-1.0]}, "alphas must be finite and >= 0"),
        ({"l1_ratio": -0.5}, "l1_ratio must be in"),
        ({"family": "gamma"}, "unknown family 'gamma'"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ll.regularization_path(X, Y, **kwargs)
