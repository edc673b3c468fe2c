"""Every figure loglik draws.

Each function takes ``ax=`` (a matplotlib Axes; a new figure when None), draws on it, labels it and
returns it. Nothing here changes matplotlib's global settings (rcParams, styles).
"""

from __future__ import annotations

import numpy as np

from .estimation.minimize import History

__all__ = ["cv_curve", "loss_curve", "optimizer_paths", "regularization_path"]


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
    labels=("parameter 0", "parameter 1"),
    reference=None,
):
    """Several optimizers' trajectories over the contours of one objective.

    Parameters
    ----------
    results : dict
        Label -> :class:`~loglik.estimation.MinimizeResult` run with ``record_params=True``
        (e.g. the second output of :func:`loglik.compare_optimizers`).
    fun : callable, optional
        ``fun(p)`` -> objective value at a flat parameter vector ``p`` (two entries, or more with
        the others held at the first path's final values). Its contours are drawn under the
        paths, on a grid covering every path plus ``margin``.
    coords : (int, int)
        Which two flattened parameters to draw.
    levels : int or sequence
        Contour levels; with ``log_levels`` spaced geometrically above the grid's minimum.
    labels : (str, str)
        Axis labels.
    reference : array-like, optional
        A point to mark (the minimiser), drawn as a black star.
    """
    ax = _axes(ax)
    i, j = coords
    paths = {}
    for label, res in results.items():
        trace = _history(res).params
        if trace is None:
            raise ValueError(
                f"results[{label!r}] has no parameter trace; run minimize with record_params=True"
            )
        paths[label] = np.asarray(trace)
    if grid is not None:
        _draw_contours(ax, *grid, levels, log_levels)
    elif fun is not None:
        _draw_contours(ax, *_grid(fun, paths, i, j, grid_size, margin), levels, log_levels)
    for label, path in paths.items():
        (line,) = ax.plot(
            path[:, i], path[:, j], ".-", ms=3, lw=1.2, label=f"{label} ({len(path) - 1} it)"
        )
        ax.plot(path[0, i], path[0, j], "o", color=line.get_color(), ms=5, mfc="none")
    if reference is not None:
        ref = np.ravel(reference)
        ax.plot(ref[i], ref[j], "*", color="black", ms=13, label="minimum", zorder=5)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.set_title("Optimizer paths")
    ax.legend(fontsize="small", loc="best")
    return ax


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
