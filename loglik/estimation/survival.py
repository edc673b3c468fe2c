r"""Nonparametric estimates of the distribution of censored data: Kaplan–Meier (exact and
right-censored rows) and Turnbull's NPMLE (any mix of exact, left-, right- and
interval-censored rows), what a fitted survival function is drawn against.

**Kaplan–Meier** (product limit): at each distinct exact value :math:`t_j`, with :math:`d_j` the
weight of the rows observed there and :math:`r_j` the weight of the rows still at risk (exact or
censored at :math:`t \ge t_j`), :math:`\hat S(t) = \prod_{t_j \le t}(1 - d_j/r_j)`, and
Greenwood's variance :math:`\hat S^2\sum_{t_j\le t} d_j/(r_j(r_j - d_j))`.

**Turnbull** (1976): the NPMLE puts its mass on the *innermost intervals* — the intervals
between a left end and the next right end among all rows' ends — and the masses :math:`p_j`
solve the self-consistency equations

.. math:: p_j = \frac1n\sum_i w_i \frac{\alpha_{ij} p_j}{\sum_k \alpha_{ik} p_k},

:math:`\alpha_{ij} = 1` when innermost interval :math:`j` lies in row :math:`i`'s interval, by
the EM iteration. Within an innermost interval the NPMLE does not say where the mass lies (only
the interval's total is identified); with exact and right-censored rows only it equals
Kaplan–Meier. Rows are taken as intervals :math:`(l, u]` (exact rows as points); for counts
the lower ends are lowered by one, as in the likelihood.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .censored_data import CensoredFitData

__all__ = ["kaplan_meier", "npmle", "turnbull"]


def _weights(data: CensoredFitData) -> np.ndarray:
    return np.ones(data.n_obs) if data.w is None else np.asarray(data.w, dtype=np.float64)


def kaplan_meier(data: CensoredFitData) -> pd.DataFrame:
    """The Kaplan–Meier estimate from exact and right-censored rows: one row per distinct exact
    value, columns ``lower`` = ``upper`` (the time), ``mass`` (the drop), ``survival``
    (:math:`\\hat S` just after it), ``se`` (Greenwood), ``at_risk``, ``events``."""
    counts = data.counts()
    if counts["left"] or counts["interval"]:
        raise ValueError("Kaplan-Meier needs exact and right-censored rows only; use turnbull")
    t, w, exact = data.bounds[:, 0], _weights(data), data.kind == 0
    times = np.unique(t[exact])
    order = np.argsort(t, kind="stable")
    ts, ws = t[order], w[order]
    at_risk = ws.sum() - np.r_[0.0, np.cumsum(ws)][np.searchsorted(ts, times, side="left")]
    events = np.bincount(np.searchsorted(times, t[exact]), weights=w[exact], minlength=times.size)
    factor = 1.0 - events / at_risk
    survival = np.cumprod(factor)
    with np.errstate(divide="ignore", invalid="ignore"):
        green = np.cumsum(events / (at_risk * (at_risk - events)))
    return pd.DataFrame(
        {
            "lower": times,
            "upper": times,
            "mass": -np.diff(np.r_[1.0, survival]),
            "survival": survival,
            "se": survival * np.sqrt(green),
            "at_risk": at_risk,
            "events": events,
        }
    )


def _ends(data: CensoredFitData, discrete: bool):
    lo, hi = data.bounds[:, 0].copy(), data.bounds[:, 1]
    exact = data.kind == 0
    if discrete:
        lo[~exact] -= 1.0
    return lo, hi, exact


def innermost_intervals(lo, hi, exact) -> np.ndarray:
    """The innermost intervals ``(a, b, closed_left)`` of rows :math:`(l, u]` (points for exact
    rows): sorted ends, a left end immediately followed by a right end. At equal values a
    closed left end (an exact value) sorts first, then right ends, then open left ends."""
    values = np.r_[lo, hi]
    kinds = np.r_[np.where(exact, 0, 2), np.ones(hi.size, dtype=int)]  # 0 [L, 1 R], 2 (L
    order = np.lexsort((kinds, values))
    v, k = values[order], kinds[order]
    is_left = k != 1
    starts = np.flatnonzero(is_left[:-1] & ~is_left[1:])
    return np.column_stack([v[starts], v[starts + 1], (k[starts] == 0).astype(float)])


def turnbull(data: CensoredFitData, *, discrete=False, tol=1e-10, max_iter=5000) -> pd.DataFrame:
    """Turnbull's NPMLE (see the module doc): one row per innermost interval, columns
    ``lower``, ``upper``, ``mass``, ``survival`` (just after the interval); ``attrs`` holds
    ``converged`` and ``iterations``. Identical rows are merged first (their weights added)."""
    lo, hi, exact = _ends(data, discrete)
    rows, inverse = np.unique(np.column_stack([lo, hi, exact]), axis=0, return_inverse=True)
    w = np.bincount(inverse.ravel(), weights=_weights(data))
    lo, hi, exact = rows[:, 0], rows[:, 1], rows[:, 2].astype(bool)
    inner = innermost_intervals(lo, hi, exact)
    a, b, closed = inner[:, 0], inner[:, 1], inner[:, 2].astype(bool)
    inside = (lo[:, None] <= a[None, :]) & (b[None, :] <= hi[:, None])
    inside &= ~((lo[:, None] == a[None, :]) & closed[None, :] & ~exact[:, None])  # (l, u] omits l
    inside[exact] = (a[None, :] == lo[exact, None]) & (b[None, :] == lo[exact, None]) & closed
    p = np.full(a.size, 1.0 / a.size)
    W, converged, iterations = w.sum(), False, 0
    while not converged and iterations < max_iter:
        iterations += 1
        new = p * ((w / (inside @ p)) @ inside) / W
        converged = np.max(np.abs(new - p)) < tol
        p = new
    frame = pd.DataFrame({"lower": a, "upper": b, "mass": p, "survival": 1.0 - np.cumsum(p)})
    frame.attrs.update(converged=bool(converged), iterations=iterations)
    return frame


def npmle(data: CensoredFitData, *, discrete=False) -> pd.DataFrame:
    """Kaplan–Meier when every row is exact or right-censored (and the family continuous),
    else Turnbull's NPMLE."""
    counts = data.counts()
    if not discrete and counts["left"] == counts["interval"] == 0:
        return kaplan_meier(data)
    return turnbull(data, discrete=discrete)
