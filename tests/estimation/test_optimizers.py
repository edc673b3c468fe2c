"""The shared optimizers: convergence tables, hand-worked one-step updates, bad arguments."""

import functools

import numpy as np
import pytest

import loglik as ll
from loglik import optimizers as O
from loglik.estimation import schedules as S
from tests.problems import logistic, logistic_start, quadratic, rosenbrock

# ---------------------------------------------------------------------------------------------
# Table: every optimizer reaches the minimum of each problem, to a stated tolerance (max abs error
# in the parameters) within a stated budget of iterations.
# ---------------------------------------------------------------------------------------------

decay = S.exponential_decay

QUADRATIC = {  # condition number 100, d = 5, L = 100
    "gd": (lambda: O.gd(0.01), 3000, 1e-6),
    "sgd": (lambda: O.sgd(0.01), 3000, 1e-6),
    "momentum": (lambda: O.momentum(0.01, 0.9), 1000, 1e-6),
    "nesterov": (lambda: O.nesterov(0.01, 0.9), 1000, 1e-6),
    "adagrad": (lambda: O.adagrad(1.0), 1000, 1e-6),
    "rmsprop": (lambda: O.rmsprop(decay(0.01, 0.5, 500)), 12000, 1e-6),
    "adam": (lambda: O.adam(decay(0.1, 0.5, 500)), 1000, 1e-6),
    "adamw": (lambda: O.adamw(decay(0.1, 0.5, 500), weight_decay=0.0), 1000, 1e-6),
    "ista": (lambda: O.ista(0.01), 3000, 1e-6),
    "fista": (lambda: O.fista(0.01), 500, 1e-6),
    "newton": (lambda: O.newton(), 5, 1e-10),
    "lbfgs": (lambda: O.lbfgs(), 50, 1e-8),
}

ROSENBROCK = {  # from (-1.2, 1); plain gradient descent is famously slow here
    "gd": (lambda: O.gd(2e-3), 20000, 1e-2),
    "sgd": (lambda: O.sgd(2e-3), 20000, 1e-2),
    "momentum": (lambda: O.momentum(2e-4, 0.9), 20000, 1e-6),
    "nesterov": (lambda: O.nesterov(2e-4, 0.9), 20000, 1e-6),
    "adagrad": (lambda: O.adagrad(0.5), 20000, 1e-6),
    "rmsprop": (lambda: O.rmsprop(decay(0.01, 0.5, 1000)), 20000, 1e-6),
    "adam": (lambda: O.adam(decay(0.05, 0.5, 2000)), 6000, 1e-6),
    "adamw": (lambda: O.adamw(decay(0.05, 0.5, 2000), weight_decay=0.0), 6000, 1e-6),
    "ista": (lambda: O.ista(2e-3), 20000, 1e-2),
    "fista": (lambda: O.fista(1e-3), 1000, 1e-6),
    "newton": (lambda: O.newton(), 50, 1e-8),
    "lbfgs": (lambda: O.lbfgs(), 100, 1e-8),
}

LOGISTIC = {  # n = 500, p = 4 + intercept
    "gd": (lambda: O.gd(2.0), 500, 1e-6),
    "sgd": (lambda: O.sgd(2.0), 500, 1e-6),
    "momentum": (lambda: O.momentum(0.5, 0.9), 500, 1e-6),
    "nesterov": (lambda: O.nesterov(0.5, 0.9), 500, 1e-6),
    "adagrad": (lambda: O.adagrad(1.0), 300, 1e-6),
    "rmsprop": (lambda: O.rmsprop(decay(0.01, 0.5, 500)), 6000, 1e-5),
    "adam": (lambda: O.adam(decay(0.1, 0.5, 500)), 1000, 1e-6),
    "adamw": (lambda: O.adamw(decay(0.1, 0.5, 500), weight_decay=0.0), 1000, 1e-6),
    "ista": (lambda: O.ista(2.0), 500, 1e-6),
    "fista": (lambda: O.fista(2.0), 200, 1e-6),
    "newton": (lambda: O.newton(), 20, 1e-10),
    "lbfgs": (lambda: O.lbfgs(), 100, 1e-6),
}


