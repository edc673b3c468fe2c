r"""The result of a maximum-likelihood fit: estimates with their uncertainty."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from .._validation import check_choice, check_scalar
from . import inference
from .likelihood import LikelihoodObjective, free_of, label_value, theta_from
from .objective import global_norm
from .surface import loglik_curve, loglik_surface

__all__ = ["FitResult", "Summary", "check_level", "interval_frame"]

CI_METHODS = ("wald", "profile", "bootstrap", "exact")


def check_level(level) -> float:
    """An interval's coverage, checked to lie in (0, 1)."""
    return check_scalar(
        level, "level", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )


def interval_frame(labels, rows) -> pd.DataFrame:
    """Intervals as a DataFrame indexed by label, columns ``lower`` and ``upper``."""
    frame = pd.DataFrame(rows, columns=["lower", "upper"], dtype=np.float64)
    frame.index = [lab for lab, *_ in labels]
    return frame


class FitResult:
    r"""A fitted distribution with the uncertainty of its parameters.

    Attributes
    ----------
    family : str
        The family's name; ``family_class`` the class.
    params : dict
        Every parameter (estimated and fixed), in the family's documented parametrisation.
    fixed : dict
        The parameters held fixed; ``free`` the names of the estimated ones.
    loglik : float
        :math:`\ell(\hat\theta) = \sum_i w_i\log p(x_i\mid\hat\theta)`.
    n, n_obs : float, int
        The sample size (total weight) and the number of rows.
    k : int
        The number of free parameters (scalars).
    aic, aicc, bic : float
        :math:`2k - 2\ell`, AIC :math:`+ 2k(k+1)/(n-k-1)`, :math:`k\log n - 2\ell`.
    converged, n_iter, method, message
        How the estimate was found (``method`` is "closed form", a Newton variant or the
        optimizer's name).
    se : dict
        Standard errors (label -> float) from the observed information.
    cov : pandas.DataFrame
        The asymptotic covariance matrix over the labels.
    dist : Distribution
        The fitted distribution (``logpdf``, ``cdf``, ``ppf``, ``sample``, ...).
    path : pandas.DataFrame or None
        With ``optimizer=``: the iterates (one column per label), ``loglik`` and ``grad_norm``.
    history : History or None
        The optimizer's raw history (``minimize``'s), when one ran.
    boundary : dict
        The labels whose estimate is on the boundary of the parameter space, or tending to it,
        with the direction: ``{"p": "= 0"}`` (a closed end reached), ``{"df": "-> inf"}``
        (Student's t on data no heavier-tailed than a normal: the normal limit fits at least as
        well); empty for an interior estimate. Their Wald standard errors and intervals are not
        valid (0 or NaN, see :mod:`~loglik.estimation.inference`), ``summary()`` says so and
        shows their one-sided profile interval, and :func:`loglik.fit` warns
        (:class:`loglik.BoundaryWarning`). ``boundary_details`` has the
        :class:`~loglik.estimation.inference.Boundary` records.
    diagnostics : dict
        ``grad_norm`` (at the optimum, unconstrained scale), ``hessian_pd``,
        ``min_eigenvalue``, ``condition_number``, ``on_boundary`` (labels at a closed end),
        ``boundary``, ``regular``, ``converged`` and ``notes``.

    Labels are the parameter names for scalar parameters, ``probs[j]``, ``mean[i]``,
    ``cov[i,j]`` for entries of vector and matrix ones. The data are kept by reference (not
    copied) for profile intervals, bootstraps and likelihood surfaces.
    """

    def __init__(
        self,
        family_class,
        data,
        theta,
        fixed,
        free,
        loglik,
        *,
        method="closed form",
        converged=True,
        n_iter=0,
        message="",
        optimizer_result=None,
        path=None,
    ):
        self.family_class = family_class
        self.data = data
        self.theta = tuple(theta)
        self.fixed = dict(fixed)
        self.free = tuple(free)
        self.loglik = float(loglik)
        self.method, self.converged, self.n_iter = method, bool(converged), int(n_iter)
        self.message = message
        self.optimizer_result = optimizer_result
        self.path = path
        self._boot = {}

    @classmethod
    def from_estimate(cls, family_class, data, fixed: dict, est, path=None, **extra):
        """The result for the estimated values ``est`` (an
        :class:`~loglik.estimation.fitting.Estimate`), its log-likelihood computed unless the
        estimator already knows it; ``extra`` goes to the constructor."""
        theta = theta_from(family_class, {**est.values, **fixed})
        loglik = est.loglik
        if loglik is None:
            loglik = family_class.loglik_total(data, *theta)
        return cls(
            family_class,
            data,
            theta,
            fixed,
            free_of(family_class, fixed) if fixed else family_class.estimable_names,
            float(loglik),
            method=est.method,
            converged=est.converged,
            n_iter=est.n_iter,
            message=est.message,
            optimizer_result=est.result,
            path=path,
            **extra,
        )

    # ---- what was fitted -------------------------------------------------------------------

    @property
    def family(self) -> str:
        return self.family_class.name

    @property
    def params(self) -> dict:
        return {
            name: (float(v) if v.ndim == 0 else v.copy())
            for name, v in zip(self.family_class.param_names, self.theta)
        }

    @property
    def n(self) -> float:
        return self.data.n

    @property
    def n_obs(self) -> int:
        return self.data.n_obs

    @cached_property
    def labels(self) -> list[str]:
        """The names of the free scalar quantities, in the order of ``cov``."""
        return [entry[0] for entry in self.family_class.labels(self.theta, self.free)]

    @property
    def k(self) -> int:
        return self.family_class.n_free(self.theta, self.free)

    @cached_property
    def dist(self):
        return getattr(self.family_class, "uncensored", self.family_class)(*self.theta)

    def to_scipy(self):
        """The fitted distribution as a frozen ``scipy.stats`` object."""
        return self.dist.to_scipy()

    @property
    def history(self):
        res = self.optimizer_result
        return None if res is None else res.history

    # ---- information criteria ----------------------------------------------------------------

    @cached_property
    def _criteria(self):
        return inference.information_criteria(self.loglik, self.k, self.n)

    @property
    def aic(self) -> float:
        return self._criteria[0]

    @property
    def aicc(self) -> float:
        return self._criteria[1]

    @property
    def bic(self) -> float:
        return self._criteria[2]

    # ---- uncertainty -----------------------------------------------------------------------

    @cached_property
    def _covariance(self):
        tending = tuple(lab for lab, b in self.boundary_details.items() if not b.reached)
        return inference.covariance(
            self.family_class, self.data, self.theta, self.free, tending=tending
        )

    # the limit models are compared with the log-likelihood; a MAP fit checks closed ends only
    _check_limits = True

    @cached_property
    def boundary_details(self) -> dict:
        """Label -> :class:`~loglik.estimation.inference.Boundary` for the estimates at or
        tending to the boundary of the parameter space (see ``boundary``)."""
        return inference.boundary_estimates(
            self.family_class, self.data, self.theta, self.free, self.loglik, self._check_limits
        )

    @property
    def boundary(self) -> dict:
        """Label -> ``"= 0"``, ``"= 1"``, ``"-> inf"``: the estimates on, or tending to, the
        boundary of the parameter space (empty for an interior estimate)."""
        return {label: str(b) for label, b in self.boundary_details.items()}

    def boundary_notes(self) -> list[str]:
        """One sentence per boundary estimate (what ``summary()`` and the warning say)."""
        est = self.estimates
        return [
            b.describe(label, est[label], self.loglik) for label, b in self.boundary_details.items()
        ]

    @property
    def cov(self) -> pd.DataFrame:
        labels, cov, _ = self._covariance
        names = [entry[0] for entry in labels]
        return pd.DataFrame(cov, index=names, columns=names)

    @property
    def se(self) -> dict:
        labels, cov, _ = self._covariance
        return {e[0]: float(np.sqrt(max(cov[i, i], 0.0))) for i, e in enumerate(labels)}

    @property
    def estimates(self) -> dict:
        """Label -> estimate for every free scalar quantity."""
        cls = self.family_class
        return {
            label: label_value(cls, self.theta, param, index)
            for label, param, index, _ in cls.labels(self.theta, self.free)
        }

    def conf_int(self, level=0.95, method="wald", *, n_boot=1000, random_state=None):
        """Confidence intervals for the free parameters.

        Parameters
        ----------
        level : float
            Coverage, in (0, 1).
        method : {"wald", "profile", "bootstrap", "exact"}
            ``wald``: from the standard errors, on the log scale for positive parameters and
            the logit scale for probabilities (so the interval respects the domain);
            ``profile``: where the likelihood-ratio statistic crosses the chi-square(1)
            quantile; ``bootstrap``: percentiles of ``n_boot`` parametric-bootstrap refits
            (``random_state``); ``exact``: the family's exact interval where it has one
            (normal, lognormal, exponential, poisson, bernoulli, binomial, uniform).

        Returns
        -------
        pandas.DataFrame
            Indexed by label, columns ``lower`` and ``upper``.
        """
        level = check_level(level)
        method = check_choice(method, "method", CI_METHODS)
        cls = self.family_class
        if method in ("wald", "profile") and not cls.regular:
            raise ValueError(
                f"the {cls.name} family is not regular (its support depends on the parameters):"
                " Wald and profile intervals do not apply; use method='exact' or 'bootstrap'"
            )
        labels = cls.labels(self.theta, self.free)
        if method == "wald":
            rows = self._wald_rows(labels, level)
        elif method == "profile":
            rows = [inference.profile_interval(self, lab, level) for lab, *_ in labels]
        elif method == "bootstrap":
            boot = self.bootstrap(n_boot, random_state)
            a = 1.0 - level
            rows = [tuple(np.quantile(boot[lab], [a / 2, 1 - a / 2])) for lab, *_ in labels]
        else:
            found = cls.exact_conf_int(self.data, self.theta, self.free, level)
            if found is None:
                raise ValueError(
                    f"{cls.name} has no exact intervals; use 'wald', 'profile' or 'bootstrap'"
                )
            rows = [found[lab] for lab, *_ in labels]
        return interval_frame(labels, rows)

    def _wald_rows(self, labels, level):
        """Wald intervals from ``se`` on each label's scale (see
        :func:`~loglik.estimation.inference.wald_interval`)."""
        se, est, edge = self.se, self.estimates, self.boundary_details
        return [
            (np.nan, np.nan)
            if lab in edge
            else inference.wald_interval(est[lab], se[lab], scale, level)
            for lab, _, _, scale in labels
        ]

    def bootstrap(self, n_boot=1000, random_state=None) -> pd.DataFrame:
        """Parametric-bootstrap replicates of the estimates (one row each; cached for an int
        or None ``random_state``)."""
        cacheable = isinstance(random_state, int) and not isinstance(random_state, bool)
        key = (n_boot, random_state)
        if cacheable and key in self._boot:
            return self._boot[key]
        frame = inference.bootstrap_estimates(self, n_boot, random_state)
        if cacheable:
            self._boot[key] = frame
        return frame

    def gof(self, statistic="all", n_boot=999, random_state=None):
        """Kolmogorov-Smirnov, Cramer-von Mises and Anderson-Darling tests of the fit, with
        p-values by a parametric bootstrap that refits every replicate (see
        :func:`loglik.estimation.gof.gof`); a DataFrame indexed by statistic with
        ``statistic``, ``pvalue``, ``n_boot``. Not for censored data (a ValueError says why)."""
        from .gof import gof

        return gof(self, statistic, n_boot, random_state)

    # ---- diagnostics -----------------------------------------------------------------------

    @cached_property
    def diagnostics(self) -> dict:
        cls = self.family_class
        _, _, details = self._covariance
        boundary = cls.on_boundary(self.theta, self.free)
        notes = [*self.boundary_notes(), *cls.fit_notes(self.theta, self.free)]
        grad = np.nan
        if not cls.regular:
            notes.append(
                "not a regular family: the MLE is at the edge of the allowed region and the "
                "gradient there is not zero"
            )
        elif not boundary and self.free:
            grad = self._gradient_norm()
        if details and not details["hessian_pd"]:
            notes.append(
                "the observed information is not positive definite: the standard "
                "errors are unreliable (a flat or non-identified direction)"
            )
        if not self.converged:
            notes.append(f"the fit did not converge: {self.message}")
        return {
            "grad_norm": grad,
            "hessian_pd": details.get("hessian_pd", True),
            "min_eigenvalue": details.get("min_eigenvalue", np.nan),
            "condition_number": details.get("condition_number", np.nan),
            "on_boundary": boundary,
            "boundary": self.boundary,
            "regular": cls.regular,
            "converged": self.converged,
            "notes": notes,
        }

    def _gradient_norm(self) -> float:
        """The gradient norm of the fitted objective at the estimate, unconstrained scale."""
        cls = self.family_class
        obj = LikelihoodObjective(cls, self.data, self.fixed, self.theta, self._penalty())
        _, grads = obj.value_and_grad(obj.unconstrain(self.theta))
        return global_norm(grads)

    def _penalty(self):
        """What the fitted objective adds to the mean NLL (``penalty(theta) -> (R, grad,
        hess)``); None for maximum likelihood."""
        return None

    # ---- reports ---------------------------------------------------------------------------

    def summary(self, level=0.95, method="wald", *, usual=False, **ci_options) -> Summary:
        """The table a statistician expects: estimate, standard error, confidence interval per
        parameter (``method`` as in :meth:`conf_int`), and the fit's log-likelihood, AIC, AICc,
        BIC. With ``usual=True`` a column ``usual`` shows the textbook unbiased estimate where
        the MLE differs from it (the normal's sigma with n - 1, ...)."""
        if not self.family_class.regular and method == "wald":
            method = "exact"
        est, se = self.estimates, self.se
        ci = self.conf_int(level, method, **ci_options)
        intervals = method
        edge = list(self.boundary_details) if method == "wald" else []
        if edge:  # their Wald rows are NaN: show the (one-sided) profile interval instead
            for label in edge:
                try:
                    ci.loc[label] = inference.profile_interval(self, label, level)
                except ValueError:  # no profile for this label: the NaN row stays
                    continue
            intervals = f"wald; profile for {', '.join(edge)} (boundary)"
        table = pd.DataFrame({"estimate": est, "se": se})
        table[f"lower {level:.0%}"] = ci["lower"]
        table[f"upper {level:.0%}"] = ci["upper"]
        if usual:
            found = self.family_class.usual_estimates(self.data, self.theta, self.free)
            table["usual"] = [found.get(lab, est[lab]) for lab in table.index]
        info = pd.Series(
            {
                "family": self.family,
                "n": self.n,
                "k": self.k,
                "loglik": self.loglik,
                "AIC": self.aic,
                "AICc": self.aicc,
                "BIC": self.bic,
                "method": self.method,
                "converged": self.converged,
                "iterations": self.n_iter,
                "fixed": self.fixed or "",
                "intervals": intervals,
                "data": self.data.describe() if hasattr(self.data, "describe") else "",
                "boundary": " | ".join(self.boundary_notes()),
            },
            dtype=object,
        )
        return Summary(table, info)

    def __repr__(self):
        parts = []
        se = self.se
        for label, value in self.estimates.items():
            parts.append(f"{label}={value:.6g} (se {se[label]:.3g})")
        fixed = "".join(f", {k}={_show(v)} fixed" for k, v in self.fixed.items())
        return (
            f"FitResult({self.family}: {', '.join(parts)}{fixed}; loglik={self.loglik:.6g}, "
            f"AIC={self.aic:.6g}, n={self.n:g})"
        )

    # ---- likelihood surfaces ---------------------------------------------------------------

    def loglik_curve(self, param, values=None, **options):
        """:func:`loglik.estimation.surface.loglik_curve` for this fit."""
        return loglik_curve(self, param, values, **options)

    def loglik_surface(self, params, values=None, **options):
        """:func:`loglik.estimation.surface.loglik_surface` for this fit."""
        return loglik_surface(self, params, values, **options)

    def lrt(self, restricted):
        """:func:`loglik.estimation.inference.lrt` of ``restricted`` against this (full) fit."""
        return inference.lrt(restricted, self)


