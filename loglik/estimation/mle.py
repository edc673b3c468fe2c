r"""Maximum-likelihood fits of distribution families: :func:`fit` and :func:`compare`.

The estimate minimises the mean negative log-likelihood of the (weighted) data,

.. math:: \hat\theta = \arg\min_\theta\ -\frac{1}{n}\sum_i w_i \log p(x_i \mid \theta),
          \qquad n = \sum_i w_i,

over the parameters not held ``fixed``. The work is split between the family (which knows its
closed forms, sufficient statistics and profile equations) and this module (which chooses among
them and drives the shared optimizers):

1. a closed form when the family has one for the given ``fixed`` (normal, exponential,
   lognormal, laplace, uniform, poisson, bernoulli, binomial, geometric, categorical,
   multivariate normal, ...);
2. otherwise Newton (:func:`loglik.optimizers.newton` through :func:`loglik.minimize`) on a
   reduced problem: the profile likelihood of one parameter with the others in closed form
   (gamma and weibull shapes, the negative binomial's n), after reducing the data to
   sufficient statistics once where the family has them (gamma, beta), else on the full
   likelihood with the analytic Hessian (student t, cauchy, logistic, ...);
3. with ``optimizer=`` (any shared optimizer: ``"adam"``, ``"gd"``, ``loglik.optimizers.sgd
   (...)``), that optimizer on the full likelihood over the unconstrained parameters (log for
   positive ones, logit for probabilities, softmax and Cholesky for vectors and matrices),
   recording its path (``result.path``) for teaching and plots.

``estimation`` never imports ``models``: family names resolve through
:mod:`loglik.estimation.registry`, which the families fill when loglik is imported.
"""

from __future__ import annotations

import math
import time
import warnings
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .._validation import ConvergenceWarning, check_choice
from .data import FitData, as_fit_data
from .minimize import History, MinimizeResult, minimize
from .newton import NewtonState, newton_step
from .objective import SmoothObjective, unflatten
from .registry import get_family
from .result import FitResult

__all__ = [
    "DEFAULT_CONTINUOUS",
    "DEFAULT_DISCRETE",
    "Estimate",
    "LikelihoodObjective",
    "ProfileProblem",
    "compare",
    "estimate",
    "fit",
    "fit_data",
    "run_newton",
    "solve_newton",
]

NEWTON_OPTIONS = {"max_iter": 200, "gtol": 1e-10, "tol": 1e-15}

DEFAULT_CONTINUOUS = (
    "normal",
    "lognormal",
    "gamma",
    "weibull",
    "exponential",
    "student_t",
    "logistic",
    "laplace",
    "cauchy",
    "beta",
    "uniform",
)
DEFAULT_DISCRETE = ("poisson", "negative_binomial", "geometric", "bernoulli")


class ProfileProblem(NamedTuple):
    """A reduced maximum-likelihood problem: minimise ``objective`` (an Objective with a Hessian)
    from the unconstrained blocks ``start``; ``expand(params)`` then gives the estimated
    parameters as a dict (profiled-out ones in closed form). ``label`` names the method.

    The objective's value must be the mean negative log-likelihood itself (all constants
    included, the profiled parameters at their optimum), so that :math:`-n` times its minimum
    is the maximised log-likelihood."""

    objective: Any
    start: list
    expand: Any
    label: str = "newton on the profile likelihood"


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


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def check_fixed(cls, fixed) -> dict:
    """Validate ``fixed`` (names, domains) and require the parameters that cannot be estimated."""
    if not fixed and cls.estimable_names == cls.param_names:
        return {}
    fixed = {} if fixed is None else dict(fixed)
    for name, value in fixed.items():
        if name not in cls.param_names:
            raise ValueError(
                f"fixed has {name!r}, which {cls.name} does not have; its parameters: "
                f"{', '.join(cls.param_names)}"
            )
        spec = cls._spec(name)
        if spec.kind == "scalar":
            if isinstance(value, bool) or np.ndim(value) != 0:
                raise ValueError(f"fixed {name} must be a number, got {value!r}")
            try:
                v = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"fixed {name} must be a number, got {value!r}") from None
            if not np.isfinite(v) or not spec.domain.contains(np.array(v)):
                raise ValueError(f"fixed {name} must be {spec.domain.text}, got {value!r}")
            fixed[name] = v
        else:
            fixed[name] = np.array(value, dtype=np.float64)
    missing = [s.name for s in cls.param_specs if not s.estimable and s.name not in fixed]
    if missing:
        given = ", ".join(f"{m!r}: ..." for m in missing)
        raise ValueError(
            f"{cls.name} needs {', '.join(missing)} given, not estimated: pass fixed={{{given}}}"
        )
    return fixed