def test_tables_cover_every_registered_optimizer():
    for table in (QUADRATIC, ROSENBROCK, LOGISTIC):
        assert set(table) == set(O.OPTIMIZERS)


def _run(obj, start, factory, budget):
    return ll.minimize(obj, start, factory(), max_iter=budget, tol=0.0, gtol=1e-10, warn=False)


@pytest.mark.parametrize("name", sorted(QUADRATIC))
def test_reaches_minimum_of_ill_conditioned_quadratic(name):
    obj, x_star = quadratic()
    factory, budget, xtol = QUADRATIC[name]
    res = _run(obj, np.zeros(5), factory, budget)
    assert res.n_iter <= budget
    np.testing.assert_allclose(res.params, x_star, atol=xtol, rtol=0)


@pytest.mark.parametrize("name", sorted(ROSENBROCK))
def test_reaches_minimum_of_rosenbrock(name):
    obj, x_star = rosenbrock()
    factory, budget, xtol = ROSENBROCK[name]
    res = _run(obj, np.array([-1.2, 1.0]), factory, budget)
    np.testing.assert_allclose(res.params, x_star, atol=xtol, rtol=0)


@pytest.mark.parametrize("name", sorted(LOGISTIC))
def test_reaches_logistic_mle(name):
    obj, x_star = logistic()
    factory, budget, xtol = LOGISTIC[name]
    res = _run(obj, logistic_start(), factory, budget)
    np.testing.assert_allclose(res.x, x_star, atol=xtol, rtol=0)
    assert isinstance(res.params, list) and res.params[1].shape == ()


def test_second_order_methods_converge_fast_and_say_so():
    obj, _ = rosenbrock()
    for name, most in [("newton", 30), ("lbfgs", 60)]:
        res = ll.minimize(obj, np.array([-1.2, 1.0]), name, gtol=1e-9)
        assert res.converged and res.n_iter <= most, (name, res.n_iter)
        assert res.value < 1e-16


# ---------------------------------------------------------------------------------------------
# One step at a time, against the formulas in the docstrings
# ---------------------------------------------------------------------------------------------

P = [np.array([1.0, -2.0])]
G1 = [np.array([0.5, -1.0])]
G2 = [np.array([-0.25, 2.0])]


def _steps(opt, grads, params=P):
    state = opt.init(params)
    out = []
    for g in grads:
        step, state = opt.update(g, state, params)
        out.append(step[0])
    return out, state


def test_gd_step():
    (s,), _ = _steps(O.gd(0.1), [G1])
    np.testing.assert_allclose(s, -0.1 * G1[0])


def test_momentum_two_steps():
    (s1, s2), _ = _steps(O.sgd(0.1, momentum=0.9), [G1, G2])
    v1 = G1[0]
    v2 = 0.9 * v1 + G2[0]
    np.testing.assert_allclose(s1, -0.1 * v1)
    np.testing.assert_allclose(s2, -0.1 * v2)


def test_nesterov_two_steps():
    (s1, s2), _ = _steps(O.sgd(0.1, momentum=0.9, nesterov=True), [G1, G2])
    v1 = G1[0]
    v2 = 0.9 * v1 + G2[0]
    np.testing.assert_allclose(s1, -0.1 * (G1[0] + 0.9 * v1))
    np.testing.assert_allclose(s2, -0.1 * (G2[0] + 0.9 * v2))


def test_coupled_weight_decay_is_the_l2_gradient():
    (s,), _ = _steps(O.sgd(0.1, weight_decay=0.3), [G1])
    np.testing.assert_allclose(s, -0.1 * (G1[0] + 0.3 * P[0]))


def test_adagrad_two_steps():
    (s1, s2), _ = _steps(O.adagrad(0.5, initial_accumulator_value=0.1, eps=1e-10), [G1, G2])
    G = 0.1 + G1[0] ** 2
    np.testing.assert_allclose(s1, -0.5 * G1[0] / (np.sqrt(G) + 1e-10))
    G = G + G2[0] ** 2
    np.testing.assert_allclose(s2, -0.5 * G2[0] / (np.sqrt(G) + 1e-10))


