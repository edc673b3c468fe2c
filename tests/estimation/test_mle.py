"""fit(): fixed parameters, weights, shared optimizers, starting values and every bad input."""

import numpy as np
import pytest
from scipy import stats

import loglik as ll

RNG = np.random.default_rng(2024)
GAMMA = RNG.gamma(2.0, 3.0, 400)
NORMAL = RNG.normal(1.0, 2.0, 300)
COUNTS = RNG.poisson(4.0, 300).astype(float)


def test_fixed_parameters_use_the_closed_forms_where_they_exist():
    res = ll.fit(GAMMA, "gamma", fixed={"shape": 2.0})
    assert res.params == {"shape": 2.0, "scale": pytest.approx(GAMMA.mean() / 2.0, rel=1e-14)}
    assert res.free == ("scale",) and res.k == 1 and res.method == "closed form"
    res = ll.fit(NORMAL, "normal", fixed={"mu": 0.0})
    assert res.params["sigma"] == pytest.approx(np.sqrt(np.mean(NORMAL**2)), rel=1e-13)
    res = ll.fit(NORMAL, "normal", fixed={"sigma": 5.0})
    assert res.params["mu"] == pytest.approx(NORMAL.mean(), rel=1e-14)


@pytest.mark.parametrize(
    ("family", "data", "fixed", "scipy_dist", "scipy_kw"),
    [
        ("gamma", GAMMA, {"scale": 2.5}, stats.gamma, {"floc": 0, "fscale": 2.5}),
        ("weibull", GAMMA, {"scale": 6.0}, stats.weibull_min, {"floc": 0, "fscale": 6.0}),
        ("weibull", GAMMA, {"shape": 1.3}, stats.weibull_min, {"f0": 1.3, "floc": 0}),
        ("student_t", NORMAL, {"df": 3.0}, stats.t, {"f0": 3.0}),
        (
            "beta",
            RNG.beta(2.0, 3.0, 300),
            {"a": 2.0},
            stats.beta,
            {"f0": 2.0, "floc": 0, "fscale": 1},
        ),
        ("cauchy", NORMAL, {"loc": 1.0}, stats.cauchy, {"floc": 1.0}),
    ],
)
def test_fixed_parameters_with_newton_match_scipy(family, data, fixed, scipy_dist, scipy_kw):
    res = ll.fit(data, family, fixed=fixed)
    theirs = scipy_dist.logpdf(data, *scipy_dist.fit(data, **scipy_kw)).sum()
    assert res.loglik >= theirs - 1e-8 * abs(theirs)
    assert res.converged and res.diagnostics["grad_norm"] < 1e-7


def test_all_parameters_fixed_gives_the_loglik_at_them():
    res = ll.fit(NORMAL, "normal", fixed={"mu": 0.0, "sigma": 1.0})
    assert res.k == 0 and res.se == {} and res.conf_int().empty
    assert res.loglik == pytest.approx(stats.norm.logpdf(NORMAL).sum(), rel=1e-12)


@pytest.mark.parametrize(
    ("family", "data", "fixed"),
    [
        ("normal", NORMAL, None),
        ("gamma", GAMMA, None),
        ("weibull", GAMMA, None),
        ("student_t", RNG.standard_t(3.0, 300), None),
        ("laplace", NORMAL, None),
        ("logistic", NORMAL, None),
        ("uniform", NORMAL, None),
        ("poisson", COUNTS, None),
        ("negative_binomial", COUNTS + RNG.poisson(3.0, 300) * (RNG.random(300) < 0.3), None),
        ("binomial", COUNTS, {"n": 15}),
        ("categorical", COUNTS, None),
        ("multivariate_normal", RNG.normal(size=(300, 2)) @ [[1.0, 0.4], [0.0, 1.0]], None),
    ],
)
def test_integer_weights_equal_repeated_rows(family, data, fixed):
    w = RNG.integers(0, 4, len(data)).astype(float)
    weighted = ll.fit(data, family, weights=w, fixed=fixed)
    repeated = ll.fit(np.repeat(data, w.astype(int), axis=0), family, fixed=fixed)
    assert weighted.n == repeated.n == w.sum() and weighted.n_obs == len(data)
    for label, value in repeated.estimates.items():
        assert weighted.estimates[label] == pytest.approx(value, rel=1e-8, abs=1e-10), label
    assert weighted.loglik == pytest.approx(repeated.loglik, rel=1e-10)
    for label, value in repeated.se.items():
        assert weighted.se[label] == pytest.approx(value, rel=1e-6, abs=1e-12), label