def _check_start(cls, start, fixed) -> dict:
    start = dict(start)
    for name, _value in start.items():
        if name not in cls.estimable_names:
            raise ValueError(
                f"start has {name!r}, which {cls.name} does not estimate; its parameters: "
                f"{', '.join(cls.estimable_names)}"
            )
        if name in fixed:
            raise ValueError(f"start has {name!r}, which is also fixed")
    return start


def theta_from(cls, values: dict, context: str = "") -> tuple:
    """The full parameter tuple (``param_names`` order) from a dict, validated."""
    missing = [n for n in cls.param_names if n not in values]
    if missing:
        raise ValueError(f"{cls.name}{context}: no value for {', '.join(missing)}")
    return cls._check_params(values, context)


def free_of(cls, fixed) -> tuple:
    return tuple(n for n in cls.estimable_names if n not in fixed)


# --------------------------------------------------------------------------------------------
# The fit
# --------------------------------------------------------------------------------------------


def fit(x, family, *, fixed=None, weights=None, optimizer=None, start=None, **options):
    r"""Fit a distribution family to data by maximum likelihood.

    Minimises the mean negative log-likelihood
    :math:`-\frac1n\sum_i w_i\log p(x_i\mid\theta)` (:math:`n = \sum_i w_i`) over the
    parameters not in ``fixed`` — in closed form where one exists, otherwise by Newton on the
    profile likelihood or the likelihood reduced to sufficient statistics (see the module doc).

    Parameters
    ----------
    x : array_like
        Observations: 1-D, or 2-D (rows) for ``multivariate_normal``. Never modified.
    family : str or Distribution class
        A family name (``"normal"``, ``"gamma"``, ...; see ``loglik.family_names()``) or class.
    fixed : dict, optional
        Parameters held at given values (``{"loc": 0.0}``); the binomial's ``n`` must be given.
    weights : array_like, optional
        Frequency (case) weights, one non-negative number per row: a row with weight 2 counts
        as two observations. ``n`` (for AIC, BIC and the standard errors) is their sum.
    optimizer : str or optimizer, optional
        Use this shared optimizer (``"adam"``, ``"gd"``, ``"newton"``, ``"lbfgs"``, or a
        configured one) on the full likelihood instead of the fast path, and record its path.
    start : dict, optional
        Starting values for the numeric fit (default: moment or robust estimates).
    **options
        Passed to :func:`loglik.minimize` (``max_iter``, ``tol``, ``gtol``, ``batch_size``,
        ``random_state``, ``callback``, ``progress``, ...).

    Returns
    -------
    FitResult
        ``params``, ``loglik``, ``aic``, ``bic``, ``se``, ``cov``, ``conf_int()``,
        ``summary()``, ``dist``, ``to_scipy()``, ``diagnostics``, ``path``.

    Raises
    ------
    ValueError
        Non-numeric, empty or non-finite data (with the row), data outside the family's
        support (how many, the first), non-integers for a discrete family, data on which the
        MLE does not exist (a single value, zero spread, ...), an unknown family (with the
        known ones), bad ``fixed`` values or ``weights``.

    Examples
    --------
    >>> import loglik as ll
    >>> x = ll.data.load("strikes")["duration"]
    >>> res = ll.fit(x, "gamma")
    >>> {name: round(value, 4) for name, value in res.params.items()}
    {'shape': 0.8929, 'scale': 47.7782}
    >>> round(res.se["shape"], 3)
    0.14
    >>> res.conf_int(method="profile").round(2)
           lower  upper
    shape   0.65   1.20
    scale  32.84  74.21
    """
    cls = get_family(family)
    data = as_fit_data(x, weights, ndim=2 if cls.multivariate else 1)
    fixed = check_fixed(cls, fixed)
    cls._check_data(data, fixed)
    return fit_data(cls, data, fixed, optimizer=optimizer, start=start, **options)


def fit_data(cls, data: FitData, fixed: dict, *, optimizer=None, start=None, **options):
    """:func:`fit` on data already validated (``data``) with ``fixed`` already checked."""
    if start is not None:
        start = _check_start(cls, start, fixed)
    if optimizer is None:
        est = estimate(cls, data, fixed, start=start, **options)
        path = None
    else:
        est, path = _fit_with_optimizer(cls, data, fixed, optimizer, start, options)
    return make_result(FitResult, cls, data, fixed, est, path)


