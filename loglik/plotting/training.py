"""Figures of an optimisation: paths over a contour of the objective, loss curves, gradient norms,
activation functions.
"""

from __future__ import annotations

import numpy as np

from .axes import axes_or_new, history_of

__all__ = ["activations", "gradient_norms", "loss_curve", "optimizer_paths"]


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
    ax = axes_or_new(ax)
    paths = {label: _path_xy(label, res, coords) for label, res in results.items()}
    if grid is not None:
        if hasattr(grid, "relative"):  # a LikelihoodSurface
            grid = (grid.x, grid.y, -grid.relative)
        _draw_contours(ax, *grid, levels, log_levels)
    elif fun is not None:
        full = {label: history_of(res).params for label, res in results.items()}
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
    trace = history_of(res).params
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
    ax = axes_or_new(ax)
    if hasattr(fitted, "loss_curve_"):
        train = np.asarray(fitted.loss_curve_, dtype=float)
        val = getattr(fitted, "val_loss_curve_", None)
        epochs = np.arange(1, len(train) + 1)
    else:
        h = history_of(fitted)
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
    ax = axes_or_new(ax)
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
    from ..models.neural.activations import get_activation

    ax = axes_or_new(ax)
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