def test_weighted_median_for_laplace():
    x = np.array([1.0, 2.0, 3.0, 10.0])
    # exact: a weighted median selects a value or halves the sum of two small integers
    assert ll.fit(x, "laplace", weights=[1, 1, 1, 5]).params["loc"] == 10.0
    assert ll.fit(x, "laplace", weights=[1, 1, 1, 1]).params["loc"] == 2.5
    assert ll.fit(x, "laplace", weights=[2, 0, 1, 1]).params["loc"] == 2.0  # 1..3, zero weight


@pytest.mark.parametrize("optimizer", ["adam", "newton", "lbfgs", "gd"])
def test_any_shared_optimizer_reaches_the_mle_and_records_its_path(optimizer):
    settings = {
        "adam": ll.optimizers.adam(0.05),
        "gd": ll.optimizers.gd(0.5),
    }.get(optimizer, optimizer)
    exact = ll.fit(GAMMA, "gamma")
    res = ll.fit(
        GAMMA,
        "gamma",
        optimizer=settings,
        start={"shape": 1.0, "scale": 1.0},
        max_iter=5000,
        gtol=1e-7,
    )
    assert res.converged
    tol = 1e-7 if optimizer in ("newton", "lbfgs") else 1e-3  # first-order: a looser stop
    assert res.params["shape"] == pytest.approx(exact.params["shape"], rel=tol)
    assert res.params["scale"] == pytest.approx(exact.params["scale"], rel=tol)
    path = res.path
    assert list(path.columns) == ["shape", "scale", "loglik", "grad_norm"]
    assert path.iloc[0][["shape", "scale"]].tolist() == pytest.approx([1.0, 1.0])
    assert path["loglik"].iloc[-1] == pytest.approx(res.loglik, rel=1e-10)
    assert path["loglik"].iloc[-1] > path["loglik"].iloc[0]
    assert len(path) == res.n_iter + 1 and res.history is not None


def test_optimizer_on_vector_parameters_and_mini_batches():
    x = RNG.normal(size=(500, 2)) @ [[1.0, 0.5], [0.0, 0.7]] + [1.0, -2.0]
    exact = ll.fit(x, "multivariate_normal")
    res = ll.fit(
        x, "multivariate_normal", optimizer=ll.optimizers.adam(0.05), max_iter=3000, gtol=1e-6
    )
    np.testing.assert_allclose(res.params["cov"], exact.params["cov"], rtol=1e-4)
    assert {"mean[0]", "cov[1,0]", "loglik"} <= set(res.path.columns)
    probs = ll.fit(COUNTS, "categorical", optimizer="lbfgs", gtol=1e-9).params["probs"]
    np.testing.assert_allclose(probs, ll.fit(COUNTS, "categorical").params["probs"], atol=1e-5)
    a, b = (
        ll.fit(
            NORMAL,
            "normal",
            optimizer=ll.optimizers.adam(0.01),
            batch_size=32,
            max_iter=40,
            random_state=3,
            tol=0.0,
            gtol=0.0,
            warn=False,
        )
        for _ in range(2)
    )
    # exact: the same random_state gives the same batches through the same code
    assert a.params == b.params
    assert a.params["mu"] == pytest.approx(NORMAL.mean(), abs=0.2)


def test_a_fit_that_does_not_converge_warns_and_says_so():
    with pytest.warns(ll.ConvergenceWarning, match="maximum number of iterations"):
        res = ll.fit(GAMMA, "gamma", optimizer="gd", max_iter=3, start={"shape": 0.5})
    assert not res.converged
    assert any("did not converge" in note for note in res.diagnostics["notes"])


