"""Every figure loglik draws.

Each function takes ``ax=`` (a matplotlib Axes; a new figure when None), draws on it, labels it and
returns it. Nothing here changes matplotlib's global settings (rcParams, styles).

- :mod:`.likelihood`: likelihood curves and surfaces with confidence regions, profiles, probability
  versus likelihood, MAP versus MLE;
- :mod:`.diagnostics`: a fitted distribution against its data (censored data too), fits compared;
- :mod:`.training`: optimizer paths over a contour, loss curves, gradient norms, activations;
- :mod:`.regression`: regularization paths and cross-validation curves.
"""

from .diagnostics import censored_diagnostics, compare, fit_diagnostics
from .likelihood import (
    likelihood_curve,
    likelihood_surface,
    map_vs_mle,
    probability_vs_likelihood,
    profile,
)
from .regression import cv_curve, regularization_path
from .training import activations, gradient_norms, loss_curve, optimizer_paths

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
