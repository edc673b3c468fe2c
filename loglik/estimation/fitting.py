r"""The estimate of a family's free parameters, by the fastest route the family offers or by a
shared optimizer: what :func:`loglik.fit`, :func:`loglik.fit_map`, profiles, bootstraps and
:func:`loglik.compare` call, many times, without building a result object.

:func:`estimate` takes, in order,

1. the family's closed form (:meth:`~loglik.estimation.family.Family.closed_form_mle`) for the
   given ``fixed``;
2. Newton on its reduced problem (:meth:`~loglik.estimation.family.Family.profile_problem`: a
   profile likelihood, or the likelihood on sufficient statistics);
3. Newton on the full likelihood (:func:`~loglik.estimation.likelihood.newton_problem`) from the
   family's start values.

Newton runs in :func:`~loglik.estimation.newton.solve_newton` for a small smooth problem with the
default settings and in :func:`loglik.minimize` otherwise: the same steps and stopping rules.
:func:`fit_with_optimizer` runs any shared optimizer on the full likelihood instead.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pandas as pd

from .data import FitData
from .family import ProfileProblem
from .likelihood import LikelihoodObjective, free_of, label_value, newton_problem, theta_from
from .minimize import MinimizeResult, minimize
from .newton import solve_newton
from .objective import SmoothObjective, unflatten

__all__ = [
    "NEWTON_OPTIONS",
    "Estimate",
    "estimate",
    "fit_with_optimizer",
    "path_frame",
    "run_newton",
]

NEWTON_OPTIONS = {"max_iter": 200, "gtol": 1e-10, "tol": 1e-15}


class Estimate(NamedTuple):
    """The estimated (free) parameter values, how they were found, and the maximised
    log-likelihood when the method already knows it (None: compute it from the values)."""

    values: dict
    method: str
    converged: bool
    n_iter: int
    message: str
    result: Any = None
    loglik: float | None = None


def estimate(cls, data: FitData, fixed: dict, start=None, **options) -> Estimate:
    """The MLE of the free parameters by the fastest route the family offers (see the module
    doc); ``start`` (name -> value) skips the closed form and the reduced problem."""
    free = free_of(cls, fixed) if fixed else cls.estimable_names
    if not free:
        return Estimate({}, "all parameters fixed", True, 0, "nothing to estimate")
    problem = None
    if start is None:
        values = cls.closed_form_mle(data, fixed)
        if values is not None:
            return Estimate(values, "closed form", True, 0, "closed form")
        problem = cls.profile_problem(data, fixed)
    if problem is None:
        start = {**cls.start_values(data, fixed), **(start or {})}
        problem = newton_problem(cls, data, fixed, start)
    res = run_newton(problem, options)
    return Estimate(
        problem.expand(res.params),
        problem.label,
        res.converged,
        res.n_iter,
        res.message,
        res,
        -res.value * data.n,
    )


def run_newton(problem: ProfileProblem, options: dict) -> MinimizeResult:
    """Newton on ``problem`` from its start: :func:`~loglik.estimation.newton.solve_newton` for a
    small smooth problem with the default settings, else :func:`loglik.minimize` (any
    ``options`` for it: ``max_iter``, ``callback``, ``progress``, ...)."""
    if not options and isinstance(problem.objective, SmoothObjective):
        return solve_newton(problem.objective, problem.start, **NEWTON_OPTIONS)
    return minimize(problem.objective, problem.start, "newton", **{**NEWTON_OPTIONS, **options})


def fit_with_optimizer(cls, data, fixed, optimizer, start, options, penalty=None):
    """``(Estimate, path)``: the shared ``optimizer`` on the full likelihood (plus ``penalty``,
    a negative log-prior) from ``start`` (default: the family's start values), recording its
    path (a DataFrame, see :func:`path_frame`)."""
    if not cls.regular:
        raise ValueError(
            f"the {cls.name} likelihood is not differentiable at its maximum (the support "
            "depends on the parameters), so gradient-based optimizers do not apply; its MLE "
            "has a closed form: call fit without optimizer="
        )
    if not free_of(cls, fixed):
        raise ValueError("every parameter is fixed: there is nothing for the optimizer to do")
    theta0 = theta_from(cls, {**cls.start_values(data, fixed), **(start or {}), **fixed})
    obj = LikelihoodObjective(cls, data, fixed, theta0, penalty)
    res = minimize(obj, obj.unconstrain(theta0), optimizer, **{"record_params": True, **options})
    loglik = -res.value * data.n if penalty is None else None
    values = obj.free_values(res.params)
    est = Estimate(values, res.optimizer, res.converged, res.n_iter, res.message, res, loglik)
    return est, path_frame(obj, res)


def path_frame(obj: LikelihoodObjective, res: MinimizeResult) -> pd.DataFrame | None:
    """The optimizer's iterates in the family's parameters (one column per label), with the
    log-likelihood (``log_posterior`` with a penalty) and the gradient norm; None when the
    parameters were not recorded."""
    h = res.history
    if h.params is None:
        return None
    cls, like = obj.cls, list(res.params)
    labels = cls.labels(obj.theta(unflatten(h.params[0], like)), obj.free)
    rows = []
    for flat in h.params:
        theta = obj.theta(unflatten(flat, like))
        rows.append([label_value(cls, theta, param, index) for _, param, index, _ in labels])
    frame = pd.DataFrame(rows, columns=[label for label, *_ in labels])
    frame["loglik" if obj.penalty is None else "log_posterior"] = -h.value * obj.data.n
    frame["grad_norm"] = h.grad_norm
    frame.index.name = "iteration"
    return frame
