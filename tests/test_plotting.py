"""Plots: what each function drew (artists, labels, markers in the right place)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

import loglik as ll
from loglik import plotting
from loglik.optimizers import adam, gd
from tests.problems import quadratic


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def runs():
    obj, x_star = quadratic(condition=10.0, dim=2)
    _, results = ll.compare_optimizers(
        obj,
        np.array([2.0, -1.0]),
        {"gd": gd(0.05), "adam": adam(0.1), "newton": "newton"},
        record_params=True,
        max_iter=300,
        gtol=1e-8,
    )
    return obj, x_star, results


def test_optimizer_paths_draws_each_path_from_its_start(runs):
    obj, x_star, results = runs
    ax = plotting.optimizer_paths(
        results, lambda p: obj.value([p]), reference=x_star, labels=("a", "b")
    )
    lines = {line.get_label(): line for line in ax.get_lines()}
    for label, res in results.items():
        key = f"{label} ({res.n_iter} it)"
        assert key in lines
        np.testing.assert_allclose(lines[key].get_xydata(), res.history.params)
    star = lines["minimum"]
    np.testing.assert_allclose(star.get_xydata()[0], x_star)
    assert ax.collections, "contours drawn"
    assert ax.get_xlabel() == "a" and ax.get_ylabel() == "b"
    assert len(ax.get_legend().get_texts()) == 4


def test_optimizer_paths_accepts_a_precomputed_grid(runs):
    _, _, results = runs
    u = v = np.linspace(-3, 3, 20)
    Z = np.add.outer(v**2, u**2)
    ax = plotting.optimizer_paths(results, grid=(u, v, Z))
    assert ax.collections


def test_optimizer_paths_needs_recorded_params():
    obj, _ = quadratic(dim=2)
    res = ll.minimize(obj, np.ones(2), "lbfgs")
    with pytest.raises(ValueError, match="record_params=True"):
        plotting.optimizer_paths({"lbfgs": res})


def test_loss_curve_marks_the_best_validation_epoch():
    obj, x_star = quadratic(condition=10.0)
    res = ll.minimize(
        obj,
        np.zeros(5),
        gd(0.02),
        validation=lambda p: np.sum((p[0] - 0.5 * x_star) ** 2),
        patience=5,
    )
    _, ax = plt.subplots()
    out = plotting.loss_curve(res, ax=ax)
    assert out is ax
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[:2] == ["training", "validation"]
    best = next(ln for ln in ax.get_lines() if ln.get_label().startswith("best validation"))
    assert best.get_xdata()[0] == res.best_iteration
    assert ax.get_xlabel() == "epoch"


def test_loss_curve_from_an_estimator_like_object():
    class Fitted:
        loss_curve_ = (3.0, 2.0, 1.5)
        val_loss_curve_ = (3.1, 2.5, 2.7)

    ax = plotting.loss_curve(Fitted(), log_y=True)
    train = ax.get_lines()[0]
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3])
    assert ax.get_yscale() == "log"


def test_regularization_path_and_cv_curve_plots():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 6))
    y = X[:, 0] - 2 * X[:, 1] + rng.normal(size=80)
    path = ll.regularization_path(X, y, n_alphas=20)
    ax = plotting.regularization_path(path, label_top=2)
    assert len(ax.get_lines()) == 6 + 1  # one per coefficient, plus the zero line
    assert ax.get_xscale() == "log" and ax.xaxis_inverted()
    assert {t.get_text() for t in ax.texts} == {"x0", "x1"}
    ax = plotting.regularization_path(path, x="df")
    assert ax.get_xlabel() == "effective degrees of freedom"
    cv = ll.LassoCV(cv=3, n_alphas=15, random_state=0).fit(X, y)
    ax = plotting.cv_curve(cv)
    xs = [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() in ("--", ":")]
    assert cv.alpha_min_ in xs and cv.alpha_1se_ in xs
    assert "deviance" in ax.get_ylabel()