def make_result(result_class, cls, data: FitData, fixed: dict, est: Estimate, path, **extra):
    """The result object for estimated values ``est`` (the log-likelihood computed unless the
    estimator already knows it)."""
    theta = theta_from(cls, {**est.values, **fixed})
    loglik = est.loglik if est.loglik is not None else cls._loglik_total(data, *theta)
    return result_class(
        cls,
        data,
        theta,
        fixed,
        free_of(cls, fixed) if fixed else cls.estimable_names,
        float(loglik),
        method=est.method,
        converged=est.converged,
        n_iter=est.n_iter,
        message=est.message,
        optimizer_result=est.result,
        path=path,
        **extra,
    )


def estimate(cls, data: FitData, fixed: dict, start=None, **options) -> Estimate:
    """The MLE of the free parameters by the fastest route the family offers (no result object:
    what profiles, bootstraps and ``compare`` call many times)."""
    free = free_of(cls, fixed) if fixed else cls.estimable_names
    if not free:
        return Estimate({}, "all parameters fixed", True, 0, "nothing to estimate")
    problem = None
    if start is None:
        values = cls._closed_form(data, fixed)
        if values is not None:
            return Estimate(values, "closed form", True, 0, "closed form")
        problem = cls._profile_problem(data, fixed)
    if problem is None:
        problem = newton_problem(cls, data, fixed, {**cls._start(data, fixed), **(start or {})})
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
    """Newton on ``problem`` from its start: :func:`solve_newton` for a small smooth problem
    with the default settings, else :func:`loglik.minimize` (any ``options`` for it: ``max_iter``,
    ``callback``, ``progress``, ...)."""
    if not options and isinstance(problem.objective, SmoothObjective):
        return solve_newton(problem.objective, problem.start, **NEWTON_OPTIONS)
    return minimize(problem.objective, problem.start, "newton", **{**NEWTON_OPTIONS, **options})


def solve_newton(
    objective: SmoothObjective, start, *, max_iter: int, gtol: float, tol: float
) -> MinimizeResult:
    r"""``minimize(objective, start, "newton", max_iter=, gtol=, tol=)`` for a
    :class:`~loglik.estimation.objective.SmoothObjective`: the same steps
    (:func:`~loglik.optimizers.newton_step`), stopping rules, messages, warning and
    :class:`~loglik.estimation.minimize.History`, without the general loop's bookkeeping
    (mini-batches, validation, callbacks, parameter blocks), which costs more than the O(1)
    steps of a problem reduced to sufficient statistics or to a profile. One parameter (a
    profile) iterates on plain floats."""
    t0 = time.perf_counter()
    x = float(start[0]) if len(start) == 1 else np.array([float(u) for u in start])
    f, g, H = objective.evaluate(x)
    gnorm = _norm(g)
    if not math.isfinite(f):
        raise ValueError(f"the objective is not finite at the starting parameters (got {f})")
    values, grads, steps, times = [f], [gnorm], [0.0], [time.perf_counter() - t0]
    n_iter = n_modified = n_failed = 0
    alpha, converged, message = 1.0, True, "gradient norm below gtol at the start"
    while not gnorm <= gtol:  # minimize's tests, in its order (NaN goes on, to diverge)
        if n_iter == max_iter:
            converged, message = False, f"maximum number of iterations ({max_iter}) reached"
            break
        step, alpha, modified = newton_step(g, H, f, lambda z: objective.evaluate(z)[0], x)
        n_iter, n_modified, n_failed = n_iter + 1, n_modified + modified, n_failed + (alpha == 0)
        x, previous = x + step, f
        f, g, H = objective.evaluate(x)
        gnorm = _norm(g)
        values.append(f), grads.append(gnorm), steps.append(_norm(step))
        times.append(time.perf_counter() - t0)
        if not (math.isfinite(f) and math.isfinite(gnorm)):
            converged, message = False, f"diverged: the objective became {f} at iteration {n_iter}"
            break
        message = "gradient norm below gtol"
        if gnorm <= gtol:
            break
        if tol > 0 and abs(previous - f) <= tol * max(abs(previous), abs(f), 1.0):
            message = "relative change of the objective below tol"
            break
    if not converged:
        warnings.warn(
            f"newton: {message} (gradient norm {gnorm:.3g})", ConvergenceWarning, stacklevel=3
        )
    nan = [np.nan] * len(values)
    history = History(*map(np.array, (values, grads, steps, nan, times)))
    params = [np.array(v) for v in np.atleast_1d(x).tolist()]
    state = NewtonState(n_iter, n_modified, alpha, n_failed)
    return MinimizeResult(
        params, f, gnorm, n_iter, converged, message, history, "newton", None, state
    )