def test_rmsprop_two_steps():
    (s1, s2), _ = _steps(O.rmsprop(0.01, decay=0.9, eps=1e-8), [G1, G2])
    v = 0.1 * G1[0] ** 2
    np.testing.assert_allclose(s1, -0.01 * G1[0] / (np.sqrt(v) + 1e-8))
    v = 0.9 * v + 0.1 * G2[0] ** 2
    np.testing.assert_allclose(s2, -0.01 * G2[0] / (np.sqrt(v) + 1e-8))


def test_adam_two_steps_with_bias_correction():
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    (s1, s2), state = _steps(O.adam(lr), [G1, G2])
    # first step of Adam is lr * sign(g) up to eps
    np.testing.assert_allclose(s1, -lr * G1[0] / (np.abs(G1[0]) + eps))
    m = (1 - b1) * G1[0]
    v = (1 - b2) * G1[0] ** 2
    m = b1 * m + (1 - b1) * G2[0]
    v = b2 * v + (1 - b2) * G2[0] ** 2
    mhat, vhat = m / (1 - b1**2), v / (1 - b2**2)
    np.testing.assert_allclose(s2, -lr * mhat / (np.sqrt(vhat) + eps))
    assert state.states[1].count == 2


def test_adamw_decay_is_decoupled():
    lr, wd = 0.01, 0.5
    (s,), _ = _steps(O.adamw(lr, weight_decay=wd), [G1])
    adam_dir = G1[0] / (np.abs(G1[0]) + 1e-8)
    np.testing.assert_allclose(s, -lr * (adam_dir + wd * P[0]))
    # coupled decay under Adam is a different rule: the decay passes through the normalisation
    (s_coupled,), _ = _steps(O.adam(lr, weight_decay=wd), [G1])
    g = G1[0] + wd * P[0]
    np.testing.assert_allclose(s_coupled, -lr * g / (np.abs(g) + 1e-8))
    assert not np.allclose(s, s_coupled)


def test_clip_by_global_norm_across_blocks():
    grads = [np.array([3.0]), np.array([[4.0]])]  # global norm 5
    clip = O.clip_by_global_norm(1.0)
    out, _ = clip.update(grads, clip.init(grads), grads)
    np.testing.assert_allclose(out[0], [0.6])
    np.testing.assert_allclose(out[1], [[0.8]])
    out, _ = O.clip_by_global_norm(10.0).update(grads, None, grads)
    assert out[0] is grads[0]  # under the threshold: untouched


def test_chain_of_clip_and_gd():
    opt = O.chain(O.clip_by_global_norm(1.0), O.gd(0.5))
    (s,), _ = _steps(opt, [[np.array([30.0, 40.0])]])
    np.testing.assert_allclose(s, -0.5 * np.array([0.6, 0.8]))


def soft_threshold(level):
    def prox(params, step):  # a scalar step, or one array of steps per block
        steps = step if isinstance(step, list) else [step] * len(params)
        return [np.sign(p) * np.maximum(np.abs(p) - t * level, 0.0) for p, t in zip(params, steps)]

    return prox


def test_ista_step_is_soft_thresholded_gradient_step():
    (s,), _ = _steps(O.ista(0.5, prox=soft_threshold(2.0)), [G1])
    v = P[0] - 0.5 * G1[0]  # [0.75, -1.5], threshold 1.0
    np.testing.assert_allclose(P[0] + s, [0.0, -0.5])
    np.testing.assert_allclose(v, [0.75, -1.5])


def test_proximal_wraps_any_inner_optimizer():
    opt = O.proximal(O.adam(0.1), soft_threshold(1.0), 0.1)
    (s,), _ = _steps(opt, [G1])
    v = P[0] - 0.1 * np.sign(G1[0])
    expected = np.sign(v) * np.maximum(np.abs(v) - 0.1, 0.0)
    np.testing.assert_allclose(P[0] + s, expected, atol=1e-8)


