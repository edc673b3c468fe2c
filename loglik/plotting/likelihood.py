"""Figures of a likelihood: curves and surfaces with their confidence regions, profiles, the
probability-versus-likelihood view and the prior's pull on a MAP estimate.
"""

from __future__ import annotations

import numpy as np

from .axes import axes_or_new

__all__ = [
    "likelihood_curve",
    "likelihood_surface",
    "map_vs_mle",
    "probability_vs_likelihood",
    "profile",
]


def _interval_where(x, relative, cut):
    """The ends of the set where ``relative >= -cut`` (linear interpolation at the crossings)."""
    inside = relative >= -cut
    if not inside.any():
        return np.nan, np.nan
    idx = np.flatnonzero(inside)
    lo, hi = idx[0], idx[-1]

    def cross(a, b):
        ya, yb = relative[a] + cut, relative[b] + cut
        return x[a] + (x[b] - x[a]) * ya / (ya - yb) if ya != yb else x[a]

    low = cross(lo - 1, lo) if lo > 0 else x[0]
    high = cross(hi + 1, hi) if hi < len(x) - 1 else x[-1]
    return low, high


def likelihood_curve(
    result,
    param,
    *,
    profile=False,
    level=0.95,
    values=None,
    n_points=201,
    relative=False,
    ax=None,
    label=None,
    color=None,
):
    r"""The log-likelihood of a fitted distribution as one parameter moves.

    The other free parameters are held at their MLE (``profile=False``: a slice) or maximised
    over at each value (``profile=True``: the profile log-likelihood). The MLE is marked, and the
    ``level`` likelihood-ratio cut :math:`\hat\ell - \chi^2_1(\text{level})/2` is drawn with the
    interval it cuts out shaded.

    Parameters
    ----------
    result : FitResult
    param : str
        The parameter label (``"mu"``, ``"sigma"``, ``"probs[0]"``...).
    relative : bool
        Plot :math:`\ell - \hat\ell` (0 at the MLE) instead of :math:`\ell`.
    values, n_points
        The grid (default: ±4 standard errors on the parameter's unconstrained scale).
    """
    from ..estimation.surface import loglik_curve, wilks_drop

    ax = axes_or_new(ax)
    frame = loglik_curve(result, param, values, profile=profile, n_points=n_points)
    x, rel = frame[param].to_numpy(), frame["relative"].to_numpy()
    shift = 0.0 if relative else result.loglik
    kind = "profile" if profile else "slice"
    (line,) = ax.plot(x, rel + shift, lw=1.8, color=color, label=label or f"{kind} log-likelihood")
    cut = wilks_drop(level, 1)
    low, high = _interval_where(x, rel, cut)
    ax.axhline(shift - cut, color="grey", ls="--", lw=1, label=f"{level:.0%} likelihood-ratio cut")
    ax.axvspan(
        low,
        high,
        color=line.get_color(),
        alpha=0.12,
        label=f"{level:.0%} LR interval [{low:.4g}, {high:.4g}]",
    )
    mle = result.estimates[param]
    ax.plot([mle], [shift], "o", color="black", ms=6, label=f"MLE {param} = {mle:.4g}", zorder=5)
    ax.set_xlabel(param)
    ax.set_ylabel("log-likelihood" + (" − maximum" if relative else ""))
    others = [p for p in result.labels if p != param]
    held = "profiled" if profile else ("at their MLE" if len(others) > 1 else "at its MLE")
    ax.set_title(
        f"{result.family}: log-likelihood in {param}"
        + (f" ({', '.join(others)} {held})" if others else "")
    )
    ax.legend(fontsize="small")
    return ax


def profile(result, param, *, level=0.95, values=None, n_points=101, ax=None):
    r"""The profile log-likelihood of one parameter, relative to its maximum, with the slice at
    the MLE of the others for comparison; the profile likelihood-ratio interval is shaded
    (it equals ``result.conf_int(level, method="profile")``)."""
    ax = likelihood_curve(
        result,
        param,
        profile=True,
        level=level,
        values=values,
        n_points=n_points,
        relative=True,
        ax=ax,
    )
    if len(result.labels) > 1:
        from ..estimation.surface import loglik_curve

        grid = ax.get_lines()[0].get_xdata()
        frame = loglik_curve(result, param, grid, profile=False)
        ax.plot(
            grid, frame["relative"], color="grey", lw=1, ls=":", label="slice (others at their MLE)"
        )
        ax.legend(fontsize="small")
    ax.set_title(f"{result.family}: profile log-likelihood of {param}")
    return ax


def _wald_ellipse(center, cov, level, n=200):
    from scipy import stats

    radius = np.sqrt(stats.chi2.ppf(level, 2))
    vals, vecs = np.linalg.eigh(cov)
    t = np.linspace(0, 2 * np.pi, n)
    circle = np.stack([np.cos(t), np.sin(t)])
    return center[:, None] + vecs @ (np.sqrt(np.maximum(vals, 0))[:, None] * circle) * radius


