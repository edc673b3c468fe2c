r"""Losses as the negative log-likelihoods they are (or are not).

Every function returns the (sample-weighted) **mean** over rows, like the objectives loglik
minimises. Each docstring states the likelihood the loss is the negative log of, up to which
constants and factors, so the connection to the heads of :mod:`loglik.models.neural.heads` and
the GLM families is explicit:

================================ =============================================================
loss                              negative log-likelihood
================================ =============================================================
mean_squared_error                Gaussian, σ = 1: :math:`\ell = \tfrac12 (y-\mu)^2 +
                                  \tfrac12\log 2\pi`, so MSE :math:`= 2\ell - \log 2\pi`
root_mean_squared_error           not an NLL: the maximum-likelihood σ of that Gaussian
mean_absolute_error               Laplace, scale b: :math:`\ell = |y-\mu|/b + \log 2b`
binary_cross_entropy (= log loss) Bernoulli: :math:`-y\log p - (1-y)\log(1-p)`, exactly
categorical_cross_entropy         categorical: :math:`-\log p_y`, exactly
poisson_deviance                  Poisson: :math:`2(\ell(\mu) - \ell(y))`, twice the NLL minus
                                  that of the saturated model
hinge                             not an NLL (no normalised likelihood gives it)
exponential                       not an NLL (AdaBoost's; minimised at half the log-odds)
================================ =============================================================

The ``*_with_logits`` versions take the linear predictor :math:`z` instead of probabilities and
are the likelihoods of :mod:`loglik.models.likelihoods`, evaluated stably (softplus,
log-sum-exp): no log of a probability rounded to 0.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from ._estimator import as_float_array
from .likelihoods import BernoulliLikelihood, CategoricalLikelihood, PoissonLikelihood

_BERNOULLI, _CATEGORICAL = BernoulliLikelihood(), CategoricalLikelihood()

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "categorical_cross_entropy",
    "categorical_cross_entropy_with_logits",
    "exponential_loss",
    "hinge_loss",
    "log_loss",
    "mean_absolute_error",
    "mean_squared_error",
    "poisson_deviance",
    "root_mean_squared_error",
]

_CLIP = 1e-15


def _pair(y_true, y_pred, name_pred="y_pred"):
    y = as_float_array(y_true, "y_true")
    p = as_float_array(y_pred, name_pred)
    if y.shape[0] != p.shape[0]:
        raise ValueError(f"y_true has {y.shape[0]} rows but {name_pred} has {p.shape[0]}")
    for arr, name in ((y, "y_true"), (p, name_pred)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} contains NaN or inf")
    return y, p


def _mean(per_row, sample_weight):
    per_row = np.asarray(per_row, dtype=np.float64)
    if per_row.ndim > 1:
        per_row = per_row.reshape(per_row.shape[0], -1).mean(axis=1)
    if sample_weight is None:
        return float(np.mean(per_row))
    s = as_float_array(sample_weight, "sample_weight")
    if s.shape != per_row.shape:
        raise ValueError(f"sample_weight must have shape {per_row.shape}, got {s.shape}")
    if np.any(s < 0) or s.sum() <= 0:
        raise ValueError("sample_weight must be non-negative with a positive sum")
    return float(np.average(per_row, weights=s))


def mean_squared_error(y_true, y_pred, sample_weight=None):
    r""":math:`\frac1n\sum_i (y_i - \hat y_i)^2`: twice the Gaussian NLL at σ = 1 minus
    :math:`\log 2\pi` (its minimiser is the Gaussian MLE of the mean whatever σ is)."""
    y, p = _pair(y_true, y_pred)
    return _mean((y - p) ** 2, sample_weight)


def root_mean_squared_error(y_true, y_pred, sample_weight=None):
    r""":math:`\sqrt{\mathrm{MSE}}`: not a likelihood but the maximum-likelihood estimate of the
    Gaussian σ given the predicted means."""
    return float(np.sqrt(mean_squared_error(y_true, y_pred, sample_weight)))


def mean_absolute_error(y_true, y_pred, sample_weight=None):
    r""":math:`\frac1n\sum_i |y_i - \hat y_i|`: the Laplace NLL
    :math:`|y-\mu|/b + \log 2b` times b minus a constant; minimised by the conditional median."""
    y, p = _pair(y_true, y_pred)
    return _mean(np.abs(y - p), sample_weight)


def binary_cross_entropy(y_true, y_prob, sample_weight=None, eps=_CLIP):
    r"""The Bernoulli NLL :math:`-y\log p - (1-y)\log(1-p)` for :math:`y \in \{0, 1\}` and
    probabilities :math:`p` (clipped to :math:`[\epsilon, 1-\epsilon]`)."""
    y, p = _pair(y_true, y_prob, "y_prob")
    _check_binary(y)
    if np.any((p < 0) | (p > 1)):
        raise ValueError("y_prob must hold probabilities in [0, 1]")
    p = np.clip(p, eps, 1 - eps)
    return _mean(-(special.xlogy(y, p) + special.xlogy(1 - y, 1 - p)), sample_weight)


def binary_cross_entropy_with_logits(y_true, logits, sample_weight=None):
    r"""The Bernoulli NLL on the logit :math:`z`: :math:`\log(1 + e^z) - yz` (stable)."""
    y, z = _pair(y_true, logits, "logits")
    _check_binary(y)
    return _mean(_BERNOULLI.nll(z, y), sample_weight)


def _labels_and_matrix(y_true, P, name):
    y = np.asarray(y_true)
    if y.ndim == 2:  # one-hot / probabilities per class
        Y = as_float_array(y, "y_true")
        if Y.shape != P.shape:
            raise ValueError(f"one-hot y_true has shape {Y.shape}, {name} has {P.shape}")
        return Y
    codes = as_float_array(y, "y_true")
    if np.any(codes != np.round(codes)) or np.any(codes < 0) or np.any(codes >= P.shape[1]):
        raise ValueError(f"y_true must hold class indices 0..{P.shape[1] - 1} or be one-hot")
    Y = np.zeros_like(P)
    Y[np.arange(P.shape[0]), codes.astype(int)] = 1.0
    return Y


def categorical_cross_entropy(y_true, y_prob, sample_weight=None, eps=_CLIP):
    r"""The categorical NLL :math:`-\sum_k y_k\log p_k` (:math:`-\log p_y` for a class index;
    ``y_true`` as indices or one-hot), probabilities clipped at :math:`\epsilon`."""
    P = as_float_array(y_prob, "y_prob")
    if P.ndim != 2:
        raise ValueError(f"y_prob must be 2-D (n, n_classes), got shape {P.shape}")
    Y = _labels_and_matrix(y_true, P, "y_prob")
    return _mean(-np.sum(special.xlogy(Y, np.clip(P, eps, 1.0)), axis=1), sample_weight)


def categorical_cross_entropy_with_logits(y_true, logits, sample_weight=None):
    r"""The categorical NLL on logits: :math:`\log\sum_k e^{z_k} - \sum_k y_k z_k` (stable)."""
    Z = as_float_array(logits, "logits")
    if Z.ndim != 2:
        raise ValueError(f"logits must be 2-D (n, n_classes), got shape {Z.shape}")
    Y = _labels_and_matrix(y_true, Z, "logits")
    return _mean(_CATEGORICAL.nll(Z, Y), sample_weight)


def log_loss(y_true, y_prob, sample_weight=None, eps=_CLIP):
    r"""Cross-entropy from probabilities: binary when ``y_prob`` is 1-D (probability of class
    1), categorical when 2-D. Exactly the NLL of the Bernoulli / categorical model."""
    if np.ndim(y_prob) == 1:
        return binary_cross_entropy(y_true, y_prob, sample_weight, eps)
    return categorical_cross_entropy(y_true, y_prob, sample_weight, eps)


def hinge_loss(y_true, decision, sample_weight=None):
    r""":math:`\max(0, 1 - t f)` with :math:`t = \pm 1` (labels 0/1 are mapped to -1/+1).

    Not a negative log-likelihood: :math:`e^{-\max(0, 1 - tf)}` summed over :math:`t = \pm1`
    is not constant in :math:`f`, so it normalises to no probability model (the SVM loss)."""
    t, f = _pair(y_true, decision, "decision")
    t = _signed(t)
    return _mean(np.maximum(0.0, 1.0 - t * f), sample_weight)


def exponential_loss(y_true, decision, sample_weight=None):
    r""":math:`e^{-t f}` with :math:`t = \pm 1` (AdaBoost). Not a negative log-likelihood; its
    population minimiser is half the log-odds, :math:`f = \tfrac12\log(p/(1-p))`."""
    t, f = _pair(y_true, decision, "decision")
    return _mean(np.exp(-_signed(t) * f), sample_weight)


def poisson_deviance(y_true, y_pred, sample_weight=None):
    r"""Mean Poisson deviance :math:`2\,[y\log(y/\mu) - (y - \mu)]`: twice the Poisson NLL at
    :math:`\mu` minus that of the saturated model :math:`\mu = y` (0 for a perfect fit)."""
    y, mu = _pair(y_true, y_pred)
    if np.any(y < 0):
        raise ValueError("y_true must be non-negative counts for the Poisson deviance")
    if np.any(mu <= 0):
        raise ValueError("y_pred must be positive rates for the Poisson deviance")
    return _mean(PoissonLikelihood.mean_deviance(y, mu), sample_weight)


def _check_binary(y):
    if np.any(_BERNOULLI.outside_support(y)):
        raise ValueError("y_true must be 0 or 1")


def _signed(t):
    values = set(np.unique(t).tolist())
    if values <= {0.0, 1.0}:
        return 2.0 * t - 1.0
    if values <= {-1.0, 1.0}:
        return t
    raise ValueError("y_true must be labels in {0, 1} or {-1, +1}")