def test_fista_first_steps_and_extrapolation():
    lr = 0.1
    opt = O.fista(lr, restart=False)
    state = opt.init(P)
    step, state = opt.update(G1, state, P)
    x1 = P[0] - lr * G1[0]
    # s_1 = 1 so the first extrapolation weight (s_1 - 1)/s_2 is 0: y_1 = x_1
    np.testing.assert_allclose(P[0] + step[0], x1)
    y1 = [P[0] + step[0]]
    step, state = opt.update(G2, state, y1)
    x2 = y1[0] - lr * G2[0]
    s2 = (1 + np.sqrt(5)) / 2
    s3 = (1 + np.sqrt(1 + 4 * s2**2)) / 2
    np.testing.assert_allclose(y1[0] + step[0], x2 + (s2 - 1) / s3 * (x2 - x1))


def test_fista_restarts_when_momentum_points_uphill():
    obj, x_star = quadratic(condition=1000.0)
    with_restart = ll.minimize(
        obj, np.zeros(5), O.fista(1e-3), max_iter=400, tol=0, gtol=0, warn=False
    )
    without = ll.minimize(
        obj, np.zeros(5), O.fista(1e-3, restart=False), max_iter=400, tol=0, gtol=0, warn=False
    )
    err_with = np.abs(with_restart.params - x_star).max()
    err_without = np.abs(without.params - x_star).max()
    assert err_with < 0.1 * err_without


def test_fista_restart_counter_increments():
    opt = O.fista(0.1)
    state = opt.init(P)
    x = P
    # two steps downhill build momentum; then a small gradient pointing back (the minimum was
    # passed) while momentum still carries x further: g . (x_k - x_{k-1}) > 0, so restart
    for g in ([np.array([1.0, 1.0])], [np.array([1.0, 1.0])], [np.array([-0.01, -0.01])]):
        step, state = opt.update(g, state, x)
        x = [x[0] + step[0]]
    assert state.n_restarts == 1


def test_newton_solves_a_quadratic_in_one_step():
    obj, x_star = quadratic()
    res = ll.minimize(obj, np.zeros(5), "newton", gtol=1e-12)
    assert res.n_iter == 1
    np.testing.assert_allclose(res.params, x_star, atol=1e-12)


def test_newton_falls_back_to_gradient_steps_when_hessian_is_indefinite():
    # f = x^4/4 - x^2/2 + y^2: at x = 0.1 the Hessian has a negative entry
    fun = ll.FunctionObjective(
        lambda v: v[0] ** 4 / 4 - v[0] ** 2 / 2 + v[1] ** 2,
        lambda v: np.array([v[0] ** 3 - v[0], 2 * v[1]]),
        hess=lambda v: np.diag([3 * v[0] ** 2 - 1, 2.0]),
    )
    opt = O.newton()
    params = [np.array([0.1, 1.0])]
    f, g = fun.value_and_grad(params)
    step, state = opt.update(
        g, opt.init(params), params, value=f, value_fn=fun.value, hessian_fn=fun.hessian
    )
    assert state.n_modified_steps == 1
    assert fun.value([params[0] + step[0]]) < f
    res = ll.minimize(fun, params[0], "newton", gtol=1e-10)
    np.testing.assert_allclose(np.abs(res.params), [1.0, 0.0], atol=1e-9)


def test_newton_keeps_its_scaling_where_the_hessian_is_indefinite():
    # normal NLL over (mu, log sigma) far from the MLE: indefinite Hessian, badly scaled
    x = np.random.default_rng(0).normal(900.0, 170.0, size=100)

    def nll(v):
        mu, eta = v
        return eta + np.mean((x - mu) ** 2) / (2 * np.exp(2 * eta))

    def grad(v):
        mu, eta = v
        s = np.exp(-2 * eta)
        return np.array([-np.mean(x - mu) * s, 1 - np.mean((x - mu) ** 2) * s])

    def hess(v):
        mu, eta = v
        s = np.exp(-2 * eta)
        m = np.mean(x - mu)
        return np.array([[s, 2 * m * s], [2 * m * s, 2 * np.mean((x - mu) ** 2) * s]])

    obj = ll.FunctionObjective(nll, grad, hess=hess)
    start = np.array([700.0, np.log(60.0)])
    assert np.linalg.eigvalsh(hess(start)).min() < 0
    res = ll.minimize(obj, start, "newton", gtol=1e-10)
    assert res.converged and res.n_iter < 40
    np.testing.assert_allclose(res.params, [x.mean(), np.log(x.std())], rtol=1e-9)