def likelihood_surface(
    result,
    params,
    *,
    levels=(0.5, 0.9, 0.95, 0.99),
    profile=False,
    values=None,
    n_points=81,
    wald=True,
    bootstrap=0,
    random_state=None,
    kind="contour",
    ax=None,
):
    r"""The log-likelihood over two parameters, with likelihood-ratio confidence regions.

    The filled contours show :math:`\ell - \hat\ell`; the black contours are the Wilks regions
    :math:`\{\theta: \ell(\theta) \ge \hat\ell - \chi^2_2(\text{level})/2\}` at each of
    ``levels``; the dashed ellipse is the Wald region at the largest level below 1 of
    ``levels`` from the observed-information covariance; with ``bootstrap=B`` the B
    parametric-bootstrap estimates are scattered on top. ``kind="surface"`` draws a 3-D surface
    instead (``ax`` must then be a 3-D Axes or None).

    Parameters
    ----------
    result : FitResult
    params : (str, str)
        The labels on the x and y axes.
    profile : bool
        Maximise over any other free parameters at each grid point.
    """
    from ..estimation.surface import loglik_surface, wilks_drop

    if kind not in ("contour", "surface"):
        raise ValueError(f"kind must be 'contour' or 'surface', got {kind!r}")
    surf = loglik_surface(result, params, values, profile=profile, n_points=n_points)
    rel = np.where(np.isfinite(surf.relative), surf.relative, np.nan)
    floor = -3 * wilks_drop(max(levels), 2)
    shown = np.maximum(rel, floor)
    mle = np.array([surf.mle[params[0]], surf.mle[params[1]]])
    if kind == "surface":
        ax = axes_or_new(ax, projection="3d")
        X, Y = np.meshgrid(surf.x, surf.y)
        ax.plot_surface(X, Y, shown, cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
        ax.scatter([mle[0]], [mle[1]], [0.0], color="red", s=30, label="MLE")
        ax.set_zlabel("log-likelihood − maximum")
    else:
        ax = axes_or_new(ax)
        filled = ax.contourf(surf.x, surf.y, shown, levels=20, cmap="viridis")
        ax.figure.colorbar(filled, ax=ax, label="log-likelihood − maximum")
        ordered = sorted(levels)
        cuts = [-wilks_drop(lv, 2) for lv in reversed(ordered)]
        lines = ax.contour(
            surf.x, surf.y, rel, levels=cuts, colors="black", linewidths=1.2, linestyles="solid"
        )
        ax.clabel(
            lines, fmt={c: f"{lv:.0%}" for c, lv in zip(cuts, reversed(ordered))}, fontsize="small"
        )
        ax.plot([], [], color="black", lw=1.2, label="likelihood-ratio regions")
        if wald:
            cov = result.cov.loc[list(params), list(params)].to_numpy()
            level = max(lv for lv in levels if lv < 1)
            ellipse = _wald_ellipse(mle, cov, level)
            ax.plot(
                ellipse[0],
                ellipse[1],
                color="white",
                ls="--",
                lw=1.4,
                label=f"{level:.0%} Wald ellipse",
            )
        if bootstrap:
            boot = result.bootstrap(int(bootstrap), random_state=random_state)
            ax.scatter(
                boot[params[0]],
                boot[params[1]],
                s=4,
                color="orange",
                alpha=0.5,
                label=f"bootstrap estimates (B={int(bootstrap)})",
            )
        ax.plot(*mle, "r*", ms=14, label="MLE", zorder=5)
        ax.legend(fontsize="small", loc="upper right")
    ax.set_xlabel(params[0])
    ax.set_ylabel(params[1])
    kind_text = "profile " if profile else ""
    ax.set_title(f"{result.family}: {kind_text}log-likelihood surface")
    return ax


def probability_vs_likelihood(family, params, data, vary, *, interval=None, values=None, axes=None):
    r"""One density read two ways.

    Left: **probability** — the parameters fixed at ``params``, the density over x, with the
    area over ``interval`` shaded: :math:`P(a < X \le b \mid \theta) = F(b) - F(a)`.
    Right: **likelihood** — the data fixed, the parameter ``vary`` moving over ``values``:
    :math:`L(\theta) = \prod_i p(x_i \mid \theta)` (drawn as the log-likelihood), with the value
    in ``params`` marked. On the left the observed points are drawn on the x axis with the
    density heights whose product is the likelihood at ``params``.

    Parameters
    ----------
    family : str or Distribution class
    params : dict
        Every parameter of the family.
    data : array_like
        The observations.
    vary : str
        The parameter that moves in the right panel (others stay at ``params``).
    interval : (a, b), optional
        Default: the central 50% of the fixed distribution.
    values : array_like, optional
        The grid for ``vary`` (default: 0.5× to 1.5× the fixed value, or ±3 when it is 0).
    axes : two Axes, optional
    """
    from ..estimation.family import get_family

    cls = get_family(family)
    if vary not in cls.param_names:
        raise ValueError(f"vary must be one of {', '.join(cls.param_names)}, got {vary!r}")
    dist = cls(**params)
    x = np.asarray(data, dtype=float).ravel()
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    left, right = axes
    a, b = interval if interval is not None else tuple(dist.ppf([0.25, 0.75]))
    lo, hi = dist.ppf([0.001, 0.999])
    lo, hi = min(lo, x.min()), max(hi, x.max())
    grid = np.linspace(lo, hi, 400)
    left.plot(grid, dist.pdf(grid), lw=1.8, color="C0", label=f"density at {_fmt(params)}")
    inside = (grid >= a) & (grid <= b)
    prob = float(dist.cdf(b) - dist.cdf(a))
    left.fill_between(
        grid[inside],
        dist.pdf(grid[inside]),
        alpha=0.3,
        color="C0",
        label=f"P({a:.3g} < X ≤ {b:.3g}) = {prob:.3f}",
    )
    heights = dist.pdf(x)
    left.vlines(x, 0, heights, color="C3", lw=1, alpha=0.7)
    left.plot(
        x,
        np.zeros_like(x),
        "|",
        color="C3",
        ms=12,
        label=f"data: Π p(x_i) = exp({float(np.sum(dist.logpdf(x))):.4g})",
    )
    left.set(xlabel="x", ylabel="density", title="Probability: θ fixed, x varies")
    left.legend(fontsize="small")
    fixed_value = float(params[vary])
    if values is None:
        span = abs(fixed_value) * 0.5 if fixed_value != 0 else 3.0
        values = np.linspace(fixed_value - span, fixed_value + span, 301)
        spec = cls.spec(vary)
        values = values[spec.domain.contains(values)]
    values = np.asarray(values, dtype=float)
    ll_values = np.array([np.sum(cls(**{**params, vary: v}).logpdf(x)) for v in values])
    right.plot(values, ll_values, lw=1.8, color="C3")
    right.plot(
        [fixed_value],
        [float(np.sum(dist.logpdf(x)))],
        "o",
        color="C0",
        ms=7,
        label=f"{vary} = {fixed_value:.4g} (left panel)",
    )
    best = values[np.nanargmax(ll_values)]
    right.axvline(best, color="grey", ls=":", lw=1, label=f"maximum on the grid: {best:.4g}")
    right.set(
        xlabel=vary,
        ylabel="log-likelihood  Σ log p(x_i | θ)",
        title=f"Likelihood: data fixed, {vary} varies",
    )
    right.legend(fontsize="small")
    return np.asarray(axes)


def _fmt(params):
    return ", ".join(f"{k}={v:.3g}" for k, v in params.items())


def map_vs_mle(frame, parameter=None, *, ax=None, level=0.95, title=None):
    """The MAP estimate with its credible band next to the MLE, as the sample grows or the prior
    widens: draws a frame from :func:`loglik.map_vs_mle` (x axis ``n`` or ``scale``, log scale).

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``n`` or ``scale``, ``parameter``, ``map``, ``lower``, ``upper``, ``mle``.
    parameter : str, optional
        Which parameter to draw (default: the only one, else the first).
    level : float
        The credible level the frame was made with (for the legend).
    """
    axis = "n" if "n" in frame.columns else "scale" if "scale" in frame.columns else None
    if axis is None or not {"parameter", "map", "lower", "upper", "mle"} <= set(frame.columns):
        raise ValueError(
            "frame must come from loglik.map_vs_mle (columns n or scale, parameter, "
            "map, lower, upper, mle)"
        )
    names = list(dict.fromkeys(frame["parameter"]))
    parameter = names[0] if parameter is None else parameter
    if parameter not in names:
        raise ValueError(f"parameter must be one of {', '.join(names)}, got {parameter!r}")
    rows = frame[frame["parameter"] == parameter].sort_values(axis)
    # plain float arrays: matplotlib 3.7's fill_between cannot take pandas 2 Series
    at, lower, upper = (rows[c].to_numpy(dtype=np.float64) for c in (axis, "lower", "upper"))
    ax = axes_or_new(ax)
    ax.fill_between(
        at,
        lower,
        upper,
        alpha=0.2,
        color="C0",
        label=f"{level:.0%} credible interval",
    )
    ax.plot(at, rows["map"].to_numpy(dtype=np.float64), "o-", ms=3, color="C0", label="MAP")
    ax.plot(at, rows["mle"].to_numpy(dtype=np.float64), "s--", ms=3, color="C3", label="MLE")
    ax.set_xscale("log")
    ax.set_xlabel("sample size n" if axis == "n" else "prior scale")
    ax.set_ylabel(f"estimate of {parameter}")
    ax.set_title(
        title
        or ("MAP → MLE as the sample grows" if axis == "n" else "MAP → MLE as the prior widens")
    )
    ax.legend(fontsize="small")
    return ax
