"""scikit-learn's estimator checks pass for every regression estimator, and they compose."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import check_estimator

import loglik as ll

ESTIMATORS = [
    ll.LinearRegression(),
    ll.LogisticRegression(),
    ll.PoissonRegression(),
    ll.SoftmaxRegression(),
    ll.Lasso(),
    ll.Ridge(),
    ll.ElasticNet(),
    ll.LogisticRegression(penalty="l1"),
    ll.LogisticRegression(penalty="elasticnet"),
    ll.Lasso(alpha=0.01, family="bernoulli"),
    ll.Ridge(alpha=0.01, family="poisson"),
    ll.Lasso(alpha=0.01, family="categorical"),
    ll.LassoCV(cv=3, n_alphas=8),
    ll.ElasticNetCV(cv=3, n_alphas=8),
]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_check_estimator(estimator):
    # unpenalised fits on the checks' separable classification data legitimately warn that the
    # MLE does not exist; the contract checks themselves must all pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ll.ConvergenceWarning)
        results = check_estimator(estimator, on_fail=None)
    failed = [(r["check_name"], r["exception"]) for r in results if r["status"] == "failed"]
    assert not failed, failed


def test_tags_describe_the_family():
    assert get_tags(ll.Lasso()).estimator_type == "regressor"
    assert get_tags(ll.Lasso(family="bernoulli")).estimator_type == "classifier"
    assert not get_tags(ll.Lasso(family="bernoulli")).classifier_tags.multi_class
    assert get_tags(ll.PoissonRegression()).target_tags.positive_only


def test_pipelines_and_grid_search():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(80, 4)), columns=list("abcd"))
    y = X["a"] - 2 * X["b"] + rng.normal(size=80)
    pipe = make_pipeline(StandardScaler(), ll.Lasso())
    search = GridSearchCV(pipe, {"lasso__alpha": [0.01, 0.1, 1.0]}, cv=3).fit(X, y)
    assert search.best_params_["lasso__alpha"] in (0.01, 0.1)
    est = ll.LinearRegression().fit(X, y)
    assert est.feature_names_in_.tolist() == list("abcd")
    assert ll.Lasso(alpha=0.3).get_params()["alpha"] == 0.3
    assert "alpha=0.3" in repr(ll.Lasso(alpha=0.3))