def test_newton_backtracks_on_overshooting_steps():
    # log-cosh has a Newton step that overshoots badly far from 0
    fun = ll.FunctionObjective(
        lambda v: np.sum(np.logaddexp(v, -v)),
        lambda v: np.tanh(v),
        hess=lambda v: np.diag(1 / np.cosh(v) ** 2),
    )
    opt = O.newton()
    params = [np.array([3.0])]
    f, g = fun.value_and_grad(params)
    step, state = opt.update(
        g, opt.init(params), params, value=f, value_fn=fun.value, hessian_fn=fun.hessian
    )
    assert state.last_step_size < 1.0
    assert fun.value([params[0] + step[0]]) < f


def test_damped_newton_step():
    obj, _ = quadratic()
    opt = O.newton(damping=2.0)
    params = [np.zeros(5)]
    f, g = obj.value_and_grad(params)
    step, _ = opt.update(
        g, opt.init(params), params, value=f, value_fn=obj.value, hessian_fn=obj.hessian
    )
    H = obj.hessian(params) + 2.0 * np.eye(5)
    np.testing.assert_allclose(step[0], -np.linalg.solve(H, g[0]))


def test_newton_without_hessian_is_a_clear_error():
    obj = ll.FunctionObjective(lambda x: x @ x, lambda x: 2 * x)
    with pytest.raises(ValueError, match="Hessian"):
        ll.minimize(obj, np.ones(2), "newton")


def test_lbfgs_with_bounds():
    obj, _ = quadratic()
    res = ll.minimize(obj, np.zeros(5), O.lbfgs(bounds=[(0, None)] * 5))
    assert np.all(res.params >= 0)
    ref = ll.minimize(obj, np.zeros(5), "lbfgs")
    assert res.value >= ref.value - 1e-12


def test_updates_are_pure():
    params = [np.array([1.0, 2.0]), np.array(3.0)]
    grads = [np.array([0.1, -0.2]), np.array(0.5)]
    for name in (
        "gd",
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
        "ista",
        "fista",
    ):
        opt = O.get_optimizer(name)
        state0 = opt.init(params)
        snapshot = [p.copy() for p in params], [g.copy() for g in grads]
        _, state1 = opt.update(grads, state0, params)
        _, state1_again = opt.update(grads, state0, params)
        # exact: the inputs are not modified
        np.testing.assert_equal(params, snapshot[0])
        np.testing.assert_equal(grads, snapshot[1])
        # the same (grads, state, params) gives the same new state: nothing hidden is mutated
        assert repr(state1) == repr(state1_again), name


