r"""The family protocol: what a distribution family offers the estimation layer, and the registry
that :func:`loglik.fit` resolves family names through.

``estimation`` never imports ``models``. It works on :class:`Family`, whose hooks are class-level
(the parameters :math:`\theta` are passed in, as the tuple ``theta`` in ``param_names`` order, and
the data as a validated :class:`~loglik.estimation.data.FitData` with its case weights
:math:`w_i`). In the formulas below :math:`\ell(\theta) = \sum_i w_i \log p(x_i \mid \theta)` is
the log-likelihood, :math:`n = \sum_i w_i`, and "free" names the estimable parameters not held
fixed. A family gives

* **log-likelihood and derivatives**: :meth:`Family.loglik_total` (vectorised over grids of
  :math:`\theta`) and :meth:`Family.loglik_derivatives` (:math:`\ell`, :math:`\nabla\ell`,
  :math:`\nabla^2\ell` at one :math:`\theta`), computed from sufficient statistics where the
  family has them;
* **reduced problems**: :meth:`Family.closed_form_mle`, :meth:`Family.profile_problem` (a small
  smooth objective for Newton: a profile likelihood, or the likelihood on sufficient statistics),
  :meth:`Family.start_values`;
* **uncertainty**: :meth:`Family.labels` (the scalar quantities of the covariance matrix),
  :meth:`Family.observed_information`, :meth:`Family.asymptotic_covariance`,
  :meth:`Family.on_boundary`, :meth:`Family.boundary_limits`, :meth:`Family.profile_loglik`,
  :meth:`Family.exact_conf_int`,
  :meth:`Family.usual_estimates`, :meth:`Family.fit_notes`;
* **conjugacy**: :meth:`Family.conjugate_posterior`;
* **censored and truncated data** (:mod:`loglik.estimation.censoring`): :meth:`Family.log_cdf`,
  :meth:`Family.log_sf` and their derivatives :meth:`Family.log_cdf_derivatives`,
  :meth:`Family.log_sf_derivatives`, and the optional shortcuts
  :meth:`Family.censored_closed_form`, :meth:`Family.censored_profile_problem`;
* **resampling**: :meth:`Family.bootstrap_data` (what a bootstrap replicate refits) and
  :meth:`Family.fit_batch` (many samples fitted at once, for goodness-of-fit p-values).

Every hook but three has a default here; :meth:`Family.check_params`,
:meth:`Family.loglik_total` and :meth:`Family.loglik_derivatives` must be given
(:class:`loglik.models.distributions.Distribution` gives them from per-observation formulas).
Calling the class with ``theta`` (``cls(*theta)``) gives the fitted distribution: an object with
``cdf``, ``sample(size, random_state)``, ``logpdf`` and ``to_scipy()``.

Every subclass that sets ``name`` registers itself when its class statement runs (set
``registered = False`` to opt out, as priors that are not families to fit do); importing loglik
imports the families, so the registry is filled before a name is looked up.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

import numpy as np

from .data import FitData
from .domains import Param, Support, check_support

__all__ = [
    "Conjugate",
    "Family",
    "Label",
    "Limit",
    "ProfileProblem",
    "family_names",
    "get_family",
    "register_family",
]


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


class Conjugate(NamedTuple):
    """A closed-form posterior, as :meth:`Family.conjugate_posterior` returns it: the exact
    ``posterior`` distribution, its ``mode`` (the MAP, name -> value, in the family's
    parameters), ``intervals(level)`` (label -> equal-tailed credible interval) and, for vector
    parameters, the Laplace ``covariance`` over the labels."""

    posterior: Any
    mode: dict
    intervals: Any
    covariance: Any = None


class Label(NamedTuple):
    """One free scalar quantity: its ``label`` (``"sigma"``, ``"probs[2]"``, ``"cov[1,0]"``), the
    parameter it belongs to, its ``index`` in that parameter (``()`` for a scalar) and the
    ``scale`` (``"identity"``, ``"log"``, ``"logit"``) its Wald interval is built on."""

    label: str
    param: str
    index: tuple
    scale: str


class Limit(NamedTuple):
    r"""A limit of the family at the edge of a parameter's range, as
    :meth:`Family.boundary_limits` gives it: as ``label`` tends to ``toward`` (``"inf"`` or
    ``"0"``), the other free parameters re-estimated, the family tends to the ``model`` (a name,
    ``"normal"``), whose maximised log-likelihood on the data is ``loglik``. When that is at
    least the fit's (to 1e-8 relative), the fit's supremum is at this edge."""

    label: str
    toward: str
    loglik: float
    model: str


class Family:
    """The protocol a distribution family offers estimation (see the module doc).

    Class attributes: ``name`` (the registry key), ``param_specs`` (one :class:`Param` each),
    ``param_names`` and ``estimable_names`` (derived), ``support``, ``discrete``,
    ``multivariate`` and ``regular`` (False when the support depends on the parameters: no
    Fisher information, no Wald or profile intervals, no gradient-based fit).
    """

    name: ClassVar[str] = ""
    param_specs: ClassVar[tuple[Param, ...]] = ()
    param_names: ClassVar[tuple[str, ...]] = ()
    estimable_names: ClassVar[tuple[str, ...]] = ()
    regular: ClassVar[bool] = True
    support: ClassVar[Support] = Support()
    discrete: ClassVar[bool] = False
    multivariate: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.param_names = tuple(p.name for p in cls.param_specs)
        cls.estimable_names = tuple(p.name for p in cls.param_specs if p.estimable)
        if cls.__dict__.get("name") and cls.__dict__.get("registered", True):
            register_family(cls)

    # ---- parameters ------------------------------------------------------------------------

    @classmethod
    def spec(cls, name: str) -> Param:
        """The :class:`Param` called ``name``."""
        return cls.param_specs[cls.param_names.index(name)]

    @classmethod
    def check_params(cls, values: dict, context: str) -> tuple:
        """Validate ``values`` (name -> value for every parameter) against the domains; return
        ``theta`` (float64, scalars broadcast together). ``context`` is added to error messages
        after the family's name (e.g. ``" (start)"``)."""
        raise NotImplementedError(f"{cls.__name__} must define check_params")

    @classmethod
    def transforms(cls, theta: tuple) -> list:
        r"""The unconstrained parametrisation :math:`\theta_j = T_j(u_j)` of each parameter, for
        gradient-based fits (default: each domain's scale: log for positive parameters, logit
        for probabilities)."""
        return [spec.domain.transform() for spec in cls.param_specs]

    @classmethod
    def labels(cls, theta: tuple, free: tuple) -> list[Label]:
        """The free scalar quantities, in the order of the covariance matrix (default: one per
        free scalar parameter, on its domain's scale)."""
        return [Label(name, name, (), cls.spec(name).domain.scale) for name in free]

    @classmethod
    def n_free(cls, theta: tuple, free: tuple) -> int:
        """The number of free scalar parameters :math:`k` (for AIC, BIC and the LRT's degrees of
        freedom); default: the number of labels."""
        return len(cls.labels(theta, free))

    # ---- data and the log-likelihood -------------------------------------------------------

    @classmethod
    def check_data(cls, data: FitData, fixed: dict) -> None:
        """Raise ValueError when ``data`` has values outside the support (default: ``support``,
        which does not depend on ``fixed``)."""
        check_support(cls, data, cls.support)

    @classmethod
    def loglik_total(cls, data: FitData, *theta):
        r""":math:`\ell(\theta) = \sum_i w_i \log p(x_i \mid \theta)`. Scalar parameters may be
        arrays (a grid): the result has their broadcast shape."""
        raise NotImplementedError(f"{cls.__name__} must define loglik_total")

    @classmethod
    def loglik_derivatives(cls, data: FitData, theta: tuple, order: int = 2):
        r"""``(loglik, grad, hess)`` at one ``theta``: :math:`\ell`, the gradient
        :math:`\partial\ell/\partial\theta_j` (a list, one entry per estimable parameter, an
        array for vector ones) and, for ``order=2``, the Hessian
        :math:`\partial^2\ell/\partial\theta_j\partial\theta_k` (a ``(k, k)`` array; None when
        the family has none)."""
        raise NotImplementedError(f"{cls.__name__} must define loglik_derivatives")

    # ---- maximum likelihood: reduced problems ----------------------------------------------

    @classmethod
    def closed_form_mle(cls, data: FitData, fixed: dict) -> dict | None:
        """The MLE of the free parameters in closed form (name -> value), or None when there is
        none for this ``fixed``. Raises ValueError when the MLE does not exist on ``data``."""
        return None

    @classmethod
    def profile_problem(cls, data: FitData, fixed: dict) -> ProfileProblem | None:
        r"""A reduced problem for Newton, or None (Newton then runs on the full likelihood):
        the profile likelihood :math:`\ell_p(\psi) = \max_\lambda \ell(\psi, \lambda)` with
        :math:`\hat\lambda(\psi)` in closed form, or the likelihood written in sufficient
        statistics (each Newton step O(1) instead of a pass over the data)."""
        return None

    @classmethod
    def start_values(cls, data: FitData, fixed: dict) -> dict:
        """Starting values for a numeric fit (moment or robust estimates), name -> value for
        every estimable parameter (``fixed`` ones at their fixed value)."""
        raise ValueError(f"{cls.name} has no starting values; pass start=")

    # ---- uncertainty ---------------------------------------------------------------------

    @classmethod
    def observed_information(cls, data: FitData, theta: tuple, free: tuple) -> np.ndarray:
        r"""The observed information over the ``free`` parameters,
        :math:`J = -\nabla^2\ell(\hat\theta)` (default: from :meth:`loglik_derivatives`)."""
        _, _, hess = cls.loglik_derivatives(data, theta, order=2)
        idx = [cls.estimable_names.index(n) for n in free]
        return -hess[np.ix_(idx, idx)]

    @classmethod
    def asymptotic_covariance(cls, data: FitData, theta: tuple, free: tuple):
        r"""The asymptotic covariance over the labels when the family knows it better than
        :math:`J^{-1}` (non-regular families, vector parameters), else None (the default)."""
        return None

    @classmethod
    def on_boundary(cls, theta: tuple, free: tuple) -> list[str]:
        """The free labels at a closed end of their domain (a proportion of 0): no curvature
        there, so their standard error is reported as 0."""
        out = []
        for name in free:
            spec = cls.spec(name)
            value = float(theta[cls.param_names.index(name)])
            if spec.kind == "scalar" and spec.domain.at_closed_end(value):
                out.append(name)
        return out

    @classmethod
    def boundary_limits(cls, data: FitData, theta: tuple, free: tuple) -> list[Limit]:
        r"""The limits at open ends of the free parameters' ranges where the family becomes
        another model (Student's t as :math:`\nu \to \infty` the normal, the negative binomial
        as :math:`n \to \infty` the Poisson), each with that model's maximised log-likelihood
        on ``data`` (the parameters not free held at their values in ``theta``): how a fit is
        recognised as tending to the boundary (see :class:`Limit`). Default: none."""
        return []

    @classmethod
    def profile_loglik(cls, data: FitData, theta: tuple, fixed: dict, label: str, value: float):
        r"""The profile log-likelihood :math:`\max \ell` with the entry ``label`` of a vector or
        matrix parameter held at ``value`` (scalar parameters are profiled by refitting with
        them fixed). Default: not available (ValueError)."""
        raise ValueError(
            f"profile intervals for {label!r} are not available; use method='wald' or 'bootstrap'"
        )

    @classmethod
    def exact_conf_int(cls, data: FitData, theta: tuple, free: tuple, level: float):
        """Exact confidence intervals (label -> (lower, upper)) for the free labels, or None
        when the family has none (the default)."""
        return None

    @classmethod
    def usual_estimates(cls, data: FitData, theta: tuple, free: tuple) -> dict:
        """The textbook unbiased (or conventional) estimate of the labels whose MLE differs from
        it (the normal's sigma with :math:`n - 1`), label -> value; default none."""
        return {}

    @classmethod
    def fit_notes(cls, theta: tuple, free: tuple) -> list[str]:
        """Family-specific remarks on a fit (shown in ``diagnostics["notes"]``); default none."""
        return []

    # ---- conjugacy ---------------------------------------------------------------------------

    @classmethod
    def conjugate_posterior(cls, data: FitData, fixed: dict, prior: dict) -> Conjugate | None:
        r"""The closed-form posterior :math:`p(\theta \mid x) \propto p(x \mid \theta)\pi(\theta)`
        (a :class:`Conjugate`) when ``prior`` (parameter name, or tuple of names, -> prior
        distribution) is conjugate to the family, else None (the default: the MAP is then found
        numerically)."""
        return None

    # ---- censored and truncated data --------------------------------------------------------

    @classmethod
    def log_cdf(cls, x, *theta):
        r""":math:`\log F(x \mid \theta) = \log P(X \le x)` per point, evaluated without
        underflow in the lower tail; ``theta`` may be arrays that broadcast with ``x``. Default:
        not available (ValueError: the family cannot fit censored data)."""
        raise ValueError(f"the {cls.name} family has no cdf here: it cannot fit censored data")

    @classmethod
    def log_sf(cls, x, *theta):
        r""":math:`\log S(x \mid \theta) = \log P(X > x)` per point, accurate in the upper tail
        (not :math:`\log(1 - F)`, which is 0 there). Default: not available."""
        raise ValueError(f"the {cls.name} family has no cdf here: it cannot fit censored data")

    @classmethod
    def log_cdf_derivatives(cls, x, theta: tuple, order: int = 2):
        r"""``(L, grad, hess)`` per point at one ``theta``: :math:`L = \log F(x)`, ``grad[j]``
        :math:`= \partial L/\partial\theta_j` and ``hess[j][k]`` over the estimable parameters
        (None for ``order=1``). Default: not available."""
        raise ValueError(f"the {cls.name} family has no cdf here: it cannot fit censored data")

    @classmethod
    def log_sf_derivatives(cls, x, theta: tuple, order: int = 2):
        r"""``(L, grad, hess)`` per point for :math:`L = \log S(x)` (see
        :meth:`log_cdf_derivatives`)."""
        raise ValueError(f"the {cls.name} family has no cdf here: it cannot fit censored data")

    @classmethod
    def censored_closed_form(cls, data, fixed: dict) -> dict | None:
        """The MLE on censored data (a
        :class:`~loglik.estimation.censored_data.CensoredFitData`) in closed form, or None (the
        default; the exponential has one under right censoring)."""
        return None

    @classmethod
    def censored_profile_problem(cls, data, fixed: dict) -> ProfileProblem | None:
        """A reduced problem on censored data (the Weibull's profile likelihood of its shape
        under right censoring), or None (the default: Newton on the full censored
        likelihood)."""
        return None

    # ---- resampling --------------------------------------------------------------------------

    @classmethod
    def bootstrap_data(cls, data, dist, rng):
        """The data of one bootstrap replicate: default parametric, a sample of the data's size
        (the total weight, rounded, for weighted data) from the fitted ``dist``."""
        size = data.n_obs if data.w is None else round(data.n)
        return FitData(dist.sample(size, rng))

    @classmethod
    def fit_batch(cls, samples: np.ndarray, fixed: dict):
        """The MLE of every row of ``samples`` (a ``(B, n)`` array of samples) at once, as a
        tuple of ``(B,)`` arrays in ``param_names`` order (fixed parameters broadcast), or None
        when the family has no vectorised fit (the default: each row is then fitted alone)."""
        return None


# --------------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------------

_FAMILIES: dict[str, type] = {}


def register_family(cls, name: str | None = None):
    """Add ``cls`` under ``name`` (default ``cls.name``); returns ``cls`` (usable as decorator)."""
    key = name or getattr(cls, "name", None)
    if not isinstance(key, str) or not key:
        raise ValueError(f"a family needs a non-empty string name, got {key!r}")
    _FAMILIES[key] = cls
    return cls


def family_names() -> list[str]:
    """The registered family names, in registration order."""
    return list(_FAMILIES)


def get_family(family):
    """The family class for a name, or ``family`` itself when it is already a family class.

    Raises ValueError listing the known names for an unknown one.
    """
    if isinstance(family, str):
        key = family.strip().lower().replace("-", "_").replace(" ", "_")
        if key in _FAMILIES:
            return _FAMILIES[key]
        raise ValueError(f"unknown family {family!r}; known: {', '.join(_FAMILIES)}")
    if isinstance(family, type) and issubclass(family, Family):
        return family
    hint = " (pass the class or its name; give starting values with start=)" * isinstance(
        family, Family
    )
    raise ValueError(
        f"family must be a name ({', '.join(_FAMILIES)}) or a distribution class, "
        f"got {family!r}{hint}"
    )
