"""Table-driven tests over every family: densities, distribution functions, sampling, scipy
agreement, score and information against finite differences and quadrature, fits."""

import numpy as np
import pytest
from scipy import integrate, stats

import loglik as ll
from loglik.estimation.gradcheck import check_gradient, check_hessian

from .cases import CASES, CONTINUOUS, DISCRETE, SCALAR, UNIVARIATE, free_vector, from_vector


def _points(case, n=25, seed=0):
    return case.dist.sample(n, np.random.default_rng(seed))


@pytest.mark.parametrize("name", list(CASES))
def test_logpdf_is_log_of_pdf_and_matches_scipy(name):
    case = CASES[name]
    x = _points(case)
    np.testing.assert_allclose(np.log(case.dist.pdf(x)), case.dist.logpdf(x), rtol=1e-12)
    reference = case.scipy.logpmf(x) if case.dist.discrete else case.scipy.logpdf(x)
    np.testing.assert_allclose(case.dist.logpdf(x), reference, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", UNIVARIATE)
def test_distribution_functions_and_moments_match_scipy(name):
    case = CASES[name]
    d, ref = case.dist, case.scipy
    x = np.r_[_points(case), ref.ppf([1e-6, 0.3, 0.999999])]
    if d.discrete:
        x = np.r_[x, x + 0.5, -1.0]
    np.testing.assert_allclose(d.cdf(x), ref.cdf(x), rtol=1e-10, atol=1e-14)
    q = np.array([0.001, 0.1, 0.25, 0.5, 0.9, 0.999])
    np.testing.assert_allclose(d.ppf(q), ref.ppf(q), rtol=1e-9)
    assert d.ppf(0.0) == d._bounds(*d._theta)[0]  # the support's start (scipy: one below it)
    np.testing.assert_allclose(d.sf(x), ref.sf(x), rtol=1e-8, atol=1e-14)
    if name != "cauchy":
        assert d.mean() == pytest.approx(ref.mean(), rel=1e-12)
        assert d.var() == pytest.approx(ref.var(), rel=1e-12)
        assert d.std() == pytest.approx(ref.std(), rel=1e-12)
    else:
        assert np.isnan(d.mean()) and np.isnan(d.var())


@pytest.mark.parametrize("name", list(CASES))
def test_to_scipy_agrees(name):
    case = CASES[name]
    x = _points(case)
    frozen = case.dist.to_scipy()
    mine = case.dist.logpdf(x)
    theirs = frozen.logpmf(x) if case.dist.discrete else frozen.logpdf(x)
    np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)
    if not case.dist.multivariate:
        np.testing.assert_allclose(frozen.cdf(x), case.dist.cdf(x), rtol=1e-10)


@pytest.mark.parametrize("name", UNIVARIATE)
def test_outside_the_support(name):
    d = CASES[name].dist
    low, high = d._bounds(*d._theta)
    for x in (np.asarray(low) - 1.0, np.asarray(high) + 1.0):
        if np.isfinite(x):
            assert d.logpdf(x) == -np.inf and d.pdf(x) == 0.0
    if np.isfinite(low):
        assert d.cdf(np.asarray(low) - 1.0) == 0.0
    if np.isfinite(high):
        assert d.cdf(np.asarray(high) + 1.0) == 1.0
    if d.discrete:
        assert d.logpdf(float(d.ppf(0.5)) + 0.5) == -np.inf  # a non-integer


