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

The routes themselves are in :mod:`loglik.estimation.fitting`; ``estimation`` never imports
``models``: family names resolve through the registry in :mod:`loglik.estimation.family`, which
the families fill when loglik is imported.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._validation import BoundaryWarning, ConvergenceWarning, check_choice, check_random_state
from .censored_data import CensoredFitData, as_censored_data, is_scipy_censored
from .censoring import censored_family
from .data import FitData, as_fit_data
from .family import get_family
from .fitting import estimate, fit_with_optimizer
from .gof import check_statistics
from .inference import can_be_on_boundary
from .likelihood import check_fixed, check_start
from .result import FitResult

__all__ = [
    "DEFAULT_CONTINUOUS",
    "DEFAULT_DISCRETE",
    "censored_problem",
    "compare",
    "fit",
    "fit_data",
    "ks_distance",
]

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


# --------------------------------------------------------------------------------------------
# The fit
# --------------------------------------------------------------------------------------------


def fit(
    x,
    family,
    *,
    fixed=None,
    weights=None,
    optimizer=None,
    start=None,
    censored=False,
    truncation=None,
    **options,
):
    r"""Fit a distribution family to data by maximum likelihood.

    Minimises the mean negative log-likelihood
    :math:`-\frac1n\sum_i w_i\log p(x_i\mid\theta)` (:math:`n = \sum_i w_i`) over the
    parameters not in ``fixed`` — in closed form where one exists, otherwise by Newton on the
    profile likelihood or the likelihood reduced to sufficient statistics (see the module doc).

    Parameters
    ----------
    x : array_like or scipy.stats.CensoredData
        Observations: 1-D, or 2-D (rows) for ``multivariate_normal``; a
        ``scipy.stats.CensoredData``; or with ``censored=True`` an ``(n, 2)`` array of
        ``(lower, upper)`` rows (equal for an exact value, ``upper = inf`` right-censored,
        ``lower = -inf`` left-censored, both finite interval-censored; for counts both ends are
        included). Never modified.
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
    censored : bool
        ``x`` holds ``(lower, upper)`` rows (see ``x``). The likelihood of a censored row is
        the probability of its interval, :math:`S(l)`, :math:`F(u)` or :math:`F(u) - F(l)`
        (see :mod:`loglik.estimation.censoring`).
    truncation : (a, b), optional
        Only values in :math:`(a, b]` (for counts :math:`[a, b]`) could be observed: each
        row's probability is divided by :math:`F(b) - F(a)`. ``inf`` / ``-inf`` for one side.
    **options
        Passed to :func:`loglik.minimize` (``max_iter``, ``tol``, ``gtol``, ``batch_size``,
        ``random_state``, ``callback``, ``progress``, ...).

    Returns
    -------
    FitResult
        ``params``, ``loglik``, ``aic``, ``bic``, ``se``, ``cov``, ``conf_int()``,
        ``summary()``, ``dist``, ``to_scipy()``, ``diagnostics``, ``path``, ``boundary``.

    Warns
    -----
    loglik.BoundaryWarning
        When an estimate is on the boundary of the parameter space or tending to it (all-zero
        Bernoulli data, Student's t on data no heavier-tailed than a normal): ``boundary`` names
        it, its Wald standard error and interval are not valid, ``summary()`` shows its
        one-sided profile interval instead.

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
    if censored or truncation is not None or is_scipy_censored(x):
        cls, data = censored_problem(cls, x, weights, censored, truncation)
    else:
        data = as_fit_data(x, weights, ndim=2 if cls.multivariate else 1)
    fixed = check_fixed(cls, fixed)
    cls.check_data(data, fixed)
    return fit_data(cls, data, fixed, optimizer=optimizer, start=start, **options)


def censored_problem(cls, x, weights, censored, truncation):
    """``(family, data)`` for censored / truncated observations: the family wrapped by
    :func:`~loglik.estimation.censoring.censored_family` and the validated rows, or the plain
    family and sample when every row is exact and nothing is truncated."""
    data = as_censored_data(x, weights, censored=censored, truncation=truncation)
    if data.complete:
        return cls, data.group("exact")
    return censored_family(cls), data


def fit_data(cls, data: FitData, fixed: dict, *, optimizer=None, start=None, **options):
    """:func:`fit` on data already validated (``data``) with ``fixed`` already checked."""
    if start is not None:
        start = check_start(cls, start, fixed)
    if optimizer is None:
        est = estimate(cls, data, fixed, start=start, **options)
        path = None
    else:
        est, path = fit_with_optimizer(cls, data, fixed, optimizer, start, options)
    result = FitResult.from_estimate(cls, data, fixed, est, path)
    if any(can_be_on_boundary(cls)) and result.boundary:
        warnings.warn(
            f"{cls.name}: " + "; ".join(result.boundary_notes()),
            BoundaryWarning,
            stacklevel=3,
        )
    return result


# --------------------------------------------------------------------------------------------
# Comparing families
# --------------------------------------------------------------------------------------------


def compare(
    x,
    families=None,
    *,
    criterion="aic",
    weights=None,
    fixed=None,
    censored=False,
    truncation=None,
    gof=False,
    n_boot=999,
    random_state=None,
) -> pd.DataFrame:
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
    censored, truncation
        Censored or truncated data, as for :func:`fit` (also a ``scipy.stats.CensoredData``):
        every family is fitted to the censored likelihood and ranked by AIC (or AICc, BIC);
        the KS distance does not apply (NaN) and ``criterion="ks"`` or ``gof`` is an error.
    gof : bool, str or list
        Add goodness-of-fit p-values (parametric bootstrap refitting each replicate, see
        :meth:`FitResult.gof`): True for all three statistics, or ``"ks"``, ``"cvm"``,
        ``"ad"`` or a list; columns ``gof_ks``, ``gof_cvm``, ``gof_ad``. Off by default (it
        costs ``n_boot`` refits per family).
    n_boot, random_state
        Replicates and randomness of the goodness-of-fit p-values.

    Returns
    -------
    pandas.DataFrame
        Indexed by family, ranked: ``k``, ``loglik``, ``aic``, ``aicc``, ``bic``, ``ks`` (the
        Kolmogorov-Smirnov distance between the data and the fitted cdf), ``delta`` (the
        criterion minus the best) and ``weight`` (:math:`e^{-\Delta/2}` normalised: Akaike or
        Schwarz weights), ``params``, ``converged``, ``applicable`` and ``note`` (boundary
        estimates, e.g. ``"boundary: df -> inf"``: the family reduces to a simpler one that
        fits as well, and its extra parameter should not count in its favour). A family whose
        support does not contain the data (or whose MLE does not exist on them) is listed as
        not applicable with the reason, after the ranked ones, never ranked. KS p-values are not
        given: with estimated parameters the usual ones do not hold.
    """
    criterion = check_choice(criterion, "criterion", ("aic", "aicc", "bic", "ks"))
    data, ordered = _compare_data(x, weights, censored, truncation)
    if isinstance(data, CensoredFitData) and (criterion == "ks" or gof):
        raise ValueError(
            "the KS distance and goodness-of-fit tests need the complete empirical cdf: they do "
            "not apply to censored or truncated data; rank by criterion='aic', 'aicc' or 'bic'"
        )
    if families is None:
        families = _default_families(data)
    classes = [get_family(f) for f in families]
    kinds = {cls.discrete for cls in classes if not cls.multivariate}
    if len(kinds) > 1:
        raise ValueError(
            "compare ranks log-likelihoods on one scale: discrete families (log probabilities) "
            "and continuous ones (log densities) are not comparable; compare them separately"
        )
    fixed = fixed or {}
    tests = dict(
        names=check_statistics("all" if gof is True else gof) if gof else [],
        n_boot=n_boot,
        rng=check_random_state(random_state),
    )
    rows = [_compare_row(cls, data, ordered, fixed, tests) for cls in classes]
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
    columns += [f"gof_{name}" for name in tests["names"]]
    columns += ["converged", "applicable", "note"]
    return out.reindex(columns=columns)


