"""Standard errors, intervals (Wald, profile, bootstrap, exact), tests and criteria."""

import warnings

import numpy as np
import pytest
from scipy import optimize, stats

import loglik as ll

RNG = np.random.default_rng(7)  # module data only: tests draw from their own seeds (xdist order)
GAMMA = RNG.gamma(2.0, 3.0, 500)
WEIBULL = 2.0 * RNG.weibull(1.5, 300)
NORMAL = RNG.normal(1.0, 2.0, 200)


def _statsmodels_fit(x, logpdf, start):
    from statsmodels.base.model import GenericLikelihoodModel

    class Model(GenericLikelihoodModel):
        def loglike(self, params):
            return float(np.sum(logpdf(self.endog, params)))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = Model(x, exog=np.ones((len(x), 1)))
        return model.fit(
            start_params=start, method="nm", maxiter=4000, disp=0, xtol=1e-11, ftol=1e-13
        )


@pytest.mark.parametrize(
    ("family", "data", "logpdf"),
    [
        ("gamma", GAMMA, lambda x, p: stats.gamma.logpdf(x, p[0], scale=p[1])),
        ("weibull", WEIBULL, lambda x, p: stats.weibull_min.logpdf(x, p[0], scale=p[1])),
        (
            "student_t",
            np.random.default_rng(100).standard_t(4.0, 400) * 2 + 1,
            lambda x, p: stats.t.logpdf(x, p[0], p[1], p[2]),
        ),
        ("logistic", NORMAL, lambda x, p: stats.logistic.logpdf(x, p[0], p[1])),
    ],
)
def test_standard_errors_agree_with_statsmodels(family, data, logpdf):
    res = ll.fit(data, family)
    theirs = _statsmodels_fit(data, logpdf, list(res.estimates.values()))
    np.testing.assert_allclose(list(res.estimates.values()), theirs.params, rtol=1e-5)
    np.testing.assert_allclose(list(res.se.values()), theirs.bse, rtol=2e-3)
    cov = res.cov.to_numpy()
    np.testing.assert_allclose(cov, theirs.cov_params(), rtol=5e-3, atol=1e-10)


def test_standard_errors_in_closed_form():
    n = len(NORMAL)
    res = ll.fit(NORMAL, "normal")
    s = res.params["sigma"]
    assert res.se["mu"] == pytest.approx(s / np.sqrt(n), rel=1e-12)
    assert res.se["sigma"] == pytest.approx(s / np.sqrt(2 * n), rel=1e-12)
    counts = np.random.default_rng(101).poisson(3.0, 300).astype(float)
    assert ll.fit(counts, "poisson").se["rate"] == pytest.approx(np.sqrt(counts.mean() / 300))
    b = (np.random.default_rng(102).random(300) < 0.3).astype(float)
    p = b.mean()
    assert ll.fit(b, "bernoulli").se["p"] == pytest.approx(np.sqrt(p * (1 - p) / 300))
    e = ll.fit(GAMMA, "exponential")
    assert e.se["scale"] == pytest.approx(GAMMA.mean() / np.sqrt(len(GAMMA)))
    lap = ll.fit(NORMAL, "laplace")  # expected information: b^2 / n for both
    assert lap.se["loc"] == pytest.approx(lap.params["scale"] / np.sqrt(n))
    u = ll.fit(NORMAL, "uniform")
    width = NORMAL.max() - NORMAL.min()
    assert u.se["high"] == pytest.approx(width * np.sqrt(n / ((n + 1) ** 2 * (n + 2))))
    cat = ll.fit(np.r_[np.zeros(30), np.ones(50), 2 * np.ones(20)], "categorical")
    np.testing.assert_allclose(
        cat.cov.to_numpy(),
        (np.diag([0.3, 0.5, 0.2]) - np.outer([0.3, 0.5, 0.2], [0.3, 0.5, 0.2])) / 100,
    )
    assert cat.k == 2


def test_multivariate_normal_covariance_of_the_estimates():
    x = np.random.default_rng(103).normal(size=(400, 2)) @ [[1.0, 0.3], [0.0, 0.8]]
    res = ll.fit(x, "multivariate_normal")
    S = res.params["cov"]
    np.testing.assert_allclose(res.cov.iloc[:2, :2], S / 400, rtol=1e-10)
    # Var(S_ij) = (S_ii S_jj + S_ij^2) / n for the MLE of a normal covariance
    assert res.se["cov[1,0]"] ** 2 == pytest.approx((S[0, 0] * S[1, 1] + S[0, 1] ** 2) / 400)
    assert res.se["cov[0,0]"] ** 2 == pytest.approx(2 * S[0, 0] ** 2 / 400)