@pytest.mark.parametrize("name", CONTINUOUS)
def test_cdf_ppf_round_trip_continuous(name):
    d = CASES[name].dist
    q = np.linspace(0.001, 0.999, 41)
    np.testing.assert_allclose(d.cdf(d.ppf(q)), q, rtol=1e-9, atol=1e-12)
    x = _points(CASES[name])
    np.testing.assert_allclose(d.ppf(d.cdf(x)), x, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("name", DISCRETE)
def test_cdf_ppf_round_trip_discrete(name):
    d = CASES[name].dist
    k = np.unique(_points(CASES[name], 200))
    # exact: ppf returns integers (refined until F(k) >= q), not rounded values
    np.testing.assert_array_equal(d.ppf(d.cdf(k)), k)
    q = np.linspace(0.01, 0.99, 37)
    x = d.ppf(q)
    assert np.all(d.cdf(x) >= q - 1e-12) and np.all(d.cdf(x - 1.0) < q)


@pytest.mark.parametrize("name", list(CASES))
def test_sampling_is_reproducible_and_shaped(name):
    d = CASES[name].dist
    a, b = d.sample((3, 4), 7), d.sample((3, 4), np.random.default_rng(7))
    # exact: the same seed gives the same draws through the same code
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float64
    assert a.shape[:2] == (3, 4)
    assert not np.array_equal(d.sample(50, 1), d.sample(50, 2))


@pytest.mark.parametrize("name", UNIVARIATE)
def test_sample_moments_match(name):
    case = CASES[name]
    if name == "cauchy":
        x = case.dist.sample(20_000, 3)
        assert np.median(x) == pytest.approx(case.scipy.median(), abs=0.1)
        return
    x = case.dist.sample(20_000, 3)
    sd = np.sqrt(case.scipy.var())
    assert x.mean() == pytest.approx(case.scipy.mean(), abs=5 * sd / np.sqrt(x.size))


@pytest.mark.parametrize("name", list(CASES))
def test_sample_then_fit_recovers_the_parameters(name):
    case = CASES[name]
    x = case.dist.sample(4000, np.random.default_rng(11))
    res = ll.fit(x, name, fixed=case.fixed)
    truth = dict(zip(res.labels, free_vector(case.dist)))
    if name == "categorical":
        truth = dict(zip(res.labels, case.dist.params["probs"]))
    for label, value in truth.items():
        assert abs(res.estimates[label] - value) < 4.5 * res.se[label] + 1e-12, label
    assert res.converged


def _total_loglik(dist, x):
    return lambda v: float(np.sum(from_vector(dist, v).logpdf(x)))


def _total_score(dist, x):
    def grad(v):
        d = from_vector(dist, v)
        score = d.score(x)
        if dist.name == "multivariate_normal":
            g_cov = score["cov"].sum(axis=0)
            rows, cols = np.tril_indices(g_cov.shape[0])
            # vech derivative: off-diagonal entries move both (i, j) and (j, i)
            factor = np.where(rows == cols, 1.0, 2.0)
            return np.r_[score["mean"].sum(axis=0), factor * g_cov[rows, cols]]
        return np.concatenate([np.atleast_1d(np.sum(s, axis=0)) for s in score.values()])

    return grad


@pytest.mark.parametrize("name", list(CASES))
def test_score_matches_finite_differences(name):
    case = CASES[name]
    x = _points(case, 30, seed=4)
    if name == "laplace":  # not differentiable at x = loc: keep the difference steps off it
        x = x[np.abs(x - case.dist.params["loc"]) > 0.01]
    v = free_vector(case.dist)
    check = check_gradient(_total_loglik(case.dist, x), _total_score(case.dist, x), v, rtol=1e-6)
    assert check.ok, str(check)


@pytest.mark.parametrize("name", SCALAR)
def test_hessian_matches_finite_differences_of_the_score(name):
    case = CASES[name]
    cls = type(case.dist)
    x = _points(case, 30, seed=5)
    v = free_vector(case.dist)

    def hess(w):
        d = from_vector(case.dist, w)
        h = cls._hess(x, *d._theta)
        k = len(h)
        return np.array(
            [[np.sum(np.broadcast_to(h[i][j], x.shape)) for j in range(k)] for i in range(k)]
        )

    check = check_hessian(
        _total_loglik(case.dist, x), hess, v, grad=_total_score(case.dist, x), rtol=1e-5
    )
    assert check.ok, str(check)


def _expectation(dist, fun):
    """E[fun(X)] by quadrature (continuous) or summation over the support (discrete)."""
    if dist.discrete:
        k = np.arange(0.0, dist.ppf(1 - 1e-15) + 1.0)
        k = k[np.isfinite(dist.logpdf(k))]
        return np.tensordot(fun(k), dist.pdf(k), axes=([-1], [0]))
    lo, hi = dist.ppf(1e-13), dist.ppf(1 - 1e-13)
    mid = float(dist.ppf(0.5))
    if dist.name in ("cauchy", "student_t"):
        lo, hi = -np.inf, np.inf
    sample = fun(np.array([mid]))

    def entry(idx):
        def integrand(t):
            return float(fun(np.array([t]))[idx][0] * dist.pdf(t))

        kw = {"limit": 400, "epsabs": 1e-13, "epsrel": 1e-10}
        return (
            integrate.quad(integrand, lo, mid, **kw)[0]
            + integrate.quad(integrand, mid, hi, **kw)[0]
        )

    out = np.empty(sample.shape[:-1])
    for idx in np.ndindex(out.shape):
        out[idx] = entry(idx)
    return out


@pytest.mark.parametrize("name", [n for n in SCALAR if n != "uniform"])
def test_fisher_information_is_the_expected_outer_product_of_scores(name):
    d = CASES[name].dist
    cls = type(d)

    def outer(x):
        s = [np.broadcast_to(v, x.shape) for v in cls._score(x, *d._theta)]
        return np.array([[si * sj for sj in s] for si in s])

    expected = _expectation(d, outer)
    np.testing.assert_allclose(d.fisher_information(), expected, rtol=2e-6, atol=1e-9)
    if name != "laplace":  # the Laplace location's curvature is a point mass, not in _hess

        def minus_hess(x):
            h = cls._hess(x, *d._theta)
            return -np.array([[np.broadcast_to(v, x.shape) for v in row] for row in h])

        np.testing.assert_allclose(_expectation(d, minus_hess), expected, rtol=2e-6, atol=1e-9)


def test_categorical_fisher_information():
    d = CASES["categorical"].dist
    k = np.arange(3.0)
    (s,) = d._score(k, d._theta[0])
    expected = np.einsum("ki,kj,k->ij", s, s, d.pdf(k))
    np.testing.assert_allclose(d.fisher_information(), expected, rtol=1e-12)


def test_multivariate_normal_fisher_information():
    # The per-observation Hessian is quadratic in x: averaged over a sample whose mean and
    # covariance equal the parameters exactly it gives the expectation exactly.
    d = CASES["multivariate_normal"].dist
    mean, cov = d.params["mean"], d.params["cov"]
    z = np.random.default_rng(0).normal(size=(400, 2))
    z = (z - z.mean(0)) @ np.linalg.inv(np.linalg.cholesky(np.cov(z.T, bias=True))).T
    x = mean + z @ np.linalg.cholesky(cov).T
    v = free_vector(d)
    grad = _total_score(d, x)
    hess = ll.estimation.numerical_hessian(_total_loglik(d, x), v, grad=grad)
    np.testing.assert_allclose(d.fisher_information(), -hess / len(x), rtol=1e-6, atol=1e-9)


def test_uniform_has_no_fisher_information():
    with pytest.raises(ValueError, match="not regular"):
        ll.Uniform(0, 1).fisher_information()


@pytest.mark.parametrize("name", CONTINUOUS)
def test_fitted_loglik_is_at_least_scipys(name):
    case = CASES[name]
    for seed in (0, 1):
        x = case.dist.sample(500, np.random.default_rng(seed))
        ours = ll.fit(x, name).loglik
        theirs = case.scipy_fit(x)
        assert ours >= theirs - 1e-7 * abs(theirs), (ours, theirs)


def test_closed_forms_equal_their_formulas():
    rng = np.random.default_rng(3)
    x = rng.normal(2.0, 3.0, 300)
    p = ll.fit(x, "normal").params
    assert p["mu"] == pytest.approx(x.mean(), rel=1e-14)
    assert p["sigma"] == pytest.approx(x.std(ddof=0), rel=1e-13)  # 1/n, not 1/(n-1)
    y = np.exp(x / 3)
    p = ll.fit(y, "lognormal").params
    assert p["mu"] == pytest.approx(np.log(y).mean(), rel=1e-13)
    assert p["sigma"] == pytest.approx(np.log(y).std(), rel=1e-13)
    e = rng.exponential(2.0, 300)
    assert ll.fit(e, "exponential").params["scale"] == pytest.approx(e.mean(), rel=1e-14)
    p = ll.fit(x, "laplace").params
    # the midpoint of the two middle values (n even): numpy's median is another library's code
    assert p["loc"] == pytest.approx(np.median(x), rel=1e-15)
    assert p["scale"] == pytest.approx(np.mean(np.abs(x - np.median(x))), rel=1e-13)
    # exact: the MLE selects the smallest and largest value, no arithmetic
    assert ll.fit(x, "uniform").params == {"low": x.min(), "high": x.max()}
    k = rng.poisson(3.0, 300).astype(float)
    assert ll.fit(k, "poisson").params["rate"] == pytest.approx(k.mean(), rel=1e-14)
    assert ll.fit(k, "binomial", fixed={"n": 20}).params["p"] == pytest.approx(k.mean() / 20)
    assert ll.fit(k + 1, "geometric").params["p"] == pytest.approx(1 / (k + 1).mean())
    b = (k > 3).astype(float)
    assert ll.fit(b, "bernoulli").params["p"] == pytest.approx(b.mean(), rel=1e-14)
    probs = ll.fit(k, "categorical").params["probs"]
    np.testing.assert_allclose(probs, np.bincount(k.astype(int)) / k.size, rtol=1e-14)
    X = rng.normal(size=(200, 3)) @ rng.normal(size=(3, 3))
    p = ll.fit(X, "multivariate_normal").params
    np.testing.assert_allclose(p["mean"], X.mean(0), rtol=1e-13)
    np.testing.assert_allclose(p["cov"], np.cov(X.T, bias=True), rtol=1e-12)


def test_profile_equations_hold_at_the_fit():
    rng = np.random.default_rng(5)
    from scipy import special

    g = rng.gamma(2.0, 3.0, 1000)
    a = ll.fit(g, "gamma").params["shape"]
    assert np.log(a) - special.digamma(a) == pytest.approx(
        np.log(g.mean()) - np.log(g).mean(), rel=1e-9
    )
    w = rng.weibull(1.5, 1000) * 2.0
    k = ll.fit(w, "weibull").params["shape"]
    lhs = np.sum(w**k * np.log(w)) / np.sum(w**k) - 1.0 / k
    assert lhs == pytest.approx(np.log(w).mean(), rel=1e-9)


@pytest.mark.parametrize(
    ("cls", "kwargs", "match"),
    [
        (ll.Normal, {"mu": 0.0, "sigma": -1.0}, "sigma must be > 0"),
        (ll.Normal, {"mu": np.nan}, "mu must be finite"),
        (ll.Gamma, {"shape": 0.0}, "shape must be > 0"),
        (ll.Beta, {"a": 1.0, "b": -2.0}, "b must be > 0"),
        (ll.Bernoulli, {"p": 1.5}, r"p must be in \[0, 1\]"),
        (ll.Binomial, {"n": 2.5, "p": 0.5}, "n must be a positive integer"),
        (ll.NegativeBinomial, {"n": 2.0, "p": 0.0}, r"p must be in \(0, 1\]"),
        (ll.Uniform, {"low": 2.0, "high": 1.0}, "low must be below high"),
        (ll.Categorical, {"probs": [0.5, 0.6]}, "sum to 1"),
        (ll.Categorical, {"probs": [-0.5, 1.5]}, "non-negative"),
        (ll.MultivariateNormal, {"mean": [0, 0], "cov": [[1, 2], [2, 1]]}, "positive definite"),
        (ll.MultivariateNormal, {"mean": [0, 0], "cov": [[1, 0]]}, "shape"),
        (ll.Normal, {"mu": "a"}, "numeric"),
    ],
)
def test_bad_parameters_are_clear_errors(cls, kwargs, match):
    with pytest.raises(ValueError, match=match):
        cls(**kwargs)


def test_parameter_binding_errors():
    with pytest.raises(TypeError, match="no parameter 'scale'"):
        ll.Normal(scale=1.0)
    with pytest.raises(TypeError, match="needs the parameter 'shape'"):
        ll.Gamma()
    with pytest.raises(TypeError, match="twice"):
        ll.Normal(0.0, mu=1.0)


def test_batches_broadcast():
    d = ll.Normal(np.array([0.0, 1.0, 2.0]), 1.0)
    assert d.batch_shape == (3,)
    np.testing.assert_allclose(d.logpdf(np.array([0.0, 1.0, 2.0])), ll.Normal().logpdf(0.0))
    assert d.sample(random_state=0).shape == (3,)
    assert d.fisher_information().shape == (3, 2, 2)
    c = ll.Categorical([[0.2, 0.8], [0.6, 0.4]])
    np.testing.assert_allclose(c.pmf(np.array([1.0, 0.0])), [0.8, 0.6])
    assert c.sample(random_state=1).shape == (2,)
    with pytest.raises(ValueError, match="broadcast"):
        ll.Normal(np.zeros(2), np.ones(3))


def test_evaluation_inputs():
    d = ll.Normal()
    with pytest.raises(ValueError, match="NaN"):
        d.logpdf([0.0, np.nan])
    with pytest.raises(ValueError, match=r"q must be in \[0, 1\]"):
        d.ppf(1.5)
    assert d.logpdf(np.inf) == -np.inf and d.cdf(np.inf) == 1.0
    assert d.ppf(0.0) == -np.inf and d.ppf(1.0) == np.inf
    x = np.array([1.0, 2.0])
    d.logpdf(x)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    assert repr(ll.Gamma(2.0, 3.0)) == "Gamma(shape=2, scale=3)"


def test_multivariate_normal_specifics():
    d = CASES["multivariate_normal"].dist
    assert d.sample(5, 0).shape == (5, 2)
    # exact: the entries of mean and cov, and sqrt(1.0) == 1.0
    assert d.marginal(1).params == {"mu": -1.0, "sigma": 1.0}
    with pytest.raises(TypeError, match="quantile"):
        d.ppf(0.5)
    with pytest.raises(ValueError, match="2 columns"):
        d.logpdf(np.zeros(3))
    assert d.cdf(np.array([1.0, -1.0])) == pytest.approx(
        CASES["multivariate_normal"].scipy.cdf([1.0, -1.0]), abs=1e-4
    )
    np.testing.assert_allclose(d.covariance(), [[2.0, 0.5], [0.5, 1.0]])
    np.testing.assert_allclose(d.var(), [2.0, 1.0])


def test_registry():
    assert set(ll.family_names()) == set(CASES)
    with pytest.raises(ValueError, match=r"unknown family 'gama'; known: .*gamma"):
        ll.fit([1.0, 2.0], "gama")
    assert ll.estimation.get_family("Student-T") is ll.StudentT
    with pytest.raises(ValueError, match="pass the class or its name"):
        ll.fit([1.0, 2.0], ll.Normal())


@pytest.mark.parametrize("name", [n for n in SCALAR if CASES[n].dist._pointwise is not None])
def test_pointwise_shortcut_agrees_with_the_separate_formulas(name):
    d = CASES[name].dist
    cls = type(d)
    x = _points(CASES[name], 50, seed=8)
    lp, score, hess = cls._pointwise(x, *d._theta)
    np.testing.assert_allclose(lp, cls._logpdf(x, *d._theta), rtol=1e-13, atol=1e-14)
    for mine, ref in zip(score, cls._score(x, *d._theta)):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14)
    for row, ref_row in zip(hess, cls._hess(x, *d._theta)):
        for mine, ref in zip(row, ref_row):
            np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", list(CASES))
