"""Censored and truncated data: agreement with scipy's ``rv_continuous.fit`` on ``CensoredData``,
with published results (NIST), with closed forms; derivatives against finite differences; tails
accurate where the cdf underflows; the errors."""

import numpy as np
import pytest
from scipy import optimize, special, stats

import loglik as ll
from loglik.estimation.censored_data import as_censored_data
from loglik.estimation.censoring import censored_family
from loglik.estimation.gradcheck import check_gradient, check_hessian

# family -> (sampler, scipy distribution, scipy fit keywords, scipy params from loglik's)
FAMILIES = {
    "weibull": (lambda r, n: 2.0 * r.weibull(1.5, n), stats.weibull_min, {"floc": 0}),
    "lognormal": (lambda r, n: r.lognormal(0.3, 0.7, n), stats.lognorm, {"floc": 0}),
    "gamma": (lambda r, n: r.gamma(2.5, 1.5, n), stats.gamma, {"floc": 0}),
    "exponential": (lambda r, n: r.exponential(2.0, n), stats.expon, {"floc": 0}),
    "normal": (lambda r, n: r.normal(1.0, 2.0, n), stats.norm, {}),
}
KINDS = ("right", "left", "interval", "mixed")


def censor(x, kind):
    """A scipy CensoredData of ``x``: 30% censored on one side, half the values rounded into
    intervals of width 0.5, or all three kinds at once."""
    hi_c, lo_c = np.quantile(x, 0.7), np.quantile(x, 0.3)
    if kind == "right":
        return stats.CensoredData.right_censored(np.minimum(x, hi_c), x > hi_c)
    if kind == "left":
        return stats.CensoredData.left_censored(np.maximum(x, lo_c), x < lo_c)
    grid = np.floor(x * 2.0) / 2.0
    inside = x > np.quantile(x, 0.5)
    if kind == "interval":
        return stats.CensoredData.interval_censored(
            np.where(inside, grid, x), np.where(inside, grid + 0.5, x)
        )
    low = np.where(x > hi_c, hi_c, np.where(x < lo_c, -np.inf, np.where(inside, grid, x)))
    high = np.where(x > hi_c, np.inf, np.where(x < lo_c, lo_c, np.where(inside, grid + 0.5, x)))
    return stats.CensoredData.interval_censored(low, high)