def test_wald_intervals_are_built_on_the_unconstrained_scale():
    res = ll.fit(NORMAL, "normal")
    ci = res.conf_int(0.9)
    z = stats.norm.ppf(0.95)
    mu, s = res.params["mu"], res.params["sigma"]
    assert ci.loc["mu"].tolist() == pytest.approx([mu - z * res.se["mu"], mu + z * res.se["mu"]])
    f = np.exp(z * res.se["sigma"] / s)
    assert ci.loc["sigma"].tolist() == pytest.approx([s / f, s * f])
    b = ll.fit((np.random.default_rng(104).random(40) < 0.1).astype(float), "bernoulli")
    lo, hi = b.conf_int().loc["p"]
    assert 0 < lo < b.params["p"] < hi < 1
    assert list(ci.columns) == ["lower", "upper"]


def _independent_profile_interval(loglik_profile, hat, level, lo, hi):
    best = loglik_profile(hat)
    cut = stats.chi2.ppf(level, 1) / 2.0

    def f(v):
        return best - loglik_profile(v) - cut

    return optimize.brentq(f, lo, hat, xtol=1e-12), optimize.brentq(f, hat, hi, xtol=1e-12)


def test_profile_intervals_agree_with_an_independent_computation():
    res = ll.fit(GAMMA, "gamma")
    ci = res.conf_int(0.95, "profile")
    a_hat = res.params["shape"]

    def gamma_profile(a):  # the scale's MLE for a given shape is mean/a
        return stats.gamma.logpdf(GAMMA, a, scale=GAMMA.mean() / a).sum()

    expected = _independent_profile_interval(gamma_profile, a_hat, 0.95, a_hat / 3, a_hat * 3)
    np.testing.assert_allclose(ci.loc["shape"], expected, rtol=1e-7)

    res = ll.fit(WEIBULL, "weibull")
    lam = res.params["scale"]

    def weibull_profile(scale):
        fit = optimize.minimize_scalar(
            lambda u: -stats.weibull_min.logpdf(WEIBULL, np.exp(u), scale=scale).sum(),
            bracket=(-1.0, 1.0),
            tol=1e-12,
        )
        return -fit.fun

    expected = _independent_profile_interval(weibull_profile, lam, 0.9, lam / 2, lam * 2)
    np.testing.assert_allclose(res.conf_int(0.9, "profile").loc["scale"], expected, rtol=1e-6)

    # the normal mean's profile likelihood is closed form: mu = mean +- sigma sqrt(e^(c/n) - 1)
    res = ll.fit(NORMAL, "normal")
    n, c = len(NORMAL), stats.chi2.ppf(0.95, 1)
    half = res.params["sigma"] * np.sqrt(np.expm1(c / n))
    np.testing.assert_allclose(
        res.conf_int(method="profile").loc["mu"],
        [NORMAL.mean() - half, NORMAL.mean() + half],
        rtol=1e-9,
    )


def test_profile_intervals_for_vector_entries_and_boundaries():
    cat = ll.fit(np.r_[np.zeros(30), np.ones(50), 2 * np.ones(20)], "categorical")
    ci = cat.conf_int(method="profile")
    # p_0's profile is a binomial likelihood: 30 of 100
    expected = ll.fit(np.r_[np.ones(30), np.zeros(70)], "bernoulli").conf_int(method="profile")
    np.testing.assert_allclose(ci.loc["probs[0]"], expected.loc["p"], rtol=1e-8)
    x = np.random.default_rng(105).normal(size=(100, 2))
    mvn = ll.fit(x, "multivariate_normal")
    np.testing.assert_allclose(
        mvn.conf_int().loc["mean[1]"], ll.fit(x[:, 1], "normal").conf_int().loc["mu"], rtol=1e-10
    )
    with pytest.raises(ValueError, match=r"profile intervals for 'cov\[0,0\]'"):
        mvn.conf_int(method="profile")
    zeros = np.zeros(50)
    b = ll.fit(zeros, "bernoulli")
    assert b.diagnostics["on_boundary"] == ["p"] and b.se["p"] == 0.0
    lo, hi = b.conf_int(0.95, "profile").loc["p"]
    assert lo == 0.0 and hi == pytest.approx(-np.expm1(-stats.chi2.ppf(0.95, 1) / 100), rel=1e-8)
    rate = ll.fit(zeros, "poisson").conf_int(method="profile").loc["rate"]
    assert rate.tolist() == pytest.approx([0.0, stats.chi2.ppf(0.95, 1) / 100], rel=1e-8)


