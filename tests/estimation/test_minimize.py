"""The training loop: stopping rules, mini-batches, early stopping, history, reproducibility."""

import warnings

import numpy as np
import pytest

import loglik as ll
from loglik import optimizers as O
from loglik.estimation import schedules as S
from tests.problems import logistic, logistic_start, quadratic, rosenbrock


def test_full_batch_history_starts_at_the_initial_point():
    obj, _ = quadratic()
    x0 = np.ones(5)
    res = ll.minimize(
        obj, x0, O.gd(0.01), max_iter=20, tol=0, gtol=0, warn=False, record_params=True
    )
    h = res.history
    assert len(h) == res.n_iter + 1 == 21
    assert h.value[0] == pytest.approx(obj.value([x0]))
    np.testing.assert_array_equal(h.params[0], x0)
    np.testing.assert_allclose(h.params[-1], res.params)
    assert h.value[-1] == pytest.approx(res.value)
    assert h.step_norm[0] == 0 and np.all(h.step_norm[1:] > 0)
    np.testing.assert_allclose(h.step_norm[1:], np.linalg.norm(np.diff(h.params, axis=0), axis=1))
    assert np.all(np.diff(h.time) >= 0) and np.all(np.isnan(h.val_value))
    assert h.params.shape == (21, 5)


def test_inputs_are_not_modified_and_structure_is_kept():
    obj, _ = logistic()
    start = logistic_start()
    snapshot = [p.copy() for p in start]
    res = ll.minimize(obj, start, "lbfgs")
    for a, b in zip(start, snapshot):
        np.testing.assert_array_equal(a, b)
    assert isinstance(res.params, list) and [p.shape for p in res.params] == [(4,), ()]
    obj_q, _ = quadratic()
    res = ll.minimize(obj_q, np.zeros(5), "lbfgs")
    assert isinstance(res.params, np.ndarray) and res.params.shape == (5,)


def test_stops_on_gradient_norm():
    obj, _ = quadratic()
    res = ll.minimize(obj, np.zeros(5), O.gd(0.01), max_iter=10_000, tol=0, gtol=1e-4)
    assert res.converged and "gradient norm" in res.message
    assert res.grad_norm <= 1e-4
    assert res.history.grad_norm[-2] > 1e-4  # it stopped at the first iterate below gtol


def test_stops_on_relative_change():
    obj, _ = quadratic()
    res = ll.minimize(obj, np.zeros(5), O.gd(0.01), max_iter=10_000, tol=1e-6, gtol=0)
    assert res.converged and "relative change" in res.message
    f = res.history.value
    assert abs(f[-2] - f[-1]) <= 1e-6 * max(abs(f[-2]), abs(f[-1]), 1)
    assert np.all(np.abs(np.diff(f[:-1])) > 1e-6 * np.maximum(np.abs(f[1:-1]), 1))


def test_n_iter_no_change_needs_consecutive_small_changes():
    obj, _ = quadratic()
    one = ll.minimize(obj, np.zeros(5), O.gd(0.01), tol=1e-6, gtol=0, n_iter_no_change=1)
    five = ll.minimize(obj, np.zeros(5), O.gd(0.01), tol=1e-6, gtol=0, n_iter_no_change=5)
    assert five.n_iter == one.n_iter + 4


def test_max_iter_warns_and_flags():
    obj, _ = rosenbrock()
    with pytest.warns(ll.ConvergenceWarning, match="maximum number of iterations"):
        res = ll.minimize(obj, np.array([-1.2, 1.0]), O.gd(1e-3), max_iter=50)
    assert not res.converged and res.n_iter == 50
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ll.minimize(obj, np.array([-1.2, 1.0]), O.gd(1e-3), max_iter=50, warn=False)


def test_lbfgs_iteration_limit_warns():
    obj, _ = rosenbrock()
    with pytest.warns(ll.ConvergenceWarning):
        res = ll.minimize(obj, np.array([-1.2, 1.0]), "lbfgs", max_iter=3)
    assert not res.converged