def test_reported_loglik_is_the_sum_of_logpdf(name):
    case = CASES[name]
    x = case.dist.sample(300, np.random.default_rng(12))
    res = ll.fit(x, name, fixed=case.fixed)
    assert res.loglik == pytest.approx(res.dist.loglik(x), rel=1e-11)


@pytest.mark.parametrize("name", CONTINUOUS)
def test_derivatives_in_x_match_finite_differences(name):
    d = CASES[name].dist
    x = _points(CASES[name], 12, seed=13)
    if name == "laplace":  # not differentiable at loc
        x = x[np.abs(x - d.params["loc"]) > 0.01]
    for xi in x:
        first = check_gradient(
            lambda v: d.logpdf(v[0]), lambda v: np.atleast_1d(d.dlogpdf(v[0])), [xi]
        )
        assert first.ok, str(first)
        second = check_gradient(
            lambda v: d.dlogpdf(v[0]), lambda v: np.atleast_1d(d.d2logpdf(v[0])), [xi], rtol=1e-5
        )
        assert second.ok, str(second)
    with pytest.raises(TypeError, match="no derivative in x"):
        ll.Poisson(2.0).dlogpdf(1.0)


def test_modes():
    # exact: the mode is the parameter itself, or an end of the support
    assert ll.Normal(1.5, 2.0).mode() == 1.5
    assert ll.Gamma(3.0, 2.0).mode() == pytest.approx(4.0)
    assert ll.Beta(3.0, 5.0).mode() == pytest.approx(2.0 / 6.0)
    assert ll.Beta(0.5, 3.0).mode() == 0.0 and ll.Beta(3.0, 1.0).mode() == 1.0
    for d in (ll.Gamma(3.0, 2.0), ll.Beta(3.0, 5.0)):
        grid = np.linspace(d.ppf(0.001), d.ppf(0.999), 20001)
        assert d.mode() == pytest.approx(grid[np.argmax(d.logpdf(grid))], abs=2e-3)
    with pytest.raises(ValueError, match="no unique mode"):
        ll.Beta(0.5, 0.5).mode()
    with pytest.raises(ValueError, match="unbounded"):
        ll.Gamma(0.5, 1.0).mode()