def test_profile_of_a_mean_vector_entry_is_closed_form():
    x = np.random.default_rng(106).normal(size=(80, 3)) @ np.random.default_rng(107).normal(
        size=(3, 3)
    )
    res = ll.fit(x, "multivariate_normal")
    S = res.params["cov"]
    n, c = 80, stats.chi2.ppf(0.95, 1)
    half = np.sqrt(S[2, 2] * np.expm1(c / n))
    lo, hi = ll.estimation.inference.profile_interval(res, "mean[2]", 0.95)
    assert [lo, hi] == pytest.approx([x[:, 2].mean() - half, x[:, 2].mean() + half], rel=1e-9)


def test_exact_intervals():
    res = ll.fit(NORMAL, "normal")
    ci = res.conf_int(0.9, "exact")
    n, s = len(NORMAL), NORMAL.std(ddof=1)
    t = stats.t.interval(0.9, n - 1, loc=NORMAL.mean(), scale=s / np.sqrt(n))
    assert ci.loc["mu"].tolist() == pytest.approx(list(t))
    chi = stats.chi2.ppf([0.95, 0.05], n - 1)
    assert ci.loc["sigma"].tolist() == pytest.approx(list(np.sqrt((n - 1) * s**2 / chi)))
    k = np.r_[np.ones(7), np.zeros(13)]
    from statsmodels.stats.proportion import proportion_confint

    cp = ll.fit(k, "bernoulli").conf_int(method="exact").loc["p"]
    assert cp.tolist() == pytest.approx(list(proportion_confint(7, 20, method="beta")))
    counts = np.array([0.0, 2.0, 1.0, 4.0])
    garwood = ll.fit(counts, "poisson").conf_int(method="exact").loc["rate"]
    assert garwood.tolist() == pytest.approx(
        [stats.chi2.ppf(0.025, 14) / 8, stats.chi2.ppf(0.975, 16) / 8]
    )
    with pytest.raises(ValueError, match="no exact intervals"):
        ll.fit(GAMMA, "gamma").conf_int(method="exact")


def test_uniform_intervals_are_exact_and_wald_is_refused():
    res = ll.fit(NORMAL, "uniform")
    with pytest.raises(ValueError, match="not regular"):
        res.conf_int(method="wald")
    lo, hi = res.conf_int(0.95, "exact").loc["high"]
    assert lo == NORMAL.max()
    n = len(NORMAL)
    assert hi == pytest.approx(
        NORMAL.min() + (NORMAL.max() - NORMAL.min()) * 0.05 ** (-1 / (n - 1))
    )
    assert "lower 95%" in res.summary().table.columns  # summary falls back to exact


def test_uniform_exact_interval_coverage():
    hits = 0
    for seed in range(400):
        x = np.random.default_rng(seed).uniform(2.0, 5.0, 12)
        ci = ll.fit(x, "uniform").conf_int(0.9, "exact")
        hits += ci.loc["high", "lower"] <= 5.0 <= ci.loc["high", "upper"]
    assert 0.86 <= hits / 400 <= 0.94


def test_bootstrap_is_reproducible_and_close_to_wald_for_large_n():
    res = ll.fit(GAMMA, "gamma")
    a = res.conf_int(method="bootstrap", n_boot=300, random_state=1)
    b = res.conf_int(method="bootstrap", n_boot=300, random_state=1)
    pd_testing = pytest.importorskip("pandas").testing
    pd_testing.assert_frame_equal(a, b)
    wald = res.conf_int()
    np.testing.assert_allclose(a.to_numpy(), wald.to_numpy(), rtol=0.06)
    reps = res.bootstrap(300, random_state=1)
    assert reps.shape == (300, 2) and reps.attrs["failed"] == 0
    assert reps["shape"].std() == pytest.approx(res.se["shape"], rel=0.15)


def test_bootstrap_drops_replicates_without_an_mle():
    res = ll.fit(np.r_[np.ones(2), np.zeros(1)], "bernoulli")
    reps = res.bootstrap(50, random_state=0)
    assert len(reps) == 50  # boundary estimates (0 or 1) are estimates, not failures
    small = ll.fit([1.0, 2.0, 3.0], "normal")
    reps = small.bootstrap(40, random_state=0)
    assert len(reps) + reps.attrs["failed"] == 40


def test_information_criteria():
    res = ll.fit(GAMMA, "gamma")
    n, k, L = len(GAMMA), 2, res.loglik
    assert res.aic == pytest.approx(2 * k - 2 * L)
    assert res.aicc == pytest.approx(2 * k - 2 * L + 2 * k * (k + 1) / (n - k - 1))
    assert res.bic == pytest.approx(k * np.log(n) - 2 * L)
    assert ll.fit([1.0, 2.0, 4.0], "gamma").aicc == np.inf  # n <= k + 1


