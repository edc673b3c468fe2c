"""MAP estimation: conjugate closed forms, numeric MAP, flat priors, credible intervals, the
Laplace approximation, MAP against MLE, and bad priors."""

import numpy as np
import pytest
from scipy import stats

import loglik as ll
from loglik.estimation.gradcheck import numerical_hessian

RNG = np.random.default_rng(31)
BERNOULLI = (RNG.random(40) < 0.3).astype(float)
COUNTS = RNG.poisson(2.5, 30).astype(float)
NORMAL = RNG.normal(1.0, 2.0, 25)
EXPONENTIAL = RNG.exponential(3.0, 30)
GEOMETRIC = RNG.geometric(0.3, 30).astype(float)
CATEGORIES = RNG.choice(3, 50, p=[0.2, 0.5, 0.3]).astype(float)

k, n = BERNOULLI.sum(), BERNOULLI.size
NIG = ll.NormalInverseGamma(0.0, 2.0, 3.0, 4.0)


def _nig_posterior():
    m, lam, a, b = 0.0, 2.0, 3.0, 4.0
    N, xbar, ss = NORMAL.size, NORMAL.mean(), ((NORMAL - NORMAL.mean()) ** 2).sum()
    lam_n = lam + N
    return (
        (lam * m + N * xbar) / lam_n,
        lam_n,
        a + N / 2,
        b + ss / 2 + lam * N * (xbar - m) ** 2 / (2 * lam_n),
    )


# (data, family, prior, fixed, closed-form MAP)
CONJUGATE = {
    "bernoulli": (
        BERNOULLI,
        "bernoulli",
        {"p": ll.Beta(2.0, 3.0)},
        None,
        {"p": (k + 2 - 1) / (n + 2 + 3 - 2)},
    ),
    "binomial": (
        COUNTS,
        "binomial",
        {"p": ll.Beta(1.5, 2.0)},
        {"n": 10},
        {"p": (COUNTS.sum() + 0.5) / (10 * COUNTS.size + 1.5)},
    ),
    "geometric": (
        GEOMETRIC,
        "geometric",
        {"p": ll.Beta(2.0, 2.0)},
        None,
        {"p": (GEOMETRIC.size + 1) / (GEOMETRIC.sum() + 2)},
    ),
    "poisson": (
        COUNTS,
        "poisson",
        {"rate": ll.Gamma(3.0, 0.5)},
        None,
        {"rate": (3.0 + COUNTS.sum() - 1) / (2.0 + COUNTS.size)},
    ),
    "exponential": (
        EXPONENTIAL,
        "exponential",
        {"scale": ll.InverseGamma(3.0, 2.0)},
        None,
        {"scale": (2.0 + EXPONENTIAL.sum()) / (3.0 + EXPONENTIAL.size + 1)},
    ),
    "normal_mean": (
        NORMAL,
        "normal",
        {"mu": ll.Normal(0.0, 0.5)},
        {"sigma": 2.0},
        {"mu": (NORMAL.sum() / 4.0) / (1 / 0.25 + NORMAL.size / 4.0)},
    ),
    "normal_nig": (
        NORMAL,
        "normal",
        {("mu", "sigma"): NIG},
        None,
        {
            "mu": _nig_posterior()[0],
            "sigma": np.sqrt(_nig_posterior()[3] / (_nig_posterior()[2] + 1)),
        },
    ),
    "categorical": (
        CATEGORIES,
        "categorical",
        {"probs": ll.Dirichlet([2.0, 2.0, 3.0])},
        None,
        {
            "probs": (np.bincount(CATEGORIES.astype(int)) + np.array([1.0, 1.0, 2.0]))
            / (CATEGORIES.size + 7.0 - 3.0)
        },
    ),
}


@pytest.mark.parametrize("case", list(CONJUGATE))
def test_conjugate_map_equals_its_closed_form(case):
    x, family, prior, fixed, expected = CONJUGATE[case]
    post = ll.fit_map(x, family, prior, fixed=fixed)
    assert post.exact and post.method == "conjugate (closed form)"
    for name, value in expected.items():
        np.testing.assert_allclose(post.params[name], value, rtol=1e-12)
    assert post.log_posterior == pytest.approx(post.loglik + post.log_prior)


