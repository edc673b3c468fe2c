"""Log-likelihood curves and surfaces: fixed slices and profiles."""

import numpy as np
import pytest
from scipy import stats

import loglik as ll

RNG = np.random.default_rng(9)
NORMAL = RNG.normal(1.0, 2.0, 200)
T_DATA = RNG.standard_t(4.0, 300) * 1.5 + 0.5


def test_curve_with_the_others_fixed_is_the_loglik_at_each_value():
    res = ll.fit(NORMAL, "normal")
    curve = res.loglik_curve("mu", n_points=21)
    assert list(curve.columns) == ["mu", "loglik", "relative"]
    expected = [stats.norm.logpdf(NORMAL, m, res.params["sigma"]).sum() for m in curve["mu"]]
    np.testing.assert_allclose(curve["loglik"], expected, rtol=1e-12)
    assert curve["relative"].max() == pytest.approx(0.0, abs=1e-9)  # the MLE is the middle point
    assert curve.attrs["mle"] == res.params["mu"] and not curve.attrs["profile"]
    sigma = ll.loglik_curve(res, "sigma", n_points=11)
    assert (sigma["sigma"] > 0).all()  # the default grid stays inside the domain


def test_profile_curve_for_the_normal_mean_is_closed_form():
    res = ll.fit(NORMAL, "normal")
    values = np.linspace(0.0, 2.0, 9)
    curve = res.loglik_curve("mu", values, profile=True)
    n = len(NORMAL)
    s2 = ((NORMAL[:, None] - values) ** 2).mean(axis=0)
    np.testing.assert_allclose(curve["loglik"], -n / 2 * (np.log(2 * np.pi * s2) + 1), rtol=1e-12)
    np.testing.assert_allclose(curve["sigma"], np.sqrt(s2), rtol=1e-12)
    lo, hi = res.conf_int(method="profile").loc["mu"]
    inside = curve["relative"] >= -ll.wilks_drop(0.95)
    assert np.all((values[inside] >= lo) & (values[inside] <= hi))


def test_vectorised_slices_for_every_kind_of_family():
    for family, data in [
        ("gamma", RNG.gamma(2.0, 1.0, 100)),
        ("weibull", RNG.weibull(1.5, 100)),
        ("student_t", T_DATA),
        ("uniform", NORMAL),
    ]:
        res = ll.fit(data, family)
        label = res.labels[-1]
        curve = res.loglik_curve(label, n_points=7)
        for v, value in zip(curve[label], curve["loglik"]):
            dist = type(res.dist)(**{**res.params, label: v})
            assert value == pytest.approx(dist.loglik(data), rel=1e-10)


def test_surface_layout_and_values():
    res = ll.fit(T_DATA, "student_t")
    surface = res.loglik_surface(("loc", "scale"), n_points=(5, 4))
    assert surface.loglik.shape == (4, 5) and surface.params == ("loc", "scale")
    i, j = 2, 3
    dist = ll.StudentT(res.params["df"], surface.x[j], surface.y[i])
    assert surface.loglik[i, j] == pytest.approx(dist.loglik(T_DATA), rel=1e-10)
    assert surface.relative.max() <= 1e-9
    frame = surface.to_frame()
    assert list(frame.columns) == ["loc", "scale", "loglik", "relative"] and len(frame) == 20
    assert surface.region_level(0.95) == pytest.approx(res.loglik - stats.chi2.ppf(0.95, 2) / 2)
    assert surface.mle == {"loc": res.params["loc"], "scale": res.params["scale"]}


def test_profile_surface_maximises_over_the_rest():
    res = ll.fit(T_DATA, "student_t")
    fixed = res.loglik_surface(("loc", "scale"), n_points=3)
    profiled = res.loglik_surface(("loc", "scale"), n_points=3, profile=True)
    assert np.all(profiled.loglik >= fixed.loglik - 1e-9)
    assert profiled.loglik[1, 1] == pytest.approx(res.loglik, abs=1e-6)  # at the MLE
    normal = ll.fit(NORMAL, "normal")  # nothing left to profile: the slice itself
    two = normal.loglik_surface(("mu", "sigma"), n_points=3, profile=True)
    # exact: with nothing to profile out, profile=True runs the slice's own code
    np.testing.assert_array_equal(
        two.loglik, normal.loglik_surface(("mu", "sigma"), n_points=3).loglik
    )


def test_curves_for_vector_entries():
    x = RNG.normal(size=(150, 2)) @ [[1.0, 0.5], [0.0, 1.0]]
    res = ll.fit(x, "multivariate_normal")
    curve = res.loglik_curve("mean[0]", n_points=5)
    mean, cov = res.params["mean"].copy(), res.params["cov"]
    mean[0] = curve["mean[0]"].iloc[1]
    assert curve["loglik"].iloc[1] == pytest.approx(ll.MultivariateNormal(mean, cov).loglik(x))
    profile = res.loglik_curve("mean[0]", n_points=5, profile=True)
    assert np.all(profile["loglik"] >= curve["loglik"] - 1e-9)
    cov_curve = res.loglik_curve("cov[1,0]", n_points=5)
    assert np.isfinite(cov_curve["loglik"]).all()
    probs = ll.fit(RNG.integers(0, 3, 200).astype(float), "categorical")
    assert len(probs.loglik_curve("probs[1]", n_points=5, profile=True)) == 5


def test_wilks_drop():
    assert ll.wilks_drop(0.95) == pytest.approx(1.920729, rel=1e-6)
    assert ll.wilks_drop(0.95, 2) == pytest.approx(2.995732, rel=1e-6)


def test_bad_requests():
    res = ll.fit(NORMAL, "normal", fixed={"mu": 1.0})
    with pytest.raises(ValueError, match="'mu' is not a free parameter"):
        res.loglik_curve("mu")
    res = ll.fit(NORMAL, "normal")
    with pytest.raises(ValueError, match=r"sigma.*must be > 0"):
        res.loglik_curve("sigma", [1.0, -1.0])
    with pytest.raises(ValueError, match="finite"):
        res.loglik_curve("mu", [np.nan])
    with pytest.raises(ValueError, match="two different labels"):
        res.loglik_surface(("mu", "mu"))
