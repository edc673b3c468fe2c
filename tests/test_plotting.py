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


def test_gradient_norms_draws_one_line_per_epoch():
    from loglik.models.neural import MLPClassifier

    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3))
    model = MLPClassifier((4, 4), max_epochs=3, batch_size=16, tol=0, random_state=0)
    with pytest.warns(ll.ConvergenceWarning):
        model.fit(X, (X[:, 0] > 0).astype(int))
    ax = plotting.gradient_norms(model)
    assert [line.get_label() for line in ax.get_lines()] == ["epoch 1", "epoch 2", "epoch 3"]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), model.gradient_norms_.iloc[0])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["dense_1", "dense_2", "dense_3"]
    ax2 = plotting.gradient_norms(model.gradient_norms_, epochs=[2], log_y=False)
    assert len(ax2.get_lines()) == 1 and ax2.get_yscale() == "linear"
    with pytest.raises(ValueError, match="gradient_norms_"):
        plotting.gradient_norms(object())


def test_activations_and_derivatives():
    ax = plotting.activations(["relu", "tanh"])
    relu, tanh = ax.get_lines()[:2]
    assert relu.get_label() == "relu" and np.min(relu.get_ydata()) == 0
    np.testing.assert_allclose(tanh.get_ydata(), np.tanh(tanh.get_xdata()))
    ax = plotting.activations(["sigmoid"], derivative=True)
    assert np.max(ax.get_lines()[0].get_ydata()) == pytest.approx(0.25)
    assert ax.get_ylabel() == "f'(z)"
    with pytest.raises(ValueError, match="not elementwise"):
        plotting.activations(["softmax"])


# ---------------------------------------------------------------------------------------------
# Fitted distributions
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gamma_fit():
    x = ll.data.load("strikes")["duration"].to_numpy()
    return ll.fit(x, "gamma")


def _line(ax, prefix):
    return next(ln for ln in ax.get_lines() if ln.get_label().startswith(prefix))


def test_likelihood_curve_marks_the_mle_and_the_lr_interval(gamma_fit):
    ax = plotting.likelihood_curve(gamma_fit, "shape")
    mle = _line(ax, "MLE")
    assert mle.get_xdata()[0] == pytest.approx(gamma_fit.params["shape"])
    assert mle.get_ydata()[0] == pytest.approx(gamma_fit.loglik)
    curve = ax.get_lines()[0]
    assert np.max(curve.get_ydata()) == pytest.approx(gamma_fit.loglik, abs=1e-3)
    cut = _line(ax, "95% likelihood-ratio cut")
    assert cut.get_ydata()[0] == pytest.approx(gamma_fit.loglik - 1.920729, abs=1e-5)
    assert ax.get_xlabel() == "shape" and "scale at its MLE" in ax.get_title()


def test_profile_interval_equals_conf_int_profile(gamma_fit):
    ax = plotting.profile(gamma_fit, "shape", n_points=401)
    label = next(t.get_text() for t in ax.get_legend().get_texts() if "LR interval" in t.get_text())
    low, high = (float(v) for v in label.split("[")[1].rstrip("]").split(","))
    ci = gamma_fit.conf_int(method="profile").loc["shape"]
    assert low == pytest.approx(ci["lower"], rel=2e-3)
    assert high == pytest.approx(ci["upper"], rel=2e-3)
    assert _line(ax, "slice").get_linestyle() == ":"
    assert ax.get_ylabel().endswith("maximum")


def test_likelihood_surface_regions_wald_and_bootstrap(gamma_fit):
    ax = plotting.likelihood_surface(
        gamma_fit, ("shape", "scale"), bootstrap=50, random_state=0, levels=(0.5, 0.95), n_points=41
    )
    star = _line(ax, "MLE")
    np.testing.assert_allclose(
        star.get_xydata()[0], [gamma_fit.params["shape"], gamma_fit.params["scale"]]
    )
    wald = _line(ax, "95% Wald ellipse")
    xy = wald.get_xydata() - star.get_xydata()[0]
    cov = gamma_fit.cov.loc[["shape", "scale"], ["shape", "scale"]].to_numpy()
    mahalanobis = np.einsum("ij,jk,ik->i", xy, np.linalg.inv(cov), xy)
    np.testing.assert_allclose(mahalanobis, 5.991465, rtol=1e-6)  # chi2_2(0.95)
    offsets = [c for c in ax.collections if c.get_label().startswith("bootstrap")]
    assert offsets and len(offsets[0].get_offsets()) == 50
    labels = [t.get_text() for t in ax.texts]
    assert "95%" in labels and "50%" in labels
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("shape", "scale")


def test_likelihood_surface_in_3d(gamma_fit):
    ax = plotting.likelihood_surface(gamma_fit, ("shape", "scale"), kind="surface", n_points=15)
    assert ax.name == "3d" and ax.collections
    with pytest.raises(ValueError, match="kind"):
        plotting.likelihood_surface(gamma_fit, ("shape", "scale"), kind="wireframe")


