r"""Maximum a posteriori (MAP) estimation: :func:`fit_map` and :func:`map_vs_mle`.

The MAP estimate maximises the log-posterior, i.e. minimises the mean negative log-likelihood
plus the negative log-prior divided by n (the penalty, in DESIGN.md's convention):

.. math:: \hat\theta_{\text{MAP}} = \arg\min_\theta\
          -\frac1n\sum_i w_i\log p(x_i\mid\theta) - \frac1n\log\pi(\theta).

**The MAP depends on the parametrisation**: a density changes by the Jacobian when the parameter
is transformed, so the mode of :math:`\sigma` is not the square root of the mode of
:math:`\sigma^2`. loglik always uses the family's documented parameters (``sigma``, ``scale``,
``p``...): each prior is a density over that parameter (the normal-inverse-gamma is written over
:math:`(\mu, \sigma)` for that reason).

Conjugate pairs are solved in closed form and carry the exact posterior:

============================ ============================ ===================================
likelihood                   prior                        posterior
============================ ============================ ===================================
normal ``mu`` (sigma fixed)  ``Normal``                   ``Normal``
normal ``(mu, sigma)``       ``NormalInverseGamma``       ``NormalInverseGamma``
bernoulli / binomial ``p``   ``Beta``                     ``Beta``
geometric ``p``              ``Beta``                     ``Beta``
poisson ``rate``             ``Gamma``                    ``Gamma``
exponential ``scale``        ``InverseGamma``             ``InverseGamma``
categorical ``probs``        ``Dirichlet``                ``Dirichlet``
============================ ============================ ===================================

Everything else is solved numerically: Newton (analytic likelihood and prior derivatives) on the
unconstrained parameters, or any shared optimizer with ``optimizer=``. Standard errors come from
the Laplace approximation, :math:`\mathrm{Cov} \approx (-\nabla^2\log p(\theta\mid x))^{-1}` at
the MAP; credible intervals are exact (equal-tailed quantiles of the posterior) where the pair
is conjugate, Laplace otherwise.
"""

from __future__ import annotations

import warnings
from functools import cached_property

import numpy as np
import pandas as pd

from .._validation import BoundaryWarning, ConvergenceWarning, check_choice
from . import inference, prior_terms
from .data import as_fit_data
from .family import get_family
from .fitting import Estimate, estimate, fit_with_optimizer, run_newton
from .likelihood import check_fixed, free_of, newton_problem
from .mle import fit
from .prior_terms import check_prior, prior_penalty
from .result import FitResult, check_level, interval_frame

__all__ = ["MAPResult", "fit_map", "map_vs_mle"]


# --------------------------------------------------------------------------------------------
# The fit
# --------------------------------------------------------------------------------------------


