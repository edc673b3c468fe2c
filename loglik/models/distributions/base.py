r"""The shared base of every distribution family (template method, as in scipy.stats).

The base validates and broadcasts parameters, checks data against the support, and turns a
family's few per-observation formulas into everything else: densities with the support handled,
cdf/ppf with their edges, sampling with a ``random_state``, weighted log-likelihood totals and
their derivatives (chunked, so memory stays bounded), and the pieces :func:`loglik.fit` needs.

A family (one small class per module) gives

* ``name``, ``param_specs`` (names, domains, defaults), ``support``;
* ``_logpdf(x, *theta)``, ``_cdf``, ``_ppf``, ``_sample(rng, shape, *theta)``, ``_mean``, ``_var``,
  ``_scipy`` (the equivalent frozen scipy.stats object);
* ``_score(x, *theta)`` (per-observation :math:`\partial\log p/\partial\theta_j`) and
  ``_hess(x, *theta)`` (:math:`\partial^2\log p/\partial\theta_j\partial\theta_k`), and
  ``_fisher(*theta)`` (the expected information of one observation) where it is known;
* whatever shortcuts it has for maximum likelihood: ``_closed_form(data, fixed)``,
  ``_profile_problem(data, fixed)`` (a reduced objective for Newton), ``_loglik_total`` from
  sufficient statistics, and ``_start`` (moments) for the numeric fits.

``theta`` is always the tuple of parameter values in ``param_names`` order (float64 arrays that
broadcast together). Data reach the fitting hooks as :class:`FitData`: the validated values
``x`` and case weights ``w`` (``None`` for unit weights), with statistics cached on it.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, NamedTuple

import numpy as np
from scipy import special

from ..._validation import check_random_state
from ...estimation.data import CHUNK, FitData, dot, first_bad
from ...estimation.map import Conjugate
from ...estimation.mle import ProfileProblem
from ...estimation.objective import SmoothObjective
from ...estimation.registry import register_family
from ...estimation.transforms import Identity, Log, Logit

__all__ = [
    "NONNEGATIVE",
    "POSITIVE",
    "PROBABILITY",
    "REAL",
    "TRIALS",
    "UNIT",
    "Distribution",
    "Domain",
    "Param",
    "ProfileProblem",
    "Support",
    "WithoutQuantiles",
    "check_support",
    "free_params",
    "log_profile",
    "no_mle",
    "one_parameter_posterior",
    "refine_discrete_ppf",
    "require_spread",
    "trigamma",
]


class Domain(NamedTuple):
    """Where a scalar parameter lives, and the scale (transform) it is optimised on."""

    low: float
    high: float
    low_open: bool
    high_open: bool
    integer: bool
    scale: str  # "identity", "log" or "logit": the unconstrained scale for fits and Wald CIs
    text: str

    def contains_value(self, v: float) -> bool:
        """:meth:`contains` for one Python float (no array overhead)."""
        lo = v > self.low if self.low_open else v >= self.low
        hi = v < self.high if self.high_open else v <= self.high
        return lo and hi and (not self.integer or v == round(v))

    def contains(self, v: np.ndarray) -> np.ndarray:
        lo = v > self.low if self.low_open else v >= self.low
        hi = v < self.high if self.high_open else v <= self.high
        ok = lo & hi
        return ok & (v == np.round(v)) if self.integer else ok

    def transform(self):
        return {"identity": Identity, "log": Log, "logit": Logit}[self.scale]()


inf = np.inf
_REAL = (float, int, np.floating, np.integer)
REAL = Domain(-inf, inf, True, True, False, "identity", "a real number")
POSITIVE = Domain(0.0, inf, True, True, False, "log", "> 0")
NONNEGATIVE = Domain(0.0, inf, False, True, False, "log", ">= 0")
PROBABILITY = Domain(0.0, 1.0, False, False, False, "logit", "in [0, 1]")
UNIT = Domain(0.0, 1.0, True, False, False, "logit", "in (0, 1]")
TRIALS = Domain(1.0, inf, False, True, True, "identity", "a positive integer")


class Param(NamedTuple):
    """One parameter: its name, domain, kind ("scalar", "vector" or "matrix"), default, and
    whether it can be estimated (the binomial's number of trials cannot: it is always given)."""

    name: str
    domain: Domain = REAL
    kind: str = "scalar"
    default: Any = None
    estimable: bool = True
    doc: str = ""


class Support(NamedTuple):
    """The set of values a family gives positive probability (density) to."""

    low: float = -inf
    high: float = inf
    low_open: bool = True
    high_open: bool = True
    integer: bool = False

    def text(self, high=None) -> str:
        high = self.high if high is None else high
        if self.integer:
            if high == self.low + 1:
                return f"x in {{{self.low:g}, {high:g}}}"
            tail = "..." if not np.isfinite(high) else f"..., {high:g}"
            return f"x in {{{self.low:g}, {self.low + 1:g}, {tail}}}"
        if np.isfinite(self.low) and np.isfinite(high):
            lo = "<" if self.low_open else "<="
            hi = "<" if self.high_open else "<="
            return f"{self.low:g} {lo} x {hi} {high:g}"
        if np.isfinite(self.low):
            return f"x {'>' if self.low_open else '>='} {self.low:g}"
        return "any real x"


# --------------------------------------------------------------------------------------------
# The base class
# --------------------------------------------------------------------------------------------


class Distribution:
    """A probability distribution: a family with its parameter values.

    Construct with the documented parameters (positionally or by name); each may be an array,
    and arrays broadcast together (a batch of distributions, e.g. one per regression row).
    Methods follow scipy.stats: ``logpdf``, ``pdf``, ``cdf``, ``sf``, ``ppf``,
    ``sample(size, random_state)``, ``mean``, ``var``, ``std``; ``params`` is the dict of
    parameter values; ``to_scipy()`` the equivalent frozen scipy.stats distribution;
    ``score(x)`` and ``fisher_information()`` the derivatives the likelihood theory uses.
    """

    name: ClassVar[str] = ""
    param_specs: ClassVar[tuple[Param, ...]] = ()
    param_names: ClassVar[tuple[str, ...]] = ()
    estimable_names: ClassVar[tuple[str, ...]] = ()
    regular: ClassVar[bool] = True  # False when the support depends on the parameters
    support: ClassVar[Support] = Support()
    discrete: ClassVar[bool] = False
    multivariate: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.param_names = tuple(p.name for p in cls.param_specs)
        cls.estimable_names = tuple(p.name for p in cls.param_specs if p.estimable)
        if cls.__dict__.get("name") and cls.__dict__.get("registered", True):
            register_family(cls)

    def __init__(self, *args, **kwargs):
        values = self._bind(args, kwargs)
        self._theta = self._check_params(values, "")

    # ---- parameters ------------------------------------------------------------------------

    @classmethod
    def _bind(cls, args, kwargs) -> dict:
        names = cls.param_names
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__} takes {len(names)} parameters {names}")
        values = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in names:
                raise TypeError(
                    f"{cls.__name__} has no parameter {key!r}; its parameters: {', '.join(names)}"
                )
            if key in values:
                raise TypeError(f"{cls.__name__} got {key!r} twice")
            values[key] = value
        for spec in cls.param_specs:
            if spec.name not in values:
                if spec.default is None:
                    raise TypeError(f"{cls.__name__} needs the parameter {spec.name!r}")
                values[spec.name] = spec.default
        return values

    @classmethod
    def _check_params(cls, values: dict, context: str) -> tuple:
        """Validate every parameter against its domain; return theta (broadcast scalars)."""
        theta = []
        scalars_only = True
        for spec in cls.param_specs:
            raw = values[spec.name]
            if spec.kind == "scalar" and isinstance(raw, _REAL) and not isinstance(raw, bool):
                v = float(raw)  # the common case, checked without array overhead
                if not math.isfinite(v):
                    raise ValueError(
                        f"{cls.name}{context}: {spec.name} must be finite, got {raw!r}"
                    )
                if not spec.domain.contains_value(v):
                    raise ValueError(
                        f"{cls.name}{context}: {spec.name} must be {spec.domain.text}, got {raw!r}"
                    )
                theta.append(np.float64(v))
                continue
            scalars_only = False
            try:
                v = np.array(raw, dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError(
                    f"{cls.name}{context}: {spec.name} must be numeric, got {raw!r}"
                ) from None
            if spec.kind == "scalar":
                if not np.all(np.isfinite(v)):
                    raise ValueError(
                        f"{cls.name}{context}: {spec.name} must be finite, got {raw!r}"
                    )
                if not np.all(spec.domain.contains(v)):
                    bad = v if v.ndim == 0 else v[~spec.domain.contains(v)].flat[0]
                    raise ValueError(
                        f"{cls.name}{context}: {spec.name} must be {spec.domain.text}, got {bad!r}"
                    )
            theta.append(v)
        theta = cls._check_array_params(theta, context)
        if scalars_only:
            return tuple(theta)
        scalars = [i for i, s in enumerate(cls.param_specs) if s.kind == "scalar"]
        if len(scalars) > 1:
            try:
                shaped = np.broadcast_arrays(*(theta[i] for i in scalars))
            except ValueError:
                shapes = {cls.param_names[i]: theta[i].shape for i in scalars}
                raise ValueError(
                    f"{cls.name}{context}: parameter shapes {shapes} do not broadcast"
                ) from None
            for i, t in zip(scalars, shaped):
                theta[i] = np.array(t)  # a writeable copy, independent of the caller's arrays
        return tuple(theta)

    @classmethod
    def _check_array_params(cls, theta: list, context: str) -> list:
        """Families with vector or matrix parameters check them here."""
        return theta

    @property
    def params(self) -> dict:
        """Parameter name -> value (a float for a scalar parameter, else an array)."""
        return {
            name: (float(v) if v.ndim == 0 else v.copy())
            for name, v in zip(self.param_names, self._theta)
        }

    @property
    def batch_shape(self) -> tuple:
        """The broadcast shape of the scalar parameters (``()`` for a single distribution)."""
        shapes = [t.shape for t, s in zip(self._theta, self.param_specs) if s.kind == "scalar"]
        return np.broadcast_shapes(*shapes) if shapes else ()

    def __repr__(self):
        def show(v):
            return f"{float(v):.6g}" if v.ndim == 0 else np.array2string(v, precision=4)

        inner = ", ".join(f"{n}={show(v)}" for n, v in zip(self.param_names, self._theta))
        return f"{type(self).__name__}({inner})"

    # ---- support ---------------------------------------------------------------------------

    @classmethod
    def _bounds(cls, *theta):
        """The support's ends (arrays when they depend on the parameters)."""
        return cls.support.low, cls.support.high

    def _inside(self, x):
        low, high = self._bounds(*self._theta)
        s = self.support
        ok = (x > low if s.low_open else x >= low) & (x < high if s.high_open else x <= high)
        if s.integer:
            ok &= x == np.floor(x)
        return ok

    def _safe_point(self):
        """A point inside the support, substituted where x is outside before calling _logpdf."""
        low, high = (np.asarray(b, dtype=float) for b in self._bounds(*self._theta))
        with np.errstate(invalid="ignore"):
            mid = np.where(
                np.isfinite(low) & np.isfinite(high),
                0.5 * (low + high),
                np.where(np.isfinite(low), low + 1.0, np.where(np.isfinite(high), high - 1.0, 0.0)),
            )
        return np.floor(mid) if self.support.integer else mid

    @staticmethod
    def _as_points(x, name="x") -> np.ndarray:
        try:
            arr = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numeric, got {type(x).__name__}") from None
        if np.isnan(arr).any():
            where = np.argwhere(np.isnan(arr))[0]
            raise ValueError(f"{name} contains NaN at index {tuple(int(i) for i in where)}")
        return arr

    # ---- densities and distribution functions ---------------------------------------------

    def logpdf(self, x) -> np.ndarray:
        """Log density (log probability for discrete families); ``-inf`` outside the support."""
        x = self._as_points(x)
        inside = self._inside(x)
        safe = np.where(inside, x, self._safe_point())
        out = np.where(inside, self._logpdf(safe, *self._theta), -np.inf)
        return out if out.ndim else float(out)

    def pdf(self, x) -> np.ndarray:
        """Density (probability for discrete families)."""
        return np.exp(self.logpdf(x))

    def logpmf(self, x):
        """The log probability of each value (discrete families; equals :meth:`logpdf`)."""
        return self.logpdf(x)

    def pmf(self, x):
        """The probability of each value (discrete families; equals :meth:`pdf`)."""
        return self.pdf(x)

    def cdf(self, x) -> np.ndarray:
        r""":math:`P(X \le x)`."""
        x = self._as_points(x)
        low, high = self._bounds(*self._theta)
        if self.support.integer:
            x = np.floor(x)
        below, above = x < low, x >= high
        safe = np.where(below | above, self._safe_point(), x)
        out = np.where(below, 0.0, np.where(above, 1.0, self._cdf(safe, *self._theta)))
        return out if out.ndim else float(out)

    def sf(self, x) -> np.ndarray:
        r""":math:`P(X > x) = 1 - F(x)`."""
        return 1.0 - self.cdf(x)

    def ppf(self, q) -> np.ndarray:
        r"""The quantile function :math:`F^{-1}(q) = \inf\{x: F(x) \ge q\}`, q in [0, 1]."""
        q = self._as_points(q, "q")
        if np.any((q < 0) | (q > 1)):
            raise ValueError(f"q must be in [0, 1], got {q[(q < 0) | (q > 1)].flat[0]!r}")
        low, high = self._bounds(*self._theta)
        inner = np.clip(q, 1e-300, 1.0 - 1e-16)
        out = self._ppf(inner, *self._theta)
        out = np.where(q == 0, low, np.where(q == 1, high, out))
        return out if out.ndim else float(out)

    def sample(self, size=None, random_state=None) -> np.ndarray:
        """Random draws: ``size`` (int or tuple; default the batch shape) from ``random_state``."""
        rng = check_random_state(random_state)
        shape = self.batch_shape if size is None else tuple(np.atleast_1d(size).astype(int))
        if any(s < 0 for s in shape):
            raise ValueError(f"size must be non-negative, got {size!r}")
        out = self._sample(rng, shape, *self._theta)
        return np.asarray(out, dtype=np.float64)

    def mean(self):
        """The mean."""
        return _scalar(self._mean(*self._theta))

    def var(self):
        """The variance."""
        return _scalar(self._var(*self._theta))

    def std(self):
        """The standard deviation."""
        return _scalar(np.sqrt(self._var(*self._theta)))

    def support_bounds(self) -> tuple[float, float]:
        """The support's lower and upper ends (for a batch: the widest)."""
        low, high = self._bounds(*self._theta)
        return float(np.min(low)), float(np.max(high))

    def dlogpdf(self, x) -> np.ndarray:
        r""":math:`\partial\log p(x)/\partial x` (continuous families; what a prior contributes to
        the gradient of a log-posterior)."""
        return self._x_derivative(x, self._dlogpdf_dx)

    def d2logpdf(self, x) -> np.ndarray:
        r""":math:`\partial^2\log p(x)/\partial x^2` (continuous families)."""
        return self._x_derivative(x, self._d2logpdf_dx2)

    def _x_derivative(self, x, hook):
        if self.discrete or hook is None:
            raise TypeError(f"{self.name} has no derivative in x (it is not a smooth density)")
        out = hook(self._as_points(x), *self._theta)
        return out if np.ndim(out) else float(out)

    def loglik(self, x) -> float:
        r"""The log-likelihood of the observations ``x``, :math:`\sum_i \log p(x_i)`."""
        return float(np.sum(self.logpdf(x)))

    def to_scipy(self):
        """The equivalent frozen ``scipy.stats`` distribution."""
        return self._scipy(*self._theta)

    # ---- likelihood derivatives ------------------------------------------------------------

    def score(self, x) -> dict:
        r"""The score of each observation: :math:`\partial \log p(x)/\partial\theta_j`, one
        array per parameter (the shape of ``x`` broadcast with the parameters)."""
        x = self._as_points(x)
        return dict(zip(self.estimable_names, self._score(x, *self._theta)))

    def fisher_information(self) -> np.ndarray:
        r"""The expected information of one observation,
        :math:`I(\theta)_{jk} = -E[\partial^2\log p(X)/\partial\theta_j\partial\theta_k]
        = E[s_j(X) s_k(X)]`, a ``(k, k)`` array over ``estimable_names`` (``(..., k, k)`` for a
        batch)."""
        rows = None if type(self)._fisher is None else self._fisher(*self._theta)
        if rows is None:
            raise ValueError(
                f"the {self.name} family is not regular (its support depends on its "
                "parameters): it has no Fisher information"
            )
        info = np.array(np.broadcast_arrays(*[np.asarray(v) for row in rows for v in row]))
        k = len(rows)
        info = info.reshape((k, k, *info.shape[1:]))
        return np.moveaxis(info, (0, 1), (-2, -1))

    # ---- the fitting protocol (class level: theta is passed explicitly) --------------------

    _fisher = None  # families with a known information matrix define _fisher(*theta)
    # Families fitted by Newton on all the data may define _pointwise(x, *theta) ->
    # (logpdf, score, hess) sharing the intermediate results (one pass instead of three).
    _pointwise = None
    _dlogpdf_dx = None  # continuous families: d log p / dx and its derivative (for priors)
    _d2logpdf_dx2 = None

    @classmethod
    def _check_data(cls, data: FitData, fixed: dict) -> None:
        """Raise ValueError when ``data`` has values outside the support."""
        check_support(cls, data, cls.support)

    @classmethod
    def _rows(cls, data: FitData) -> FitData:
        """The data the likelihood sums run over: distinct values with counts when discrete."""
        return data.compressed() if cls.discrete else data

    @classmethod
    def _loglik_total(cls, data: FitData, *theta):
        r""":math:`\sum_i w_i \log p(x_i \mid \theta)`; parameters may be arrays (a grid), and
        the result has their broadcast shape. Families with sufficient statistics override
        this with an O(1) formula."""
        rows = cls._rows(data)
        theta = np.broadcast_arrays(*[np.asarray(t, dtype=np.float64) for t in theta])
        shape = theta[0].shape
        if shape == ():
            return float(sum(_wsum(cls._logpdf(xb, *theta), wb) for xb, wb in rows.chunks()))
        flat = [t.reshape(-1, 1) for t in theta]
        out = np.zeros(flat[0].shape[0])
        step = max(1, (1 << 20) // max(1, min(rows.n_obs, CHUNK)))
        for lo in range(0, out.size, step):
            block = [t[lo : lo + step] for t in flat]
            for xb, wb in rows.chunks():
                lp = cls._logpdf(xb[None, :], *block)
                out[lo : lo + step] += lp.sum(axis=1) if wb is None else lp @ wb
        return out.reshape(shape)

    @classmethod
    def _totals(cls, data: FitData, theta: tuple, order: int = 2):
        r"""``(loglik, grad, hess)``: :math:`\sum_i w_i \log p(x_i)`, its gradient (one entry per
        estimable parameter) and, for ``order=2``, its Hessian (a ``(k, k)`` array), at a single
        theta."""
        rows = cls._rows(data)
        k = len(cls.estimable_names)
        ll, grad = 0.0, np.zeros(k)
        hess = np.zeros((k, k)) if order >= 2 else None
        for xb, wb in rows.chunks():
            if order >= 2 and cls._pointwise is not None:
                lp, s, h = cls._pointwise(xb, *theta)
            else:
                lp = cls._logpdf(xb, *theta)
                s = cls._score(xb, *theta) if order >= 1 else ()
                h = cls._hess(xb, *theta) if order >= 2 else ()
            ll += _wsum(lp, wb, xb)
            if order >= 1:
                for j, sj in enumerate(s):
                    grad[j] += _wsum(sj, wb, xb)
            if order >= 2:
                for j in range(k):
                    for m in range(j, k):
                        hess[j, m] += _wsum(h[j][m], wb, xb)
        if hess is not None:
            hess = np.triu(hess) + np.triu(hess, 1).T
        return float(ll), list(grad), hess

    @classmethod
    def _closed_form(cls, data: FitData, fixed: dict) -> dict | None:
        """The MLE of the free parameters in closed form, or None when there is none."""
        return None

    @classmethod
    def _profile_problem(cls, data: FitData, fixed: dict) -> ProfileProblem | None:
        """A reduced problem for Newton (profile likelihood, sufficient statistics), or None."""
        return None

    @classmethod
    def _start(cls, data: FitData, fixed: dict) -> dict:
        """Starting values for a numeric fit (moment or robust estimates)."""
        raise ValueError(f"{cls.name} has no starting values; pass start=")

    @classmethod
    def _transforms(cls, theta: tuple) -> list:
        """The unconstrained parametrisation of each parameter (for gradient-based fits)."""
        return [spec.domain.transform() for spec in cls.param_specs]

    @classmethod
    def _labels(cls, theta: tuple, free: tuple) -> list[tuple[str, str, tuple, str]]:
        """``(label, param, index, scale)`` for every free scalar quantity, in the order of
        the covariance matrix; ``scale`` is the transform the Wald interval is built on."""
        return [(name, name, (), cls._spec(name).domain.scale) for name in free]

    @classmethod
    def _spec(cls, name: str) -> Param:
        return cls.param_specs[cls.param_names.index(name)]

    @classmethod
    def _n_free(cls, theta: tuple, free: tuple) -> int:
        """The number of free scalar parameters (for AIC, BIC and the LRT's degrees of freedom)."""
        return len(cls._labels(theta, free))

    @classmethod
    def _notes(cls, theta: tuple, free: tuple) -> list[str]:
        """Family-specific remarks on a fit (shown in ``diagnostics``)."""
        return []

    @classmethod
    def _information(cls, data: FitData, theta: tuple, free: tuple) -> np.ndarray:
        r"""The observed information over the free labels, :math:`-\nabla^2 \ell(\hat\theta)`."""
        _, _, hess = cls._totals(data, theta, order=2)
        idx = [cls.estimable_names.index(n) for n in free]
        return -hess[np.ix_(idx, idx)]

    @classmethod
    def _covariance(cls, data: FitData, theta: tuple, free: tuple):
        """The asymptotic covariance over the free labels, or None to invert the information."""
        return None

    @classmethod
    def _boundary(cls, theta: tuple, free: tuple) -> list[str]:
        """The free scalar parameters at a closed end of their domain (non-regular MLEs)."""
        out = []
        for name in free:
            spec, v = cls._spec(name), float(theta[cls.param_names.index(name)])
            d = spec.domain
            if spec.kind == "scalar" and (
                (not d.low_open and v == d.low) or (not d.high_open and v == d.high)
            ):
                out.append(name)
        return out

    @classmethod
    def _usual(cls, data: FitData, theta: tuple, free: tuple) -> dict:
        """The textbook unbiased (or conventional) estimate of the parameters whose MLE differs
        from it, label -> value (shown by ``summary(usual=True)``)."""
        return {}

    @classmethod
    def _profile_loglik(cls, data, theta, fixed, label, value):
        """The profile log-likelihood at ``label = value`` for entries of vector parameters."""
        raise ValueError(
            f"profile intervals for {label!r} are not available; use method='wald' or 'bootstrap'"
        )

    _exact_conf_int = None  # families with exact intervals define (data, theta, free, level)

    @classmethod
    def _conjugate(cls, data, fixed: dict, prior: dict):
        """The closed-form posterior (a :class:`~loglik.estimation.map.Conjugate`) when ``prior``
        (parameter name or tuple of names -> distribution) is conjugate to the family, else
        None (the MAP is then found numerically)."""
        return None


def _scalar(v):
    v = np.asarray(v, dtype=np.float64)
    return float(v) if v.ndim == 0 else v


def _wsum(values, w, x=None) -> float:
    """:math:`\\sum_i w_i v_i` for one block (values may be a constant)."""
    if np.ndim(values) == 0:
        count = (x.shape[0] if x is not None else 1) if w is None else float(w.sum())
        return float(values) * count
    return float(values.sum() if w is None else dot(w, values))


def check_support(cls, data: FitData, support: Support, high=None) -> None:
    """Raise a ValueError naming how many values lie outside ``support`` and the first one."""
    x = data.x
    low = support.low
    high = support.high if high is None else high
    if low == -np.inf and high == np.inf and not support.integer:
        return
    if math.isfinite(low):
        m = data.min()
        if m < low or (support.low_open and m == low):
            bad = x <= low if support.low_open else x < low
            raise ValueError(
                f"x has values outside the support of {cls.name} ({support.text(high)}): "
                f"{first_bad(bad, x)}"
            )
    if math.isfinite(high):
        m = data.max()
        if m > high or (support.high_open and m == high):
            bad = x >= high if support.high_open else x > high
            raise ValueError(
                f"x has values outside the support of {cls.name} ({support.text(high)}): "
                f"{first_bad(bad, x)}"
            )
    if support.integer and any((xb != np.floor(xb)).any() for xb, _ in data.chunks()):
        raise ValueError(
            f"{cls.name} is a discrete family ({support.text(high)}) but x has non-integer "
            f"values: {first_bad(x != np.floor(x), x)}"
        )


def no_mle(cls, reason: str) -> ValueError:
    """The error for data on which the family's maximum-likelihood estimate does not exist."""
    return ValueError(f"the {cls.name} maximum-likelihood estimate does not exist: {reason}")


def require_spread(cls, data: FitData, spread: float, of: str = "x") -> None:
    """Raise :func:`no_mle` when the data have no spread (one value, or all values equal)."""
    if spread > 0:
        return
    if data.n_obs == 1:
        raise no_mle(cls, f"{of} has a single value")
    raise no_mle(cls, f"all values of {of} are equal (zero spread)")


def free_params(cls, fixed: dict) -> tuple:
    """The estimable parameters not held fixed, in order."""
    return tuple(n for n in cls.estimable_names if n not in fixed)


def trigamma(x):
    r""":math:`\psi'(x)` for :math:`x > 0` (the Hurwitz zeta :math:`\zeta(2, x)`, a ufunc:
    much cheaper than ``polygamma(1, x)``)."""
    return special.zeta(2.0, x)


def refine_discrete_ppf(cdf, q, guess, low=0.0):
    r"""The smallest integer k with :math:`F(k) \ge q`, from a ``guess`` at most a step or two
    off (scipy's ppf, whose cdf may differ from ``cdf`` in the last bits): keeps ``ppf`` and
    ``cdf`` exact inverses of each other."""
    k = np.asarray(guess, dtype=np.float64)
    for _ in range(4):
        k = np.where(cdf(k) < q, k + 1.0, k)
        k = np.where((k > low) & (cdf(k - 1.0) >= q), k - 1.0, k)
    return k


def log_profile(derivatives, start: float, expand, label: str) -> ProfileProblem:
    r"""A one-parameter profile problem solved by Newton on :math:`u = \log\theta`:
    ``derivatives(theta)`` gives the mean negative log-likelihood's value, gradient and Hessian
    in :math:`\theta` (arrays of one entry), ``expand(params)`` the full parameter dict."""
    return ProfileProblem(
        SmoothObjective(derivatives, ["log"]), [np.array(np.log(start))], expand, label
    )


def one_parameter_posterior(name: str, posterior) -> Conjugate:
    """The conjugate result for a single parameter whose posterior is ``posterior``: its mode
    and equal-tailed credible intervals."""

    def intervals(level):
        a = 0.5 * (1.0 - level)
        lower, upper = posterior.ppf(np.array([a, 1.0 - a]))
        return {name: (float(lower), float(upper))}

    return Conjugate(posterior, {name: float(posterior.mode())}, intervals)


class WithoutQuantiles:
    """A mixin for distributions over several parameters at once (priors such as the Dirichlet):
    no cdf, survival or quantile function; their marginals have them."""

    def cdf(self, x):
        raise TypeError(f"the {self.name} distribution has no cdf here; use marginal(...)")

    sf = cdf

    def ppf(self, q):
        raise TypeError("a multivariate distribution has no quantile function; use marginal(...)")