@pytest.mark.parametrize("case", list(CONJUGATE))
def test_numeric_map_equals_the_conjugate_answer(case):
    x, family, prior, fixed, expected = CONJUGATE[case]
    if family == "categorical":
        post = ll.fit_map(x, family, prior, optimizer="lbfgs", gtol=1e-10)
    else:
        post = ll.fit_map(x, family, prior, fixed=fixed, start=dict(expected))
        assert post.method == "newton on the log-posterior"
        other = ll.fit_map(x, family, prior, fixed=fixed, optimizer="lbfgs", gtol=1e-10)
        for name, value in expected.items():
            np.testing.assert_allclose(other.params[name], value, rtol=1e-5)
    assert not post.exact
    for name, value in expected.items():
        np.testing.assert_allclose(
            post.params[name], value, rtol=1e-5 if family == "categorical" else 1e-8
        )


def test_numeric_map_from_its_own_start():
    # no closed form: gamma with priors on both parameters
    x = RNG.gamma(2.0, 1.5, 40)
    prior = {"shape": ll.LogNormal(0.0, 1.0), "scale": ll.Gamma(2.0, 1.0)}
    post = ll.fit_map(x, "gamma", prior)
    assert post.converged and not post.exact and post.diagnostics["grad_norm"] < 1e-8

    def neg_log_posterior(v):
        a, s = v
        return -(
            stats.gamma.logpdf(x, a, scale=s).sum()
            + stats.lognorm.logpdf(a, 1.0)
            + stats.gamma.logpdf(s, 2.0)
        )

    from scipy import optimize

    ref = optimize.minimize(
        neg_log_posterior,
        [2.0, 1.5],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 4000},
    )
    np.testing.assert_allclose([post.params["shape"], post.params["scale"]], ref.x, rtol=1e-6)
    assert post.log_posterior == pytest.approx(-ref.fun, rel=1e-10)


def test_flat_or_very_wide_priors_give_the_mle():
    x = RNG.gamma(2.0, 1.5, 60)
    mle = ll.fit(x, "gamma")
    for prior in (
        {},
        {"shape": ll.priors.Flat(), "scale": ll.priors.Flat()},
        {"shape": ll.Uniform(0.0, 1e6), "scale": ll.Normal(0.0, 1e8)},
    ):
        post = ll.fit_map(x, "gamma", prior)
        np.testing.assert_allclose(post.params["shape"], mle.params["shape"], rtol=1e-7)
        np.testing.assert_allclose(post.params["scale"], mle.params["scale"], rtol=1e-7)
    wide = ll.fit_map(BERNOULLI, "bernoulli", {"p": ll.Beta(1.0, 1.0)})  # uniform on [0, 1]
    assert wide.params["p"] == pytest.approx(BERNOULLI.mean())
    normal = ll.fit_map(NORMAL, "normal", {"mu": ll.Normal(0.0, 1e6)}, fixed={"sigma": 2.0})
    assert normal.params["mu"] == pytest.approx(NORMAL.mean(), rel=1e-9)


def test_credible_intervals_are_quantiles_of_the_exact_posterior():
    post = ll.fit_map(BERNOULLI, "bernoulli", {"p": ll.Beta(2.0, 3.0)})
    ci = post.credible_int(0.9)
    expected = stats.beta(2 + k, 3 + n - k).ppf([0.05, 0.95])
    np.testing.assert_allclose(ci.loc["p"], expected, rtol=1e-12)
    assert post.posterior.params == {"a": 2 + k, "b": 3 + n - k}
    rate = ll.fit_map(COUNTS, "poisson", {"rate": ll.Gamma(3.0, 0.5)}).credible_int()
    gamma = stats.gamma(3.0 + COUNTS.sum(), scale=0.5 / (1 + COUNTS.size * 0.5))
    np.testing.assert_allclose(rate.loc["rate"], gamma.ppf([0.025, 0.975]), rtol=1e-12)
    nig = ll.fit_map(NORMAL, "normal", {("mu", "sigma"): NIG})
    m_n, lam_n, a_n, b_n = _nig_posterior()
    ci = nig.credible_int(0.95)
    t = stats.t(2 * a_n, m_n, np.sqrt(b_n / (a_n * lam_n)))
    np.testing.assert_allclose(ci.loc["mu"], t.ppf([0.025, 0.975]), rtol=1e-10)
    ig = stats.invgamma(a_n, scale=b_n)
    np.testing.assert_allclose(ci.loc["sigma"], np.sqrt(ig.ppf([0.025, 0.975])), rtol=1e-10)
    cat = ll.fit_map(CATEGORIES, "categorical", {"probs": ll.Dirichlet([2.0, 2.0, 3.0])})
    alpha = np.array([2.0, 2.0, 3.0]) + np.bincount(CATEGORIES.astype(int))
    marginal = stats.beta(alpha[1], alpha.sum() - alpha[1])
    np.testing.assert_allclose(cat.credible_int().loc["probs[1]"], marginal.ppf([0.025, 0.975]))
    scale = ll.fit_map(EXPONENTIAL, "exponential", {"scale": ll.InverseGamma(3.0, 2.0)})
    inv = stats.invgamma(3.0 + EXPONENTIAL.size, scale=2.0 + EXPONENTIAL.sum())
    np.testing.assert_allclose(scale.credible_int().loc["scale"], inv.ppf([0.025, 0.975]))