def _reduced_problem(family, x):
    from loglik.estimation.data import as_fit_data
    from loglik.estimation.family import get_family
    from loglik.estimation.likelihood import newton_problem

    cls = get_family(family)
    data = as_fit_data(x)
    return cls.profile_problem(data, {}) or newton_problem(
        cls, data, {}, cls.start_values(data, {})
    )


# Each case is well posed, so rounding does not move the run: its stopping test is passed by a
# wide margin (Newton's quadratic convergence: the gradient norm falls from ~1e-7 to ~1e-13
# across gtol = 1e-10) and a start moved by a few ulps changes no iteration count. Student t on
# normal data is the exception: its MLE has df -> infinity, and near the end the path follows
# rounding (a start moved by one ulp stops after 19 to 24 iterations instead of 22, with df 3%
# apart), so that problem is compared over its first 8 steps only.
T_DATA = np.random.default_rng(7).standard_t(4.0, 300) * 2.0 + 1.0


@pytest.mark.parametrize(
    ("family", "x", "options", "rtol"),
    [
        ("gamma", GAMMA, {}, 1e-12),  # one parameter: the float path
        (
            "negative_binomial",
            np.random.default_rng(5).negative_binomial(3.0, 0.4, 300).astype(float),
            {},
            1e-12,
        ),
        (
            "beta",
            np.random.default_rng(6).beta(2.0, 5.0, 300),
            {},
            1e-12,
        ),  # two, from sufficient statistics
        ("student_t", T_DATA, {}, 1e-12),  # three, on all the data
        # df -> infinity: 8 steps amplify an ulp to ~2e-9 in df (measured with shifted starts)
        ("student_t", NORMAL, {"max_iter": 8}, 1e-7),
        ("student_t", NORMAL, {"max_iter": 2}, 1e-12),  # stops on the budget: warns
        ("gamma", GAMMA, {"gtol": 1e-3, "tol": 0.0}, 1e-12),
        ("cauchy", NORMAL, {"gtol": 0.0, "tol": 1e-3}, 1e-12),
    ],
)
def test_solve_newton_repeats_minimize(family, x, options, rtol):
    """solve_newton takes minimize's steps, stops by its rules and reports what it reports.

    The two paths differ in rounding only (a norm from np.dot or np.linalg.norm, the step applied
    to a float or to an array; which one rounds how depends on numpy and the BLAS), so the
    numbers agree to ``rtol`` (1e-12: same algorithm, rounding only), the counts and messages
    exactly. A gradient norm near the optimum is a cancellation of O(1) terms: its absolute
    rounding error (~1e-15) can be its own size, hence ``atol=1e-12`` there (the objective is a
    mean negative log-likelihood of order 1).
    """
    from loglik.estimation.fitting import NEWTON_OPTIONS
    from loglik.estimation.minimize import minimize
    from loglik.estimation.newton import solve_newton

    settings = {**NEWTON_OPTIONS, **options}
    runs = []
    for solver in (
        lambda p: minimize(p.objective, p.start, "newton", **settings),
        lambda p: solve_newton(p.objective, p.start, **settings),
    ):
        problem = _reduced_problem(family, x)
        if "max_iter" in options:
            with pytest.warns(ll.ConvergenceWarning, match="maximum number of iterations"):
                runs.append(solver(problem))
        else:
            runs.append(solver(problem))
    a, b = runs
    # integers, flags and text: exact (no rounding can reach them in these well-separated cases)
    assert (a.n_iter, a.converged, a.message, a.optimizer) == (
        b.n_iter,
        b.converged,
        b.message,
        b.optimizer,
    )
    # NewtonState: counts, and the last step size, a power of 1/2 from the line search
    assert a.state == b.state
    np.testing.assert_allclose(
        [float(p) for p in b.params], [float(p) for p in a.params], rtol=rtol
    )
    assert b.value == pytest.approx(a.value, rel=rtol)
    assert b.grad_norm == pytest.approx(a.grad_norm, rel=rtol, abs=1e-12)
    assert len(b.history.value) == len(a.history.value) == a.n_iter + 1
    np.testing.assert_allclose(b.history.value, a.history.value, rtol=rtol)
    for field in ("grad_norm", "step_norm"):
        np.testing.assert_allclose(
            getattr(b.history, field), getattr(a.history, field), rtol=rtol, atol=1e-12
        )
    assert np.isnan(a.history.val_value).all() and np.isnan(b.history.val_value).all()
    assert len(b.history.time) == len(a.history.time) and b.history.params is None


