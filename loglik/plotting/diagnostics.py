"""Figures that check a fitted distribution against its data: histogram and density, Q-Q and P-P,
empirical against fitted cdf (Kaplan–Meier / Turnbull for censored data), and several fits side
by side.
"""

from __future__ import annotations

import numpy as np

from .axes import axes_or_new

__all__ = ["censored_diagnostics", "compare", "fit_diagnostics"]


def _observations(result):
    x = np.asarray(result.data.x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"this plot needs univariate data; {result.family} data are {x.ndim}-D")
    w = None if result.data.w is None else np.asarray(result.data.w, dtype=float)
    return x, w


def _grid_for(dist, x, discrete, n=400):
    if discrete:
        return np.arange(np.floor(x.min()), np.ceil(x.max()) + 1)
    lo, hi = np.quantile(x, [0.0, 1.0])
    pad = 0.05 * (hi - lo if hi > lo else 1.0)
    grid = np.linspace(lo - pad, hi + pad, n)
    return grid[np.isfinite(dist.logpdf(grid)) | (dist.pdf(grid) == 0)]


def _draw_data_and_density(ax, result, x, w, label=None, bins="auto", color=None):
    dist, discrete = result.dist, result.family_class.discrete
    grid = _grid_for(dist, x, discrete)
    if discrete:
        values, counts = np.unique(x, return_counts=w is None)[0], None
        if w is None:
            values, counts = np.unique(x, return_counts=True)
        else:
            values, inverse = np.unique(x, return_inverse=True)
            counts = np.bincount(inverse, weights=w)
        ax.bar(
            values,
            counts / counts.sum(),
            width=0.8,
            color="lightgrey",
            edgecolor="grey",
            label="data (relative frequency)",
        )
        ax.plot(
            grid,
            dist.pdf(grid),
            "o-",
            ms=3,
            lw=1,
            color=color,
            label=label or f"fitted {result.family} pmf",
        )
        ax.set_ylabel("probability")
    else:
        if isinstance(bins, str):  # numpy's rules need unweighted data: take edges from x alone
            bins = np.histogram_bin_edges(x, bins)
        ax.hist(
            x,
            bins=bins,
            weights=w,
            density=True,
            color="lightgrey",
            edgecolor="grey",
            label="data (histogram)",
        )
        ax.plot(
            grid,
            dist.pdf(grid),
            lw=1.8,
            color=color,
            label=label or f"fitted {result.family} density",
        )
        ax.set_ylabel("density")
    ax.set_xlabel("x")


def _ecdf(x, w):
    order = np.argsort(x, kind="stable")
    xs = x[order]
    ws = np.ones_like(xs) if w is None else w[order]
    return xs, np.cumsum(ws) / ws.sum()


