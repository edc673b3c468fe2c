r"""Uncertainty of maximum-likelihood estimates: information, standard errors, intervals, tests.

* **Observed information** :math:`J = -\nabla^2\ell(\hat\theta)` over the free parameters (the
  family's analytic Hessian; the expected information :math:`n I(\hat\theta)` where the
  likelihood is not twice differentiable, e.g. the Laplace location), its inverse the
  asymptotic covariance, the standard errors its diagonal's square roots.
* **Boundary estimates** (:func:`boundary_estimates`): a parameter *at* a closed end of its
  domain (a proportion of 0, a Poisson rate of 0) or *tending to* an open end (Student's t's
  :math:`\nu \to \infty`, the negative binomial's :math:`n \to \infty`). The rule for the
  second: the family's limit model there (:meth:`~loglik.estimation.family.Family.boundary_limits`:
  the normal, the Poisson) has a maximised log-likelihood at least the fit's, to
  :data:`BOUNDARY_RTOL` relative; then the likelihood's supremum is at the edge (or
  indistinguishable from it) and the estimate is only where the optimizer stopped. The usual
  asymptotics fail there: a parameter at a closed end has no curvature (its standard error is
  reported as 0, as the plug-in formula gives), one tending to infinity has none that means
  anything (NaN, and the other parameters' covariance is the limit model's: the one at the
  edge is held fixed); their Wald intervals are NaN. The profile interval stays valid, one-sided:
  from the edge to where the likelihood-ratio statistic crosses the chi-square(1) quantile
  (conservative: at a boundary the statistic's null distribution is a 50:50 mixture of 0 and
  chi-square(1), Self & Liang 1987).
* **Wald intervals** on the scale the parameter is unconstrained on (log for positive
  parameters, logit for probabilities, identity otherwise), mapped back: with
  :math:`\eta = g(\theta)`, :math:`\mathrm{se}_\eta = \mathrm{se}_\theta\, g'(\hat\theta)`
  (delta method) and the interval :math:`g^{-1}(\hat\eta \pm z\,\mathrm{se}_\eta)`, which always
  respects the domain.
* **Profile intervals**: :math:`\{\theta_j: 2(\ell(\hat\theta) - \ell_p(\theta_j)) \le
  \chi^2_{1}(\text{level})\}`, :math:`\ell_p` maximising over the other parameters, the two
  ends found by bracketing and Brent's method on the same scale.
* **Parametric bootstrap** percentile intervals: refit on samples from the fitted distribution.
* **Likelihood-ratio test** for nested fits, and AIC, AICc, BIC.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .._validation import ConvergenceWarning, check_random_state, check_scalar
from .data import FitData
from .family import Family
from .fitting import estimate
from .likelihood import label_value, theta_from
from .transforms import Identity, Log, Logit

__all__ = [
    "BOUNDARY_RTOL",
    "SCALES",
    "Boundary",
    "LRTResult",
    "bootstrap_estimates",
    "boundary_estimates",
    "can_be_on_boundary",
    "covariance",
    "information_criteria",
    "lrt",
    "profile_interval",
    "wald_interval",
]

#: The transform of each Wald scale (``Domain.scale``, the labels' last entry).
SCALES = {"identity": Identity(), "log": Log(), "logit": Logit()}

#: A fit tends to a boundary when the limit model's maximised log-likelihood is at least the
#: fit's minus this fraction of its magnitude (both are exact to about 1e-12, see the families).
BOUNDARY_RTOL = 1e-8


class Boundary(NamedTuple):
    """A boundary estimate: the ``end`` of the domain (``"0"``, ``"1"``, ``"inf"``), whether the
    estimate is at it (``reached``, a closed end) or tending to it, and for the latter the limit
    ``model`` and its maximised log-likelihood ``loglik``. ``str()`` is ``"= 0"`` or
    ``"-> inf"``."""

    end: str
    reached: bool
    model: str = ""
    loglik: float = float("nan")

    def __str__(self):
        return f"{'=' if self.reached else '->'} {self.end}"

    def describe(self, label: str, estimate: float, fit_loglik: float) -> str:
        """One sentence for ``summary()`` and the warning."""
        if self.reached:
            return (
                f"{label} = {self.end} (the edge of its domain): no curvature there, so its "
                "standard error (0) and Wald interval are not valid; the profile interval is "
                "one-sided"
            )
        end = "infinity" if self.end == "inf" else self.end
        return (
            f"{label} -> {end}: the {self.model} limit fits as well (its maximised loglik "
            f"{self.loglik:.12g}, the fit's {fit_loglik:.12g}: the likelihood's supremum is at "
            f"the edge, or indistinguishable from it), so {label} = {estimate:.6g} is where the "
            "optimizer stopped, not an interior maximum; its standard error and Wald interval "
            f"are not defined (NaN); the profile interval is one-sided, up to {end}"
        )


_NO_LIMITS = Family.boundary_limits.__func__  # the default hooks: nothing at any end
_NO_ENDS = Family.on_boundary.__func__
_CAN_REACH: dict = {}


def can_be_on_boundary(cls) -> tuple[bool, bool]:
    """``(closed, limits)``: whether an estimate of ``cls`` can sit at a closed end of its
    domain (a closed domain, or the family's own ``on_boundary``) and whether the family has
    limit models; cached per class, so a fit of a family with neither pays nothing."""
    try:
        return _CAN_REACH[cls]
    except KeyError:
        closed = cls.on_boundary.__func__ is not _NO_ENDS or any(
            not (p.domain.low_open and p.domain.high_open) for p in cls.param_specs
        )
        answer = _CAN_REACH[cls] = (closed, cls.boundary_limits.__func__ is not _NO_LIMITS)
        return answer


def boundary_estimates(cls, data: FitData, theta: tuple, free: tuple, loglik: float, limits=True):
    """The free labels at (a closed end) or tending to (see the module doc) the boundary of their
    domain: label -> :class:`Boundary`. ``limits=False`` checks the closed ends only (a MAP
    estimate, whose objective is not the likelihood)."""
    found = {}
    may_close, has_limits = can_be_on_boundary(cls)
    closed = cls.on_boundary(theta, free) if may_close else []
    if closed:
        entries = {lab: (param, index) for lab, param, index, _ in cls.labels(theta, free)}
        for label in closed:
            found[label] = Boundary(f"{label_value(cls, theta, *entries[label]):g}", True)
    if limits and free and has_limits:
        slack = BOUNDARY_RTOL * max(1.0, abs(loglik))
        for limit in cls.boundary_limits(data, theta, free):
            if limit.label not in found and limit.loglik >= loglik - slack:
                found[limit.label] = Boundary(limit.toward, False, limit.model, limit.loglik)
    return found


def information_criteria(loglik: float, k: int, n: float) -> tuple[float, float, float]:
    r"""``(AIC, AICc, BIC)``: :math:`2k - 2\ell`, :math:`\mathrm{AIC} + 2k(k+1)/(n-k-1)`
    (infinite when :math:`n \le k + 1`), :math:`k\log n - 2\ell`."""
    aic = 2.0 * k - 2.0 * loglik
    aicc = aic + 2.0 * k * (k + 1.0) / (n - k - 1.0) if n > k + 1 else np.inf
    return aic, aicc, k * np.log(n) - 2.0 * loglik


def covariance(cls, data: FitData, theta: tuple, free: tuple, extra_information=None, tending=()):
    """``(labels, cov, details)``: the asymptotic covariance over the free labels and what the
    diagnostics report about the information matrix (eigenvalues, positive definiteness).

    ``extra_information(names)`` adds to the information over ``names`` (a prior's curvature:
    the Laplace approximation of a posterior). Parameters at a closed end of their domain get
    variance 0, those ``tending`` to an open end NaN (see the module doc); the others' covariance
    is then the one with those held fixed."""
    labels = cls.labels(theta, free)
    given = None if extra_information else cls.asymptotic_covariance(data, theta, free)
    if given is not None:
        return labels, np.atleast_2d(np.asarray(given, dtype=np.float64)), {}
    boundary = set(cls.on_boundary(theta, free)) | set(tending)
    interior = tuple(n for n in free if n not in boundary)
    cov = np.zeros((len(free), len(free)))
    details = {}
    if interior:
        info = np.atleast_2d(cls.observed_information(data, theta, interior))
        if extra_information is not None:
            info = info + extra_information(interior)
        info = 0.5 * (info + info.T)
        eig = np.linalg.eigvalsh(info)
        # definiteness and the inverse on the correlation scale: parameters of very different
        # sizes (a weibull shape of 1e4 and a scale of 0.4) make the raw eigenvalues span 1e16
        # without any near-singularity
        root = np.sqrt(np.abs(np.diag(info)))
        root = np.where(root > 0, root, 1.0)
        scaled = info / np.outer(root, root)
        scaled_eig = np.linalg.eigvalsh(scaled)
        positive = bool(eig[0] > 0 and scaled_eig[0] > 1e-12 * max(scaled_eig[-1], 1e-300))
        inv = (np.linalg.inv(scaled) if positive else np.linalg.pinv(scaled)) / np.outer(root, root)
        idx = [free.index(n) for n in interior]
        cov[np.ix_(idx, idx)] = 0.5 * (inv + inv.T)
        details = {
            "hessian_pd": positive,
            "min_eigenvalue": float(eig[0]),
            "condition_number": float(eig[-1] / eig[0]) if eig[0] > 0 else np.inf,
        }
    for name in tending:
        i = free.index(name)
        cov[i, :] = cov[:, i] = np.nan
    return labels, cov, details


def wald_interval(estimate, se, scale: str, level: float) -> tuple[float, float]:
    r"""The Wald interval on the parameter's unconstrained ``scale``, mapped back."""
    z = stats.norm.ppf(0.5 + level / 2.0)
    if se == 0 or not np.isfinite(estimate):
        return estimate, estimate
    t = SCALES[scale]
    eta = float(t.inverse(estimate))
    if not np.isfinite(eta):
        return estimate, estimate
    half = z * se / float(t.derivative(eta))
    return float(t.forward(eta - half)), float(t.forward(eta + half))


def profile_interval(result, label: str, level: float) -> tuple[float, float]:
    r"""The profile-likelihood interval for one label (see the module doc)."""
    cls, data, theta, fixed = result.family_class, result.data, result.theta, result.fixed
    _, param, index, scale = next(e for e in cls.labels(theta, result.free) if e[0] == label)
    cutoff = stats.chi2.ppf(level, 1)
    best = result.loglik
    t = SCALES[scale]
    hat = label_value(cls, theta, param, index)

    def profile(value):
        if index or cls.spec(param).kind != "scalar":
            return cls.profile_loglik(data, theta, fixed, label, value)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est = estimate(cls, data, {**fixed, param: value})
        return float(
            cls.loglik_total(data, *theta_from(cls, {**est.values, **fixed, param: value}))
        )

    def excess(eta):
        return 2.0 * (best - profile(float(t.forward(eta)))) - cutoff

    edge = result.boundary_details.get(label)
    if edge is not None and not edge.reached:  # tending to an open end: the profile rises to it
        best = max(best, edge.loglik)
        eta_hat = float(t.inverse(hat))
        toward = 1.0 if edge.end in ("inf", "1") else -1.0  # on the unconstrained scale
        step = max(0.5, 1e-8 * abs(eta_hat))
        end = _search(excess, eta_hat, -toward, step, t)
        far = float(t.forward(toward * np.inf))
        return (end, far) if toward > 0 else (far, end)
    se = result.se.get(label, np.nan)
    with np.errstate(divide="ignore"):
        eta_hat = float(t.inverse(hat))
    if not np.isfinite(eta_hat):  # the MLE is on the edge of the domain: one end of the interval
        at_low = eta_hat < 0
        inside = float(t.inverse(hat + 1e-12 if at_low else hat - 1e-12))
        end = _search(excess, inside, 1.0 if at_low else -1.0, 1.0, t)
        return (hat, end) if at_low else (end, hat)
    deriv = float(t.derivative(eta_hat))
    step = se / deriv * np.sqrt(cutoff) if se > 0 and np.isfinite(se) else 0.1
    step = max(step, 1e-8 * max(1.0, abs(eta_hat)))
    return _search(excess, eta_hat, -1.0, step, t), _search(excess, eta_hat, +1.0, step, t)


def _search(excess, eta0, direction, step, t) -> float:
    """Bracket the root of ``excess`` from ``eta0`` in ``direction``, then Brent; the domain's
    end when the profile never falls far enough (the interval is unbounded on that side)."""
    previous = eta0
    for _ in range(80):
        eta = previous + direction * step
        value = excess(eta)
        if not np.isfinite(value) or value > 0:
            if not np.isfinite(value):
                eta = 0.5 * (previous + eta)
                if not excess(eta) > 0:
                    previous, step = eta, step / 4.0
                    continue
            lo, hi = sorted((previous, eta))
            root = optimize.brentq(excess, lo, hi, xtol=1e-12 * max(1.0, abs(eta)), rtol=1e-14)
            return float(t.forward(root))
        previous, step = eta, step * 2.0
        if abs(previous) > 1e6:
            break
    return float(t.forward(direction * np.inf))


def bootstrap_estimates(result, n_boot: int = 1000, random_state=None) -> pd.DataFrame:
    r"""Bootstrap: ``n_boot`` replicates of the data (the family's
    :meth:`~loglik.estimation.family.Family.bootstrap_data`: parametric, samples of the data's
    size from the fitted distribution; for censored data the rows resampled with replacement),
    each refitted (same ``fixed``); one row of label values per replicate.

    Replicates on which the MLE does not exist (e.g. a zero-variance sample) are dropped and
    counted in ``frame.attrs["failed"]``.
    """
    n_boot = check_scalar(n_boot, "n_boot", low=2, integer=True)
    rng = check_random_state(random_state)
    cls, fixed = result.family_class, result.fixed
    labels = cls.labels(result.theta, result.free)
    dist = result.dist
    rows, failed = [], 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        for _ in range(n_boot):
            sample = cls.bootstrap_data(result.data, dist, rng)
            try:
                est = estimate(cls, sample, fixed)
                theta = theta_from(cls, {**est.values, **fixed})
            except (ValueError, ConvergenceWarning, np.linalg.LinAlgError):
                failed += 1
                continue
            rows.append([label_value(cls, theta, p, i) for _, p, i, _ in labels])
    if not rows:
        raise ValueError("the MLE failed on every bootstrap sample")
    frame = pd.DataFrame(rows, columns=[lab for lab, *_ in labels])
    frame.attrs["failed"] = failed
    return frame


class LRTResult(NamedTuple):
    """A likelihood-ratio test: ``statistic`` :math:`2(\\ell_1 - \\ell_0)`, ``df``, ``pvalue``."""

    statistic: float
    df: int
    pvalue: float


def lrt(restricted, full) -> LRTResult:
    r"""Likelihood-ratio test of a restricted fit against a full fit it is nested in.

    :math:`2(\ell_{\text{full}} - \ell_{\text{restricted}})` is referred to
    :math:`\chi^2_{k_{\text{full}} - k_{\text{restricted}}}` (Wilks). Both fits must be on the
    same data and the restricted model a special case of the full one (parameters fixed, e.g.
    ``fit(x, "gamma", fixed={"shape": 1})`` in ``fit(x, "gamma")``, or the exponential in the
    gamma). When the restriction puts a parameter on the edge of its domain the reference
    distribution is a chi-bar-square and this p-value is conservative (about twice too large).

    Raises
    ------
    ValueError
        Different data, no fewer free parameters in ``restricted``, or a restricted fit with a
        clearly higher log-likelihood (not nested, or the full fit did not converge).
    """
    for name, res in (("restricted", restricted), ("full", full)):
        if not hasattr(res, "loglik") or not hasattr(res, "k"):
            raise ValueError(f"{name} must be a FitResult, got {type(res).__name__}")
    if restricted.n != full.n or restricted.n_obs != full.n_obs:
        raise ValueError(f"the fits are on different data (n = {restricted.n:g} and {full.n:g})")
    df = full.k - restricted.k
    if df <= 0:
        raise ValueError(
            f"restricted has {restricted.k} free parameters, full has {full.k}: the restricted "
            "model must have fewer"
        )
    statistic = 2.0 * (full.loglik - restricted.loglik)
    if statistic < -1e-6 * max(1.0, abs(full.loglik)):
        raise ValueError(
            f"the restricted fit has the higher log-likelihood ({restricted.loglik:.6g} > "
            f"{full.loglik:.6g}): the models are not nested, or the full fit did not converge"
        )
    statistic = max(statistic, 0.0)
    return LRTResult(float(statistic), int(df), float(stats.chi2.sf(statistic, df)))