def test_dirichlet():
    d = ll.Dirichlet([2.0, 3.0, 5.0])
    ref = stats.dirichlet([2.0, 3.0, 5.0])
    p = d.sample(4, 0)
    assert p.shape == (4, 3) and np.allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(d.logpdf(p), [ref.logpdf(row) for row in p], rtol=1e-12)
    np.testing.assert_allclose(d.mean(), ref.mean())
    np.testing.assert_allclose(d.var(), ref.var())
    np.testing.assert_allclose(d.covariance(), np.cov(d.sample(200_000, 1).T), atol=2e-4)
    np.testing.assert_allclose(d.mode(), [1 / 7, 2 / 7, 4 / 7])
    # exact: alpha_i and sum(alpha) - alpha_i, sums of small integers
    assert d.marginal(2).params == {"a": 5.0, "b": 5.0}
    assert d.logpdf([0.5, 0.6, -0.1]) == -np.inf
    with pytest.raises(ValueError, match="3 entries"):
        d.logpdf([0.5, 0.5])
    with pytest.raises(TypeError, match="quantile"):
        d.ppf(0.5)
    v = np.array([0.2, 0.3, 0.5])  # the gradient treats the entries as free
    alpha = d.params["alpha"]
    check = check_gradient(lambda u: ll.Dirichlet._logpdf(u, alpha), d.dlogpdf, v)
    assert check.ok, str(check)


