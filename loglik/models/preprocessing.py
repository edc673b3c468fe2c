r"""Splitting data and scaling features, reproducibly.

* :func:`train_validation_test_split`: three disjoint parts, optionally stratified (each class
  keeps its share in every part), shuffled by ``random_state``.
* :class:`StandardScaler` (:math:`(x - \bar x)/s`) and :class:`MinMaxScaler` (to
  :math:`[a, b]`): ``fit`` remembers the statistics of the training data, ``transform`` applies
  them to any later data, ``inverse_transform`` undoes them. Both follow the scikit-learn
  transformer contract and work in its pipelines.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_random_state, check_scalar
from ._estimator import BaseEstimator, as_float_array

__all__ = ["MinMaxScaler", "StandardScaler", "split_indices", "train_validation_test_split"]


def _allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Integer counts summing to ``total`` proportional to ``shares`` (largest remainders)."""
    exact = total * shares / shares.sum()
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def split_indices(n: int, fractions, *, stratify=None, random_state=None, shuffle=True):
    """Row indices of ``len(fractions)`` disjoint parts of ``range(n)``.

    Part sizes are ``fractions`` of ``n`` (summing to 1) rounded by largest remainders. With
    ``stratify`` (labels, length n) every class is split in the same proportions, up to
    rounding, and the part sizes still add up. Indices are shuffled within each part unless
    ``shuffle=False`` (then the parts are consecutive blocks and stratify is not allowed).
    """
    fractions = np.asarray(fractions, dtype=np.float64)
    sizes = _allocate(n, fractions)
    rng = check_random_state(random_state)
    if stratify is None:
        order = rng.permutation(n) if shuffle else np.arange(n)
        return np.split(order, np.cumsum(sizes)[:-1])
    if not shuffle:
        raise ValueError("stratify needs shuffle=True")
    labels = np.asarray(stratify)
    if labels.shape[0] != n:
        raise ValueError(f"stratify has {labels.shape[0]} labels for {n} rows")
    codes = np.unique(labels, return_inverse=True)[1].ravel()
    class_sizes = np.bincount(codes)
    # counts[c, k]: rows of class c in part k; rows and columns both add up exactly
    counts = np.zeros((class_sizes.size, sizes.size), dtype=int)
    remaining = sizes.copy()
    for c in np.argsort(class_sizes, kind="stable"):
        counts[c] = _allocate(class_sizes[c], np.maximum(remaining, 0) + 1e-12 * fractions)
        remaining -= counts[c]
    parts = [[] for _ in sizes]
    for c in range(class_sizes.size):
        rows = rng.permutation(np.flatnonzero(codes == c))
        for k, chunk in enumerate(np.split(rows, np.cumsum(counts[c])[:-1])):
            parts[k].append(chunk)
    return [rng.permutation(np.concatenate(p)) for p in parts]


def train_validation_test_split(
    *arrays,
    validation_size=0.15,
    test_size=0.15,
    stratify=None,
    random_state=None,
    shuffle=True,
):
    """Split each array into training, validation and test parts (rows).

    Parameters
    ----------
    *arrays : arrays, DataFrames or Series with the same number of rows
    validation_size, test_size : float in [0, 1) or int
        Fractions of the rows (or numbers of rows); the rest is for training.
    stratify : array of labels, optional
        Keep each class's share in all three parts (usually ``stratify=y``).
    random_state : None, int or numpy.random.Generator
    shuffle : bool

    Returns
    -------
    list
        ``[a_train, a_val, a_test, b_train, b_val, b_test, ...]``; pandas inputs stay pandas.
    """
    if not arrays:
        raise ValueError("at least one array is required")
    n = len(arrays[0])
    for k, a in enumerate(arrays):
        if len(a) != n:
            raise ValueError(f"array {k} has {len(a)} rows, array 0 has {n}")
    if n == 0:
        raise ValueError("cannot split empty arrays")
    fractions = [
        _fraction(validation_size, "validation_size", n),
        _fraction(test_size, "test_size", n),
    ]
    train = 1.0 - sum(fractions)
    if train <= 0:
        raise ValueError(
            f"validation_size + test_size must leave rows for training, got {fractions}"
        )
    parts = split_indices(
        n, [train, *fractions], stratify=stratify, random_state=random_state, shuffle=shuffle
    )
    out = []
    for a in arrays:
        out.extend(_take(a, idx) for idx in parts)
    return out