def test_solve_newton_reports_divergence_and_a_bad_start_as_minimize_does():
    from loglik.estimation.minimize import minimize
    from loglik.estimation.newton import solve_newton
    from loglik.estimation.objective import SmoothObjective

    def runaway(theta):  # concave (modified steps), unbounded below from 3 on, NaN beyond 4
        t = float(theta[0])
        f = -t if t < 3.0 else (-np.inf if t < 4.0 else np.nan)
        return f, (-1.0,), ((-1.0,),)

    def run(solve, start, max_iter):
        objective = SmoothObjective(runaway, ["identity"])
        return solve(objective, [np.array(start)], max_iter=max_iter, gtol=0.0, tol=0.0)

    runs = []
    for solve in (solve_newton, lambda *a, **k: minimize(*a, "newton", **k)):
        with pytest.warns(ll.ConvergenceWarning, match="diverged: the objective became -inf"):
            runs.append(run(solve, 0.0, 50))
        with pytest.raises(ValueError, match="not finite at the starting parameters"):
            run(solve, 5.0, 5)
    a, b = runs
    assert a.n_iter == b.n_iter == 3 and a.message == b.message and a.state == b.state
    assert a.state.n_modified_steps == 3


def test_start_values_for_the_newton_fit():
    x = RNG.standard_t(4.0, 300)
    res = ll.fit(x, "student_t", start={"df": 30.0, "loc": 1.0, "scale": 3.0})
    assert res.loglik == pytest.approx(ll.fit(x, "student_t").loglik, rel=1e-12)
    with pytest.raises(ValueError, match="start has 'sigma'"):
        ll.fit(NORMAL, "student_t", start={"sigma": 1.0})
    with pytest.raises(ValueError, match="also fixed"):
        ll.fit(NORMAL, "student_t", start={"df": 3.0}, fixed={"df": 4.0})
    with pytest.raises(ValueError, match=r"start\): df must be > 0"):
        ll.fit(NORMAL, "student_t", start={"df": -3.0})


def test_inputs_are_never_modified():
    x = GAMMA.copy()
    w = np.ones_like(x)
    fixed = {"shape": 2.0}
    res = ll.fit(x, "gamma", weights=w, fixed=fixed)
    res.conf_int(method="profile"), res.summary(), res.bootstrap(20, random_state=0)
    np.testing.assert_array_equal(x, GAMMA)
    np.testing.assert_array_equal(w, 1.0)
    assert fixed == {"shape": 2.0}


def test_accepts_lists_integers_and_pandas():
    import pandas as pd

    a = ll.fit([1, 2, 2, 3, 7], "poisson").params["rate"]
    b = ll.fit(pd.Series([1.0, 2.0, 2.0, 3.0, 7.0]), "poisson").params["rate"]
    # exact: 15 / 5 in floating point, whatever container the data came in
    assert a == b == 3.0


