r"""The one training loop that every estimator in loglik uses.

:func:`minimize` drives any shared optimizer over any
:class:`~loglik.estimation.objective.Objective`:
full batch (one step per iteration) or shuffled mini-batches (one pass over the rows per epoch),
with stopping on the iteration budget, the relative change of the objective, the gradient norm, or
early stopping on a validation objective; it records a :class:`History` that the plots draw.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from .._validation import ConvergenceWarning, check_random_state, check_scalar
from .convergence import (
    History,
    HistoryRecorder,
    IterationInfo,
    MinimizeResult,
    StoppingRules,
    budget_message,
    warn_not_converged,
)
from .lbfgs import ScipySolver, run_scipy_solver
from .objective import as_params, flatten, global_norm, unflatten
from .optimizer_names import get_optimizer
from .optimizers import Optimizer

__all__ = [
    "History",
    "IterationInfo",
    "MinimizeResult",
    "compare_optimizers",
    "minimize",
]


class _Tracker:
    """Bookkeeping shared by the step loop and the scipy-driven loop: history, stopping tests
    (:class:`StoppingRules`), validation and early stopping, callbacks, progress bar."""

    def __init__(self, rules: StoppingRules, validation, patience, callback, record_params, bar):
        self.rules = rules
        self.gtol, self.tol = rules.gtol, rules.tol
        self.validation, self.patience, self.callback = validation, patience, callback
        self.recorder = HistoryRecorder(record_params)
        self.iteration = 0
        self.best = (np.inf, None, 0)  # validation value, flat params, iteration
        self.bad_epochs = 0
        self.stop_reason = None  # (converged, message)
        self.bar = bar
        self.exact_start = True  # False: entry 0 holds NaN (no full-batch evaluation)

    def _val(self, x, like):
        return np.nan if self.validation is None else _evaluate(self.validation, unflatten(x, like))

    def record(self, x, like, f, gnorm, step_norm) -> bool:
        """Record one iteration at flat parameters ``x``; True when the run should stop."""
        val = self._val(x, like)
        self.recorder.append(f, gnorm, step_norm, val, x)
        if self.bar is not None and self.iteration > 0:
            self.bar.update(1)
            self.bar.set_postfix(value=f"{f:.6g}", grad=f"{gnorm:.2g}")
        self.iteration += 1
        if self.iteration == 1:
            self.best = (val, x.copy(), 0) if self.validation is not None else self.best
            self.stop_reason = self.rules.at_start(f, gnorm, self.exact_start)
        else:
            self.stop_reason = self._stop_tests(x, like, f, gnorm, val)
        return self.stop_reason is not None

    def _stop_tests(self, x, like, f, gnorm, val):
        n = self.iteration - 1
        stop = self.rules.diverged(f, gnorm, n)
        if stop is None and self.callback is not None:
            if self.callback(IterationInfo(n, unflatten(x, like), f, gnorm, val)):
                stop = (False, "stopped by callback")
        if stop is None:
            stop = self.rules.converged(self.recorder.values[-2], f, gnorm)
        if stop is None and self.validation is not None:
            stop = self._early_stopping(x, val, n)
        return stop

    def _early_stopping(self, x, val, n):
        if val < self.best[0]:
            self.best, self.bad_epochs = (val, x.copy(), n), 0
            return None
        self.bad_epochs += 1
        if self.patience is not None and self.bad_epochs >= self.patience:
            return (
                True,
                f"early stopping: validation objective has not improved for {self.patience} "
                "iterations",
            )
        return None

    def history(self) -> History:
        if self.bar is not None:
            self.bar.close()
        return self.recorder.history()


def _evaluate(objective, params) -> float:
    """The value of an Objective (``value`` or ``value_and_grad``) or of a plain callable."""
    if hasattr(objective, "value"):
        return float(objective.value(params))
    if hasattr(objective, "value_and_grad"):
        return float(objective.value_and_grad(params)[0])
    return float(objective(params))


def _progress_bar(total):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="it", leave=False)


def minimize(
    objective,
    params,
    optimizer="lbfgs",
    *,
    batch_size: int | None = None,
    max_iter: int = 1000,
    tol: float = 1e-10,
    gtol: float = 1e-6,
    n_iter_no_change: int | None = None,
    validation=None,
    patience: int | None = 10,
    restore_best: bool = True,
    callback=None,
    record_params: bool = False,
    progress: bool = False,
    random_state=None,
    warn: bool = True,
    initial_state=None,
    evaluate_ends: bool = True,
) -> MinimizeResult:
    r"""Minimise ``objective`` from ``params`` with a shared optimizer.

    Parameters
    ----------
    objective : Objective
        Gives ``value_and_grad(params, batch=None)``; ``hessian`` for Newton; ``n_samples`` for
        mini-batches.
    params : array or list of arrays
        Starting point (never modified). The result has the same structure.
    optimizer : str, Optimizer or ScipySolver
        ``"lbfgs"`` (default), ``"newton"``, ``"adam"``, ... or a configured one, e.g.
        ``loglik.optimizers.adam(1e-2)``. Names use their recipe's default settings.
    batch_size : int, optional
        None: full batch, one step per iteration. Otherwise each epoch visits the
        ``objective.n_samples`` rows in a fresh random order (from ``random_state``), one step per
        mini-batch. Not with line-search methods (newton, lbfgs).
    max_iter : int
        Iterations (full batch) or epochs (mini-batches).
    tol : float
        Stop when :math:`|f_{k-1} - f_k| \le \mathrm{tol}\cdot\max(|f_{k-1}|, |f_k|, 1)` for
        ``n_iter_no_change`` consecutive iterations (default 1 in full batch, 10 with
        mini-batches, where f is the epoch's mean loss). ``tol=0`` switches the test off.
    gtol : float
        Stop when the Euclidean norm of the gradient (all blocks) is at most ``gtol``. With
        mini-batches, the norm of the epoch's mean gradient.
    validation : Objective or callable, optional
        Evaluated at the end of every iteration/epoch (``value(params)``, ``value_and_grad`` or
        a plain callable). Training stops when it has not improved for ``patience`` iterations
        (None: never stop on it); with ``restore_best`` the best parameters are returned.
    callback : callable, optional
        ``callback(info)`` with an :class:`IterationInfo` after every iteration; returning True
        stops the run.
    record_params : bool
        Keep the flattened parameters of every iteration in ``history.params`` (optimizer paths).
    progress : bool
        Show a tqdm progress bar.
    random_state : None, int or numpy.random.Generator
        Shuffling of mini-batches.
    warn : bool
        Emit :class:`loglik.ConvergenceWarning` when the run ends without converging.
    initial_state : optional
        The optimizer state to start from (a previous result's ``state``) instead of
        ``optimizer.init(params)``; step optimizers only.
    evaluate_ends : bool
        With mini-batches, evaluate the objective and its gradient on all rows at the start
        (history entry 0) and at the end (the result's ``value`` and ``grad_norm``); each costs
        about one epoch. False skips both: entry 0 holds NaN and the result reports the last
        (or the restored best) epoch's mean mini-batch value and gradient norm. Full-batch runs
        always evaluate.

    Returns
    -------
    MinimizeResult
    """
    opt = get_optimizer(optimizer)
    start = as_params(params)
    like = [np.empty_like(p) for p in start]
    max_iter = check_scalar(max_iter, "max_iter", low=1, integer=True)
    tol = check_scalar(tol, "tol", low=0.0)
    gtol = check_scalar(gtol, "gtol", low=0.0)
    if patience is not None:
        patience = check_scalar(patience, "patience", low=1, integer=True)
    n = getattr(objective, "n_samples", None)
    batch_size = _check_batch_size(batch_size, n, opt)
    if n_iter_no_change is None:
        n_iter_no_change = 1 if batch_size is None else 10
    n_iter_no_change = check_scalar(n_iter_no_change, "n_iter_no_change", low=1, integer=True)
    if initial_state is not None and isinstance(opt, ScipySolver):
        raise ValueError(f"initial_state applies to step optimizers, not {opt.name!r}")
    rules = StoppingRules(tol, gtol, n_iter_no_change)
    bar = _progress_bar(max_iter) if progress else None
    tracker = _Tracker(rules, validation, patience, callback, record_params, bar)
    scipy_message, at_x, state = None, None, None
    if isinstance(opt, ScipySolver):
        x, n_iter, scipy_message, at_x = _run_scipy(opt, objective, start, like, tracker, max_iter)
    elif batch_size is None:
        x, n_iter, at_x, state = _run_full_batch(
            opt, objective, start, like, tracker, max_iter, initial_state
        )
    else:
        rng = check_random_state(random_state)
        tracker.exact_start = evaluate_ends
        x, n_iter, at_x, state = _run_mini_batch(
            opt, objective, start, like, tracker, max_iter, batch_size, n, rng, initial_state
        )
    result = _finish(
        objective, params, like, x, n_iter, tracker, opt, restore_best, warn, scipy_message, at_x
    )
    result.state = state
    return result


def _check_batch_size(batch_size, n, opt):
    """``batch_size`` checked against the objective's ``n`` rows; None for the full batch."""
    if batch_size is None:
        return None
    batch_size = check_scalar(batch_size, "batch_size", low=1, integer=True)
    if n is None:
        raise ValueError("batch_size needs an objective with n_samples (rows to batch)")
    if batch_size >= n:
        return None
    if opt.full_batch:
        raise ValueError(f"optimizer {opt.name!r} needs the full batch; set batch_size=None")
    return batch_size


def _finish(
    objective, params, like, x, n_iter, tracker, opt, restore_best, warn, scipy_message, at_x
):
    """Assemble the result; ``at_x`` is ``(value, grad_norm)`` at ``x`` when the loop knows it."""
    history = tracker.history()
    best_iteration = None
    if tracker.validation is not None and tracker.best[1] is not None:
        best_iteration = tracker.best[2]
        if restore_best and tracker.best[1] is not x:
            x, at_x = tracker.best[1], None
            if not tracker.exact_start:  # the epoch's mean values, when there are some
                at_x = (history.value[best_iteration], history.grad_norm[best_iteration])
                at_x = at_x if np.isfinite(at_x[0]) else None
    if tracker.stop_reason is None:
        converged, message = False, scipy_message or budget_message(n_iter)
    else:
        converged, message = tracker.stop_reason
    final = unflatten(x, like)
    if at_x is None:
        value, grads = objective.value_and_grad(final)
        at_x = (value, global_norm(grads))
    value, gnorm = at_x
    if not converged and warn and message != "stopped by callback":
        warn_not_converged(opt.name, message, gnorm, stacklevel=3)
    out = final[0].copy() if not isinstance(params, list | tuple) else [p.copy() for p in final]
    return MinimizeResult(
        out, float(value), gnorm, n_iter, converged, message, history, opt.name, best_iteration
    )


def _extras(objective, batch):
    """Line-search helpers for methods that read them (Newton)."""
    hess = getattr(objective, "hessian", None)
    if hasattr(objective, "value"):

        def value_fn(p):
            return objective.value(p, batch)
    else:

        def value_fn(p):
            return objective.value_and_grad(p, batch)[0]

    return {
        "value_fn": value_fn,
        "hessian_fn": None if hess is None else (lambda p: hess(p, batch)),
    }


def _run_full_batch(opt: Optimizer, objective, params, like, tracker, max_iter, state=None):
    state = opt.init(params) if state is None else state
    extras = _extras(objective, None)
    f, grads = objective.value_and_grad(params)
    x = flatten(params)
    gnorm = global_norm(grads)
    if tracker.record(x, like, f, gnorm, 0.0):
        return x, 0, (f, gnorm), state
    for it in range(1, max_iter + 1):
        step, state = opt.update(grads, state, params, value=f, **extras)
        params = [p + s for p, s in zip(params, step)]
        f, grads = objective.value_and_grad(params)
        x = flatten(params)
        gnorm = global_norm(grads)
        if tracker.record(x, like, f, gnorm, global_norm(step)):
            return x, it, (f, gnorm), state
    return x, max_iter, (f, gnorm), state


def _run_mini_batch(
    opt: Optimizer, objective, params, like, tracker, max_iter, batch_size, n, rng, state=None
):
    """One optimizer step per mini-batch; returns ``(x, epochs, at_x, state)``, ``at_x`` the last
    epoch's mean value and gradient norm when the ends are not evaluated on all rows."""
    state = opt.init(params) if state is None else state
    x = flatten(params)
    if tracker.exact_start:
        f, grads = objective.value_and_grad(params)
        gnorm = global_norm(grads)
    else:
        f, gnorm = np.nan, np.nan
    if tracker.record(x, like, f, gnorm, 0.0):
        return x, 0, None if tracker.exact_start else (f, gnorm), state
    grad_sum = [np.zeros_like(p) for p in params]
    at_x, epoch = None, 0
    for epoch in range(1, max_iter + 1):
        order = rng.permutation(n)
        total, start_x, last = 0.0, x, None
        for g in grad_sum:
            g.fill(0.0)
        for lo in range(0, n, batch_size):
            batch = order[lo : lo + batch_size]
            f_b, g_b = objective.value_and_grad(params, batch)
            step, state = opt.update(g_b, state, params, value=f_b)
            params = [p + s for p, s in zip(params, step)]
            total += f_b * (len(batch) / n)
            if len(batch) == batch_size:  # full batches: summed in place, weighted at the end
                for a, g in zip(grad_sum, g_b):
                    a += g
            else:
                last = (len(batch) / n, g_b)
        mean_grad = [a * (batch_size / n) for a in grad_sum]
        if last is not None:
            mean_grad = [a + last[0] * g for a, g in zip(mean_grad, last[1])]
        x = flatten(params)
        gnorm = global_norm(mean_grad)
        at_x = None if tracker.exact_start else (total, gnorm)
        if tracker.record(x, like, total, gnorm, float(np.linalg.norm(x - start_x))):
            return x, epoch, at_x, state
    return x, max_iter, at_x, state


def _run_scipy(solver: ScipySolver, objective, params, like, tracker, max_iter):
    cache = {}

    def fun_and_grad(x):
        if "x" in cache and np.array_equal(x, cache["x"]):
            return cache["f"], cache["g"]
        f, g = objective.value_and_grad(unflatten(x, like))
        g = flatten(g)
        cache.update(x=np.array(x, copy=True), f=f, g=g)
        return f, g

    x0 = flatten(params)
    f0, g0 = fun_and_grad(x0)
    if tracker.record(x0, like, f0, float(np.linalg.norm(g0)), 0.0):
        return x0, 0, None, (f0, float(np.linalg.norm(g0)))
    previous = [x0]

    def callback(x, f, g):
        step = float(np.linalg.norm(x - previous[0]))
        previous[0] = x
        if tracker.record(x, like, f, float(np.linalg.norm(g)), step):
            raise StopIteration

    res = run_scipy_solver(
        solver,
        fun_and_grad,
        x0,
        max_iter=max_iter,
        tol=tracker.tol,
        gtol=tracker.gtol,
        callback=callback,
    )
    x = np.asarray(res.x, dtype=np.float64)
    message = str(res.message)
    if tracker.stop_reason is None and res.success:
        # scipy's own tests (projected-gradient max-norm, relative reduction) were met
        tracker.stop_reason = (True, message)
    f, g = fun_and_grad(x)
    return x, int(res.nit), message, (f, float(np.linalg.norm(g)))


def compare_optimizers(objective, params, optimizers, *, reference=None, **minimize_kwargs):
    """Run :func:`minimize` once per optimizer from the same start; tabulate the outcomes.

    Parameters
    ----------
    objective, params
        As for :func:`minimize`.
    optimizers : dict
        Label -> optimizer (name or configured instance).
    reference : array, optional
        The known minimiser (flat); adds the column ``error`` (max abs distance to it).
    **minimize_kwargs
        Passed to every run (``max_iter``, ``tol``, ``gtol``, ``batch_size``, ...).

    Returns
    -------
    table : pandas.DataFrame
        One row per optimizer: ``iterations``, ``value``, ``grad_norm``, ``converged``,
        ``seconds`` (and ``error``).
    results : dict
        Label -> :class:`MinimizeResult` (with its history, for plots).
    """
    import pandas as pd

    rows, results = [], {}
    for label, opt in optimizers.items():
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            res = minimize(objective, params, opt, **minimize_kwargs)
        seconds = time.perf_counter() - t0
        row = {
            "optimizer": label,
            "iterations": res.n_iter,
            "value": res.value,
            "grad_norm": res.grad_norm,
            "converged": res.converged,
            "seconds": seconds,
        }
        if reference is not None:
            row["error"] = float(np.max(np.abs(res.x - np.ravel(reference))))
        rows.append(row)
        results[label] = res
    return pd.DataFrame(rows).set_index("optimizer"), results
