"""Every figure loglik draws.

Each function takes ``ax=`` (a matplotlib Axes; a new figure when None), draws on it, labels it and
returns it. Nothing here changes matplotlib's global settings (rcParams, styles).
"""

from __future__ import annotations

import numpy as np

from .estimation.minimize import History

__all__ = [
    "activations",
    "censored_diagnostics",
    "compare",
    "cv_curve",
    "fit_diagnostics",
    "gradient_norms",
    "likelihood_curve",
    "likelihood_surface",
    "loss_curve",
    "map_vs_mle",
    "optimizer_paths",
    "probability_vs_likelihood",
    "profile",
    "regularization_path",
]


def _axes(ax, **subplot_kw):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(subplot_kw=subplot_kw or None)
    return ax


def _history(obj) -> History:
    """The History of a MinimizeResult, of a fitted object with ``history_``, or itself."""
    if isinstance(obj, History):
        return obj
    for attr in ("history", "history_"):
        if isinstance(getattr(obj, attr, None), History):
            return getattr(obj, attr)
    raise ValueError(f"expected a MinimizeResult or History, got {type(obj).__name__}")


def optimizer_paths(
    results,
    fun=None,
    *,
    grid=None,
    ax=None,
    coords=(0, 1),
    grid_size=100,
    margin=0.15,
    levels=20,
    log_levels=True,
    labels=None,
    reference=None,
):
    """Several optimizers' trajectories over the contours of one objective.

    Parameters
    ----------
    results : dict
        Label -> a :class:`~loglik.estimation.MinimizeResult` run with ``record_params=True``
        (e.g. the second output of :func:`loglik.compare_optimizers`), or a
        :class:`~loglik.FitResult` fitted with ``optimizer=`` (its ``path``, in the family's
        parameters).
    fun : callable, optional
        ``fun(p)`` -> objective value at a flat parameter vector ``p`` (two entries, or more with
        the others held at the first path's final values). Its contours are drawn under the
        paths, on a grid covering every path plus ``margin`` (``grid_size`` points a side).
    grid : (u, v, Z) or LikelihoodSurface, optional
        A precomputed surface instead of ``fun``: ``Z[r, c]`` the objective at ``(u[c], v[r])``;
        for a :class:`~loglik.estimation.surface.LikelihoodSurface` the contours are those of
        the log-likelihood's drop below its maximum.
    coords : (int, int) or (str, str)
        Which two parameters to draw: flat positions, or labels of a FitResult's parameters.
    levels : int or sequence
        Contour levels; with ``log_levels`` spaced geometrically above the grid's minimum.
    labels : (str, str), optional
        Axis labels (default: the parameter labels, or "parameter i").
    reference : array-like, optional
        A point to mark (the minimiser), drawn as a black star, in the drawn coordinates.
    """
    ax = _axes(ax)
    paths = {label: _path_xy(label, res, coords) for label, res in results.items()}
    if grid is not None:
        if hasattr(grid, "relative"):  # a LikelihoodSurface
            grid = (grid.x, grid.y, -grid.relative)
        _draw_contours(ax, *grid, levels, log_levels)
    elif fun is not None:
        full = {label: _history(res).params for label, res in results.items()}
        _draw_contours(ax, *_grid(fun, full, *coords, grid_size, margin), levels, log_levels)
    for label, path in paths.items():
        (line,) = ax.plot(
            path[:, 0], path[:, 1], ".-", ms=3, lw=1.2, label=f"{label} ({len(path) - 1} it)"
        )
        ax.plot(path[0, 0], path[0, 1], "o", color=line.get_color(), ms=5, mfc="none")
    if reference is not None:
        ref = np.ravel(reference)
        ax.plot(ref[0], ref[1], "*", color="black", ms=13, label="minimum", zorder=5)
    if labels is None:
        labels = [c if isinstance(c, str) else f"parameter {c}" for c in coords]
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title("Optimizer paths")
    ax.legend(fontsize="small", loc="best")
    return ax


def _path_xy(label, res, coords) -> np.ndarray:
    """The (iterations, 2) trajectory of one run in the drawn coordinates."""
    path = getattr(res, "path", None)
    if path is not None and hasattr(path, "columns"):  # a FitResult fitted with optimizer=
        names = [c if isinstance(c, str) else res.labels[c] for c in coords]
        return path[names].to_numpy(dtype=float)
    trace = _history(res).params
    if trace is None:
        raise ValueError(
            f"results[{label!r}] has no parameter trace; run minimize with record_params=True"
        )
    return np.asarray(trace)[:, list(coords)]


