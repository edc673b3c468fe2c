"""Boundary estimates said out loud: ``FitResult.boundary``, the warning, ``summary()`` and the
intervals, at a closed end of a domain (a probability of 0) and tending to an open one
(Student's t's df -> infinity, the negative binomial's Poisson limit)."""

import warnings

import numpy as np
import pytest
from scipy import stats

import loglik as ll

NORMAL = np.random.default_rng(201).normal(3.0, 2.0, 400)
HEAVY = np.random.default_rng(202).standard_t(4.0, 400) * 2.0 + 3.0
CHI2 = stats.chi2.ppf(0.95, 1)


def _el_nino():
    sm = pytest.importorskip("statsmodels.api")
    return sm.datasets.elnino.load_pandas().data.drop(columns="YEAR").to_numpy().ravel()


def _quiet_fit(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ll.BoundaryWarning)
        return ll.fit(*args, **kwargs)


def test_the_warning_is_a_public_user_warning():
    assert issubclass(ll.BoundaryWarning, UserWarning)
    assert "BoundaryWarning" in ll.__all__


@pytest.mark.parametrize("data", ["el nino", "normal"])
def test_student_t_on_normal_data_tends_to_the_normal(data):
    x = _el_nino() if data == "el nino" else NORMAL
    with pytest.warns(ll.BoundaryWarning, match=r"student_t: df -> infinity: the normal limit"):
        res = ll.fit(x, "student_t")
    assert res.boundary == {"df": "-> inf"}
    b = res.boundary_details["df"]
    assert not b.reached and b.model == "normal"
    normal = ll.fit(x, "normal")
    assert b.loglik == pytest.approx(normal.loglik, rel=1e-15)
    # the rule: the limit's maximised log-likelihood is at least the fit's, to 1e-8 relative
    assert b.loglik >= res.loglik - 1e-8 * abs(res.loglik)
    # df's curvature means nothing there; loc and scale get the normal limit's standard errors
    assert np.isnan(res.se["df"])
    assert res.se["loc"] == pytest.approx(normal.se["mu"], rel=1e-3)
    assert res.se["scale"] == pytest.approx(normal.se["sigma"], rel=1e-3)
    wald = res.conf_int()
    assert wald.loc["df"].isna().all() and wald.loc[["loc", "scale"]].notna().all().all()
    lower, upper = res.conf_int(method="profile").loc["df"]
    assert upper == np.inf and 1.0 < lower < res.params["df"]
    # at the lower end the profile has fallen by the chi-square quantile from the normal's
    at_lower = _quiet_fit(x, "student_t", fixed={"df": lower})
    assert 2.0 * (b.loglik - at_lower.loglik) == pytest.approx(CHI2, rel=1e-6)


def test_summary_says_it_and_shows_the_one_sided_profile_interval():
    res = _quiet_fit(_el_nino(), "student_t")
    s = res.summary()
    text = str(s)
    assert "boundary: df -> infinity" in text and "NaN" in text
    assert s.info["intervals"] == "wald; profile for df (boundary)"
    assert s.table.loc["df", "upper 95%"] == np.inf
    profile = res.conf_int(method="profile")
    assert s.table.loc["df", "lower 95%"] == pytest.approx(profile.loc["df", "lower"], rel=1e-9)
    assert np.isnan(s.table.loc["df", "se"])
    assert res.diagnostics["boundary"] == {"df": "-> inf"}
    assert res.diagnostics["notes"][0].startswith("df -> infinity")


def test_heavy_tailed_data_give_an_interior_t_fit_and_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ll.BoundaryWarning)
        res = ll.fit(HEAVY, "student_t")
    assert res.boundary == {} and 2.0 < res.params["df"] < 10.0
    assert np.isfinite(res.se["df"]) and "boundary" not in str(res.summary())


def test_the_limit_respects_fixed_parameters():
    with pytest.warns(ll.BoundaryWarning):
        res = ll.fit(NORMAL, "student_t", fixed={"loc": 3.0})
    normal = ll.fit(NORMAL, "normal", fixed={"mu": 3.0})
    assert res.boundary_details["df"].loglik == pytest.approx(normal.loglik, rel=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ll.BoundaryWarning)
        fixed_df = ll.fit(NORMAL, "student_t", fixed={"df": 30.0})
    assert fixed_df.boundary == {}