def scipy_loglik(frozen, data):
    """The censored log-likelihood of a frozen scipy distribution, from scipy's own functions."""
    lo, hi = data._interval[:, 0], data._interval[:, 1]
    return float(
        frozen.logpdf(data._uncensored).sum()
        + frozen.logsf(data._right).sum()
        + frozen.logcdf(data._left).sum()
        + np.log(frozen.cdf(hi) - frozen.cdf(lo)).sum()
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", list(FAMILIES))
def test_the_censored_fit_is_at_least_as_good_as_scipys(name, kind):
    sample, dist, kw = FAMILIES[name]
    x = sample(np.random.default_rng(sorted(FAMILIES).index(name)), 300)
    data = censor(x, kind)
    res = ll.fit(data, name)
    theirs = dist.fit(data, **kw)
    ours = res.to_scipy()
    # loglik's optimum is at least as good, scored by scipy's own functions on both sides
    assert scipy_loglik(ours, data) >= scipy_loglik(dist(*theirs), data) - 1e-9
    assert res.loglik == pytest.approx(scipy_loglik(ours, data), rel=1e-10)
    assert res.converged and res.diagnostics["grad_norm"] < 1e-6
    # and at the same place (scipy's Nelder-Mead stops within about 1e-4)
    np.testing.assert_allclose(ours.mean(), dist(*theirs).mean(), rtol=1e-3)
    np.testing.assert_allclose(ours.std(), dist(*theirs).std(), rtol=2e-3)


# NIST/SEMATECH e-Handbook of Statistical Methods, section 8.4.1.3 ("Reliability analysis using
# Weibull data"; U.S. government work, public domain): 20 units, 10 failures, 10 removed
# unfailed at 500 hours. Published: Weibull characteristic life 606.5280, shape 1.7208,
# -loglik 75.135, AIC 154.27; lognormal AIC 154.39.
NIST_FAILURES = [54, 187, 216, 240, 244, 335, 361, 373, 375, 386]
NIST = np.array([[t, t] for t in NIST_FAILURES] + [[500.0, np.inf]] * 10)


def test_nist_weibull_and_lognormal_match_the_published_fits():
    res = ll.fit(NIST, "weibull", censored=True)
    assert res.params["shape"] == pytest.approx(1.7208, abs=5e-5)
    assert res.params["scale"] == pytest.approx(606.5280, abs=5e-4 * 606.5280 / 100)
    assert res.loglik == pytest.approx(-75.135, abs=5e-4)
    assert res.aic == pytest.approx(154.27, abs=5e-3)
    lognormal = ll.fit(NIST, "lognormal", censored=True)
    assert lognormal.aic == pytest.approx(154.39, abs=5e-3)
    table = ll.compare(NIST, ["lognormal", "weibull", "exponential"], censored=True)
    assert list(table.index[:2]) == ["weibull", "lognormal"]  # the handbook's ranking


def test_right_censored_exponential_is_total_time_over_failures():
    # Freireich et al. (1963), 6-MP arm: 9 relapses in 359 weeks on study (the textbook
    # estimate of the mean remission, e.g. Lawless, Statistical Models and Methods for
    # Lifetime Data, 2nd ed., 2003)
    frame = ll.data.load("leukemia")
    arm = frame[frame["treatment"] == "6-MP"]
    rows = np.column_stack([arm["time"], np.where(arm["relapse"] == 1, arm["time"], np.inf)])
    res = ll.fit(rows, "exponential", censored=True)
    assert res.params["scale"] == pytest.approx(359.0 / 9.0, rel=1e-14)
    assert res.method == "closed form"
    # its observed information is d / s^2 (d failures): se = s / sqrt(d)
    assert res.se["scale"] == pytest.approx(359.0 / 9.0 / 3.0, rel=1e-8)


@pytest.mark.parametrize("name", ["normal", "lognormal", "weibull", "logistic"])
def test_three_cells_saturate_a_two_parameter_family(name):
    # below a (left-censored), between a and b (interval), above b (right-censored): the MLE
    # puts F(a) and F(b) at the observed proportions, a closed form in the quantile function
    a, b, n1, n2, n3 = 1.5, 3.0, 30, 50, 20
    rows = np.array([[-np.inf, a]] * n1 + [[a, b]] * n2 + [[b, np.inf]] * n3)
    res = ll.fit(rows, name, censored=True)
    F = res.dist.cdf(np.array([a, b]))
    np.testing.assert_allclose(F, [0.3, 0.8], rtol=1e-9)
    expected = 30 * np.log(0.3) + 50 * np.log(0.5) + 20 * np.log(0.2)
    assert res.loglik == pytest.approx(expected, rel=1e-12)


def test_current_status_exponential_closed_form():
    # one inspection at c: d of n failed before it -> exp(-c/s) = 1 - d/n
    c, d, n = 4.0, 13, 40
    rows = np.array([[-np.inf, c]] * d + [[c, np.inf]] * (n - d))
    res = ll.fit(rows, "exponential", censored=True)
    assert res.params["scale"] == pytest.approx(-c / np.log1p(-d / n), rel=1e-10)


@pytest.mark.parametrize(
    "name",
    [
        "normal",
        "lognormal",
        "weibull",
        "exponential",
        "gamma",
        "logistic",
        "laplace",
        "cauchy",
        "student_t",
        "beta",
        "inverse_gamma",
    ],
)
def test_censored_gradient_and_hessian_match_finite_differences(name):
    dist = {
        "normal": ll.Normal(1.0, 2.0),
        "lognormal": ll.LogNormal(0.3, 0.7),
        "weibull": ll.Weibull(1.7, 2.0),
        "exponential": ll.Exponential(2.0),
        "gamma": ll.Gamma(2.5, 1.5),
        "logistic": ll.Logistic(1.0, 2.0),
        "laplace": ll.Laplace(1.0, 2.0),
        "cauchy": ll.Cauchy(1.0, 2.0),
        "student_t": ll.StudentT(4.0, 1.0, 2.0),
        "beta": ll.Beta(2.0, 5.0),
        "inverse_gamma": ll.InverseGamma(3.0, 2.0),
    }[name]
    x = dist.sample(200, np.random.default_rng(3))
    data = censor(x, "mixed")
    cls = censored_family(type(dist))
    res = ll.fit(data, name)
    theta0 = res.theta
    names = cls.estimable_names

    def with_values(v):
        return tuple(np.float64(t) for t in v)

    def f(v):
        return cls.loglik_total(res.data, *with_values(v))

    def grad(v):
        return np.array(cls.loglik_derivatives(res.data, with_values(v), 1)[1])

    def hess(v):
        return cls.loglik_derivatives(res.data, with_values(v), 2)[2]

    v0 = np.array([float(t) for t in theta0]) * 1.05  # away from the optimum (gradient != 0)
    assert len(names) == len(v0)
    # pivot families are analytic (FD checks to 1e-7); the others are finite differences
    # themselves (5-point stencils), checked to 1e-5
    rtol = 1e-5 if getattr(type(dist), "_pivot", None) is None else 1e-7
    assert check_gradient(f, grad, v0, rtol=rtol, atol=1e-6).ok
    assert check_hessian(f, hess, v0, grad=grad, rtol=1e-4, atol=1e-4).ok


def test_truncated_right_censored_gradient_matches_finite_differences():
    x = ll.Weibull(1.7, 2.0).sample(300, np.random.default_rng(4))
    x = x[(x > 0.5) & (x <= 4.0)]
    rows = np.column_stack([x, np.where(x > 3.0, np.inf, x)])
    res = ll.fit(rows, "weibull", censored=True, truncation=(0.5, 4.0))
    cls = res.family_class

    def f(v):
        return cls.loglik_total(res.data, *v)

    def grad(v):
        return np.array(cls.loglik_derivatives(res.data, tuple(v), 1)[1])

    assert check_gradient(f, grad, np.array([1.5, 2.5]), rtol=1e-7, atol=1e-7).ok
    assert res.diagnostics["grad_norm"] < 1e-6


def test_log_tails_stay_finite_where_the_cdf_underflows():
    # the normal far in both tails: log_ndtr
    assert ll.Normal(0, 1).logcdf(-40.0) == pytest.approx(special.log_ndtr(-40.0), rel=1e-14)
    assert ll.Normal(0, 1).logsf(40.0) == pytest.approx(special.log_ndtr(-40.0), rel=1e-14)
    # the Weibull's survival is exactly -(x/s)^k, far beyond exp's underflow
    assert ll.Weibull(2.0, 1.0).logsf(100.0) == -1e4
    # the gamma's upper tail by the continued fraction: Q(a, z) ~ z^(a-1) e^-z / Gamma(a)
    a, z = 2.5, 2000.0
    asymptotic = (a - 1) * np.log(z) - z - special.gammaln(a) + np.log1p((a - 1) / z)
    assert ll.Gamma(a, 1.0).logsf(z) == pytest.approx(asymptotic, rel=1e-6)
    # where both ways are representable, the series / fraction equal log(gammainc)
    from loglik.models.distributions import tails

    assert tails.log_gammaincc(2.5, 600.0) == pytest.approx(
        np.log(special.gammaincc(2.5, 600.0)), rel=1e-12
    )
    small = 1e-120
    assert tails.log_gammainc(2.5, small) == pytest.approx(
        2.5 * np.log(small) - special.gammaln(3.5), rel=1e-12
    )
    assert np.isfinite(ll.Gamma(a, 1.0).logcdf(1e-200))
    # an interval far in the upper tail, from the survival function: 1 - Phi(30) - (1 - Phi(31))
    # is 0 in floating point (Phi(30) rounds to 1), its log from the tails is not
    data = as_censored_data(np.array([[30.0, 31.0]]), censored=True)
    value = censored_family(ll.Normal).loglik_total(data, 0.0, 1.0)
    expected = special.log_ndtr(-30.0) + np.log(
        -np.expm1(special.log_ndtr(-31.0) - special.log_ndtr(-30.0))
    )
    assert stats.norm.cdf(31.0) - stats.norm.cdf(30.0) == 0.0
    assert value == pytest.approx(expected, rel=1e-12)


def test_truncated_normal_loglik_and_recovery():
    rng = np.random.default_rng(5)
    x = rng.normal(1.0, 2.0, 20000)
    x = x[x > 0.0]
    res = ll.fit(x, "normal", truncation=(0.0, np.inf))
    mu, sigma = res.params["mu"], res.params["sigma"]
    direct = stats.norm(mu, sigma).logpdf(x).sum() - x.size * stats.norm(mu, sigma).logsf(0.0)
    assert res.loglik == pytest.approx(direct, rel=1e-12)
    assert abs(mu - 1.0) < 5 * res.se["mu"] and abs(sigma - 2.0) < 5 * res.se["sigma"]
    # scipy's truncnorm with the same (standardised) bounds gives the same likelihood
    t = stats.truncnorm((0.0 - mu) / sigma, np.inf, loc=mu, scale=sigma)
    assert res.loglik == pytest.approx(t.logpdf(x).sum(), rel=1e-12)


def test_top_coded_poisson_matches_a_direct_scipy_likelihood():
    # counts recorded as "5 or more": the row (5, inf) means X >= 5 (both ends included)
    k = np.random.default_rng(6).poisson(3.2, 1000).astype(float)
    rows = np.column_stack([np.minimum(k, 5.0), np.where(k >= 5, np.inf, k)])
    res = ll.fit(rows, "poisson", censored=True)

    def nll(rate):
        exact = k[k < 5]
        return -(
            stats.poisson.logpmf(exact, rate).sum() + (k >= 5).sum() * stats.poisson.logsf(4, rate)
        )

    best = optimize.minimize_scalar(
        nll, bounds=(1.0, 6.0), method="bounded", options={"xatol": 1e-10}
    )
    assert res.params["rate"] == pytest.approx(best.x, rel=1e-7)
    assert res.loglik == pytest.approx(-nll(res.params["rate"]), rel=1e-12)


def test_zero_truncated_poisson():
    k = np.random.default_rng(7).poisson(1.3, 5000).astype(float)
    k = k[k > 0]
    res = ll.fit(k, "poisson", truncation=(1, np.inf))  # counts: [1, inf)
    rate = res.params["rate"]
    # the zero-truncated MLE solves mean = rate / (1 - exp(-rate))
    assert k.mean() == pytest.approx(rate / -np.expm1(-rate), rel=1e-9)


def test_weights_count_rows_and_inputs_are_not_modified():
    rows = NIST.copy()
    w = np.r_[np.full(10, 2.0), np.ones(10)]
    res = ll.fit(rows, "weibull", censored=True, weights=w)
    doubled = np.concatenate([NIST[:10], NIST])
    twice = ll.fit(doubled, "weibull", censored=True)
    assert res.params["shape"] == pytest.approx(twice.params["shape"], rel=1e-10)
    assert res.loglik == pytest.approx(twice.loglik, rel=1e-12)
    assert res.n == 30
    np.testing.assert_array_equal(rows, NIST)


def test_fixed_parameters_and_intervals():
    res = ll.fit(NIST, "weibull", censored=True, fixed={"shape": 1.5})
    # closed form: scale^k = sum x^k / d
    t = NIST[:, 0]
    assert res.params["scale"] == pytest.approx((np.sum(t**1.5) / 10) ** (1 / 1.5), rel=1e-12)
    full = ll.fit(NIST, "weibull", censored=True)
    for method in ("wald", "profile"):
        ci = full.conf_int(method=method)
        for name, value in full.estimates.items():
            assert ci.loc[name, "lower"] < value < ci.loc[name, "upper"]
    # the profile interval's ends are where the likelihood-ratio statistic is chi2(1, 0.95)
    ci = full.conf_int(method="profile")
    for end in ci.loc["shape"]:
        drop = full.loglik - ll.fit(NIST, "weibull", censored=True, fixed={"shape": end}).loglik
        assert 2 * drop == pytest.approx(stats.chi2.ppf(0.95, 1), rel=1e-6)
    boot = full.bootstrap(50, random_state=0)
    assert len(boot) + boot.attrs["failed"] == 50
    assert full.conf_int(method="bootstrap", n_boot=50, random_state=0).shape == (2, 2)


def test_bootstrap_resamples_the_rows():
    full = ll.fit(NIST, "weibull", censored=True)
    rng = np.random.default_rng(0)
    replicate = full.family_class.bootstrap_data(full.data, full.dist, rng)
    assert replicate.n_obs == 20
    assert set(map(tuple, replicate.bounds)) <= set(map(tuple, NIST))


def test_summary_reports_the_censoring():
    text = str(ll.fit(NIST, "weibull", censored=True, truncation=(10, np.inf)).summary())
    assert "20 rows: 10 exact, 10 right-censored; truncated to (10, inf]" in text
    # a finite window clips the right-censored rows (500, inf) to intervals (500, 1000]
    clipped = ll.fit(NIST, "weibull", censored=True, truncation=(0, 1000))
    assert clipped.data.counts() == {"exact": 10, "right": 0, "left": 0, "interval": 10}


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        (np.array([[1.0, 2.0]] * 17 + [[3.0, 2.0]]), {}, "lower 3.0 > upper 2.0 at row 17"),
        (np.array([[1.0, 2.0], [np.nan, 1.0]]), {}, "NaN at row 1"),
        (np.array([[1.0, 2.0], [-np.inf, np.inf]]), {}, "no information"),
        (np.array([[1.0, 1.0], [np.inf, np.inf]]), {}, "lower bound inf"),
        (np.array([1.0, 2.0, 3.0]), {}, "(n, 2) array"),
        (np.array([[1.0, 1.0], [5.0, 5.0]]), {"truncation": (0, 4)}, "outside the truncation"),
        (np.array([[1.0, 1.0], [-3.0, -1.0]]), {}, "lies below the weibull support"),
        (np.array([[1.0, np.inf], [2.0, np.inf]]), {}, "every row is right-censored"),
        (np.array([[1.0, 1.0], [2.0, 3.0]]), {"truncation": (3, 1)}, "a < b"),
    ],
)
def test_bad_censored_input_is_a_clear_error(rows, kwargs, message):
    with pytest.raises(ValueError, match=__import__("re").escape(message)):
        ll.fit(rows, "weibull", censored=True, **kwargs)