def _grid(fun, paths, i, j, grid_size, margin):
    points = np.concatenate(list(paths.values()))
    lo, hi = points[:, [i, j]].min(axis=0), points[:, [i, j]].max(axis=0)
    pad = margin * np.maximum(hi - lo, 1e-8)
    u = np.linspace(lo[0] - pad[0], hi[0] + pad[0], grid_size)
    v = np.linspace(lo[1] - pad[1], hi[1] + pad[1], grid_size)
    base = np.array(next(iter(paths.values()))[-1], dtype=np.float64)
    Z = np.empty((v.size, u.size))
    for r, vr in enumerate(v):
        for c, uc in enumerate(u):
            p = base.copy()
            p[i], p[j] = uc, vr
            Z[r, c] = fun(p)
    return u, v, Z


def _draw_contours(ax, u, v, Z, levels, log_levels):
    if np.isscalar(levels) and log_levels:
        finite = Z[np.isfinite(Z)]
        low = finite.min()
        levels = low + np.geomspace(1e-3, 1.0, int(levels)) * (finite.max() - low)
    ax.contour(u, v, Z, levels=levels, cmap="Greys_r", linewidths=0.7, alpha=0.8)


def loss_curve(fitted, *, ax=None, log_y=False, label="training"):
    """Training (and validation) objective against the epoch.

    ``fitted`` is a MinimizeResult, a History, or a fitted estimator with ``loss_curve_`` (and
    ``val_loss_curve_``). The best validation epoch, when there is one, is marked.
    """
    ax = _axes(ax)
    if hasattr(fitted, "loss_curve_"):
        train = np.asarray(fitted.loss_curve_, dtype=float)
        val = getattr(fitted, "val_loss_curve_", None)
        epochs = np.arange(1, len(train) + 1)
    else:
        h = _history(fitted)
        train, val = np.asarray(h.value), np.asarray(h.val_value)
        epochs = np.arange(len(train))
    ax.plot(epochs, train, lw=1.5, label=label)
    if val is not None and len(val) and np.isfinite(np.asarray(val, dtype=float)).any():
        val = np.asarray(val, dtype=float)
        ax.plot(epochs[: len(val)], val, lw=1.5, label="validation")
        best = int(np.nanargmin(val))
        ax.axvline(epochs[best], color="grey", ls=":", lw=1)
        ax.plot(
            epochs[best],
            val[best],
            "o",
            color="black",
            ms=5,
            label=f"best validation (epoch {epochs[best]})",
        )
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean negative log-likelihood")
    ax.set_title("Loss curve")
    ax.legend(fontsize="small")
    return ax