@pytest.mark.parametrize(
    ("x", "family", "fixed", "label", "end"),
    [
        (np.zeros(50), "bernoulli", None, "p", "= 0"),
        (np.ones(50), "bernoulli", None, "p", "= 1"),
        (np.zeros(40), "poisson", None, "rate", "= 0"),
        (np.ones(30), "geometric", None, "p", "= 1"),
        (np.zeros(20), "binomial", {"n": 5}, "p", "= 0"),
        (np.r_[np.zeros(10), 2.0 * np.ones(10)], "categorical", None, "probs[1]", "= 0"),
    ],
)
def test_an_estimate_at_a_closed_end_is_flagged(x, family, fixed, label, end):
    with pytest.warns(ll.BoundaryWarning, match=rf"{family}: {label.replace('[', '.')}"):
        res = ll.fit(x, family, fixed=fixed)
    assert res.boundary == {label: end} and res.boundary_details[label].reached
    assert res.se[label] == 0.0  # the plug-in formula's value, kept (no curvature at the edge)
    assert res.conf_int().loc[label].isna().all()  # the degenerate Wald interval is not shown
    s = res.summary()
    assert f"boundary: {label} = {end[2:]}" in str(s)
    assert np.isfinite(s.table.loc[label, ["lower 95%", "upper 95%"]]).all()


def test_the_bernoulli_profile_interval_at_zero_is_the_closed_form():
    s = _quiet_fit(np.zeros(100), "bernoulli").summary()
    assert s.table.loc["p", "lower 95%"] == 0.0
    assert s.table.loc["p", "upper 95%"] == pytest.approx(-np.expm1(-CHI2 / 200), rel=1e-8)


def _nearly_poisson():
    """Poisson(4) frequencies, one raised by 1e-4: over-dispersed by 8e-7 (the MLE exists, at
    n about 5e6, and the Poisson fits as well to 1e-13)."""
    k = np.arange(60.0)
    w = stats.poisson.pmf(k, 4.0) * 1000.0
    w[12] *= 1.0001
    return k, w


def test_negative_binomial_at_the_poisson_limit():
    k, w = _nearly_poisson()
    with pytest.warns(ll.BoundaryWarning, match="n -> infinity: the poisson limit"):
        res = ll.fit(k, "negative_binomial", weights=w)
    assert res.boundary == {"n": "-> inf", "p": "-> 1"}
    poisson = ll.fit(k, "poisson", weights=w)
    assert res.boundary_details["n"].loglik == pytest.approx(poisson.loglik, rel=1e-15)
    assert np.isnan(res.se["n"]) and np.isnan(res.se["p"])
    ci = res.conf_int(method="profile")
    assert ci.loc["n", "upper"] == np.inf and 1.0 < ci.loc["n", "lower"] < res.params["n"]
    assert ci.loc["p", "upper"] == 1.0 and 0.5 < ci.loc["p", "lower"] < res.params["p"]


def test_over_dispersed_counts_give_an_interior_negative_binomial():
    x = np.random.default_rng(203).negative_binomial(3.0, 0.4, 500).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ll.BoundaryWarning)
        res = ll.fit(x, "negative_binomial")
    assert res.boundary == {} and np.isfinite(res.se["n"])


@pytest.mark.parametrize("family", ["gamma", "weibull", "inverse_gamma", "beta"])
def test_nearly_constant_data_give_large_but_interior_shapes(family):
    """A shape of 1e8 is not a boundary estimate: these MLEs exist whenever the values differ
    (the gamma's shape is about 1/(2 (log mean - mean log)), its profile has curvature n/2 in
    log shape), so the Wald interval on the log scale is valid and agrees with the profile."""
    rng = np.random.default_rng(204)
    x = 0.4 + 4e-5 * rng.standard_normal(200)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ll.BoundaryWarning)
        res = ll.fit(x, family)
    assert res.boundary == {}
    name = "a" if family == "beta" else "shape"
    assert res.params[name] > (1e4 if family == "weibull" else 1e7)  # 1.28/CV and 1/CV^2
    wald, profile = res.conf_int().loc[name], res.conf_int(method="profile").loc[name]
    assert np.all(np.isfinite(profile))
    np.testing.assert_allclose(wald, profile, rtol=0.05)


def test_compare_notes_the_boundary_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ll.BoundaryWarning)
        table = ll.compare(NORMAL, ["normal", "student_t", "logistic"])
    assert table.loc["student_t", "note"] == "boundary: df -> inf"
    assert table.loc["normal", "note"] == ""


def test_a_map_estimate_checks_closed_ends_only():
    post = ll.fit_map(np.zeros(5), "bernoulli", {"p": ll.Beta(0.5, 0.5)})  # Beta(0.5, 5.5)
    assert post.params["p"] == 0.0 and post.boundary == {"p": "= 0"}
    t_map = ll.fit_map(NORMAL, "student_t", prior={"df": ll.Gamma(2.0, 10.0)})
    assert t_map.boundary == {}  # the prior keeps df finite; no limit-model comparison