def test_families_that_cannot_take_censored_data_say_why():
    with pytest.raises(ValueError, match="not regular"):
        ll.fit(NIST, "uniform", censored=True)
    with pytest.raises(ValueError, match="scalar parameters"):
        ll.fit(np.array([[0.0, 0.0], [1.0, np.inf]]), "categorical", censored=True)
    with pytest.raises(ValueError, match="weights cannot go with a scipy CensoredData"):
        ll.fit(stats.CensoredData.right_censored([1.0, 2.0], [0, 1]), "weibull", weights=[1, 1])
    rows = np.array([[3.0, 3.0], [12.0, np.inf], [2.0, 2.0]])  # beyond n = 10
    with pytest.raises(ValueError, match=r"\(12.0, inf\) at row 1 has probability 0"):
        ll.fit(rows, "binomial", censored=True, fixed={"n": 10})
    with pytest.raises(ValueError, match="non-integer bound"):
        ll.fit(np.array([[1.0, 1.0], [2.5, np.inf]]), "poisson", censored=True)


def test_complete_data_given_as_bounds_is_the_plain_fit():
    x = ll.data.load("strikes")["duration"].to_numpy()
    res = ll.fit(np.column_stack([x, x]), "gamma", censored=True)
    plain = ll.fit(x, "gamma")
    assert res.params == plain.params and res.method == plain.method


