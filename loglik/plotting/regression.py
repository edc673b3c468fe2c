"""Figures of penalised regression: coefficient paths and cross-validation curves."""

from __future__ import annotations

import numpy as np

from .axes import axes_or_new

__all__ = ["cv_curve", "regularization_path"]


def regularization_path(path, *, ax=None, label_top=5, x="alpha"):
    """Coefficients against alpha (log scale, decreasing to the right, as glmnet draws them).

    ``path`` is a :class:`loglik.regularization.RegularizationPath` (single-response families;
    for the categorical family the coefficients of every class are drawn). The ``label_top``
    coefficients largest at the smallest alpha are labelled with their feature names;
    ``x="df"`` puts the effective degrees of freedom on the horizontal axis instead.
    """
    ax = axes_or_new(ax)
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
    ax = axes_or_new(ax)
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