def test_divergence_is_reported_not_returned_as_success():
    obj, _ = quadratic()
    with pytest.warns(ll.ConvergenceWarning, match="diverged"), np.errstate(all="ignore"):
        res = ll.minimize(obj, np.ones(5), O.gd(1.0), max_iter=5000)
    assert not res.converged


def test_callback_sees_every_iteration_and_can_stop():
    obj, _ = quadratic()
    seen = []

    def callback(info):
        seen.append((info.iteration, info.value, info.grad_norm))
        return info.iteration == 7

    res = ll.minimize(obj, np.zeros(5), O.gd(0.01), max_iter=100, callback=callback)
    assert [s[0] for s in seen] == list(range(1, 8))
    assert res.n_iter == 7 and not res.converged and res.message == "stopped by callback"
    np.testing.assert_allclose([s[1] for s in seen], res.history.value[1:])


def test_callback_works_with_lbfgs():
    obj, _ = rosenbrock()
    seen = []
    res = ll.minimize(obj, np.array([-1.2, 1.0]), "lbfgs", callback=lambda i: seen.append(i.value))
    assert len(seen) == res.n_iter
    np.testing.assert_allclose(seen, res.history.value[1:])


def test_nan_params_and_nonfinite_start_are_clear_errors():
    obj, _ = quadratic()
    with pytest.raises(ValueError, match="NaN or inf at index"):
        ll.minimize(obj, np.array([0.0, np.nan, 0, 0, 0]), "gd")
    log_obj = ll.FunctionObjective(lambda x: -np.sum(np.log(x)), lambda x: -1 / x)
    with (
        pytest.raises(ValueError, match="not finite at the starting parameters"),
        np.errstate(divide="ignore"),
    ):
        ll.minimize(log_obj, np.zeros(2), "gd")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"max_iter": 0}, "max_iter"),
        ({"tol": -1.0}, "tol"),
        ({"gtol": -1.0}, "gtol"),
        ({"patience": 0}, "patience"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 10}, "n_samples"),
        ({"optimizer": "sgdd"}, "unknown optimizer"),
    ],
)
def test_bad_arguments(kwargs, match):
    obj, _ = quadratic()
    kwargs = {"optimizer": "gd", **kwargs}
    with pytest.raises(ValueError, match=match):
        ll.minimize(obj, np.zeros(5), **kwargs)


@pytest.mark.parametrize("name", ["newton", "lbfgs"])
def test_line_search_methods_refuse_mini_batches(name):
    obj, _ = logistic()
    with pytest.raises(ValueError, match="full batch"):
        ll.minimize(obj, logistic_start(), name, batch_size=32)


# ---------------------------------------------------------------------------------------------
# Mini-batches
# ---------------------------------------------------------------------------------------------


def test_mini_batch_sgd_reaches_the_mle_neighbourhood():
    obj, x_star = logistic()
    res = ll.minimize(
        obj,
        logistic_start(),
        O.sgd(S.inverse_time_decay(0.5, 0.05, decay_steps=20)),
        batch_size=25,
        max_iter=200,
        tol=0,
        gtol=0,
        random_state=0,
        warn=False,
    )
    assert np.abs(res.x - x_star).max() < 0.05
    assert len(res.history) == 201
    # the epoch value is the mean mini-batch loss: close to the full objective at the end
    assert res.history.value[-1] == pytest.approx(res.value, rel=0.05)


def test_mini_batch_adam_converges_with_decay():
    obj, x_star = logistic()
    res = ll.minimize(
        obj,
        logistic_start(),
        O.adam(S.cosine_decay(0.05, 2000)),
        batch_size=50,
        max_iter=200,
        tol=0,
        gtol=0,
        random_state=1,
        warn=False,
    )
    assert np.abs(res.x - x_star).max() < 0.02


