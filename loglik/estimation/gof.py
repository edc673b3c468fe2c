r"""Goodness of fit with estimated parameters: Kolmogorov–Smirnov, Cramér–von Mises and
Anderson–Darling statistics with p-values by a parametric bootstrap that refits every replicate.

With :math:`u_{(1)} \le \dots \le u_{(n)}` the fitted cdf at the sorted data,

.. math::
    D = \max_i \max\left(\tfrac{i}{n} - u_{(i)},\ u_{(i)} - \tfrac{i-1}{n}\right),\qquad
    W^2 = \frac{1}{12n} + \sum_i \left(u_{(i)} - \frac{2i - 1}{2n}\right)^2,

.. math::
    A^2 = -n - \frac1n\sum_i (2i - 1)\left[\log u_{(i)} + \log(1 - u_{(n+1-i)})\right]

(the log-cdf and log-survival function evaluated directly, so :math:`A^2` stays finite far in
the tails). Once parameters are estimated the textbook p-values of these statistics are wrong
(too large: the fit is closer to the data than the true distribution). The general remedy is
the parametric bootstrap (Stute, Gonzáles Manteiga & Presedo Quindimil 1993): draw ``n_boot``
samples of size :math:`n` from the fitted distribution, **refit each**, recompute the
statistic, and report :math:`p = (1 + \#\{T_b \ge T\})/(B + 1)`, as
``scipy.stats.goodness_of_fit`` does. The replicates are drawn as one :math:`(B, n)` array and,
where the family has a vectorised fit (:meth:`~loglik.estimation.family.Family.fit_batch`:
closed forms, or a few batched Newton steps on sufficient statistics), fitted at once; the
statistics are computed for all replicates together after one sort.

These statistics need the complete empirical cdf: they do not apply to censored data (their
censored-data variants, e.g. Koziol & Green's for right censoring, have null distributions of
their own and are not implemented), nor to discrete families (ties make them conservative).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._validation import ConvergenceWarning, check_random_state, check_scalar
from .data import FitData
from .fitting import estimate
from .likelihood import theta_from

__all__ = ["STATISTICS", "edf_statistics", "gof"]

STATISTICS = {
    "ks": "Kolmogorov-Smirnov D",
    "cvm": "Cramer-von Mises W2",
    "ad": "Anderson-Darling A2",
}
_BLOCK = 1 << 18  # replicate values handled at once (memory stays small)


def check_statistics(statistic) -> list[str]:
    """``"ks"``, ``"cvm"``, ``"ad"``, ``"all"`` or a list of them -> the list."""
    names = (
        list(STATISTICS)
        if statistic == "all"
        else [statistic]
        if isinstance(statistic, str)
        else list(statistic)
    )
    bad = [s for s in names if s not in STATISTICS]
    if bad or not names:
        raise ValueError(
            f"statistic must be one of {', '.join(STATISTICS)} or 'all', got {statistic!r}"
        )
    return names


def edf_statistics(dist, xs: np.ndarray, names) -> dict:
    """The statistics ``names`` of sorted samples ``xs`` (last axis) against ``dist`` (an object
    with ``cdf``, ``logcdf`` and ``logsf``, which may hold one distribution per row); arrays
    of the leading shape."""
    n = xs.shape[-1]
    i = np.arange(1, n + 1, dtype=np.float64)
    out = {}
    if "ks" in names or "cvm" in names:
        u = dist.cdf(xs)
        if "ks" in names:
            out["ks"] = np.maximum((i / n - u).max(axis=-1), (u - (i - 1.0) / n).max(axis=-1))
        if "cvm" in names:
            out["cvm"] = 1.0 / (12.0 * n) + ((u - (2.0 * i - 1.0) / (2.0 * n)) ** 2).sum(axis=-1)
    if "ad" in names:
        terms = dist.logcdf(xs) + dist.logsf(xs)[..., ::-1]
        out["ad"] = -n - ((2.0 * i - 1.0) / n * terms).sum(axis=-1)
    return out


def _check_applicable(result) -> None:
    cls = result.family_class
    if getattr(cls, "censored", False):
        raise ValueError(
            "goodness-of-fit statistics (KS, CvM, AD) need the complete empirical cdf: they do "
            "not apply to censored or truncated data; compare fits by AIC, and look at "
            "plotting.fit_diagnostics (the Kaplan-Meier / Turnbull curve against the fit)"
        )
    if cls.discrete or cls.multivariate:
        raise ValueError(
            f"goodness-of-fit tests here are for continuous univariate families, not {cls.name}"
        )
    if result.data.w is not None:
        raise ValueError(
            "goodness-of-fit tests need unweighted data (the EDF of weighted rows differs)"
        )


def _refit(cls, samples: np.ndarray, fixed: dict):
    """``(theta, ok)``: the MLE of every row, as ``(B,)`` arrays in ``param_names`` order, and
    which rows have one (vectorised when the family allows, else row by row)."""
    batch = cls.fit_batch(samples, fixed)
    if batch is not None:
        theta = tuple(
            np.broadcast_to(np.asarray(t, dtype=np.float64), samples.shape[:1]) for t in batch
        )
        ok = np.all([np.isfinite(t) for t in theta], axis=0)
        return theta, ok
    rows, ok = [], np.ones(samples.shape[0], dtype=bool)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        for b, row in enumerate(samples):
            try:
                est = estimate(cls, FitData(row), fixed)
                rows.append([float(v) for v in theta_from(cls, {**est.values, **fixed})])
            except (ValueError, ConvergenceWarning, ArithmeticError):
                ok[b] = False
                rows.append([np.nan] * len(cls.param_names))
    return tuple(np.array(col) for col in zip(*rows)), ok


def _null_statistics(result, names, n_boot, rng) -> tuple[dict, int]:
    cls, n = result.family_class, result.n_obs
    per_block = max(1, _BLOCK // n)
    null = {s: [] for s in names}
    failed = 0
    for lo in range(0, n_boot, per_block):
        samples = result.dist.sample((min(per_block, n_boot - lo), n), rng)
        theta, ok = _refit(cls, samples, result.fixed)
        failed += int((~ok).sum())
        samples.sort(axis=1)
        good = [np.asarray(t)[ok][:, None] for t in theta]
        stats = edf_statistics(cls(*good), samples[ok], names)
        for s in names:
            null[s].append(stats[s])
    return {s: np.concatenate(v) for s, v in null.items()}, failed


def gof(result, statistic="all", n_boot=999, random_state=None) -> pd.DataFrame:
    """Goodness-of-fit tests of a fitted continuous distribution (see the module doc).

    Parameters
    ----------
    result : FitResult
        A maximum-likelihood fit to complete (uncensored, unweighted) continuous data.
    statistic : {"ks", "cvm", "ad", "all"} or list
        Which statistics.
    n_boot : int
        Parametric-bootstrap replicates, each refitted (with the fit's ``fixed``).
    random_state : int or numpy Generator, optional

    Returns
    -------
    pandas.DataFrame
        Indexed by statistic: ``statistic`` (its value on the data), ``pvalue``
        (:math:`(1 + \\#\\{T_b \\ge T\\})/(B + 1)`), ``n_boot`` (replicates used: those whose
        MLE exists) and ``name``.
    """
    _check_applicable(result)
    names = check_statistics(statistic)
    n_boot = check_scalar(n_boot, "n_boot", low=1, integer=True)
    rng = check_random_state(random_state)
    xs = np.sort(np.asarray(result.data.x, dtype=np.float64))
    observed = edf_statistics(result.dist, xs, names)
    null, failed = _null_statistics(result, names, n_boot, rng)
    rows = []
    for s in names:
        t = float(observed[s])
        exceed = int(np.sum(null[s] >= t * (1.0 - 1e-12)))
        used = null[s].size
        rows.append(
            {
                "statistic": t,
                "pvalue": (exceed + 1.0) / (used + 1.0),
                "n_boot": used,
                "name": STATISTICS[s],
            }
        )
    frame = pd.DataFrame(rows, index=names)
    frame.attrs["failed"] = failed
    return frame