def fit_diagnostics(result, *, axes=None, bins="auto"):
    """Four views of a fitted distribution against its data.

    Histogram (or relative frequencies) with the fitted density (pmf); QQ plot (data quantiles
    against fitted quantiles at plotting positions :math:`(i - 0.5)/n`); PP plot (empirical
    against fitted CDF); empirical CDF with the fitted CDF. ``axes`` is a sequence of four Axes
    (default: a new 2×2 figure). Returns the array of Axes. A fit to censored data gets
    :func:`censored_diagnostics` instead.
    """
    if hasattr(result.data, "bounds"):
        return censored_diagnostics(result, axes=axes)
    x, w = _observations(result)
    if axes is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(2, 2, figsize=(10, 8), layout="constrained")
        fig.suptitle(f"{result.family} fit: loglik {result.loglik:.4g}, AIC {result.aic:.4g}")
    axes = np.asarray(axes).ravel()
    if axes.size != 4:
        raise ValueError(f"axes must hold four Axes, got {axes.size}")
    dist = result.dist
    _draw_data_and_density(axes[0], result, x, w, bins=bins)
    axes[0].set_title("data and fitted density")
    axes[0].legend(fontsize="small")
    xs, ecdf = _ecdf(x, w)
    positions = ecdf - 0.5 * (np.diff(np.concatenate([[0.0], ecdf])))
    theoretical = dist.ppf(positions)
    axes[1].plot(theoretical, xs, ".", ms=4, label="data")
    lo, hi = np.nanmin([theoretical.min(), xs.min()]), np.nanmax([theoretical.max(), xs.max()])
    axes[1].plot([lo, hi], [lo, hi], color="black", lw=1, label="y = x")
    axes[1].set(
        xlabel=f"fitted {result.family} quantiles", ylabel="data quantiles", title="QQ plot"
    )
    axes[1].legend(fontsize="small")
    fitted = dist.cdf(xs)
    axes[2].plot(fitted, ecdf, ".", ms=4, label="data")
    axes[2].plot([0, 1], [0, 1], color="black", lw=1, label="y = x")
    axes[2].set(xlabel="fitted CDF", ylabel="empirical CDF", title="PP plot")
    axes[2].legend(fontsize="small")
    axes[3].step(xs, ecdf, where="post", lw=1.2, label="empirical CDF")
    grid = _grid_for(dist, x, result.family_class.discrete)
    axes[3].plot(
        grid,
        dist.cdf(grid),
        lw=1.6,
        drawstyle="steps-post" if result.family_class.discrete else "default",
        label=f"fitted {result.family} CDF",
    )
    axes[3].set(xlabel="x", ylabel="cumulative probability", title="CDF")
    axes[3].legend(fontsize="small")
    return axes


def censored_diagnostics(result, *, axes=None):
    r"""Four views of a fit to censored data against the nonparametric estimate of the same
    data (Kaplan–Meier, or Turnbull's NPMLE when rows are left- or interval-censored; see
    :mod:`loglik.estimation.survival`): survival functions; PP (NPMLE against fitted cdf at the
    NPMLE's steps); QQ (the steps against the fitted quantiles of the same probabilities); the
    cumulative hazard :math:`\log(-\log S)` against :math:`\log x` (a straight line of slope
    :math:`k` for a Weibull). With ``truncation=(a, b)`` the fitted curve is the conditional
    survival :math:`(F(b) - F(x))/(F(b) - F(a))`, the law of what could be observed.
    """
    from ..estimation.survival import npmle

    cls, dist, data = result.family_class, result.dist, result.data
    steps = npmle(data, discrete=cls.discrete)
    steps = steps[(steps["mass"] > 1e-12) & np.isfinite(steps["upper"])]
    if axes is None:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(2, 2, figsize=(10, 8), layout="constrained")
        fig.suptitle(
            f"{result.family} fit to censored data ({data.describe()}): "
            f"loglik {result.loglik:.4g}, AIC {result.aic:.4g}",
            fontsize="medium",
        )
    axes = np.asarray(axes).ravel()
    if axes.size != 4:
        raise ValueError(f"axes must hold four Axes, got {axes.size}")
    a, b = data.truncation or (-np.inf, np.inf)
    Fa, Fb = (dist.cdf(v) if np.isfinite(v) else float(v > 0) for v in (a, b))

    def survival(t):
        return np.clip((Fb - dist.cdf(t)) / (Fb - Fa), 0.0, 1.0)

    ends = data.bounds[np.isfinite(data.bounds)]
    low, high = dist.support_bounds()
    start = max(ends.min() - 0.05 * np.ptp(ends), low)
    grid = np.linspace(start, min(ends.max() + 0.05 * np.ptp(ends), high), 400)
    steps = steps.assign(lower=steps["lower"].clip(lower=start))
    kind = "Kaplan-Meier" if (steps["lower"] == steps["upper"]).all() else "Turnbull NPMLE"
    _draw_npmle(axes[0], steps, kind, grid[0], ends.max())
    axes[0].plot(grid, survival(grid), lw=1.8, label=f"fitted {result.family}")
    axes[0].set(xlabel="x", ylabel="survival P(X > x)", title="survival functions")
    axes[0].legend(fontsize="small")
    empirical = 1.0 - steps["survival"].to_numpy()
    upper = steps["upper"].to_numpy()
    axes[1].plot(1.0 - survival(upper), empirical, "o", ms=4, label=kind)
    axes[1].plot([0, 1], [0, 1], color="black", lw=1, label="y = x")
    axes[1].set(xlabel="fitted CDF", ylabel=f"{kind} CDF", title="PP plot")
    inside = (empirical > 0) & (empirical < 1)
    q = dist.ppf(Fa + empirical[inside] * (Fb - Fa))
    axes[2].plot(q, upper[inside], "o", ms=4, label=kind)
    both = np.r_[q, upper[inside]]
    axes[2].plot([both.min(), both.max()], [both.min(), both.max()], color="black", lw=1)
    axes[2].set(xlabel=f"fitted {result.family} quantiles", ylabel=f"{kind} steps", title="QQ plot")
    positive = (upper > 0) & inside
    if positive.any():
        s_np = steps["survival"].to_numpy()[positive]
        axes[3].plot(np.log(upper[positive]), np.log(-np.log(s_np)), "o", ms=4, label=kind)
        g = grid[(grid > 0) & (survival(grid) > 0) & (survival(grid) < 1)]
        axes[3].plot(np.log(g), np.log(-np.log(survival(g))), lw=1.6, label="fitted")
    axes[3].set(xlabel="log x", ylabel="log(-log S(x))", title="cumulative hazard (Weibull plot)")
    axes[3].legend(fontsize="small")
    return axes