def test_same_random_state_gives_identical_runs():
    obj, _ = logistic()

    def run(seed):
        return ll.minimize(
            obj,
            logistic_start(),
            O.adam(0.05),
            batch_size=32,
            max_iter=5,
            tol=0,
            gtol=0,
            random_state=seed,
            warn=False,
        )

    a, b, c = run(42), run(42), run(7)
    # exact: the same seed gives the same batches through the same code
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.history.value, b.history.value)
    assert not np.array_equal(a.x, c.x)
    gen = ll.minimize(
        obj,
        logistic_start(),
        O.adam(0.05),
        batch_size=32,
        max_iter=5,
        tol=0,
        gtol=0,
        random_state=np.random.default_rng(42),
        warn=False,
    )
    # exact: an int seed and a Generator from it give the same stream
    np.testing.assert_array_equal(gen.x, a.x)


def test_batch_size_of_all_rows_is_full_batch():
    obj, _ = logistic()
    full = ll.minimize(obj, logistic_start(), O.gd(1.0), max_iter=10, tol=0, gtol=0, warn=False)
    same = ll.minimize(
        obj, logistic_start(), O.gd(1.0), max_iter=10, tol=0, gtol=0, warn=False, batch_size=10_000
    )
    # exact: a batch of all rows takes the full-batch code path itself
    np.testing.assert_array_equal(full.x, same.x)


def test_mini_batches_visit_every_row_once_per_epoch():
    obj, _ = logistic(n=103)
    seen = []
    inner = obj.value_and_grad

    class Spy:
        n_samples = obj.n_samples

        def value_and_grad(self, params, batch=None):
            if batch is not None:
                seen.append(np.asarray(batch))
            return inner(params, batch)

    ll.minimize(
        Spy(),
        logistic_start(),
        O.sgd(0.1),
        batch_size=10,
        max_iter=2,
        tol=0,
        gtol=0,
        warn=False,
        random_state=0,
    )
    assert len(seen) == 22 and [len(b) for b in seen[:11]] == [10] * 10 + [3]
    for epoch in (seen[:11], seen[11:]):
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(103))
    assert not np.array_equal(np.concatenate(seen[:11]), np.concatenate(seen[11:]))


# ---------------------------------------------------------------------------------------------
# Validation, early stopping, restore-best
# ---------------------------------------------------------------------------------------------


def _path_problem():
    """Gradient descent on a quadratic from 0 to x*; validation is closest to a point half-way,
    so the validation objective falls, then rises."""
    obj, x_star = quadratic(condition=10.0)
    target = 0.5 * x_star

    def validation(params):
        return float(np.sum((params[0] - target) ** 2))

    return obj, validation


def test_early_stopping_restores_the_best_iteration():
    obj, validation = _path_problem()
    res = ll.minimize(
        obj,
        np.zeros(5),
        O.gd(0.02),
        max_iter=5000,
        validation=validation,
        patience=5,
        record_params=True,
    )
    h = res.history
    best = int(np.nanargmin(h.val_value))
    assert res.converged and "early stopping" in res.message
    assert res.best_iteration == best
    assert res.n_iter == best + 5  # five iterations without improvement, then stop
    # exact: the restored parameters are the recorded ones
    np.testing.assert_array_equal(res.params, h.params[best])
    assert validation([res.params]) == pytest.approx(h.val_value.min())


def test_restore_best_false_returns_the_last_iterate():
    obj, validation = _path_problem()
    res = ll.minimize(
        obj,
        np.zeros(5),
        O.gd(0.02),
        max_iter=5000,
        validation=validation,
        patience=5,
        restore_best=False,
        record_params=True,
    )
    np.testing.assert_array_equal(res.params, res.history.params[-1])


def test_patience_none_records_validation_without_stopping():
    obj, validation = _path_problem()
    res = ll.minimize(
        obj,
        np.zeros(5),
        O.gd(0.02),
        max_iter=300,
        validation=validation,
        patience=None,
        tol=0,
        gtol=0,
        warn=False,
        restore_best=False,
    )
    assert res.n_iter == 300 and np.all(np.isfinite(res.history.val_value))


