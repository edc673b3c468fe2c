"""Cross-validated alpha against scikit-learn's LassoCV, and the CV machinery."""

import numpy as np
import pytest
import sklearn.linear_model as sk
from scipy import special
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold

import loglik as ll
from loglik.regularization.cv import _weighted_auc

RNG = np.random.default_rng(5)
N, P = 120, 8
X = RNG.normal(size=(N, P))
Y = X @ np.r_[1.0, -1.0, 0.5, np.zeros(P - 3)] + RNG.normal(size=N)
Y_BIN = (RNG.random(N) < special.expit(X[:, 0] - X[:, 1])).astype(float)


def test_lasso_cv_matches_sklearn_with_the_same_folds():
    splits = list(KFold(4, shuffle=True, random_state=0).split(X))
    ours = ll.LassoCV(cv=splits, n_alphas=20).fit(X, Y)
    ref = sk.LassoCV(cv=splits, alphas=ours.alphas_[0], tol=1e-12, max_iter=100_000).fit(X, Y)
    np.testing.assert_allclose(ours.cv_folds_[0], ref.mse_path_, rtol=1e-6)
    assert ours.alpha_ == pytest.approx(ref.alpha_)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-7)


def test_one_standard_error_rule_and_refit():
    est = ll.LassoCV(cv=5, n_alphas=25, random_state=0).fit(X, Y)
    assert est.alpha_1se_ >= est.alpha_min_
    best = np.argmin(est.cv_mean_[0])
    k = int(np.flatnonzero(est.alphas_[0] == est.alpha_1se_)[0])
    assert est.cv_mean_[0, k] <= est.cv_mean_[0, best] + est.cv_se_[0, best]
    assert np.all(est.cv_mean_[0, :k] > est.cv_mean_[0, best] + est.cv_se_[0, best])
    one_se = ll.LassoCV(cv=5, n_alphas=25, random_state=0, refit="1se").fit(X, Y)
    assert one_se.alpha_ == one_se.alpha_1se_
    np.testing.assert_allclose(one_se.coef_, ll.Lasso(one_se.alpha_).fit(X, Y).coef_, atol=1e-10)
    again = ll.LassoCV(cv=5, n_alphas=25, random_state=0).fit(X, Y)
    assert again.alpha_ == est.alpha_  # folds come from random_state
    assert est.cv_results_.shape == (25, 4)


def test_elastic_net_cv_searches_l1_ratios():
    est = ll.ElasticNetCV(l1_ratio=[0.2, 0.6, 1.0], cv=3, n_alphas=10, random_state=1).fit(X, Y)
    assert est.cv_mean_.shape == (3, 10) and est.alphas_.shape == (3, 10)
    i, j = np.unravel_index(np.argmin(est.cv_mean_), est.cv_mean_.shape)
    assert est.l1_ratio_ == [0.2, 0.6, 1.0][i] and est.alpha_min_ == est.alphas_[i, j]
    single = ll.ElasticNet(est.alpha_, est.l1_ratio_).fit(X, Y)
    np.testing.assert_allclose(est.coef_, single.coef_, atol=1e-10)


@pytest.mark.parametrize("scoring", ["deviance", "mse", "mae", "misclassification", "auc"])
def test_classification_scorings(scoring):
    est = ll.LassoCV(
        family="bernoulli", scoring=scoring, cv=3, n_alphas=8, eps=0.01, random_state=0
    ).fit(X, Y_BIN)
    curve = est.cv_mean_[0]
    best = np.argmax(curve) if scoring == "auc" else np.argmin(curve)
    assert est.alpha_min_ == est.alphas_[0, best]
    assert est.predict(X).shape == (N,)
    assert set(np.unique(est.predict(X))) <= {0.0, 1.0}


def test_folds_are_stratified_and_labels_accepted():
    labels = np.arange(N) % 4
    est = ll.LassoCV(cv=labels, n_alphas=5).fit(X, Y)
    assert est.cv_folds_.shape == (1, 5, 4)
    rare = np.r_[np.ones(6), np.zeros(N - 6)]
    ll.LassoCV(family="bernoulli", cv=3, n_alphas=4, eps=0.1, random_state=0).fit(X, rare)


def test_weighted_auc_matches_sklearn():
    y = (RNG.random(200) < 0.4).astype(float)
    score = np.round(RNG.normal(size=200) + y, 1)  # with ties
    w = RNG.uniform(0.5, 2.0, 200)
    assert _weighted_auc(y, score, w) == pytest.approx(roc_auc_score(y, score, sample_weight=w))


@pytest.mark.parametrize(
    ("est", "y", "match"),
    [
        (ll.LassoCV(scoring="auc"), Y, "scoring='auc' is for the bernoulli family"),
        (ll.LassoCV(scoring="misclassification"), Y, "for classifier families"),
        (ll.LassoCV(scoring="r2"), Y, "unknown scoring 'r2'"),
        (ll.LassoCV(cv=1), Y, "cv must be in"),
        (ll.LassoCV(cv=[(1, 2, 3)]), Y, "cv must be a number of folds"),
        (ll.LassoCV(refit="best"), Y, "unknown refit 'best'"),
        (ll.ElasticNetCV(l1_ratio=[0.5, 2.0]), Y, "l1_ratio must be in"),
    ],
)
def test_bad_arguments(est, y, match):
    with pytest.raises(ValueError, match=match):
        est.fit(X, y)