def _norm(v) -> float:
    return abs(v) if isinstance(v, float) else math.sqrt(float(np.dot(v, v)))


def newton_problem(cls, data: FitData, fixed: dict, start: dict, penalty=None) -> ProfileProblem:
    r"""Newton on the full likelihood over the free (scalar) parameters, each on its
    unconstrained scale, with the family's analytic gradient and Hessian.

    With ``penalty`` (``penalty(theta) -> (R, grad, hess)`` over the free parameters, e.g. a
    negative log-prior) the objective is the mean NLL plus :math:`R(\theta)/n`."""
    free = free_of(cls, fixed)
    base = list(theta_from(cls, {**start, **fixed}, context=" (start)"))
    pos = [cls.param_names.index(n) for n in free]
    grad_pos = [cls.estimable_names.index(n) for n in free]
    transforms = [cls._spec(n).domain.transform() for n in free]
    W = data.n

    every = len(grad_pos) == len(cls.estimable_names)

    def derivatives(values):
        theta = list(base)
        for p, v in zip(pos, values):
            theta[p] = np.float64(v)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            return _derivatives(tuple(theta))

    def _derivatives(theta):  # a trial point may be extreme: inf/nan there is rejected
        ll, g, H = cls._totals(data, theta, 2)
        if every:
            f, g, H = -ll / W, -np.asarray(g) / W, -H / W
        else:
            f, g, H = -ll / W, -np.asarray(g)[grad_pos] / W, -H[np.ix_(grad_pos, grad_pos)] / W
        if penalty is None:
            return f, g, H
        r, gr, Hr = penalty(theta)
        return f + r / W, g + np.asarray(gr, dtype=np.float64) / W, H + Hr / W

    def expand(params):
        return {n: float(t.forward(float(u))) for n, t, u in zip(free, transforms, params)}

    u0 = [np.array(float(t.inverse(base[p]))) for t, p in zip(transforms, pos)]
    return ProfileProblem(SmoothObjective(derivatives, transforms), u0, expand, "newton")


# --------------------------------------------------------------------------------------------
# Any shared optimizer on the full likelihood
# --------------------------------------------------------------------------------------------


class LikelihoodObjective:
    r"""The mean negative log-likelihood of a family over its free parameters, unconstrained:

    .. math:: F(u) = -\frac{1}{n_B}\sum_{i\in B} w_i \log p(x_i \mid \theta(u))

    (:math:`B` all rows, or a mini-batch), one parameter block per free parameter,
    :math:`\theta = T(u)` by the family's transforms. The gradient is the family's score pulled
    back through the transforms; the Hessian (scalar parameters on elementwise transforms only)
    adds the transforms' curvature.
    """

    def __init__(self, cls, data: FitData, fixed: dict, theta0: tuple, penalty=None):
        self.cls, self.data, self.penalty = cls, data, penalty
        self.free = free_of(cls, fixed)
        self._theta = list(theta0)
        self._pos = [cls.param_names.index(n) for n in self.free]
        self._grad_pos = [cls.estimable_names.index(n) for n in self.free]
        transforms = cls._transforms(theta0)
        self.transforms = [transforms[p] for p in self._pos]
        self.n_samples = data.n_obs
        scalar = all(cls._spec(n).kind == "scalar" for n in self.free)
        if not (scalar and all(t.elementwise for t in self.transforms)):
            self.hessian = None  # the protocol's "no Hessian": Newton then says it needs one

    def unconstrain(self, theta: tuple) -> list:
        return [np.asarray(t.inverse(theta[p])) for t, p in zip(self.transforms, self._pos)]

    def theta(self, params) -> tuple:
        theta = list(self._theta)
        for p, t, u in zip(self._pos, self.transforms, params):
            theta[p] = np.asarray(t.forward(u), dtype=np.float64)
        return tuple(theta)

    def _rows(self, batch) -> FitData:
        return self.data if batch is None else self.data.take(batch)

    def value(self, params, batch=None) -> float:
        data, theta = self._rows(batch), self.theta(params)
        f = -float(self.cls._loglik_total(data, *theta)) / data.n
        return f if self.penalty is None else f + self.penalty(theta)[0] / self.data.n

    def value_and_grad(self, params, batch=None):
        data, theta = self._rows(batch), self.theta(params)
        ll, g, _ = self.cls._totals(data, theta, 1)
        f = -ll / data.n
        g_theta = [-np.asarray(g[j], dtype=np.float64) / data.n for j in self._grad_pos]
        if self.penalty is not None:
            r, gr, _ = self.penalty(theta)
            f += r / self.data.n
            g_theta = [gj + np.asarray(rj) / self.data.n for gj, rj in zip(g_theta, gr)]
        grads = [
            np.asarray(t.vjp(u, gj), dtype=np.float64)
            for t, u, gj in zip(self.transforms, params, g_theta)
        ]
        return f, grads

    def hessian(self, params, batch=None):
        data, theta = self._rows(batch), self.theta(params)
        _, g, H = self.cls._totals(data, theta, 2)
        idx = self._grad_pos
        g = -np.asarray(g, dtype=np.float64)[idx] / data.n
        H = -H[np.ix_(idx, idx)] / data.n
        if self.penalty is not None:
            _, gr, Hr = self.penalty(theta)
            g = g + np.asarray(gr, dtype=np.float64) / self.data.n
            H = H + Hr / self.data.n
        d1 = np.array([float(t.derivative(u)) for t, u in zip(self.transforms, params)])
        d2 = np.array([float(t.second_derivative(u)) for t, u in zip(self.transforms, params)])
        return d1[:, None] * H * d1[None, :] + np.diag(g * d2)