def fit_map(
    x, family, prior=None, *, fixed=None, weights=None, optimizer=None, start=None, **options
):
    r"""Maximum a posteriori estimate: the posterior mode under ``prior``.

    Minimises :math:`-\frac1n\sum_i w_i\log p(x_i\mid\theta) - \frac1n\log\pi(\theta)` over
    the free parameters — in closed form for the conjugate pairs (see the module doc), else by
    Newton or the given shared optimizer. The MAP depends on the parametrisation: loglik uses
    the family's documented parameters, and each prior is a density over that parameter.

    Parameters
    ----------
    x, family, fixed, weights, optimizer, start, **options
        As for :func:`loglik.fit`.
    prior : dict
        Parameter name -> distribution (``{"p": ll.Beta(2, 2)}``); a tuple of names -> a joint
        prior (``{("mu", "sigma"): ll.priors.NormalInverseGamma(0, 1, 2, 2)}``). Parameters
        without a prior get a flat one (``ll.priors.Flat()``), so ``prior={}`` gives the MLE.

    Returns
    -------
    MAPResult
        ``params`` (the MAP), ``log_posterior`` (unnormalised: log-likelihood plus log-prior),
        ``loglik``, ``log_prior``, ``se`` and ``cov`` (Laplace), ``conf_int`` /
        ``credible_int`` (exact where conjugate, Laplace otherwise), ``summary()``, ``prior``,
        ``posterior`` (the exact posterior where conjugate, else the Laplace approximation: a
        normal over the free labels) and ``exact``.

    Raises
    ------
    ValueError
        The data errors of :func:`loglik.fit`; a prior for a parameter the family does not have
        (or one that is fixed), a prior that is not a distribution of the right kind, a prior
        whose support misses the parameter's domain; improper hyper-parameters are rejected when
        the prior is built (``ll.Beta(0, 1)``).

    Examples
    --------
    >>> import loglik as ll
    >>> post = ll.fit_map([1, 0, 1, 1, 0, 1], "bernoulli", prior={"p": ll.Beta(2, 2)})
    >>> post.params, post.posterior     # conjugate: the exact posterior, and its mode
    ({'p': 0.625}, Beta(a=6, b=4))
    >>> post.credible_int(0.95).round(3)
       lower  upper
    p  0.299  0.863
    """
    cls = get_family(family)
    if cls.multivariate:
        raise ValueError(
            f"MAP estimation is not offered for {cls.name} (priors on vectors and "
            "matrices of a multivariate family)"
        )
    data = as_fit_data(x, weights)
    fixed = check_fixed(cls, fixed)
    terms = check_prior(cls, prior, fixed)
    cls.check_data(data, fixed)
    if not cls.regular:
        raise ValueError(
            f"MAP estimation is not offered for the {cls.name} family: its likelihood is not "
            "regular (the support depends on the parameters)"
        )
    free = free_of(cls, fixed)
    conjugate = (
        cls.conjugate_posterior(data, fixed, {t.key: t.dist for t in terms}) if terms else None
    )
    if conjugate is not None and optimizer is None and start is None:
        est = Estimate(dict(conjugate.mode), "conjugate (closed form)", True, 0, "closed form")
        path, closed = None, conjugate
    else:
        est, path = _numeric_map(cls, data, fixed, terms, free, optimizer, start, options)
        closed = None
    return MAPResult.from_estimate(
        cls,
        data,
        fixed,
        est,
        path,
        terms=terms,
        conjugate=closed,
        laplace_covariance=None if conjugate is None else conjugate.covariance,
    )


def _numeric_map(cls, data, fixed, terms, free, optimizer, start, options):
    if any(cls.spec(n).kind != "scalar" for n in free) and optimizer is None:
        raise ValueError(
            f"numeric MAP for {cls.name} needs a gradient-based optimizer (optimizer='lbfgs' or "
            "'adam'); the closed form covers its conjugate prior"
        )
    penalty = prior_penalty(cls, terms, free)
    start = {**_map_start(cls, data, fixed, terms), **(start or {})}
    if optimizer is not None:
        return fit_with_optimizer(cls, data, fixed, optimizer, start, options, penalty)
    problem = newton_problem(cls, data, fixed, start, penalty)
    res = run_newton(problem, options)
    values = problem.expand(res.params)
    return Estimate(
        values, "newton on the log-posterior", res.converged, res.n_iter, res.message, res
    ), None


def _map_start(cls, data, fixed, terms) -> dict:
    """The MLE where it exists and the prior allows it (inside its support, off the domain's
    edge); the prior's mean (or median) elsewhere; the family's own start for the rest."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            values = dict(estimate(cls, data, fixed).values)
    except ValueError:
        values = {}
    for term in terms:
        current = [values.get(n) for n in term.names]
        usable = all(v is not None for v in current) and not any(
            _on_edge(cls.spec(n).domain, v) for n, v in zip(term.names, current)
        )
        point = current[0] if len(term.names) == 1 else np.array(current, dtype=float)
        if usable and np.isfinite(term.dist.logpdf(point)):
            continue
        center = _center(term.dist)
        if center is None:
            continue
        if len(term.names) == 1:
            values[term.names[0]] = center
        else:
            values.update(zip(term.names, np.asarray(center, dtype=float)))
    missing = [n for n in free_of(cls, fixed) if n not in values]
    if missing:  # the family's start for the rest, given the values already chosen
        values = {**cls.start_values(data, {**fixed, **values}), **values}
    return values


def _center(dist):
    """The prior's mean, else its median; None for a flat prior (no center)."""
    mean = getattr(dist, "mean", None)
    center = None if mean is None else mean()
    if center is not None and np.all(np.isfinite(center)):
        return center
    return float(dist.ppf(0.5)) if hasattr(dist, "ppf") else None