def _log_posterior(family, x, prior, fixed, names):
    def fun(v):
        params = {**(fixed or {}), **dict(zip(names, v))}
        lp = getattr(ll, family)(**params).loglik(x)
        for key, dist in prior.items():
            if isinstance(key, tuple):
                lp += dist.logpdf([params[k] for k in key])
            else:
                lp += dist.logpdf(params[key])
        return lp

    return fun


@pytest.mark.parametrize(
    ("family", "x", "prior", "fixed"),
    [
        ("Gamma", RNG.gamma(2.0, 1.5, 40), {"shape": ll.LogNormal(0.0, 1.0)}, None),
        ("Normal", NORMAL, {("mu", "sigma"): NIG}, None),
        (
            "Weibull",
            RNG.weibull(1.5, 50),
            {"shape": ll.Gamma(2.0, 1.0), "scale": ll.LogNormal(0.0, 0.5)},
            None,
        ),
        ("Bernoulli", BERNOULLI, {"p": ll.Beta(2.0, 3.0)}, None),
        ("Poisson", COUNTS, {"rate": ll.Gamma(3.0, 0.5)}, None),
        ("StudentT", RNG.standard_t(5.0, 80), {"df": ll.Gamma(2.0, 5.0)}, {"loc": 0.0}),
    ],
)
def test_laplace_standard_errors_match_the_curvature_of_the_log_posterior(family, x, prior, fixed):
    post = ll.fit_map(x, getattr(ll, family).name, prior, fixed=fixed)
    names = list(post.estimates)
    fun = _log_posterior(family, x, prior, fixed, names)
    H = numerical_hessian(fun, np.array([post.params[n] for n in names]))
    expected = np.sqrt(np.diag(np.linalg.inv(-H)))
    np.testing.assert_allclose([post.se[n] for n in names], expected, rtol=1e-5)
    laplace = post.conf_int(method="laplace")
    assert np.all(laplace["lower"] < list(post.estimates.values()))


def test_laplace_posterior_is_a_normal_over_the_labels_when_not_conjugate():
    x = RNG.gamma(2.0, 1.5, 40)
    post = ll.fit_map(x, "gamma", {"shape": ll.LogNormal(0.0, 1.0)})
    assert isinstance(post.posterior, ll.MultivariateNormal)
    np.testing.assert_allclose(post.posterior.params["cov"], post.cov.to_numpy())
    with pytest.raises(ValueError, match="exact credible intervals need a conjugate prior"):
        post.conf_int(method="exact")
    one = ll.fit_map(COUNTS, "poisson", {"rate": ll.LogNormal(0.0, 1.0)})
    assert isinstance(one.posterior, ll.Normal)


def test_summary_and_repr():
    post = ll.fit_map(BERNOULLI, "bernoulli", {"p": ll.Beta(2.0, 3.0)})
    s = post.summary()
    assert s.table.loc["p", "prior"] == "Beta(a=2, b=3)"
    text = str(s)
    assert "maximum a posteriori" in text and "log-posterior" in text and "exact" in text
    assert repr(post).startswith("MAPResult(bernoulli: p=") and "log_posterior=" in repr(post)
    flat = ll.fit_map(NORMAL, "normal", {"mu": ll.Normal(0, 10)})
    assert flat.summary().table.loc["sigma", "prior"] == "flat"
    with pytest.raises(ValueError, match="credible intervals"):
        post.bootstrap(10)


def test_weights_are_repeated_rows():
    w = RNG.integers(0, 3, BERNOULLI.size).astype(float)
    prior = {"p": ll.Beta(2.0, 3.0)}
    a = ll.fit_map(BERNOULLI, "bernoulli", prior, weights=w)
    b = ll.fit_map(np.repeat(BERNOULLI, w.astype(int)), "bernoulli", prior)
    assert a.params["p"] == pytest.approx(b.params["p"])
    x = RNG.gamma(2.0, 1.5, 30)
    w = RNG.integers(1, 3, x.size).astype(float)
    prior = {"shape": ll.LogNormal(0.0, 1.0)}
    a = ll.fit_map(x, "gamma", prior, weights=w)
    b = ll.fit_map(np.repeat(x, w.astype(int)), "gamma", prior)
    assert a.params["shape"] == pytest.approx(b.params["shape"], rel=1e-9)


