r"""The shared base of every distribution family (template method, as in scipy.stats).

:class:`Distribution` implements the family protocol (:class:`loglik.estimation.family.Family`,
whose defaults it inherits) from a family's few per-observation formulas, and adds what a
distribution object does: it validates and broadcasts parameters, checks points against the
support, and gives densities with the support handled, cdf/ppf with their edges, sampling with a
``random_state``, and weighted log-likelihood totals with their derivatives (chunked, so memory
stays bounded).

A family (one small class per module) gives

* ``name``, ``param_specs`` (names, domains, defaults), ``support``;
* ``_logpdf(x, *theta)``, ``_cdf``, ``_ppf``, ``_sample(rng, shape, *theta)``, ``_mean``, ``_var``,
  ``_scipy`` (the equivalent frozen scipy.stats object);
* ``_score(x, *theta)`` (per-observation :math:`\partial\log p/\partial\theta_j`) and
  ``_hess(x, *theta)`` (:math:`\partial^2\log p/\partial\theta_j\partial\theta_k`), and
  ``_fisher(*theta)`` (the expected information of one observation) where it is known;
* whatever the protocol's hooks can do better than these defaults: ``closed_form_mle``,
  ``profile_problem``, ``loglik_total`` from sufficient statistics, ``start_values`` (moments)
  for the numeric fits, ``conjugate_posterior``, ``exact_conf_int``, ...

``theta`` is always the tuple of parameter values in ``param_names`` order (float64 arrays that
broadcast together). Data reach the fitting hooks as :class:`~loglik.estimation.data.FitData`: the
validated values ``x`` and case weights ``w`` (``None`` for unit weights), with statistics cached
on it.
"""

from __future__ import annotations

import math

import numpy as np

from ..._validation import check_random_state
from ...estimation.data import CHUNK, FitData, dot
from ...estimation.family import Family

__all__ = ["Distribution", "WithoutQuantiles"]

_REAL = (float, int, np.floating, np.integer)


# --------------------------------------------------------------------------------------------
# The base class
# --------------------------------------------------------------------------------------------