def _on_edge(domain, value) -> bool:
    if np.ndim(value):
        return bool(np.any((value <= 0) | (value >= 1)))  # probability vectors
    return (not domain.low_open and value == domain.low) or (
        not domain.high_open and value == domain.high
    )


class MAPResult(FitResult):
    r"""A MAP fit: :class:`FitResult`'s vocabulary, with the posterior.

    ``params`` is the MAP; ``loglik`` the log-likelihood there, ``log_prior`` the log-prior,
    ``log_posterior`` their sum (the unnormalised log-posterior density). ``se`` and ``cov``
    come from the Laplace approximation (the inverse of minus the log-posterior's Hessian, in the
    family's parameters). ``prior`` maps each parameter (or tuple of parameters) to its prior;
    ``posterior`` is the exact posterior where the pair is conjugate (``exact`` is then True),
    otherwise the Laplace approximation, a normal over the free labels (in ``labels`` order).
    ``aic`` and ``bic`` are those of the likelihood at the MAP, not Bayesian model criteria.
    """

    _check_limits = False  # the posterior mode is not the likelihood's: closed ends only

    def __init__(self, *args, terms=(), conjugate=None, laplace_covariance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._terms = list(terms)
        self._conjugate = conjugate
        self._laplace_covariance = laplace_covariance

    @property
    def prior(self) -> dict:
        return {t.key: t.dist for t in self._terms}

    @property
    def exact(self) -> bool:
        return self._conjugate is not None

    @cached_property
    def log_prior(self) -> float:
        return prior_terms.log_prior(self.family_class, self._terms, self.theta)

    @property
    def log_posterior(self) -> float:
        return self.loglik + self.log_prior

    @cached_property
    def _covariance(self):
        """The Laplace approximation over the free labels."""
        cls = self.family_class
        if self._laplace_covariance is not None:
            return cls.labels(self.theta, self.free), self._laplace_covariance, {}

        def prior_curvature(names):  # the penalty's Hessian: minus the log-prior's
            return prior_penalty(cls, self._terms, names)(self.theta)[2]

        return inference.covariance(cls, self.data, self.theta, self.free, prior_curvature)

    @cached_property
    def posterior(self):
        if self._conjugate is not None:
            return self._conjugate.posterior
        labels, cov, _ = self._covariance
        mean = np.array(list(self.estimates.values()))
        try:
            if len(labels) == 1:
                return get_family("normal")(mean[0], np.sqrt(cov[0, 0]))
            return get_family("multivariate_normal")(mean, cov)
        except ValueError:
            return None  # a boundary estimate: no proper normal approximation

    def _penalty(self):
        """The negative log-prior, the MAP objective's penalty."""
        return prior_penalty(self.family_class, self._terms, self.free)

    def conf_int(self, level=0.95, method="laplace"):
        """Credible intervals: ``"laplace"`` (from the Laplace standard errors, on the log or
        logit scale for constrained parameters) or ``"exact"`` (equal-tailed quantiles of the
        exact posterior; conjugate pairs only). A DataFrame indexed by label, ``lower`` and
        ``upper``."""
        level = check_level(level)
        method = check_choice(method, "method", ("laplace", "exact"))
        labels = self.family_class.labels(self.theta, self.free)
        if method == "exact":
            if self._conjugate is None:
                raise ValueError(
                    "exact credible intervals need a conjugate prior; this posterior was found "
                    "numerically: use method='laplace'"
                )
            found = self._conjugate.intervals(level)
            rows = [found[lab] for lab, *_ in labels]
        else:
            rows = self._wald_rows(labels, level)
        return interval_frame(labels, rows)

    def credible_int(self, level=0.95, method=None):
        """Credible intervals: exact where the prior is conjugate, Laplace otherwise (or as
        ``method`` says)."""
        return self.conf_int(level, method or ("exact" if self.exact else "laplace"))

    def bootstrap(self, n_boot=1000, random_state=None):
        raise ValueError("a MAP fit has credible intervals (credible_int), not bootstrap ones")

    def summary(self, level=0.95, method=None, **_):
        """The MAP table: estimate, Laplace standard error, credible interval and the prior per
        parameter; the log-posterior, log-likelihood and log-prior of the fit."""
        method = method or ("exact" if self.exact else "laplace")
        out = super().summary(level, method)
        priors = {n: repr(t.dist) for t in self._terms for n in t.names}
        param_of = {e[0]: e[1] for e in self.family_class.labels(self.theta, self.free)}
        out.table["prior"] = [priors.get(param_of[lab], "flat") for lab in out.table.index]
        out.info["estimator"] = "maximum a posteriori"
        out.info["log_posterior"] = self.log_posterior
        out.info["log_prior"] = self.log_prior
        out.info["posterior"] = "exact" if self.exact else "Laplace approximation"
        return out

    def __repr__(self):
        return (
            super()
            .__repr__()
            .replace("FitResult(", "MAPResult(", 1)
            .replace("; loglik=", f"; log_posterior={self.log_posterior:.6g}, loglik=", 1)
        )


# --------------------------------------------------------------------------------------------
# MAP against MLE, for a plot
# --------------------------------------------------------------------------------------------


def map_vs_mle(
    x, family, prior, *, sizes=None, scales=None, fixed=None, weights=None, level=0.95
) -> pd.DataFrame:
    r"""How the MAP moves to the MLE as the sample grows or the prior widens (data for a plot).

    Parameters
    ----------
    x, family, fixed, weights
        As for :func:`fit_map`.
    prior : dict or callable
        The prior (a dict as for :func:`fit_map`), or, with ``scales``, a function
        ``scale -> prior dict`` (e.g. ``lambda s: {"mu": ll.Normal(0, s)}``).
    sizes : sequence of int, optional
        Fit the first n observations for each n (default: about 12 sizes from 1 to len(x),
        evenly spaced on a log scale). Not with ``scales``.
    scales : sequence of float, optional
        Fit all the data under ``prior(scale)`` for each scale.
    level : float
        Coverage of the credible intervals reported.

    Returns
    -------
    pandas.DataFrame
        One row per setting and free parameter: ``n`` (or ``scale``), ``parameter``, ``map``,
        ``lower`` and ``upper`` (the credible interval), ``mle`` (NaN where the MLE does not
        exist, e.g. a normal's sigma from one observation — the prior still gives a MAP).
    """
    if sizes is not None and scales is not None:
        raise ValueError("give sizes or scales, not both")
    n_obs = len(np.asarray(x))
    if scales is None:
        if callable(prior):
            raise ValueError("a prior given as a function of the scale needs scales=")
        if sizes is None:
            sizes = np.unique(np.geomspace(1, n_obs, 12).round().astype(int))
        settings = [("n", int(m), prior, slice(0, int(m))) for m in sizes]
        for _, m, _, _ in settings:
            if not 1 <= m <= n_obs:
                raise ValueError(f"sizes must be between 1 and {n_obs}, got {m}")
    else:
        if not callable(prior):
            raise ValueError("with scales=, prior must be a function scale -> prior dict")
        settings = [("scale", float(s), prior(s), slice(None)) for s in scales]
    x = np.asarray(x)
    w = None if weights is None else np.asarray(weights)
    rows = []
    for axis, value, prior_here, rows_here in settings:
        sub_w = None if w is None else w[rows_here]
        post = fit_map(x[rows_here], family, prior_here, fixed=fixed, weights=sub_w)
        ci = post.credible_int(level)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", BoundaryWarning)  # an MLE of 0 is a value here
                mle = fit(x[rows_here], family, fixed=fixed, weights=sub_w).estimates
        except ValueError:
            mle = {}
        for label, estimate_ in post.estimates.items():
            rows.append(
                {
                    axis: value,
                    "parameter": label,
                    "map": estimate_,
                    "lower": ci.loc[label, "lower"],
                    "upper": ci.loc[label, "upper"],
                    "mle": mle.get(label, np.nan),
                }
            )
    return pd.DataFrame(rows)