def test_an_informative_prior_gives_a_map_where_the_mle_does_not_exist():
    post = ll.fit_map([3.0], "normal", {("mu", "sigma"): NIG})
    assert post.params["mu"] == pytest.approx(3.0 / 3.0)  # (2 * 0 + 3) / 3
    numeric = ll.fit_map([3.0, 3.0], "gamma", {"shape": ll.Gamma(2.0, 1.0)})
    assert numeric.converged and np.isfinite(numeric.params["shape"])


def test_map_path_and_optimizer():
    post = ll.fit_map(
        NORMAL,
        "normal",
        {"mu": ll.Normal(0.0, 0.5)},
        fixed={"sigma": 2.0},
        optimizer=ll.optimizers.adam(0.05),
        max_iter=3000,
        gtol=1e-8,
        tol=0.0,
    )
    assert "log_posterior" in post.path.columns
    assert post.params["mu"] == pytest.approx(CONJUGATE["normal_mean"][4]["mu"], rel=1e-5)


def test_map_moves_to_the_mle_as_n_grows_and_as_the_prior_widens():
    # its own seed: drawn from the shared RNG its data depended on which tests ran before it in
    # the same xdist worker, and about one draw in eight breaks the monotone-gap check
    x = np.random.default_rng(32).normal(2.0, 1.0, 400)
    table = ll.map_vs_mle(x, "normal", {"mu": ll.Normal(0.0, 0.3)}, fixed={"sigma": 1.0})
    assert list(table.columns) == ["n", "parameter", "map", "lower", "upper", "mle"]
    gap = (table["map"] - table["mle"]).abs().to_numpy()
    assert gap[-1] < gap[0] and np.all(np.diff(gap[1:]) < 1e-12 + gap[1:-1] * 0.5 + 1e-3)
    assert np.all(table["lower"] <= table["map"]) and np.all(table["map"] <= table["upper"])
    widening = ll.map_vs_mle(
        x[:20],
        "normal",
        lambda s: {"mu": ll.Normal(0.0, s)},
        scales=[0.01, 0.1, 1.0, 10.0, 100.0],
        fixed={"sigma": 1.0},
    )
    gaps = (widening["map"] - widening["mle"]).abs().to_numpy()
    assert np.all(np.diff(gaps) < 0) and gaps[-1] < 1e-4
    small = ll.map_vs_mle(NORMAL, "normal", {("mu", "sigma"): NIG}, sizes=[1, 5, 25])
    assert np.isnan(small.loc[small["n"] == 1, "mle"]).all()  # no MLE from one value
    assert np.isfinite(small["map"]).all()
    with pytest.raises(ValueError, match="not both"):
        ll.map_vs_mle(x, "normal", {}, sizes=[5], scales=[1.0])
    with pytest.raises(ValueError, match="needs scales"):
        ll.map_vs_mle(x, "normal", lambda s: {})
    with pytest.raises(ValueError, match="between 1 and"):
        ll.map_vs_mle(x, "normal", {}, sizes=[0])


@pytest.mark.parametrize(
    ("family", "prior", "kwargs", "match"),
    [
        ("normal", {"sd": ll.Normal(0, 1)}, {}, "prior for 'sd', which normal does not have"),
        ("normal", {"sigma": ll.Gamma(2, 1)}, {"fixed": {"sigma": 1.0}}, "sigma is fixed"),
        ("binomial", {"n": ll.Gamma(2, 1)}, {"fixed": {"n": 10}}, "n is fixed"),
        ("normal", {"mu": 3.0}, {}, "must be a distribution"),
        ("normal", {"mu": ll.Poisson(2.0)}, {}, "continuous univariate"),
        ("normal", {"sigma": ll.Uniform(-2.0, -1.0)}, {}, r"puts no mass where sigma can be"),
        ("bernoulli", {"p": ll.Uniform(2.0, 3.0)}, {}, "puts no mass"),
        ("normal", {("mu", "sigma"): ll.Normal(0, 1)}, {}, "joint prior"),
        ("normal", {"mu": ll.Normal(0, 1), ("mu", "sigma"): NIG}, {}, "two priors for 'mu'"),
        ("categorical", {"probs": ll.Normal(0, 1)}, {}, "Dirichlet"),
        ("normal", {"mu": ll.Dirichlet([1.0, 2.0])}, {}, "continuous univariate"),
        ("normal", [ll.Normal(0, 1)], {}, "prior must be a dict"),
        ("uniform", {"low": ll.Normal(0, 1)}, {}, "not regular"),
    ],
)
def test_bad_priors_are_clear_errors(family, prior, kwargs, match):
    x = CATEGORIES if family in ("categorical", "binomial") else BERNOULLI
    with pytest.raises(ValueError, match=match):
        ll.fit_map(x, family, prior, **kwargs)