class Distribution(Family):
    """A probability distribution: a family with its parameter values.

    Construct with the documented parameters (positionally or by name); each may be an array,
    and arrays broadcast together (a batch of distributions, e.g. one per regression row).
    Methods follow scipy.stats: ``logpdf``, ``pdf``, ``cdf``, ``sf``, ``ppf``,
    ``sample(size, random_state)``, ``mean``, ``var``, ``std``; ``params`` is the dict of
    parameter values; ``to_scipy()`` the equivalent frozen scipy.stats distribution;
    ``score(x)`` and ``fisher_information()`` the derivatives the likelihood theory uses.
    """

    def __init__(self, *args, **kwargs):
        values = self._bind(args, kwargs)
        self._theta = self.check_params(values, "")

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
    def check_params(cls, values: dict, context: str) -> tuple:
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
        edge = below | above
        if not edge.any():  # the common case (samples, data): no substitution needed
            out = np.asarray(self._cdf(x, *self._theta), dtype=np.float64)
            return out if out.ndim else float(out)
        safe = np.where(edge, self._safe_point(), x)
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

    def logcdf(self, x) -> np.ndarray:
        r""":math:`\log F(x)`, accurate far in the lower tail (where :math:`F` underflows)."""
        out = self.log_cdf(self._as_points(x), *self._theta)
        return out if np.ndim(out) else float(out)

    def logsf(self, x) -> np.ndarray:
        r""":math:`\log S(x) = \log P(X > x)`, accurate far in the upper tail."""
        out = self.log_sf(self._as_points(x), *self._theta)
        return out if np.ndim(out) else float(out)

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

    # ---- the likelihood from the per-observation formulas (class level) --------------------

    _fisher = None  # families with a known information matrix define _fisher(*theta)
    # Families fitted by Newton on all the data may define _pointwise(x, *theta) ->
    # (logpdf, score, hess) sharing the intermediate results (one pass instead of three).
    _pointwise = None
    _dlogpdf_dx = None  # continuous families: d log p / dx and its derivative (for priors)
    _d2logpdf_dx2 = None

    @classmethod
    def _rows(cls, data: FitData) -> FitData:
        """The data the likelihood sums run over: distinct values with counts when discrete."""
        return data.compressed() if cls.discrete else data

    @classmethod
    def loglik_total(cls, data: FitData, *theta):
        r""":math:`\sum_i w_i \log p(x_i \mid \theta)` from ``_logpdf``, block by block; parameters
        may be arrays (a grid), and the result has their broadcast shape. Families with
        sufficient statistics override this with an O(1) formula."""
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
    def loglik_derivatives(cls, data: FitData, theta: tuple, order: int = 2):
        r"""``(loglik, grad, hess)`` from ``_logpdf``, ``_score`` and ``_hess`` (or one
        ``_pointwise`` pass), summed block by block with the weights."""
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

    # ---- tails: the protocol's log-cdf and log-survival hooks (censored data) ---------------

    # A family gives _logcdf(x, *theta) / _logsf(x, *theta) accurate in its tails (default:
    # log F and log1p(-F) from _cdf), and for derivatives either a pivot -- _pivot(x, *theta)
    # -> (u, du, d2u) with _tails, its standard member -- or nothing (finite differences of the
    # log-tail in the parameters). See tails.py.
    _pivot = None
    _tails = None  # the pivot's standard member (a tails.StandardTails)

    @classmethod
    def _standard_tails(cls, u):
        t = cls._tails
        return t.logpdf(u), t.dlogpdf(u), t.logcdf(u), t.logsf(u)

    @classmethod
    def _logcdf(cls, x, *theta):
        with np.errstate(divide="ignore"):
            return np.log(cls._cdf(x, *theta))

    @classmethod
    def _logsf(cls, x, *theta):
        with np.errstate(divide="ignore"):
            return np.log1p(-cls._cdf(x, *theta))

    @classmethod
    def _tail_edges(cls, x, theta):
        """``(below, above)``: the points where F = 0 (below the support's lower end, or at it
        for a continuous family) and where S = 0 (at or above its upper end)."""
        low, high = cls._bounds(*theta)
        below = x < low if cls.discrete else x <= low
        above = x >= high
        return below, above

    @classmethod
    def log_cdf(cls, x, *theta):
        below, above = cls._tail_edges(x, theta)
        return cls._edged(cls._logcdf, x, theta, below, above, -np.inf, 0.0)

    @classmethod
    def log_sf(cls, x, *theta):
        below, above = cls._tail_edges(x, theta)
        return cls._edged(cls._logsf, x, theta, below, above, 0.0, -np.inf)

    @classmethod
    def _edged(cls, fn, x, theta, below, above, at_low, at_high):
        if not (np.any(below) or np.any(above)):
            return fn(x, *theta)
        low, high = cls._bounds(*theta)
        inner = 0.5 * (low + high) if np.isfinite(low) and np.isfinite(high) else None
        if inner is None:
            inner = low + 1.0 if np.isfinite(low) else (high - 1.0 if np.isfinite(high) else 0.0)
        safe = np.where(below | above, inner, x)
        return np.where(below, at_low, np.where(above, at_high, fn(safe, *theta)))

    @classmethod
    def log_cdf_derivatives(cls, x, theta, order=2):
        return cls._tail_derivatives(x, theta, order, upper=False)

    @classmethod
    def log_sf_derivatives(cls, x, theta, order=2):
        return cls._tail_derivatives(x, theta, order, upper=True)

    @classmethod
    def _tail_derivatives(cls, x, theta, order, upper):
        below, above = cls._tail_edges(x, theta)
        edge = below | above
        inside = x[~edge] if np.any(edge) else x
        L, grad, hess = cls._inner_tail_derivatives(inside, theta, order, upper)
        if not np.any(edge):
            return L, grad, hess
        limit = np.where(below, 0.0 if upper else -np.inf, -np.inf if upper else 0.0)
        return _scatter(edge, limit, L, grad, hess)

    @classmethod
    def _inner_tail_derivatives(cls, x, theta, order, upper):
        """``(L, grad, hess)`` of the log-tail at points inside the support: from the pivot,
        else by finite differences (a family may do better, as the gamma does)."""
        from .tails import fd_tail_derivatives, pivot_tail_derivatives

        if cls._pivot is None:
            return fd_tail_derivatives(cls._logsf if upper else cls._logcdf, cls, x, theta, order)
        u, du, d2u = cls._pivot(x, *theta)
        log_g, dlog_g, log_lower, log_upper = cls._standard_tails(u)
        tail = log_upper if upper else log_lower
        return pivot_tail_derivatives(tail, log_g, dlog_g, u, du, d2u, upper, order)


def _scatter(edge, limit, L, grad, hess):
    """Per-point tails with the support's edges put back: the limit value, no derivative."""

    def put(values, fill):
        out = np.full(edge.shape, fill, dtype=np.float64)
        out[~edge] = values
        return out

    L = np.where(edge, limit, put(L, 0.0))
    grad = [put(g, 0.0) for g in grad]
    hess = None if hess is None else [[put(h, 0.0) for h in row] for row in hess]
    return L, grad, hess


def _scalar(v):
    v = np.asarray(v, dtype=np.float64)
    return float(v) if v.ndim == 0 else v


def _wsum(values, w, x=None) -> float:
    """:math:`\\sum_i w_i v_i` for one block (values may be a constant)."""
    if np.ndim(values) == 0:
        count = (x.shape[0] if x is not None else 1) if w is None else float(w.sum())
        return float(values) * count
    return float(values.sum() if w is None else dot(w, values))


class WithoutQuantiles:
    """A mixin for distributions over several parameters at once (priors such as the Dirichlet):
    no cdf, survival or quantile function; their marginals have them."""

    def cdf(self, x):
        raise TypeError(f"the {self.name} distribution has no cdf here; use marginal(...)")

    sf = cdf

    def ppf(self, q):
        raise TypeError("a multivariate distribution has no quantile function; use marginal(...)")