# ---------------------------------------------------------------------------------------------
# Bad arguments
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: O.gd(-0.1), "learning_rate"),
        (lambda: O.adam(0.0), "learning_rate"),
        (lambda: O.sgd(0.1, momentum=1.0), "momentum"),
        (lambda: O.sgd(0.1, momentum=-0.1), "momentum"),
        (lambda: O.sgd(0.1, nesterov=True), "nesterov"),
        (lambda: O.adam(0.1, b1=1.0), "b1"),
        (lambda: O.adam(0.1, eps=0.0), "eps"),
        (lambda: O.rmsprop(0.1, decay=1.5), "decay"),
        (lambda: O.sgd(0.1, weight_decay=-1.0), "weight_decay"),
        (lambda: O.clip_by_global_norm(0.0), "max_norm"),
        (lambda: O.newton(damping=-1.0), "damping"),
        (lambda: O.lbfgs(memory=0), "memory"),
        (lambda: O.get_optimizer("adamx"), "known: gd, sgd"),
        (lambda: O.get_optimizer(O.gd(), learning_rate=1.0), "by name"),
        (lambda: O.gd(float("nan")), "learning_rate"),
        (lambda: O.gd("fast"), "learning_rate"),
    ],
)
def test_bad_arguments_raise_value_error(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_get_optimizer_by_name_passes_settings():
    opt = O.get_optimizer("adam", learning_rate=0.5)
    (s,), _ = _steps(opt, [G1])
    np.testing.assert_allclose(s, -0.5 * np.sign(G1[0]), atol=1e-7)


def testnewton_direction_small_cases_match_the_general_solve():
    rng = np.random.default_rng(0)
    for k in (1, 2, 3):
        A = rng.normal(size=(k, k))
        H = A @ A.T + k * np.eye(k)
        g = rng.normal(size=k)
        np.testing.assert_allclose(O.newton_direction(H, g), -np.linalg.solve(H, g), rtol=1e-12)
        assert O.newton_direction(-H, g) is None  # not positive definite
    assert O.newton_direction(np.array([[1.0, 2.0], [2.0, 1.0]]), np.ones(2)) is None
    assert O.newton_direction(np.full((2, 2), np.nan), np.ones(2)) is None


# ---------------------------------------------------------------------------------------------
# Proximal recipes: the fixed point must be the minimiser of f + h for every optimizer
# ---------------------------------------------------------------------------------------------


@functools.cache
def _lasso_problem():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 6))
    y = X @ np.array([1.5, 0.0, -2.0, 0.0, 0.4, 0.0]) + 0.5 * rng.normal(size=60)
    lam = 0.3
    obj = ll.FunctionObjective(
        lambda w: np.sum((X @ w - y) ** 2) / 120, lambda w: X.T @ (X @ w - y) / 60
    )
    prox = soft_threshold(lam)
    ref = ll.minimize(
        obj,
        np.zeros(6),
        O.fista(0.05, prox=prox),
        max_iter=20000,
        tol=0,
        gtol=0,
        warn=False,
        callback=None,
    )
    return obj, prox, ref.params


@pytest.mark.parametrize(
    "name, lr, kwargs",
    [
        ("gd", 0.05, {}),
        ("momentum", 0.01, {}),
        ("nesterov", 0.01, {"beta": 0.8}),
        ("adam", S.exponential_decay(0.05, 0.5, 1500), {}),
        ("rmsprop", S.exponential_decay(0.01, 0.5, 1500), {}),
        ("adagrad", 0.3, {}),
        ("ista", 0.05, {}),
        ("fista", 0.05, {}),
    ],
)
def test_proximal_optimizer_reaches_the_lasso_solution(name, lr, kwargs):
    obj, prox, w_star = _lasso_problem()
    opt = O.proximal_optimizer(name, lr, prox, **kwargs)
    res = ll.minimize(obj, np.zeros(6), opt, max_iter=8000, tol=0, gtol=0, warn=False)
    np.testing.assert_allclose(res.params, w_star, atol=1e-5)
    assert np.all(res.params[w_star == 0] == 0)  # exact zeros, not small numbers


def test_scalar_proximal_after_momentum_misses_the_solution():
    obj, prox, w_star = _lasso_problem()
    naive = O.proximal(O.momentum(0.01, 0.9), prox, 0.01)
    res = ll.minimize(obj, np.zeros(6), naive, max_iter=8000, tol=0, gtol=0, warn=False)
    assert np.abs(res.params - w_star).max() > 1e-2  # the penalty acts 1 - beta times too weakly


def test_proximal_optimizer_bad_names():
    with pytest.raises(ValueError, match="no proximal recipe for optimizer 'newton'"):
        O.proximal_optimizer("newton", 0.1, soft_threshold(1.0))
    with pytest.raises(ValueError, match="unexpected settings"):
        O.proximal_optimizer("adam", 0.1, soft_threshold(1.0), momentum=0.5)