def test_improper_hyper_parameters_and_dirichlet_size():
    for build in (
        lambda: ll.Beta(0.0, 1.0),
        lambda: ll.Gamma(-1.0, 1.0),
        lambda: ll.NormalInverseGamma(0.0, 1.0, 0.0, 1.0),
        lambda: ll.Dirichlet([1.0, -1.0]),
        lambda: ll.InverseGamma(2.0, 0.0),
    ):
        with pytest.raises(ValueError, match="must be"):
            build()
    with pytest.raises(ValueError, match="outside the support"):
        ll.fit_map(CATEGORIES, "categorical", {"probs": ll.Dirichlet([1.0, 1.0])})
    with pytest.raises(ValueError, match="unbounded density"):
        ll.fit_map(np.zeros(5), "categorical", {"probs": ll.Dirichlet([1.0, 0.5])})
    edge = ll.fit_map(np.zeros(5), "bernoulli", {"p": ll.Beta(0.5, 0.5)})  # Beta(0.5, 5.5)
    assert edge.params["p"] == 0.0 and edge.diagnostics["on_boundary"] == ["p"]


@pytest.mark.parametrize("case", [c for c in CONJUGATE if c != "categorical"])
def test_the_conjugate_posterior_is_prior_times_likelihood(case):
    # log posterior(theta) - log prior(theta) - loglik(theta) must not depend on theta
    x, family, prior, fixed, _ = CONJUGATE[case]
    post = ll.fit_map(x, family, prior, fixed=fixed)
    ((key, dist),) = prior.items()
    cls = type(post.dist)
    rng = np.random.default_rng(0)
    gaps = []
    for point in dist.sample(5, rng):
        values = dict(zip(key, point)) if isinstance(key, tuple) else {key: float(point)}
        loglik = cls(**{**post.params, **values}).loglik(x)
        gaps.append(post.posterior.logpdf(point) - dist.logpdf(point) - loglik)
    np.testing.assert_allclose(gaps, gaps[0], rtol=1e-9, atol=1e-9)


def test_dirichlet_posterior_is_prior_times_likelihood():
    prior = ll.Dirichlet([2.0, 2.0, 3.0])
    post = ll.fit_map(CATEGORIES, "categorical", {"probs": prior})
    gaps = [
        post.posterior.logpdf(p) - prior.logpdf(p) - ll.Categorical(p).loglik(CATEGORIES)
        for p in prior.sample(5, 1)
    ]
    np.testing.assert_allclose(gaps, gaps[0], rtol=1e-9)
    np.testing.assert_allclose(
        prior.logpdf(post.params["probs"]),
        stats.dirichlet([2.0, 2.0, 3.0]).logpdf(post.params["probs"]),
    )


def test_laplace_covariance_of_categorical_probabilities():
    prior = {"probs": ll.Dirichlet([2.0, 2.0, 3.0])}
    exact = ll.fit_map(CATEGORIES, "categorical", prior)
    numeric = ll.fit_map(CATEGORIES, "categorical", prior, optimizer="lbfgs", gtol=1e-10)
    np.testing.assert_allclose(numeric.cov.to_numpy(), exact.cov.to_numpy(), rtol=1e-4)
    alpha = np.array([2.0, 2.0, 3.0]) + np.bincount(CATEGORIES.astype(int))

    def log_post(v):  # over the free p_0, p_1
        p = np.r_[v, 1 - v.sum()]
        return float(np.sum((alpha - 1) * np.log(p)))

    H = numerical_hessian(log_post, exact.params["probs"][:2])
    free_cov = np.linalg.inv(-H)
    np.testing.assert_allclose(exact.cov.to_numpy()[:2, :2], free_cov, rtol=1e-5)
    assert exact.cov.to_numpy().sum() == pytest.approx(0.0, abs=1e-12)  # the entries sum to 1
    assert exact.diagnostics["grad_norm"] < 1e-8


def test_multivariate_families_are_refused():
    with pytest.raises(ValueError, match="not offered for multivariate_normal"):
        ll.fit_map(np.zeros((5, 2)), "multivariate_normal", {})