def _fraction(size, name, n):
    if isinstance(size, int | np.integer) and not isinstance(size, bool) and size >= 1:
        if size >= n:
            raise ValueError(f"{name}={size} must be smaller than the number of rows ({n})")
        return size / n
    return check_scalar(size, name, low=0.0, high=1.0, high_inclusive=False)


def _take(a, idx):
    if hasattr(a, "iloc"):
        return a.iloc[idx]
    return np.asarray(a)[idx]


class _Scaler(BaseEstimator):
    def _update_tags(self, tags):
        from sklearn.utils import TransformerTags

        tags.target_tags.required = False
        tags.transformer_tags = TransformerTags()
        tags.input_tags.allow_nan = False
        return tags

    def fit_transform(self, X, y=None):
        return self.fit(X, y).transform(X)


class StandardScaler(_Scaler):
    r"""Standardise each feature: :math:`z = (x - \bar x)/s` with the training mean and
    standard deviation (:math:`s = 1` for a constant feature, so it maps to 0).

    Parameters
    ----------
    with_mean, with_std : bool
        Centre / scale. ``ddof`` : int, the standard deviation's divisor is ``n - ddof``.

    Attributes
    ----------
    mean_, scale_ : arrays (n_features,)
    """

    def __init__(self, with_mean=True, with_std=True, ddof=0):
        self.with_mean = with_mean
        self.with_std = with_std
        self.ddof = ddof

    def fit(self, X, y=None):
        X = self._validate_X(X, reset=True)
        ddof = check_scalar(self.ddof, "ddof", low=0, integer=True)
        if X.shape[0] <= ddof and self.with_std:
            raise ValueError(f"X needs more than ddof={ddof} rows to estimate a scale")
        self.mean_ = X.mean(axis=0) if self.with_mean else np.zeros(X.shape[1])
        scale = X.std(axis=0, ddof=ddof) if self.with_std else np.ones(X.shape[1])
        self.scale_ = np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X):
        self._check_is_fitted()
        return (self._validate_X(X, reset=False) - self.mean_) / self.scale_

    def inverse_transform(self, X):
        self._check_is_fitted()
        return as_float_array(X, "X") * self.scale_ + self.mean_


class MinMaxScaler(_Scaler):
    r"""Scale each feature to ``feature_range`` :math:`[a, b]`:
    :math:`z = a + (b - a)(x - \min)/(\max - \min)` with the training minimum and maximum (a
    constant feature maps to :math:`a`). Later data may fall outside :math:`[a, b]` unless
    ``clip=True``.

    Attributes
    ----------
    data_min_, data_max_, scale_, min_ : arrays (n_features,) with ``z = x * scale_ + min_``
    """

    def __init__(self, feature_range=(0.0, 1.0), clip=False):
        self.feature_range = feature_range
        self.clip = clip

    def fit(self, X, y=None):
        X = self._validate_X(X, reset=True)
        low, high = (float(v) for v in self.feature_range)
        if not low < high:
            raise ValueError(
                f"feature_range must be (low, high) with low < high, got {self.feature_range!r}"
            )
        self.data_min_, self.data_max_ = X.min(axis=0), X.max(axis=0)
        span = self.data_max_ - self.data_min_
        self.scale_ = (high - low) / np.where(span > 0, span, 1.0)
        self.min_ = low - self.data_min_ * self.scale_
        return self

    def transform(self, X):
        self._check_is_fitted()
        Z = self._validate_X(X, reset=False) * self.scale_ + self.min_
        if self.clip:
            np.clip(Z, *self.feature_range, out=Z)
        return Z

    def inverse_transform(self, X):
        self._check_is_fitted()
        return (as_float_array(X, "X") - self.min_) / self.scale_
