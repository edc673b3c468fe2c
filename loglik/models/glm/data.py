"""Validated GLM training data, and the input checks every regression estimator shares."""

from __future__ import annotations

import numpy as np

from ..._validation import check_finite_array, check_scalar
from .._estimator import as_float_array, check_finite, column_or_1d
from ..likelihoods import Likelihood

__all__ = [
    "GLMData",
    "as_vector",
    "check_offset",
    "check_sample_weight",
    "encode_labels",
    "feature_labels",
    "glm_data",
    "target_vector",
]


def as_vector(x, name):
    """``x`` as a finite 1-D float64 array, or an error naming ``name``."""
    arr = as_float_array(x, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional, got shape {arr.shape}")
    check_finite(arr, name)
    return arr


def target_vector(y, owner: str):
    """``y`` as a 1-D array (a column vector is raveled with a DataConversionWarning); an error
    naming ``owner`` (the estimator or function) when it is None."""
    if y is None:
        raise ValueError(f"{owner} requires y to be passed, but the target y is None")
    return column_or_1d(y)


def check_sample_weight(sample_weight, n):
    """Case weights as float64 (ones when None): finite, >= 0, one per row, not all zero."""
    if sample_weight is None:
        return np.ones(n)
    s = np.asarray(sample_weight)
    if s.ndim == 0:
        s = np.full(n, check_scalar(float(s), "sample_weight", low=0.0))
    else:
        s = as_vector(s, "sample_weight")
    if s.shape[0] != n:
        raise ValueError(
            f"sample_weight.shape == {s.shape}, expected ({n},): one weight per row of X"
        )
    if np.any(s < 0):
        row = int(np.argmax(s < 0))
        raise ValueError(f"sample_weight must be non-negative; row {row} is {s[row]}")
    if not np.any(s > 0):
        raise ValueError("sample_weight is zero for every row: there is nothing to fit")
    return s


def check_offset(offset, n, exposure=None):
    """The offset (zeros when None), or ``log(exposure)`` added to it; exposure must be > 0."""
    o = np.zeros(n) if offset is None else as_vector(offset, "offset")
    if o.shape[0] != n:
        raise ValueError(f"offset has {o.shape[0]} entries but X has {n} rows")
    if exposure is not None:
        e = as_vector(exposure, "exposure")
        if e.shape[0] != n:
            raise ValueError(f"exposure has {e.shape[0]} entries but X has {n} rows")
        if np.any(e <= 0):
            row = int(np.argmax(e <= 0))
            raise ValueError(f"exposure must be positive; row {row} is {e[row]}")
        o = o + np.log(e)
    return o


def encode_labels(y):
    """``(classes, codes)`` for classification targets; continuous targets are rejected."""
    y = np.asarray(y)
    if y.dtype.kind == "O":
        if any(v is None or (isinstance(v, float) and not np.isfinite(v)) for v in y):
            raise ValueError("Input y contains NaN or None")
    elif y.dtype.kind in "fc":
        check_finite_array(y, "y", ndim=1)
        if np.any(y != np.round(y)):
            raise ValueError(
                "Unknown label type: continuous. Classifiers need class labels; for a "
                "continuous response use a regressor (family='gaussian')"
            )
    elif y.dtype.kind not in "biuUS":
        raise ValueError(f"Unknown label type: y has dtype {y.dtype}")
    classes, codes = np.unique(y, return_inverse=True)
    return classes, codes.astype(np.float64)


def feature_labels(names, p) -> list[str]:
    """Column names as strings, or ``x0, x1, ...`` when there are none."""
    if names is not None:
        return [str(n) for n in names]
    return [f"x{j}" for j in range(p)]


class GLMData:
    """Validated training data: ``X``, ``y`` (class codes for classifiers), weights, offset,
    and ``classes`` (the labels behind the codes; None for regression)."""

    def __init__(self, X, y, sample_weight, offset, classes=None):
        self.X, self.y, self.sample_weight, self.offset = X, y, sample_weight, offset
        self.classes = classes
        self.n, self.p = X.shape
        self.n_eff = int(np.count_nonzero(sample_weight))

    def with_weights(self, sample_weight) -> GLMData:
        """The same rows with other case weights (a cross-validation fold: no copy of X)."""
        return GLMData(self.X, self.y, sample_weight, self.offset, self.classes)


def _class_codes(y, s, likelihood):
    classes, codes = encode_labels(y)
    present = np.unique(codes[s > 0])
    if present.size < 2:
        raise ValueError(
            f"y has only one class ({classes[int(present[0])]!r}) among the rows with "
            "positive weight; a classifier needs at least 2 classes"
        )
    if likelihood.binary and classes.size > 2:
        raise ValueError(
            f"Only binary classification is supported by the {likelihood.name} family: y has "
            f"{classes.size} classes; use family='categorical'"
        )
    return classes, codes


def glm_data(
    X, y, likelihood: Likelihood, sample_weight=None, offset=None, exposure=None, *, owner: str
) -> GLMData:
    """Validate ``y``, the weights, the offset and the exposure against the (already validated,
    2-D float) ``X`` for ``likelihood``; errors name ``owner``."""
    y = target_vector(y, owner)
    n = X.shape[0]
    if y.shape[0] != n:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: X has {n} rows "
            f"but y has {y.shape[0]}"
        )
    s = check_sample_weight(sample_weight, n)
    if exposure is not None and not likelihood.accepts_exposure:
        raise ValueError("exposure applies to the poisson family only; use offset=")
    if offset is not None and likelihood.multinomial:
        raise ValueError(f"offset is not supported for the {likelihood.name} family (it cancels)")
    o = check_offset(offset, n, exposure)
    classes = None
    if likelihood.classification:
        classes, y = _class_codes(y, s, likelihood)
    else:
        y = likelihood.check_y(as_vector(y, "y"))
    if np.count_nonzero(s) < 2:
        raise ValueError(
            f"{owner} needs at least 2 rows with positive weight; got "
            f"n_samples = {np.count_nonzero(s)}"
        )
    return GLMData(X, y, s, o, classes)
