r"""The likelihood of censored and truncated data, for any family that gives its log-cdf and
log-survival function (the protocol's :meth:`~loglik.estimation.family.Family.log_cdf`,
:meth:`~loglik.estimation.family.Family.log_sf` and their derivatives).

With rows as in :mod:`loglik.estimation.censored_data` and case weights :math:`w_i`,

.. math::
    \ell(\theta) = \sum_{\text{exact}} w_i \log f(x_i) + \sum_{\text{right}} w_i \log S(l_i)
      + \sum_{\text{left}} w_i \log F(u_i) + \sum_{\text{interval}} w_i \log\{F(u_i) - F(l_i)\}
      - n \log\{F(b) - F(a)\}

(the last term with ``truncation=(a, b)``; for counts every lower end :math:`l` is replaced by
:math:`l - 1`, so both ends of a row are included). An interval's probability is computed from
the tail it lies in, :math:`\log F(u) + \log(1 - e^{\log F(l) - \log F(u)})` below the median and
:math:`\log S(l) + \log(1 - e^{\log S(u) - \log S(l)})` above it, so neither tail cancels. Its
derivatives follow from the ends': with :math:`D = P_1 - P_2` (the larger and smaller tail
probability, :math:`c_j = P_j / D`, :math:`g_j, H_j` the gradient and Hessian of
:math:`\log P_j`),

.. math:: \nabla\log D = c_1 g_1 - c_2 g_2,\qquad
          \nabla^2\log D = c_1(H_1 + g_1 g_1^\top) - c_2(H_2 + g_2 g_2^\top)
                           - \nabla\log D\,\nabla\log D^\top.

:func:`censored_family` wraps a family into one whose protocol hooks (``loglik_total``,
``loglik_derivatives``, ``check_data``, the reduced problems, ``start_values``,
``bootstrap_data``) read :class:`~loglik.estimation.censored_data.CensoredFitData`: the exact
rows go to the family's own (sufficient-statistic) likelihood, the others to the terms above.
Everything downstream (Newton, standard errors, Wald / profile / bootstrap intervals, surfaces,
``compare``) then works unchanged.
"""

from __future__ import annotations

import numpy as np

from .censored_data import CensoredFitData, check_censored_support
from .data import CHUNK
from .family import Family
from .fitting import estimate
from .likelihood import theta_from

__all__ = ["censored_derivatives", "censored_family", "censored_loglik", "log1mexp"]

_LN2 = np.log(2.0)


def log1mexp(d):
    r""":math:`\log(1 - e^{d})` for :math:`d \le 0`, accurate at both ends (Mächler 2012)."""
    d = np.asarray(d, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > -_LN2, np.log(-np.expm1(d)), np.log1p(-np.exp(d)))


# --------------------------------------------------------------------------------------------
# The points where each kind of row evaluates the cdf
# --------------------------------------------------------------------------------------------


def _points(cls, data: CensoredFitData) -> dict:
    """``{"right": (l, w), "left": (u, w), "interval": (l, u, w), "truncation": (a, b)}`` with
    the discrete shift of lower ends (cached per discreteness)."""

    def compute():
        shift = 1.0 if cls.discrete else 0.0
        out = {}
        r = data.group("right")
        out["right"] = (r.x - shift, r.w) if r.n_obs else None
        left = data.group("left")
        out["left"] = (left.x, left.w) if left.n_obs else None
        lo, hi = data.group("interval", 0), data.group("interval", 1)
        out["interval"] = (lo.x - shift, hi.x, lo.w) if lo.n_obs else None
        out["truncation"] = None
        if data.truncation is not None:
            a, b = data.truncation
            out["truncation"] = (np.array([a - shift]), np.array([b]))
        return out

    return data.cached(("points", cls.discrete), compute)


def _log_interval(cls, a, b, theta):
    """:math:`\\log\\{F(b) - F(a)\\}` per row, from the smaller tail; either end may be
    infinite."""
    if np.all(np.isneginf(a)):
        return cls.log_cdf(b, *theta)
    if np.all(np.isposinf(b)):
        return cls.log_sf(a, *theta)
    lfa, lfb = cls.log_cdf(a, *theta), cls.log_cdf(b, *theta)
    lsa, lsb = cls.log_sf(a, *theta), cls.log_sf(b, *theta)
    with np.errstate(invalid="ignore"):
        return np.where(lsa < lfa, lsa + log1mexp(lsb - lsa), lfb + log1mexp(lfa - lfb))