def test_fit_diagnostics_four_panels(gamma_fit):
    axes = plotting.fit_diagnostics(gamma_fit)
    assert [a.get_title() for a in axes] == ["data and fitted density", "QQ plot", "PP plot", "CDF"]
    qq = axes[1].get_lines()[0]
    assert len(qq.get_xdata()) == gamma_fit.n_obs
    np.testing.assert_allclose(np.sort(qq.get_ydata()), np.sort(gamma_fit.data.x))
    pp = axes[2].get_lines()[0]
    assert np.all((pp.get_xdata() >= 0) & (pp.get_xdata() <= 1))
    with pytest.raises(ValueError, match="four"):
        plotting.fit_diagnostics(gamma_fit, axes=[plt.gca()])


def test_fit_diagnostics_for_a_discrete_family():
    counts = ll.data.load("randhie")["mdvis"].to_numpy()[:2000]
    axes = plotting.fit_diagnostics(ll.fit(counts, "negative_binomial"))
    bars = axes[0].patches
    assert len(bars) == len(np.unique(counts))
    assert sum(b.get_height() for b in bars) == pytest.approx(1.0)


def test_compare_ranks_the_legend_by_criterion():
    x = ll.data.load("strikes")["duration"].to_numpy()
    fits = {f: ll.fit(x, f) for f in ("lognormal", "gamma", "exponential")}
    ax = plotting.compare(fits)
    texts = [t.get_text() for t in ax.get_legend().get_texts() if "AIC" in t.get_text()]
    order = [t.split()[0] for t in texts]
    assert order == sorted(fits, key=lambda f: fits[f].aic)
    with pytest.raises(ValueError, match="same data"):
        plotting.compare([fits["gamma"], ll.fit(x[:30], "gamma")])


def test_probability_vs_likelihood():
    data = np.array([0.5, 1.5, 2.0])
    axes = plotting.probability_vs_likelihood(
        "normal", {"mu": 1.0, "sigma": 1.0}, data, "mu", interval=(0.0, 2.0)
    )
    left, right = axes
    area = next(
        t.get_text() for t in left.get_legend().get_texts() if t.get_text().startswith("P(")
    )
    assert area.endswith(f"{0.682689:.3f}")
    curve = right.get_lines()[0]
    grid, values = curve.get_xdata(), curve.get_ydata()
    expected = [np.sum(-0.5 * (data - m) ** 2 - 0.5 * np.log(2 * np.pi)) for m in grid]
    np.testing.assert_allclose(values, expected)
    assert _line(right, "maximum on the grid").get_xdata()[0] == pytest.approx(
        data.mean(), abs=0.01
    )
    with pytest.raises(ValueError, match="vary"):
        plotting.probability_vs_likelihood("normal", {"mu": 1.0, "sigma": 1.0}, data, "rate")


def test_optimizer_paths_of_distribution_fits_over_a_likelihood_surface(gamma_fit):
    from loglik.optimizers import adam

    x = gamma_fit.data.x
    start = {"shape": 2.0, "scale": 20.0}
    fits = {
        "adam": ll.fit(x, "gamma", optimizer=adam(0.1), start=start),
        "newton": ll.fit(x, "gamma", optimizer="newton", start=start),
    }
    surf = ll.loglik_surface(gamma_fit, ("shape", "scale"), n_points=30)
    ax = plotting.optimizer_paths(fits, grid=surf, coords=("shape", "scale"))
    for label, fit in fits.items():
        line = _line(ax, f"{label} (")
        np.testing.assert_allclose(line.get_xydata(), fit.path[["shape", "scale"]].to_numpy())
        np.testing.assert_allclose(line.get_xydata()[0], [2.0, 20.0])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("shape", "scale")


def test_map_vs_mle_draws_map_band_and_mle():
    x = np.random.default_rng(0).normal(2.0, 1.0, 200)
    frame = ll.map_vs_mle(
        x, "normal", {"mu": ll.Normal(0.0, 0.5)}, sizes=[1, 5, 20, 200], fixed={"sigma": 1.0}
    )
    ax = plotting.map_vs_mle(frame)
    map_line, mle_line = _line(ax, "MAP"), _line(ax, "MLE")
    np.testing.assert_allclose(map_line.get_xdata(), [1, 5, 20, 200])
    np.testing.assert_allclose(map_line.get_ydata(), frame["map"])
    np.testing.assert_allclose(mle_line.get_ydata(), frame["mle"])
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "sample size n"
    band = next(c for c in ax.collections if "credible" in c.get_label())
    assert band is not None
    with pytest.raises(ValueError, match="parameter must be one of mu"):
        plotting.map_vs_mle(frame, "sigma")
    with pytest.raises(ValueError, match=r"loglik\.map_vs_mle"):
        plotting.map_vs_mle(frame.drop(columns="mle"))


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


def test_plotting_is_reachable_from_the_package_without_importing_it_eagerly():
    import subprocess
    import sys

    code = (
        "import sys, loglik as ll; assert 'matplotlib.pyplot' not in sys.modules; "
        "assert ll.plotting.likelihood_surface"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
