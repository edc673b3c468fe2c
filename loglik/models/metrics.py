r"""Scores of fitted models: classification counts, ranking, regression fit.

Classification metrics compare labels (any hashable values); binary ones take ``pos_label``,
multiclass ones ``average`` = ``"macro"`` (unweighted mean over classes), ``"weighted"`` (by
support), ``"micro"`` (from the pooled counts) or None (one value per class, in the order of
``labels``). With :math:`TP, FP, TN, FN` the confusion counts of one class:

* precision :math:`TP/(TP+FP)`, recall = sensitivity :math:`TP/(TP+FN)`,
  specificity :math:`TN/(TN+FP)`, :math:`F_1 = 2PR/(P+R)` (0 where undefined);
* ROC AUC: the probability that a random positive scores above a random negative (ties
  count one half), the Mann-Whitney statistic; multiclass one-vs-rest, macro-averaged.

Regression: :func:`r2_score` :math:`1 - \sum (y-\hat y)^2/\sum (y-\bar y)^2` (the fraction of
Gaussian deviance explained) and :func:`d2_poisson_score` (the same for Poisson deviance). The
losses (MSE, MAE, log loss, deviance, ...) live in :mod:`loglik.models.losses`.
"""

from __future__ import annotations

import numpy as np

from ._estimator import as_float_array
from .losses import mean_squared_error, poisson_deviance

__all__ = [
    "accuracy",
    "confusion_matrix",
    "d2_poisson_score",
    "f1_score",
    "precision",
    "r2_score",
    "recall",
    "roc_auc",
    "roc_curve",
    "sensitivity",
    "specificity",
]

_AVERAGES = ("binary", "macro", "weighted", "micro", None)


def _labels(y_true, y_pred):
    a, b = np.asarray(y_true), np.asarray(y_pred)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shapes {a.shape} and {b.shape}")
    if a.shape[0] != b.shape[0]:
        raise ValueError(f"y_true has {a.shape[0]} rows but y_pred has {b.shape[0]}")
    if a.shape[0] == 0:
        raise ValueError("y_true is empty")
    return a, b


def _weights(sample_weight, n):
    if sample_weight is None:
        return np.ones(n)
    s = as_float_array(sample_weight, "sample_weight")
    if s.shape != (n,) or np.any(s < 0) or not np.all(np.isfinite(s)):
        raise ValueError(f"sample_weight must be {n} finite non-negative weights")
    return s


def accuracy(y_true, y_pred, sample_weight=None) -> float:
    """The (weighted) fraction of rows with ``y_pred == y_true``."""
    a, b = _labels(y_true, y_pred)
    return float(np.average(a == b, weights=_weights(sample_weight, a.shape[0])))


def confusion_matrix(y_true, y_pred, labels=None, sample_weight=None, as_frame=False):
    """Counts ``C[i, j]`` of rows with true label ``labels[i]`` predicted ``labels[j]``.

    ``labels`` defaults to the sorted union of both; ``as_frame=True`` returns a DataFrame
    with the labels on both axes.
    """
    a, b = _labels(y_true, y_pred)
    labels = np.unique(np.concatenate([a, b])) if labels is None else np.asarray(labels)
    index = {v: k for k, v in enumerate(labels.tolist())}
    s = _weights(sample_weight, a.shape[0])
    C = np.zeros((labels.size, labels.size))
    for t, p, w in zip(a.tolist(), b.tolist(), s):
        if t in index and p in index:
            C[index[t], index[p]] += w
    if sample_weight is None:
        C = C.astype(np.int64)
    if as_frame:
        import pandas as pd

        return pd.DataFrame(
            C,
            index=pd.Index(labels, name="true"),
            columns=pd.Index(labels, name="predicted"),
        )
    return C


def _counts(y_true, y_pred, labels, sample_weight):
    """Per class: TP, FP, FN, TN (one-vs-rest), and the class labels."""
    a, b = _labels(y_true, y_pred)
    if labels is None:
        labels = np.unique(np.concatenate([a, b]))
    C = confusion_matrix(a, b, labels=labels, sample_weight=sample_weight).astype(np.float64)
    tp = np.diag(C)
    fp = C.sum(axis=0) - tp
    fn = C.sum(axis=1) - tp
    tn = C.sum() - tp - fp - fn
    return tp, fp, fn, tn, np.asarray(labels)


def _ratio(num, den):
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _score(kind, y_true, y_pred, average, pos_label, labels, sample_weight):
    if average not in _AVERAGES:
        raise ValueError(f"unknown average {average!r}; known: {_AVERAGES}")
    tp, fp, fn, tn, labels = _counts(y_true, y_pred, labels, sample_weight)
    if average == "binary":
        if labels.size > 2:
            raise ValueError(
                f"average='binary' needs two classes, found {labels.size}; choose average="
                "'macro', 'weighted', 'micro' or None"
            )
        hit = np.flatnonzero(labels == pos_label)
        if hit.size == 0:
            raise ValueError(f"pos_label={pos_label!r} is not a label ({labels.tolist()})")
        k = hit[0]
        tp, fp, fn, tn = tp[k : k + 1], fp[k : k + 1], fn[k : k + 1], tn[k : k + 1]
    elif average == "micro":
        tp, fp, fn, tn = (
            tp.sum(keepdims=True),
            fp.sum(keepdims=True),
            fn.sum(keepdims=True),
            tn.sum(keepdims=True),
        )
    precision_ = _ratio(tp, tp + fp)
    recall_ = _ratio(tp, tp + fn)
    values = {
        "precision": precision_,
        "recall": recall_,
        "specificity": _ratio(tn, tn + fp),
        "f1": _ratio(2 * precision_ * recall_, precision_ + recall_),
    }[kind]
    if average is None:
        return values
    if average == "weighted":
        support = tp + fn
        return float(np.average(values, weights=support)) if support.sum() > 0 else 0.0
    return float(np.mean(values))