def _weighted_total(values, w):
    """Sum over the last axis, weighted."""
    return values.sum(axis=-1) if w is None else values @ w


def _grid_total(fn, arrays, w, theta):
    """:math:`\\sum_i w_i\\,fn(\\text{arrays}_i, \\theta)` for scalar ``theta``, or over a grid of
    parameter values (the result has the grid's shape), block by block."""
    theta = np.broadcast_arrays(*[np.asarray(t, dtype=np.float64) for t in theta])
    shape = theta[0].shape
    if shape == ():
        return float(_weighted_total(fn(*arrays, theta), w))
    flat = [t.reshape(-1, 1) for t in theta]
    out = np.empty(flat[0].shape[0])
    step = max(1, (1 << 20) // max(1, min(arrays[0].shape[0], CHUNK)))
    for lo in range(0, out.size, step):
        block = [t[lo : lo + step] for t in flat]
        out[lo : lo + step] = _weighted_total(fn(*[a[None, :] for a in arrays], block), w)
    return out.reshape(shape)


def censored_loglik(cls, data: CensoredFitData, *theta):
    r"""The censored rows' and the truncation's part of :math:`\ell(\theta)` (the module doc);
    ``theta`` may be grids of values."""
    pts = _points(cls, data)
    total = 0.0
    if pts["right"] is not None:
        x, w = pts["right"]
        total = total + _grid_total(lambda x, t: cls.log_sf(x, *t), (x,), w, theta)
    if pts["left"] is not None:
        x, w = pts["left"]
        total = total + _grid_total(lambda x, t: cls.log_cdf(x, *t), (x,), w, theta)
    if pts["interval"] is not None:
        a, b, w = pts["interval"]
        total = total + _grid_total(lambda a, b, t: _log_interval(cls, a, b, t), (a, b), w, theta)
    if pts["truncation"] is not None:
        a, b = pts["truncation"]
        log_p = _grid_total(lambda a, b, t: _log_interval(cls, a, b, t), (a, b), None, theta)
        total = total - data.n * log_p
    return total


# --------------------------------------------------------------------------------------------
# Derivatives
# --------------------------------------------------------------------------------------------


def _as_arrays(result, k, m):
    """``(L, G, H)`` as arrays of shapes ``(m,)``, ``(k, m)``, ``(k, k, m)`` (H None)."""
    L, grad, hess = result
    L = np.broadcast_to(np.asarray(L, dtype=np.float64), (m,))
    G = np.array([np.broadcast_to(np.asarray(g, dtype=np.float64), (m,)) for g in grad])
    H = None
    if hess is not None:
        H = np.array(
            [[np.broadcast_to(np.asarray(h, dtype=np.float64), (m,)) for h in row] for row in hess]
        )
    return L, G.reshape(k, m), H


def _tail(cls, which, x, theta, order):
    hook = cls.log_sf_derivatives if which == "sf" else cls.log_cdf_derivatives
    return _as_arrays(hook(x, theta, order), len(cls.estimable_names), x.shape[0])


def _interval_rows(cls, a, b, theta, order):
    """``(L, G, H)`` per row of :math:`\\log\\{F(b) - F(a)\\}` from the smaller tail."""
    k, m = len(cls.estimable_names), a.shape[0]
    with np.errstate(invalid="ignore"):
        upper = cls.log_sf(a, *theta) < cls.log_cdf(a, *theta)
    L, G = np.empty(m), np.empty((k, m))
    H = np.empty((k, k, m)) if order >= 2 else None
    for mask, which, big_at, small_at in ((upper, "sf", a, b), (~upper, "cdf", b, a)):
        if not mask.any():
            continue
        Lb, Gb, Hb = _tail(cls, which, big_at[mask], theta, order)
        Ls, Gs, Hs = _tail(cls, which, small_at[mask], theta, order)
        with np.errstate(invalid="ignore", over="ignore"):
            logD = Lb + log1mexp(Ls - Lb)
            cb, cs = np.exp(Lb - logD), np.exp(Ls - logD)
        live = cs > 0  # an end at the edge of the support (F = 0 or S = 0) adds nothing
        Gs = np.where(live, Gs, 0.0)
        g = cb * Gb - cs * Gs
        L[mask], G[:, mask] = logD, g
        if H is not None:
            Hs = np.where(live, Hs, 0.0)
            outer_b = np.einsum("jm,km->jkm", Gb, Gb)
            outer_s = np.einsum("jm,km->jkm", Gs, Gs)
            H[:, :, mask] = (
                cb * (Hb + outer_b) - cs * (Hs + outer_s) - np.einsum("jm,km->jkm", g, g)
            )
    return L, G, H


def _accumulate(acc, rows, w, sign=1.0):
    L, G, H = rows
    acc[0] += sign * float(_weighted_total(L, w))
    acc[1] += sign * _weighted_total(G, w)
    if acc[2] is not None and H is not None:
        acc[2] += sign * _weighted_total(H, w)


def censored_derivatives(cls, data: CensoredFitData, theta: tuple, order: int = 2):
    """``(loglik, grad, hess)`` of :func:`censored_loglik` at one ``theta`` (over the estimable
    parameters, like :meth:`~loglik.estimation.family.Family.loglik_derivatives`)."""
    k = len(cls.estimable_names)
    acc = [0.0, np.zeros(k), np.zeros((k, k)) if order >= 2 else None]
    pts = _points(cls, data)
    for key, which in (("right", "sf"), ("left", "cdf")):
        if pts[key] is not None:
            x, w = pts[key]
            for lo in range(0, x.shape[0], CHUNK):
                wb = None if w is None else w[lo : lo + CHUNK]
                _accumulate(acc, _tail(cls, which, x[lo : lo + CHUNK], theta, order), wb)
    if pts["interval"] is not None:
        a, b, w = pts["interval"]
        for lo in range(0, a.shape[0], CHUNK):
            rows = _interval_rows(cls, a[lo : lo + CHUNK], b[lo : lo + CHUNK], theta, order)
            _accumulate(acc, rows, None if w is None else w[lo : lo + CHUNK])
    if pts["truncation"] is not None:
        a, b = pts["truncation"]
        if np.isneginf(a[0]):
            rows = _tail(cls, "cdf", b, theta, order)
        elif np.isposinf(b[0]):
            rows = _tail(cls, "sf", a, theta, order)
        else:
            rows = _interval_rows(cls, a, b, theta, order)
        _accumulate(acc, rows, np.array([data.n]), -1.0)
    return acc[0], list(acc[1]), acc[2]


# --------------------------------------------------------------------------------------------
# The family on censored data
# --------------------------------------------------------------------------------------------


class CensoredLikelihood:
    """The protocol hooks of a family on :class:`CensoredFitData` (mixed in before the family
    by :func:`censored_family`; ``uncensored`` is the family itself)."""

    uncensored: type = Family
    censored = True

    @classmethod
    def _exact(cls, data):
        exact = data.group("exact")
        return exact if exact.n_obs else None

    @classmethod
    def boundary_limits(cls, data, theta, free):
        """No limit models on censored data: the limit's maximised log-likelihood would have to
        be a censored fit too, which is not implemented, so a censored fit is flagged only at the
        closed ends of its domain (a t's df tending to infinity is not detected here)."""
        if not isinstance(data, CensoredFitData):
            return cls.uncensored.boundary_limits(data, theta, free)
        return []

    @classmethod
    def loglik_total(cls, data, *theta):
        base = cls.uncensored
        if not isinstance(data, CensoredFitData):
            return base.loglik_total(data, *theta)
        exact = cls._exact(data)
        total = censored_loglik(base, data, *theta)
        return total if exact is None else total + base.loglik_total(exact, *theta)

    @classmethod
    def loglik_derivatives(cls, data, theta, order=2):
        base = cls.uncensored
        if not isinstance(data, CensoredFitData):
            return base.loglik_derivatives(data, theta, order)
        ll, grad, hess = censored_derivatives(base, data, theta, order)
        exact = cls._exact(data)
        if exact is not None:
            ll_e, grad_e, hess_e = base.loglik_derivatives(exact, theta, order)
            ll, grad = ll + ll_e, [g + ge for g, ge in zip(grad, grad_e)]
            hess = None if hess is None or hess_e is None else hess + hess_e
        return ll, grad, hess

    @classmethod
    def check_data(cls, data, fixed):
        check_censored_support(cls.uncensored, data, fixed)

    @classmethod
    def closed_form_mle(cls, data, fixed):
        return cls.uncensored.censored_closed_form(data, fixed)

    @classmethod
    def profile_problem(cls, data, fixed):
        return cls.uncensored.censored_profile_problem(data, fixed)

    @classmethod
    def start_values(cls, data, fixed):
        base, pseudo = cls.uncensored, data.pseudo_sample()
        try:
            start = dict(estimate(base, pseudo, fixed).values)
        except (ValueError, ArithmeticError):
            try:
                start = base.start_values(pseudo, fixed)
            except (ValueError, ArithmeticError) as exc:
                raise ValueError(
                    f"no starting values for the censored {base.name} fit (from one value per "
                    f"row: {exc}); pass start="
                ) from None
        _check_possible(base, data, theta_from(base, {**start, **fixed}))
        return start

    @classmethod
    def exact_conf_int(cls, data, theta, free, level):
        return None

    @classmethod
    def usual_estimates(cls, data, theta, free):
        return {}

    @classmethod
    def conjugate_posterior(cls, data, fixed, prior):
        return None

    @classmethod
    def fit_notes(cls, theta, free):
        return list(cls.uncensored.fit_notes(theta, free))

    @classmethod
    def bootstrap_data(cls, data, dist, rng):
        """Nonparametric: the rows resampled with replacement (simulating the censoring
        mechanism is not possible from the data alone)."""
        return data.take(rng.integers(0, data.n_obs, data.n_obs))

    @classmethod
    def fit_batch(cls, samples, fixed):
        return None


def _check_possible(cls, data: CensoredFitData, theta) -> None:
    """ValueError naming the first censored row with probability 0 at ``theta`` (a row beyond a
    support that depends on a fixed parameter, such as the binomial's n)."""
    pts = _points(cls, data)
    checks = []
    if pts["right"] is not None:
        checks.append(("right", cls.log_sf(pts["right"][0], *theta)))
    if pts["left"] is not None:
        checks.append(("left", cls.log_cdf(pts["left"][0], *theta)))
    if pts["interval"] is not None:
        checks.append(("interval", _log_interval(cls, *pts["interval"][:2], theta)))
    for kind, logp in checks:
        bad = ~(np.asarray(logp) > -np.inf)
        if bad.any():
            row = int(data.rows_of(kind)[np.flatnonzero(bad)[0]])
            lo, hi = (float(v) for v in data.bounds[row])
            at = ", ".join(f"{n}={float(v):g}" for n, v in zip(cls.param_names, theta))
            raise ValueError(
                f"x (censored bounds) ({lo!r}, {hi!r}) at row {row} has probability 0 under "
                f"{cls.name} with {at}: it lies outside the support"
            )


_ADAPTERS: dict = {}


def censored_family(cls):
    """The family ``cls`` on censored / truncated data (a subclass of it, cached, not
    registered). Raises ValueError for families that cannot take censored data: multivariate,
    non-regular (the uniform), vector parameters, or without a cdf."""
    if getattr(cls, "censored", False):
        return cls
    if cls in _ADAPTERS:
        return _ADAPTERS[cls]
    if cls.multivariate or any(s.kind != "scalar" for s in cls.param_specs):
        raise ValueError(
            f"censored data need a univariate family with scalar parameters, not {cls.name}"
        )
    if not cls.regular:
        raise ValueError(
            f"the {cls.name} family is not regular (its support moves with its parameters): "
            "its censored-data MLE is not a stationary point, so loglik does not fit it"
        )
    adapter = type(f"Censored{cls.__name__}", (CensoredLikelihood, cls), {"uncensored": cls})
    _ADAPTERS[cls] = adapter
    return adapter