def gradient_norms(fitted, *, epochs=None, ax=None, log_y=True):
    """Per-layer gradient norms against depth, one line per epoch: vanishing gradients fall
    towards the input layer, exploding ones grow.

    ``fitted`` is an MLP estimator (its ``gradient_norms_``) or that DataFrame (rows epochs,
    columns layers from input to output). ``epochs`` defaults to the first, the middle and
    the last.
    """
    ax = _axes(ax)
    table = getattr(fitted, "gradient_norms_", fitted)
    if not hasattr(table, "columns") or len(table) == 0:
        raise ValueError("expected a fitted MLP estimator or its gradient_norms_ table")
    if epochs is None:
        index = list(table.index)
        epochs = sorted({index[0], index[len(index) // 2], index[-1]})
    depth = np.arange(1, table.shape[1] + 1)
    for epoch in epochs:
        ax.plot(depth, table.loc[epoch].to_numpy(), "o-", ms=4, label=f"epoch {epoch}")
    if log_y:
        ax.set_yscale("log")
    ax.set_xticks(depth, list(table.columns), rotation=45, ha="right")
    ax.set_xlabel("layer (input to output)")
    ax.set_ylabel("gradient norm")
    ax.set_title("Gradient norms by layer")
    ax.legend(fontsize="small")
    return ax


def activations(
    names=("sigmoid", "tanh", "relu", "leaky_relu", "swish"), *, derivative=False, ax=None, z=None
):
    """Activation functions (or, with ``derivative=True``, their derivatives) over ``z``
    (default -4..4): where each saturates (derivative near 0) is where gradients vanish."""
    from .models.neural.activations import get_activation

    ax = _axes(ax)
    z = np.linspace(-4.0, 4.0, 401) if z is None else np.asarray(z, dtype=np.float64)
    for name in names:
        act = get_activation(name)
        if not act.elementwise:
            raise ValueError(f"{act.name} is not elementwise; it has no curve f(z)")
        values = act.derivative(z) if derivative else act.forward(z)
        ax.plot(z, values, lw=1.5, label=act.name)
    ax.axhline(0.0, color="grey", lw=0.5)
    ax.set_xlabel("z")
    ax.set_ylabel("f'(z)" if derivative else "f(z)")
    ax.set_title("Activation derivatives" if derivative else "Activations")
    ax.legend(fontsize="small")
    return ax


# --------------------------------------------------------------------------------------------
# Likelihoods of fitted distributions
# --------------------------------------------------------------------------------------------


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
    from .estimation.surface import loglik_curve, wilks_drop

    ax = _axes(ax)
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
        from .estimation.surface import loglik_curve

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
    from .estimation.surface import loglik_surface, wilks_drop

    if kind not in ("contour", "surface"):
        raise ValueError(f"kind must be 'contour' or 'surface', got {kind!r}")
    surf = loglik_surface(result, params, values, profile=profile, n_points=n_points)
    rel = np.where(np.isfinite(surf.relative), surf.relative, np.nan)
    floor = -3 * wilks_drop(max(levels), 2)
    shown = np.maximum(rel, floor)
    mle = np.array([surf.mle[params[0]], surf.mle[params[1]]])
    if kind == "surface":
        ax = _axes(ax, projection="3d")
        X, Y = np.meshgrid(surf.x, surf.y)
        ax.plot_surface(X, Y, shown, cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
        ax.scatter([mle[0]], [mle[1]], [0.0], color="red", s=30, label="MLE")
        ax.set_zlabel("log-likelihood − maximum")
    else:
        ax = _axes(ax)
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
    from .estimation.survival import npmle

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
    ax = _axes(ax)
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
    from .estimation.family import get_family

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
    ax = _axes(ax)
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


def regularization_path(path, *, ax=None, label_top=5, x="alpha"):
    """Coefficients against alpha (log scale, decreasing to the right, as glmnet draws them).

    ``path`` is a :class:`loglik.regularization.RegularizationPath` (single-response families;
    for the categorical family the coefficients of every class are drawn). The ``label_top``
    coefficients largest at the smallest alpha are labelled with their feature names;
    ``x="df"`` puts the effective degrees of freedom on the horizontal axis instead.
    """
    ax = _axes(ax)
    coefs = np.asarray(path.coefs, dtype=float)
    coefs = coefs.reshape(coefs.shape[0], -1)
    names = list(path.feature_names)
    if len(names) != coefs.shape[1]:  # categorical: one line per (class, feature)
        k = coefs.shape[1] // max(len(names), 1)
        names = [f"{c}:{n}" for c in range(k) for n in names]
    xs = np.asarray(path.df if x == "df" else path.alphas, dtype=float)
    for j in range(coefs.shape[1]):
        ax.plot(xs, coefs[:, j], lw=1)
    order = np.argsort(-np.abs(coefs[-1]))[:label_top]
    for j in order:
        if coefs[-1, j] != 0:
            ax.annotate(
                names[j],
                (xs[-1], coefs[-1, j]),
                fontsize="x-small",
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
            )
    ax.axhline(0.0, color="grey", lw=0.5)
    if x == "df":
        ax.set_xlabel("effective degrees of freedom")
    else:
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.set_xlabel("alpha")
    ax.set_ylabel("coefficient")
    ax.set_title(f"Regularisation path ({path.family}, l1_ratio={path.l1_ratio:g})")
    return ax


def cv_curve(cv, *, ax=None, l1_ratio_index=None):
    """The cross-validation curve of a fitted :class:`loglik.LassoCV` /
    :class:`loglik.ElasticNetCV`: mean held-out loss against alpha with ±1 standard error,
    ``alpha_min_`` and ``alpha_1se_`` marked (for the chosen l1_ratio unless
    ``l1_ratio_index`` picks another)."""
    ax = _axes(ax)
    i = getattr(cv, "_best_index", 0) if l1_ratio_index is None else l1_ratio_index
    alphas, mean, se = cv.alphas_[i], cv.cv_mean_[i], cv.cv_se_[i]
    ax.fill_between(alphas, mean - se, mean + se, alpha=0.25, lw=0, label="±1 standard error")
    ax.plot(alphas, mean, ".-", lw=1, ms=3, label="mean over folds")
    ax.axvline(
        cv.alpha_min_, color="black", ls="--", lw=1, label=f"alpha_min = {cv.alpha_min_:.3g}"
    )
    ax.axvline(cv.alpha_1se_, color="grey", ls=":", lw=1, label=f"alpha_1se = {cv.alpha_1se_:.3g}")
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xlabel("alpha")
    ax.set_ylabel(f"held-out {cv.scoring}")
    ax.set_title(f"Cross-validation (l1_ratio={cv.cv_results_.l1_ratio.unique()[i]:g})")
    ax.legend(fontsize="small")
    return ax
