"""The objective protocol, transforms and the finite-difference checker."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import loglik as ll
from loglik.estimation import gradcheck as gc
from loglik.estimation import objective as ob
from loglik.estimation import transforms as tr
from loglik.models.glm import GLMObjective

finite = st.floats(-20, 20, allow_nan=False)


def _smooth(x):
    return np.sum(np.sin(x) * np.exp(0.3 * x)) + x[0] ** 2 * x[-1]


def _smooth_grad(x):
    g = np.cos(x) * np.exp(0.3 * x) + 0.3 * np.sin(x) * np.exp(0.3 * x)
    g[0] += 2 * x[0] * x[-1]
    g[-1] += x[0] ** 2
    return g


def test_numerical_gradient_is_accurate():
    x = np.array([0.3, -1.2, 2.5])
    np.testing.assert_allclose(gc.numerical_gradient(_smooth, x), _smooth_grad(x), rtol=1e-10)


def test_numerical_hessian_from_function_and_from_gradient():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    x = np.array([0.5, -0.7])

    def fun(v):
        return 0.5 * v @ A @ v + np.sum(v**4)

    def grad(v):
        return A @ v + 4 * v**3

    exact = A + np.diag(12 * x**2)
    np.testing.assert_allclose(gc.numerical_hessian(fun, x), exact, rtol=1e-6)
    np.testing.assert_allclose(gc.numerical_hessian(fun, x, grad=grad), exact, rtol=1e-8)


def test_checker_passes_a_right_gradient_and_catches_wrong_ones():
    x = np.array([0.3, -1.2, 2.5])
    assert gc.check_gradient(_smooth, _smooth_grad, x).ok

    def off_by_a_little(v):
        g = _smooth_grad(v)
        g[1] *= 1.0001  # a 1e-4 relative error in one component
        return g

    def sign_error(v):
        return -_smooth_grad(v)

    def missing_term(v):
        return np.cos(v) * np.exp(0.3 * v)

    for wrong in (off_by_a_little, sign_error, missing_term):
        result = gc.check_gradient(_smooth, wrong, x)
        assert not result.ok
    result = gc.check_gradient(_smooth, off_by_a_little, x)
    assert result.worst_index == 1
    with pytest.raises(AssertionError, match=r"DISAGREE.*index 1"):
        gc.assert_gradient(_smooth, off_by_a_little, x)


def test_checker_catches_a_wrong_hessian():
    def fun(v):
        return np.sum(v**4) + v[0] * v[1]

    def hess(v):
        return np.diag(12 * v**2) + np.array([[0.0, 1.0], [1.0, 0.0]])

    def wrong(v):
        return np.diag(12 * v**2)

    x = np.array([0.4, 1.3])
    assert gc.check_hessian(fun, hess, x).ok
    assert not gc.check_hessian(fun, wrong, x).ok


def test_checker_flags_nonfinite_analytic_gradient():
    x = np.array([1.0])
    assert not gc.check_gradient(lambda v: float(v @ v), lambda v: np.array([np.nan]), x).ok


@pytest.mark.parametrize("family", ["gaussian", "bernoulli", "poisson"])
def test_glm_objective_gradient_and_hessian(family):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3))
    y = {
        "gaussian": rng.normal(size=40),
        "bernoulli": rng.integers(0, 2, 40).astype(float),
        "poisson": rng.poisson(2.0, 40).astype(float),
    }[family]
    obj = GLMObjective(X, y, family, sample_weight=rng.uniform(0.5, 2, 40))
    params = [rng.normal(size=3) * 0.3, np.array(0.2)]
    g_check, h_check = ll.check_objective(obj, params)
    assert g_check.ok, str(g_check)
    assert h_check.ok, str(h_check)
    g_check, h_check = ll.check_objective(obj, params, batch=np.array([3, 7, 11, 20]))
    assert g_check.ok and h_check.ok


def test_function_objective_needs_a_gradient():
    with pytest.raises(ValueError, match="grad"):
        ll.FunctionObjective(lambda x: x @ x)
    pair = ll.FunctionObjective(lambda x: (x @ x, 2 * x), value_and_grad=True)
    f, g = pair.value_and_grad([np.array([1.0, 2.0])])
    assert f == 5.0 and np.array_equal(g[0], [2.0, 4.0])
    assert pair.hessian is None


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def test_as_params_copies_and_rejects_nan():
    a = np.array([1.0, 2.0])
    out = ob.as_params(a)
    out[0][0] = 99.0
    assert a[0] == 1.0
    with pytest.raises(ValueError, match=r"params\[1\] contains NaN or inf at index \(2,\)"):
        ob.as_params([a, np.array([0.0, 1.0, np.nan])])
    with pytest.raises(ValueError, match="not numeric"):
        ob.as_params([np.array(["a"])])
    with pytest.raises(ValueError, match="non-empty"):
        ob.as_params([])


@given(st.lists(arrays(np.float64, st.integers(0, 4), elements=finite), min_size=1, max_size=4))
def test_flatten_unflatten_round_trip(blocks):
    flat = ob.flatten(blocks)
    back = ob.unflatten(flat, blocks)
    assert len(back) == len(blocks)
    for a, b in zip(blocks, back):
        # exact: flatten and unflatten copy values, no arithmetic
        np.testing.assert_array_equal(a, b)


def test_unflatten_rejects_wrong_length():
    with pytest.raises(ValueError, match="entries"):
        ob.unflatten(np.zeros(3), [np.zeros(2)])


# ---------------------------------------------------------------------------------------------
# Transforms
# ---------------------------------------------------------------------------------------------

ELEMENTWISE = [
    tr.Identity(),
    tr.Log(),
    tr.Softplus(),
    tr.Logit(),
    tr.Interval(-1.0, 3.0),
    tr.LowerBound(2.0),
]


@pytest.mark.parametrize("transform", ELEMENTWISE, ids=lambda t: t.name)
@settings(max_examples=50, deadline=None)
@given(u=st.floats(-8, 8))
def test_elementwise_transform_round_trip_and_derivatives(transform, u):
    theta = transform.forward(u)
    assert np.isclose(transform.inverse(theta), u, rtol=1e-7, atol=1e-7)
    num1 = gc.numerical_gradient(lambda v: float(transform.forward(v[0])), [u])[0]
    num2 = gc.numerical_gradient(lambda v: float(transform.derivative(v[0])), [u])[0]
    assert np.isclose(transform.derivative(u), num1, rtol=1e-7, atol=1e-10)
    assert np.isclose(transform.second_derivative(u), num2, rtol=1e-6, atol=1e-10)


def test_softplus_is_stable_at_extremes():
    sp = tr.Softplus()
    assert sp.forward(800.0) == 800.0
    assert sp.forward(-800.0) == 0.0
    assert np.isfinite(sp.inverse(1e-300))


def test_interval_rejects_empty_interval():
    with pytest.raises(ValueError, match="low < high"):
        tr.Interval(1.0, 1.0)


def test_get_transform():
    assert isinstance(tr.get_transform("log"), tr.Log)
    with pytest.raises(ValueError, match="known: identity, log, logit, softplus"):
        tr.get_transform("exp")


@pytest.mark.parametrize("dim", [1, 2, 4])
def test_cholesky_covariance(dim):
    rng = np.random.default_rng(dim)
    t = tr.CholeskyCovariance(dim)
    u = rng.normal(size=dim * (dim + 1) // 2)
    cov = t.forward(u)
    assert np.all(np.linalg.eigvalsh(cov) > 0)
    np.testing.assert_allclose(t.inverse(cov), u, atol=1e-10)
    G = rng.normal(size=(dim, dim))  # F(cov) = sum(G * cov), dF/dcov = G

    def fun(v):
        return float(np.sum(G * t.forward(v)))

    assert gc.check_gradient(fun, lambda v: t.vjp(v, G), u).ok


@pytest.mark.parametrize("size", [2, 3, 5])
def test_simplex(size):
    rng = np.random.default_rng(size)
    t = tr.Simplex(size)
    u = rng.normal(size=size - 1)
    p = t.forward(u)
    assert p.shape == (size,) and np.all(p > 0) and p.sum() == pytest.approx(1.0, abs=1e-15)
    np.testing.assert_allclose(t.inverse(p), u, atol=1e-12)
    g = rng.normal(size=size)  # F(p) = g'p

    def fun(v):
        return float(g @ t.forward(v))

    assert gc.check_gradient(fun, lambda v: t.vjp(v, g), u).ok
    assert t.forward(np.full(size - 1, 800.0)).sum() == pytest.approx(1.0)  # no overflow
    with pytest.raises(ValueError, match="entries"):
        t.forward(np.zeros(size))
    with pytest.raises(ValueError, match="size"):
        tr.Simplex(1)


def test_cholesky_covariance_checks_sizes():
    with pytest.raises(ValueError, match="3 entries"):
        tr.CholeskyCovariance(2).forward(np.zeros(2))
    with pytest.raises(ValueError, match="dim"):
        tr.CholeskyCovariance(0)


def test_transformed_objective_gradient_and_hessian():
    # a normal log-likelihood over (mu, sigma), optimised over (mu, log sigma)
    x = np.array([0.3, 1.9, -0.4, 2.2, 1.1])

    def nll(theta):
        mu, sigma = theta
        return np.mean(np.log(sigma) + 0.5 * ((x - mu) / sigma) ** 2)

    def grad(theta):
        mu, sigma = theta
        r = (x - mu) / sigma
        return np.array([-np.mean(r) / sigma, np.mean(1 / sigma - r**2 / sigma)])

    def hess(theta):
        mu, sigma = theta
        r = (x - mu) / sigma
        return np.array(
            [
                [1 / sigma**2, 2 * np.mean(r) / sigma**2],
                [2 * np.mean(r) / sigma**2, np.mean(-1 / sigma**2 + 3 * r**2 / sigma**2)],
            ]
        )

    inner = ll.FunctionObjective(nll, grad, hess=hess)
    obj = ob.TransformedObjective(_Blocks(inner), ["identity", "log"])
    params = [np.array(0.7), np.array(np.log(1.3))]
    g_check, h_check = ll.check_objective(obj, params)
    assert g_check.ok and h_check.ok
    res = ll.minimize(obj, params, "newton", gtol=1e-13, tol=0)
    mu, sigma = obj.constrain(res.params)
    assert mu == pytest.approx(x.mean(), rel=1e-12)
    assert sigma == pytest.approx(x.std(), rel=1e-10)  # the MLE divides by n
    assert inner.value([np.array([mu, sigma])]) == pytest.approx(res.value)


class _Blocks:
    """Present a two-parameter flat objective as two scalar blocks."""

    n_samples = None

    def __init__(self, flat):
        self.flat = flat

    def value_and_grad(self, params, batch=None):
        f, (g,) = self.flat.value_and_grad([np.array([float(params[0]), float(params[1])])])
        return f, [np.array(g[0]), np.array(g[1])]

    def hessian(self, params, batch=None):
        return self.flat.hessian([np.array([float(params[0]), float(params[1])])])


def test_smooth_objective_chain_rule_and_cache():
    # F(a, b) = (a - 2)^2 + a b + b^2 over a = exp(u0), b = expit(u1)
    calls = []

    def derivatives(theta):
        calls.append(theta.copy())
        a, b = theta
        f = (a - 2) ** 2 + a * b + b**2
        return f, np.array([2 * (a - 2) + b, a + 2 * b]), np.array([[2.0, 1.0], [1.0, 2.0]])

    obj = ob.SmoothObjective(derivatives, ["log", "logit"])
    params = [np.array(0.3), np.array(-0.4)]
    g_check, h_check = ll.check_objective(obj, params)
    assert g_check.ok and h_check.ok
    calls.clear()
    obj.value(params), obj.value_and_grad(params), obj.hessian(params)
    assert len(calls) == 1
    np.testing.assert_allclose(obj.constrain(params), [np.exp(0.3), 1 / (1 + np.exp(0.4))])
    res = ll.minimize(obj, params, "newton", gtol=1e-12)
    assert res.converged
    with pytest.raises(ValueError, match="elementwise"):
        ob.SmoothObjective(derivatives, [tr.CholeskyCovariance(2)])