def precision(y_true, y_pred, *, average="binary", pos_label=1, labels=None, sample_weight=None):
    """Precision :math:`TP/(TP+FP)`: of the rows predicted positive, the fraction that are."""
    return _score("precision", y_true, y_pred, average, pos_label, labels, sample_weight)


def recall(y_true, y_pred, *, average="binary", pos_label=1, labels=None, sample_weight=None):
    """Recall = sensitivity = true-positive rate :math:`TP/(TP+FN)`."""
    return _score("recall", y_true, y_pred, average, pos_label, labels, sample_weight)


sensitivity = recall


def specificity(y_true, y_pred, *, average="binary", pos_label=1, labels=None, sample_weight=None):
    """Specificity = true-negative rate :math:`TN/(TN+FP)`."""
    return _score("specificity", y_true, y_pred, average, pos_label, labels, sample_weight)


def f1_score(y_true, y_pred, *, average="binary", pos_label=1, labels=None, sample_weight=None):
    """:math:`F_1`, the harmonic mean of precision and recall."""
    return _score("f1", y_true, y_pred, average, pos_label, labels, sample_weight)


def _binary_auc(y, score, w):
    """Weighted Mann-Whitney AUC: P(score+ > score-) + P(tie)/2."""
    pos, neg = y == 1, y == 0
    if not pos.any() or not neg.any():
        raise ValueError("ROC AUC needs both classes in y_true")
    order = np.argsort(score, kind="mergesort")
    s, yy, ww = score[order], y[order], w[order]
    start = np.unique(s, return_index=True)[1]
    neg_w = np.where(yy == 0, ww, 0.0)
    pos_w = np.where(yy == 1, ww, 0.0)
    neg_tie = np.add.reduceat(neg_w, start)
    pos_tie = np.add.reduceat(pos_w, start)
    neg_below = np.concatenate([[0.0], np.cumsum(neg_tie)[:-1]])
    total = np.sum(pos_tie * (neg_below + 0.5 * neg_tie))
    return float(total / (pos_w.sum() * neg_w.sum()))


def roc_auc(y_true, y_score, *, pos_label=1, labels=None, sample_weight=None) -> float:
    """Area under the ROC curve.

    Binary: ``y_score`` (n,) scores or probabilities of ``pos_label``. Multiclass: ``y_score``
    (n, n_classes) per-class scores in the order of ``labels`` (default: the sorted classes);
    the one-vs-rest AUCs are averaged (macro).
    """
    y = np.asarray(y_true)
    score = as_float_array(y_score, "y_score")
    if score.shape[0] != y.shape[0]:
        raise ValueError(f"y_true has {y.shape[0]} rows but y_score has {score.shape[0]}")
    if not np.all(np.isfinite(score)):
        raise ValueError("y_score contains NaN or inf")
    w = _weights(sample_weight, y.shape[0])
    if score.ndim == 1:
        classes = np.unique(y)
        if classes.size > 2:
            raise ValueError("y_score must be 2-D (n, n_classes) for more than two classes")
        return _binary_auc((y == pos_label).astype(int), score, w)
    classes = np.unique(y) if labels is None else np.asarray(labels)
    if score.shape[1] != classes.size:
        raise ValueError(f"y_score has {score.shape[1]} columns for {classes.size} classes")
    return float(
        np.mean([_binary_auc((y == c).astype(int), score[:, k], w) for k, c in enumerate(classes)])
    )


def roc_curve(y_true, y_score, *, pos_label=1, sample_weight=None):
    """False- and true-positive rates at every distinct threshold (descending), for plotting:
    returns ``fpr, tpr, thresholds`` with the point (0, 0) first."""
    y = (np.asarray(y_true) == pos_label).astype(float)
    score = as_float_array(y_score, "y_score")
    w = _weights(sample_weight, y.shape[0])
    order = np.argsort(-score, kind="mergesort")
    s, yy, ww = score[order], y[order], w[order]
    last = np.r_[np.flatnonzero(np.diff(s)), s.size - 1]
    tp = np.cumsum(yy * ww)[last]
    fp = np.cumsum((1 - yy) * ww)[last]
    if tp[-1] == 0 or fp[-1] == 0:
        raise ValueError("the ROC curve needs both classes in y_true")
    return np.r_[0.0, fp / fp[-1]], np.r_[0.0, tp / tp[-1]], np.r_[np.inf, s[last]]


def r2_score(y_true, y_pred, sample_weight=None) -> float:
    r""":math:`R^2 = 1 - \sum s(y - \hat y)^2 / \sum s(y - \bar y)^2` (1 perfect, 0 the mean)."""
    y = as_float_array(y_true, "y_true")
    den = mean_squared_error(
        y, np.full_like(y, np.average(y, weights=sample_weight)), sample_weight
    )
    num = mean_squared_error(y, y_pred, sample_weight)
    return 1.0 - num / den if den > 0 else (1.0 if num == 0 else 0.0)


def d2_poisson_score(y_true, y_pred, sample_weight=None) -> float:
    r""":math:`D^2 = 1 - D(y, \hat\mu)/D(y, \bar y)` with the Poisson deviance D: the fraction
    of deviance explained (a likelihood-ratio :math:`R^2`)."""
    y = as_float_array(y_true, "y_true")
    null = np.full_like(y, np.average(y, weights=sample_weight))
    den = poisson_deviance(y, null, sample_weight)
    num = poisson_deviance(y, y_pred, sample_weight)
    return 1.0 - num / den if den > 0 else (1.0 if num == 0 else 0.0)