def _draw_npmle(ax, steps, kind, start, end):
    """The NPMLE's survival from ``start`` to ``end``: level between its steps, dropping at an
    exact time, and linearly across an innermost interval (where the NPMLE does not say how
    the mass is spread)."""
    s_after = steps["survival"].to_numpy()
    s_before = np.r_[1.0, s_after[:-1]]
    lo, hi = steps["lower"].to_numpy(), steps["upper"].to_numpy()
    xs = np.r_[start, np.column_stack([lo, hi]).ravel(), max(end, hi[-1])]
    ys = np.r_[1.0, np.column_stack([s_before, s_after]).ravel(), s_after[-1]]
    ax.plot(xs, ys, color="black", lw=1.2, label=kind)


def compare(results, *, ax=None, bins="auto", criterion="aic"):
    """Several fitted families over one histogram of their (common) data.

    ``results`` is a sequence (or dict) of FitResults on the same data; the legend gives each
    family's ``criterion`` ("aic", "bic" or "loglik"), best first.
    """
    results = list(results.values()) if isinstance(results, dict) else list(results)
    if not results:
        raise ValueError("results is empty")
    if criterion not in ("aic", "bic", "aicc", "loglik"):
        raise ValueError(f"criterion must be 'aic', 'aicc', 'bic' or 'loglik', got {criterion!r}")
    x, w = _observations(results[0])
    for r in results[1:]:
        if r.data.x.shape != results[0].data.x.shape or not np.array_equal(r.data.x, x):
            raise ValueError("compare needs fits to the same data")
    sign = -1 if criterion == "loglik" else 1
    ranked = sorted(results, key=lambda r: sign * getattr(r, criterion))
    ax = axes_or_new(ax)
    first = True
    for r in ranked:
        score = getattr(r, criterion)
        label = (
            f"{r.family} ({criterion.upper() if criterion != 'loglik' else 'loglik'} {score:.4g})"
        )
        if first:
            _draw_data_and_density(ax, r, x, w, label=label, bins=bins)
            first = False
        else:
            grid = _grid_for(r.dist, x, r.family_class.discrete)
            style = "o-" if r.family_class.discrete else "-"
            ax.plot(grid, r.dist.pdf(grid), style, ms=3, lw=1.5, label=label)
    ax.set_title(f"Fitted families, ranked by {criterion.upper()}")
    ax.legend(fontsize="small")
    return ax