def _fit_with_optimizer(cls, data, fixed, optimizer, start, options, penalty=None):
    if not cls.regular:
        raise ValueError(
            f"the {cls.name} likelihood is not differentiable at its maximum (the support "
            "depends on the parameters), so gradient-based optimizers do not apply; its MLE "
            "has a closed form: call fit without optimizer="
        )
    if not free_of(cls, fixed):
        raise ValueError("every parameter is fixed: there is nothing for the optimizer to do")
    theta0 = theta_from(cls, {**cls._start(data, fixed), **(start or {}), **fixed})
    obj = LikelihoodObjective(cls, data, fixed, theta0, penalty)
    res = minimize(obj, obj.unconstrain(theta0), optimizer, **{"record_params": True, **options})
    theta = obj.theta(res.params)
    values = {n: _as_value(theta[p]) for n, p in zip(obj.free, obj._pos)}
    loglik = -res.value * data.n if penalty is None else None
    est = Estimate(values, res.optimizer, res.converged, res.n_iter, res.message, res, loglik)
    return est, _path_frame(cls, obj, res)


def _as_value(v):
    v = np.asarray(v, dtype=np.float64)
    return float(v) if v.ndim == 0 else v


def _path_frame(cls, obj: LikelihoodObjective, res) -> pd.DataFrame | None:
    """The optimizer's iterates in the family's parameters, with the log-likelihood."""
    h = res.history
    if h.params is None:
        return None
    like = list(res.params)
    labels = cls._labels(obj.theta(unflatten(h.params[0], like)), obj.free)
    rows = []
    for flat in h.params:
        theta = obj.theta(unflatten(flat, like))
        rows.append([_entry(theta, cls, param, index) for _, param, index, _ in labels])
    frame = pd.DataFrame(rows, columns=[label for label, *_ in labels])
    frame["loglik" if obj.penalty is None else "log_posterior"] = -h.value * obj.data.n
    frame["grad_norm"] = h.grad_norm
    frame.index.name = "iteration"
    return frame


def _entry(theta, cls, param, index):
    v = theta[cls.param_names.index(param)]
    return float(v[index]) if index else float(v)


# --------------------------------------------------------------------------------------------
# Comparing families
# --------------------------------------------------------------------------------------------