@pytest.mark.parametrize(
    ("name", "dist", "scipy_dist", "fixed"),
    [
        ("poisson", ll.Poisson(3.2), stats.poisson(3.2), None),
        ("geometric", ll.Geometric(0.3), stats.geom(0.3), None),
        ("negative_binomial", ll.NegativeBinomial(3.0, 0.4), stats.nbinom(3.0, 0.4), None),
        ("binomial", ll.Binomial(10, 0.3), stats.binom(10, 0.3), {"n": 10}),
    ],
)
def test_censored_counts_include_both_ends(name, dist, scipy_dist, fixed):
    # rows (l, u) of counts mean l <= X <= u: exact, "at least 6", "at most 2", "3 to 4"
    rows = np.array([[3.0, 3.0], [6.0, np.inf], [-np.inf, 2.0], [3.0, 4.0], [5.0, 5.0]])
    if name == "geometric":
        rows[2, 1] = 2.0  # support 1, 2, ...
    data = as_censored_data(rows, censored=True)
    cls = censored_family(type(dist))
    theta = dist._theta
    expected = (
        scipy_dist.logpmf(3)
        + scipy_dist.logsf(5)
        + scipy_dist.logcdf(2)
        + np.log(scipy_dist.cdf(4) - scipy_dist.cdf(2))
        + scipy_dist.logpmf(5)
    )
    assert cls.loglik_total(data, *theta) == pytest.approx(expected, rel=1e-10)
    # truncation [1, 8] of counts: divided by P(1 <= X <= 8)
    truncated = as_censored_data(rows, censored=True, truncation=(1, 8))
    window = np.log(scipy_dist.cdf(8) - scipy_dist.cdf(0))
    clipped = expected - scipy_dist.logsf(5) + np.log(scipy_dist.cdf(8) - scipy_dist.cdf(5))
    clipped += np.log(scipy_dist.cdf(2) - scipy_dist.cdf(0)) - scipy_dist.logcdf(2)
    assert cls.loglik_total(truncated, *theta) == pytest.approx(clipped - 5 * window, rel=1e-10)
    # derivatives (finite differences of the log-tails) against finite differences of the total
    free = [cls.param_names.index(n) for n in cls.estimable_names]

    def at(v):
        t = list(theta)
        for p, value in zip(free, v):
            t[p] = np.float64(value)
        return tuple(t)

    v0 = np.array([float(theta[p]) for p in free])
    assert check_gradient(
        lambda v: cls.loglik_total(data, *at(v)),
        lambda v: np.array(cls.loglik_derivatives(data, at(v), 1)[1]),
        v0,
        rtol=1e-5,
        atol=1e-6,
    ).ok
    # and a fit to top-coded draws ("8 or more") lands near the truth
    k = dist.sample(3000, np.random.default_rng(8))
    top = np.column_stack([np.minimum(k, 8.0), np.where(k >= 8, np.inf, k)])
    res = ll.fit(top, name, censored=True, fixed=fixed)
    assert res.converged and res.diagnostics["grad_norm"] < 1e-6
    for label, value in res.estimates.items():
        assert abs(value - dist.params[label]) < 5 * res.se[label]