def test_likelihood_ratio_test():
    full = ll.fit(GAMMA, "gamma")
    restricted = ll.fit(GAMMA, "gamma", fixed={"shape": 1.0})
    exponential = ll.fit(GAMMA, "exponential")
    test = ll.lrt(restricted, full)
    assert test.df == 1
    assert test.statistic == pytest.approx(2 * (full.loglik - exponential.loglik))
    assert test.pvalue == pytest.approx(stats.chi2.sf(test.statistic, 1))
    assert full.lrt(exponential) == pytest.approx(test)
    with pytest.raises(ValueError, match="different data"):
        ll.lrt(ll.fit(GAMMA[:100], "exponential"), full)
    with pytest.raises(ValueError, match="must have fewer"):
        ll.lrt(full, restricted)
    with pytest.raises(ValueError, match="not nested"):
        ll.lrt(ll.fit(GAMMA, "weibull", fixed={"shape": 1.5}), ll.fit(GAMMA, "normal"))
    with pytest.raises(ValueError, match="must be a FitResult"):
        ll.lrt(1.0, full)


def test_summary_and_repr():
    res = ll.fit(NORMAL, "normal")
    s = res.summary(usual=True)
    assert list(s.table.index) == ["mu", "sigma"]
    assert s.table.loc["sigma", "usual"] == pytest.approx(NORMAL.std(ddof=1))
    assert s.table.loc["mu", "usual"] == pytest.approx(NORMAL.mean())
    assert s.info["AIC"] == res.aic and s.info["k"] == 2
    text = str(s)
    assert "normal maximum likelihood" in text and "AIC" in text and "sigma" in text
    assert "sigma=" in repr(res) and "AIC=" in repr(res)
    fixed = ll.fit(NORMAL, "normal", fixed={"mu": 0.0})
    assert "fixed: mu = 0" in str(fixed.summary()) and "mu=0 fixed" in repr(fixed)
    profile = res.summary(method="profile")
    assert profile.info["intervals"] == "profile"


def test_diagnostics():
    res = ll.fit(GAMMA, "gamma")
    d = res.diagnostics
    assert d["grad_norm"] < 1e-8 and d["hessian_pd"] and d["on_boundary"] == []
    assert d["condition_number"] >= 1 and d["notes"] == []
    t = ll.fit(NORMAL, "student_t")
    assert "df" in t.diagnostics["notes"][0] and "infinity" in t.diagnostics["notes"][0]
    u = ll.fit(NORMAL, "uniform").diagnostics
    assert not u["regular"] and np.isnan(u["grad_norm"])


def test_to_scipy_and_dist():
    res = ll.fit(GAMMA, "gamma")
    assert res.to_scipy().mean() == pytest.approx(res.dist.mean())
    assert res.dist.params == res.params


def _coverage(family, truth, n, reps, seed, methods=("wald", "profile")):
    rng = np.random.default_rng(seed)
    dist = getattr(ll, family)(**truth)
    hits = {m: dict.fromkeys(truth, 0) for m in methods}
    for _ in range(reps):
        res = ll.fit(dist.sample(n, rng), dist.name)
        for m in methods:
            ci = res.conf_int(0.95, m)
            for name, value in truth.items():
                hits[m][name] += ci.loc[name, "lower"] <= value <= ci.loc[name, "upper"]
    return {m: {k: v / reps for k, v in h.items()} for m, h in hits.items()}


def test_coverage_quick():
    cover = _coverage("Gamma", {"shape": 2.0, "scale": 3.0}, 60, 150, seed=1)
    for method in cover.values():
        for rate in method.values():
            assert 0.89 <= rate <= 0.99


@pytest.mark.slow
@pytest.mark.parametrize(
    ("family", "truth"),
    [
        ("Normal", {"mu": 1.0, "sigma": 2.0}),
        ("Gamma", {"shape": 2.0, "scale": 3.0}),
        ("Weibull", {"shape": 1.5, "scale": 2.0}),
        ("Poisson", {"rate": 3.0}),
        ("Bernoulli", {"p": 0.3}),
        ("StudentT", {"df": 5.0, "loc": 0.0, "scale": 1.0}),
    ],
)
def test_coverage_full(family, truth):
    n = 400 if family == "StudentT" else 100
    reps = 600 if family == "StudentT" else 2000
    cover = _coverage(family, truth, n, reps, seed=2)
    for method, rates in cover.items():
        for name, rate in rates.items():
            if (family, method, name) == ("StudentT", "wald", "df"):
                # the df likelihood is strongly skewed: Wald (even on the log scale) over-covers
                # (about 98% here); the profile interval is the one to use, and it is tested
                assert rate >= 0.93
                continue
            low = 0.92 if family == "StudentT" else 0.93  # 600 replicates: a wider band
            assert low <= rate <= 0.97, (method, name, rate)