def compare(x, families=None, *, criterion="aic", weights=None, fixed=None) -> pd.DataFrame:
    r"""Fit several families to the same data and rank them.

    Parameters
    ----------
    x : array_like
        1-D observations.
    families : sequence of str or classes, optional
        Default: the continuous families, or the discrete ones for non-negative integer data.
        Discrete and continuous families cannot be mixed (probabilities and densities are not
        on one scale).
    criterion : {"aic", "aicc", "bic", "ks"}
        What to rank by (smaller is better).
    weights : array_like, optional
        Frequency weights, as for :func:`fit`.
    fixed : dict, optional
        Family name -> its ``fixed`` dict (e.g. ``{"binomial": {"n": 10}}``).

    Returns
    -------
    pandas.DataFrame
        Indexed by family, ranked: ``k``, ``loglik``, ``aic``, ``aicc``, ``bic``, ``ks`` (the
        Kolmogorov-Smirnov distance between the data and the fitted cdf), ``delta`` (the
        criterion minus the best) and ``weight`` (:math:`e^{-\Delta/2}` normalised: Akaike or
        Schwarz weights), ``params``, ``converged``, ``applicable`` and ``note``. A family whose
        support does not contain the data (or whose MLE does not exist on them) is listed as
        not applicable with the reason, after the ranked ones, never ranked. KS p-values are not
        given: with estimated parameters the usual ones do not hold.
    """
    criterion = check_choice(criterion, "criterion", ("aic", "aicc", "bic", "ks"))
    data = as_fit_data(x, weights)
    order = np.argsort(data.x, kind="stable")
    ordered = FitData(data.x[order], None if data.w is None else data.w[order])
    if families is None:
        integer = ordered.x[0] >= 0 and not np.modf(ordered.x)[0].any()
        families = DEFAULT_DISCRETE if integer else DEFAULT_CONTINUOUS
    classes = [get_family(f) for f in families]
    kinds = {cls.discrete for cls in classes if not cls.multivariate}
    if len(kinds) > 1:
        raise ValueError(
            "compare ranks log-likelihoods on one scale: discrete families (log probabilities) "
            "and continuous ones (log densities) are not comparable; compare them separately"
        )
    fixed = fixed or {}
    rows = [_compare_row(cls, data, ordered, fixed) for cls in classes]
    table = pd.DataFrame(rows).set_index("family")
    ok = table["applicable"]
    ranked = table[ok].sort_values(criterion, kind="stable")
    best = ranked[criterion].min() if len(ranked) else np.nan
    ranked = ranked.assign(delta=ranked[criterion] - best)
    if criterion != "ks":
        rel = np.exp(-0.5 * ranked["delta"].to_numpy())
        ranked = ranked.assign(weight=rel / rel.sum())
    out = pd.concat([ranked, table[~ok]])
    columns = ["k", "loglik", "aic", "aicc", "bic", "ks", "delta", "weight", "params"]
    columns += ["converged", "applicable", "note"]
    return out.reindex(columns=columns)


def _compare_row(cls, data: FitData, ordered: FitData, fixed_all: dict) -> dict:
    """One family's line: checked on the data as given (errors name their rows), fitted on the
    sorted copy (the likelihood does not depend on the order; the KS distance needs it)."""
    row = {"family": cls.name, "applicable": False}
    if cls.multivariate:
        return {**row, "note": "multivariate: not comparable with univariate families"}
    try:
        fixed = check_fixed(cls, fixed_all.get(cls.name))
        cls._check_data(data, fixed)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            res = fit_data(cls, ordered, fixed)
    except (ValueError, ConvergenceWarning) as exc:
        return {**row, "note": str(exc)}
    return {
        **row,
        "k": res.k,
        "loglik": res.loglik,
        "aic": res.aic,
        "aicc": res.aicc,
        "bic": res.bic,
        "ks": ks_distance(res.dist, ordered),
        "params": res.params,
        "converged": res.converged,
        "applicable": True,
        "note": "",
    }


def ks_distance(dist, data: FitData) -> float:
    r"""The Kolmogorov-Smirnov distance :math:`\sup_x |F_n(x) - F(x)|` between the weighted
    empirical cdf of sorted ``data`` and ``dist``'s cdf (for a discrete family the supremum is
    taken over both sides of each jump)."""
    x = data.x
    w = np.ones(x.size) if data.w is None else data.w
    cum = np.cumsum(w) / data.n
    if dist.discrete:
        last = np.r_[x[1:] != x[:-1], True]
        values, upper = x[last], cum[last]
        lower = np.r_[0.0, upper[:-1]]
        return float(
            max(
                np.max(np.abs(upper - dist.cdf(values))),
                np.max(np.abs(lower - dist.cdf(values - 1.0))),
            )
        )
    F = dist.cdf(x)
    return float(max(np.max(cum - F), np.max(F - (cum - w / data.n))))