def test_early_stopping_with_an_objective_as_validation_and_lbfgs():
    obj, _ = logistic(n=400, seed=3)
    val_obj, _ = logistic(n=400, seed=4)
    res = ll.minimize(obj, logistic_start(), "lbfgs", validation=val_obj, patience=2)
    best = int(np.nanargmin(res.history.val_value))
    assert res.best_iteration == best
    assert val_obj.value(res.params) == pytest.approx(res.history.val_value.min())


def test_progress_bar_does_not_change_the_run(capsys):
    obj, _ = quadratic()
    a = ll.minimize(obj, np.zeros(5), O.gd(0.01), max_iter=30, warn=False)
    b = ll.minimize(obj, np.zeros(5), O.gd(0.01), max_iter=30, warn=False, progress=True)
    # exact: the bar only reads the values, the steps are the same code
    np.testing.assert_array_equal(a.params, b.params)


def _adam_run(obj, start, **kwargs):
    defaults = dict(batch_size=10, tol=0, gtol=0, warn=False, random_state=0)
    return ll.minimize(obj, start, O.adam(0.05), **{**defaults, **kwargs})


def test_epoch_gradient_norm_is_the_norm_of_the_weighted_mean_batch_gradient():
    obj, _ = logistic(n=103)
    grads = []
    inner = obj.value_and_grad

    class Spy:
        n_samples = obj.n_samples

        def value_and_grad(self, params, batch=None):
            f, g = inner(params, batch)
            if batch is not None:
                grads.append((len(batch), ll.estimation.objective.flatten(g)))
            return f, g

    res = _adam_run(Spy(), logistic_start(), max_iter=1)
    mean = sum(k * g for k, g in grads) / 103
    assert res.history.grad_norm[1] == pytest.approx(np.linalg.norm(mean), rel=1e-12)


def test_initial_state_continues_a_run_exactly():
    obj, _ = logistic()
    rng = np.random.default_rng(3)
    whole = _adam_run(obj, logistic_start(), max_iter=4, random_state=rng)
    rng = np.random.default_rng(3)
    first = _adam_run(obj, logistic_start(), max_iter=2, random_state=rng)
    second = _adam_run(obj, first.params, max_iter=2, random_state=rng, initial_state=first.state)
    np.testing.assert_allclose(second.x, whole.x, rtol=1e-12, atol=1e-14)
    fresh = _adam_run(obj, first.params, max_iter=2, random_state=np.random.default_rng(3))
    assert not np.allclose(fresh.x, whole.x)
    assert whole.state.states[1].count == 4 * 50


def test_initial_state_is_refused_by_scipy_solvers():
    obj, _ = logistic()
    with pytest.raises(ValueError, match="initial_state"):
        ll.minimize(obj, logistic_start(), "lbfgs", initial_state=())


def test_evaluate_ends_false_skips_the_full_passes():
    obj, _ = logistic(n=100)
    calls = []
    inner = obj.value_and_grad

    class Spy:
        n_samples = obj.n_samples

        def value_and_grad(self, params, batch=None):
            calls.append(batch is None)
            return inner(params, batch)

    exact = _adam_run(obj, logistic_start(), max_iter=3)
    lean = _adam_run(Spy(), logistic_start(), max_iter=3, evaluate_ends=False)
    assert not any(calls) and len(calls) == 30
    # exact: the same steps; only the end-point evaluations are skipped
    np.testing.assert_array_equal(lean.x, exact.x)
    assert np.isnan(lean.history.value[0]) and np.isnan(lean.history.grad_norm[0])
    np.testing.assert_array_equal(lean.history.value[1:], exact.history.value[1:])
    assert lean.value == lean.history.value[-1] and lean.grad_norm == lean.history.grad_norm[-1]


def test_evaluate_ends_false_reports_the_restored_epoch():
    obj, _ = logistic(n=200)
    val, _ = logistic(n=200, seed=1)
    res = _adam_run(
        obj, logistic_start(), max_iter=30, validation=val, patience=3, evaluate_ends=False
    )
    k = res.best_iteration
    assert k is not None and k >= 1
    assert res.value == res.history.value[k]
    assert res.history.val_value[k] == pytest.approx(val.value(res.params))