def _show(v):
    return f"{v:g}" if np.ndim(v) == 0 else np.array2string(np.asarray(v), precision=4)


@dataclass
class Summary:
    """A fit's summary: ``table`` (one row per parameter) and ``info`` (the fit as a whole).
    ``str()`` renders both as text; notebooks show HTML."""

    table: pd.DataFrame
    info: pd.Series

    def __str__(self):
        i = self.info
        head = [
            f"{i['family']} {i.get('estimator', 'maximum likelihood')} ({i['method']}"
            f"{', converged' if i['converged'] else ', NOT converged'})",
            f"n = {i['n']:g}   k = {i['k']}   loglik = {i['loglik']:.6g}",
        ]
        if "log_posterior" in i:
            head.append(
                f"log-posterior = {i['log_posterior']:.6g}   log-prior = {i['log_prior']:.6g}"
                f"   posterior: {i['posterior']}"
            )
        else:
            head.append(f"AIC = {i['AIC']:.6g}   AICc = {i['AICc']:.6g}   BIC = {i['BIC']:.6g}")
        if i["fixed"]:
            head.append("fixed: " + ", ".join(f"{k} = {_show(v)}" for k, v in i["fixed"].items()))
        if i.get("data"):
            head.append(f"data: {i['data']}")
        if i.get("boundary"):
            head.extend(f"boundary: {note}" for note in i["boundary"].split(" | "))
        body = self.table.to_string(float_format=lambda v: f"{v:.6g}")
        return "\n".join([*head, f"intervals: {i['intervals']}", "", body])

    __repr__ = __str__

    def _repr_html_(self):
        return f"<pre>{self!s}</pre>"