@pytest.mark.parametrize(
    ("x", "family", "kwargs", "match"),
    [
        ([1.0, np.nan, 2.0], "normal", {}, "x contains NaN at row 1"),
        ([1.0, 2.0, np.inf], "normal", {}, "x contains inf at row 2"),
        ([], "normal", {}, "x is empty"),
        ("abc", "normal", {}, "array of numbers"),
        ([[1.0, 2.0]], "normal", {}, "1-D"),
        ([1.0, 2.0], "multivariate_normal", {}, "2-D"),
        ([["a", "b"]], "normal", {}, "numeric"),
        ([3.0], "normal", {}, "does not exist: x has a single value"),
        ([2.0, 2.0, 2.0], "normal", {}, "all values of x are equal"),
        ([2.0, 2.0], "gamma", {}, "all values of x are equal"),
        ([2.0, 2.0], "weibull", {}, "does not exist"),
        ([2.0, 2.0], "lognormal", {}, "does not exist"),
        ([0.5, 0.5], "beta", {}, "does not exist"),
        ([1.0, 1.0, 1.0], "student_t", {}, "does not exist"),
        ([1.0, 1.0, 1.0, 5.0], "cauchy", {}, "at least half of the values"),
        ([1.0, 1.0], "uniform", {}, "zero width"),
        ([0.0, 0.0], "exponential", {}, "every value is 0"),
        ([1.0, 2.0, 2.0, 1.0], "negative_binomial", {}, "variance .* does not exceed the mean"),
        ([1.0, -2.0, 3.0, -1.0], "gamma", {}, "2 values, the first -2.0 at row 1"),
        ([1.0, 0.0], "lognormal", {}, r"support of lognormal \(x > 0\): 1 value, the first 0.0"),
        ([0.5, 1.0], "beta", {}, r"0 < x < 1"),
        ([1.0, 2.5, 3.0], "poisson", {}, "non-integer values: 1 value, the first 2.5 at row 1"),
        ([1.0, -1.0], "poisson", {}, "outside the support"),
        ([0.0, 2.0], "bernoulli", {}, "outside the support"),
        ([0.0, 3.0], "geometric", {}, "outside the support of geometric"),
        ([1.0, 2.0], "binomial", {}, r"needs n given, not estimated: pass fixed=\{'n': ...\}"),
        ([1.0, 12.0], "binomial", {"fixed": {"n": 10}}, "outside the support"),
        ([1.0, 2.0], "gama", {}, "unknown family 'gama'; known:"),
        ([1.0, 2.0], 42, {}, "family must be a name"),
        (
            [1.0, 2.0],
            "normal",
            {"fixed": {"sd": 1.0}},
            "fixed has 'sd', which normal does not have",
        ),
        ([1.0, 2.0], "normal", {"fixed": {"sigma": -1.0}}, "fixed sigma must be > 0"),
        ([1.0, 2.0], "normal", {"fixed": {"sigma": "one"}}, "fixed sigma must be a number"),
        ([1.0, 2.0], "normal", {"fixed": {"mu": np.nan}}, "fixed mu must be a real number"),
        ([1.0, 2.0], "normal", {"fixed": {"mu": [1.0, 2.0]}}, "fixed mu must be a number"),
        ([1.0, 2.0, 3.0], "uniform", {"fixed": {"low": 2.0}}, "below the fixed low=2.0"),
        ([1.0, 2.0], "normal", {"weights": [1.0]}, "weights has 1 entries but x has 2 rows"),
        ([1.0, 2.0], "normal", {"weights": [1.0, -1.0]}, "non-negative, got -1.0 at row 1"),
        ([1.0, 2.0], "normal", {"weights": [0.0, 0.0]}, "weights are all zero"),
        ([1.0, 2.0], "normal", {"weights": [1.0, np.nan]}, "weights contains NaN at row 1"),
        ([1.0, 2.0, 5.0], "uniform", {"optimizer": "adam"}, "not differentiable"),
        ([1.0, 2.0, 5.0], "normal", {"optimizer": "adamax"}, "unknown optimizer"),
    ],
)
def test_bad_input_is_a_clear_value_error(x, family, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ll.fit(x, family, **kwargs)


def test_moments_do_not_cancel_when_the_mean_dwarfs_the_spread():
    x = 1e9 + RNG.normal(0.0, 1e-3, 1000)
    res = ll.fit(x, "normal")
    assert res.params["sigma"] == pytest.approx(x.std(), rel=1e-6)
    w = RNG.integers(1, 3, 1000).astype(float)
    weighted = ll.fit(x, "normal", weights=w)
    mean = np.average(x, weights=w)
    assert weighted.params["sigma"] == pytest.approx(
        np.sqrt(np.average((x - mean) ** 2, weights=w)), rel=1e-6
    )