def test_normal_inverse_gamma():
    d = ll.NormalInverseGamma(1.0, 2.0, 3.0, 4.0)
    points = d.sample(5, 0)
    assert points.shape == (5, 2) and np.all(points[:, 1] > 0)
    for mu, sigma in points:
        manual = (
            stats.norm.logpdf(mu, 1.0, sigma / np.sqrt(2.0))
            + stats.invgamma.logpdf(sigma**2, 3.0, scale=4.0)
            + np.log(2 * sigma)
        )
        assert d.logpdf([mu, sigma]) == pytest.approx(manual, rel=1e-12)
        g = check_gradient(d.logpdf, d.dlogpdf, [mu, sigma])
        assert g.ok, str(g)
        h = check_hessian(d.logpdf, d.d2logpdf, [mu, sigma], grad=d.dlogpdf)
        assert h.ok, str(h)
    draws = d.sample(200_000, 1)
    assert draws[:, 0].mean() == pytest.approx(d.mean()[0], abs=0.01)
    assert draws[:, 1].mean() == pytest.approx(d.mean()[1], rel=0.01)
    assert draws[:, 0].var() == pytest.approx(d.var()[0], rel=0.02)
    assert draws[:, 1].var() == pytest.approx(d.var()[1], rel=0.03)
    grid_mu, grid_sigma = np.meshgrid(np.linspace(0.5, 1.5, 201), np.linspace(0.5, 1.5, 201))
    values = d.logpdf(np.stack([grid_mu, grid_sigma], -1))
    i = np.unravel_index(np.argmax(values), values.shape)
    np.testing.assert_allclose(d.mode(), [grid_mu[i], grid_sigma[i]], atol=0.006)
    lo, hi = d.interval(0.9)["sigma"]
    assert np.mean((draws[:, 1] > lo) & (draws[:, 1] < hi)) == pytest.approx(0.9, abs=0.005)
    assert d.logpdf([0.0, -1.0]) == -np.inf
    with pytest.raises(ValueError, match="pairs"):
        d.logpdf([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="marginal must be"):
        d.marginal("sigma")


def test_flat_prior():
    flat = ll.priors.Flat()
    assert flat.logpdf(3.0) == 0.0 and flat.dlogpdf(-2.0) == 0.0 and repr(flat) == "Flat()"
    assert flat.support_bounds() == (-np.inf, np.inf)