def _default_families(data) -> tuple:
    """The discrete families for non-negative integer data, else the continuous ones (without
    the uniform for censored data: its censored MLE is not a stationary point)."""
    censored = isinstance(data, CensoredFitData)
    x = data.pseudo_sample().x if censored else data.x
    ends = data.bounds[np.isfinite(data.bounds)] if censored else x
    if x.min() >= 0 and not np.modf(ends)[0].any():
        return DEFAULT_DISCRETE
    return tuple(f for f in DEFAULT_CONTINUOUS if not (censored and f == "uniform"))


def _compare_data(x, weights, censored, truncation):
    """``(data, ordered)``: validated data and a sorted copy (for the KS distance); for
    censored data both are the :class:`CensoredFitData` (complete rows become plain data)."""
    if censored or truncation is not None or is_scipy_censored(x):
        data = as_censored_data(x, weights, censored=censored, truncation=truncation)
        if not data.complete:
            return data, data
        x, weights = data.group("exact").x, data.group("exact").w
    data = as_fit_data(x, weights)
    order = np.argsort(data.x, kind="stable")
    return data, FitData(data.x[order], None if data.w is None else data.w[order])


def _compare_row(cls, data, ordered, fixed_all: dict, tests: dict) -> dict:
    """One family's line: checked on the data as given (errors name their rows), fitted on the
    sorted copy (the likelihood does not depend on the order; the KS distance needs it)."""
    row = {"family": cls.name, "applicable": False}
    if cls.multivariate:
        return {**row, "note": "multivariate: not comparable with univariate families"}
    try:
        if isinstance(data, CensoredFitData):
            cls = censored_family(cls)
        fixed = check_fixed(cls, fixed_all.get(cls.name))
        cls.check_data(data, fixed)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            warnings.simplefilter("ignore", BoundaryWarning)  # said in the note instead
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
        "ks": np.nan if ordered is data else ks_distance(res.dist, ordered),
        "params": res.params,
        "converged": res.converged,
        "applicable": True,
        "note": "; ".join(f"boundary: {k} {v}" for k, v in res.boundary.items()),
        **_gof_columns(res, tests),
    }


def _gof_columns(res, tests: dict) -> dict:
    """``gof_<statistic>`` p-values for the compare table (NaN where they do not apply)."""
    if not tests["names"]:
        return {}
    try:
        table = res.gof(tests["names"], tests["n_boot"], tests["rng"])
    except ValueError:
        return {f"gof_{name}": np.nan for name in tests["names"]}
    return {f"gof_{name}": float(table.loc[name, "pvalue"]) for name in tests["names"]}


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
