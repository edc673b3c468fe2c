"""The scikit-learn estimator contract without importing scikit-learn.

:class:`BaseEstimator` gives ``get_params``/``set_params`` (from the ``__init__`` signature, so
``sklearn.base.clone``, pipelines and grid searches work), a readable ``repr``, input checks that
remember the training features (``n_features_in_``, pandas ``feature_names_in_``) and the
``__sklearn_tags__`` that modern scikit-learn (1.6+) asks for, importing sklearn's tag types only
when sklearn itself is the caller.
"""

from __future__ import annotations

import functools
import inspect
import sys
import warnings

import numpy as np

from .._validation import DataConversionWarning

__all__ = [
    "BaseEstimator",
    "NotFittedError",
    "classifier_only",
    "not_fitted_error",
    "validate_features",
]


class NotFittedError(ValueError, AttributeError):
    """A method that needs a fitted estimator was called before ``fit``.

    When scikit-learn is loaded (it is the caller), the error raised is also an instance of
    ``sklearn.exceptions.NotFittedError``, so its checks and ``check_is_fitted`` users catch it.
    """


_SKLEARN_NOT_FITTED = {}


def not_fitted_error(message: str) -> NotFittedError:
    """A :class:`NotFittedError`, which is also scikit-learn's when sklearn is imported."""
    sk = sys.modules.get("sklearn.exceptions")
    if sk is None:
        return NotFittedError(message)
    if "cls" not in _SKLEARN_NOT_FITTED:
        _SKLEARN_NOT_FITTED["cls"] = type(
            "NotFittedError", (NotFittedError, sk.NotFittedError), {"__module__": __name__}
        )
    return _SKLEARN_NOT_FITTED["cls"](message)


class BaseEstimator:
    """Parameters are the ``__init__`` arguments, stored unchanged; fitted attributes end in ``_``.

    Subclasses set ``_estimator_type`` to ``"classifier"`` or ``"regressor"``.
    """

    _estimator_type: str | None = None

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )

    def get_params(self, deep: bool = True) -> dict:
        """The estimator's parameters (with ``deep``, those of nested estimators as
        ``name__param``)."""
        out = {}
        for name in self._param_names():
            value = getattr(self, name)
            out[name] = value
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update({f"{name}__{k}": v for k, v in value.get_params().items()})
        return out

    def set_params(self, **params):
        """Set parameters (validated at ``fit``); returns self."""
        valid = set(self._param_names())
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"invalid parameter {name!r} for {type(self).__name__}; "
                    f"valid: {', '.join(sorted(valid))}"
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self):
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        changed = []
        for name in self._param_names():
            value = getattr(self, name)
            default = defaults.get(name, inspect.Parameter.empty)
            same = value is default
            if not same:
                try:
                    same = bool(value == default)
                except (TypeError, ValueError):
                    same = False
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, InputTags, RegressorTags, Tags, TargetTags

        tags = Tags(
            estimator_type=self._estimator_type,
            target_tags=TargetTags(required=True),
            input_tags=InputTags(),
        )
        if self._estimator_type == "classifier":
            tags.classifier_tags = ClassifierTags()
        elif self._estimator_type == "regressor":
            tags.regressor_tags = RegressorTags()
        return self._update_tags(tags)

    def _update_tags(self, tags):
        """Subclasses adjust the scikit-learn tags here."""
        return tags

    # -- fitted state ------------------------------------------------------------------------

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "n_features_in_")

    def _check_is_fitted(self):
        if not self.__sklearn_is_fitted__():
            raise not_fitted_error(
                f"this {type(self).__name__} is not fitted yet; call fit before using it"
            )

    # -- input checks ------------------------------------------------------------------------

    def _validate_X(self, X, *, reset: bool, name: str = "X", dtype=np.float64) -> np.ndarray:
        """``X`` as a 2-D finite array (float64, or ``dtype``); ``reset`` stores
        ``n_features_in_`` (and ``feature_names_in_`` for a DataFrame), otherwise they are
        checked. No copy when ``X`` already has the dtype."""
        arr, names = validate_features(X, name, dtype)
        if reset:
            self.n_features_in_ = arr.shape[1]
            if names is not None:
                self.feature_names_in_ = names
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
            return arr
        self._check_feature_names(names)
        if arr.shape[1] != self.n_features_in_:
            raise ValueError(
                f"{name} has {arr.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )
        return arr

    def _check_feature_names(self, names):
        """scikit-learn's rules: a warning when only one of fit and this call had (string)
        column names, an error naming the unseen and missing names when they differ."""
        fitted = getattr(self, "feature_names_in_", None)
        cls = type(self).__name__
        if fitted is None and names is None:
            return
        if fitted is None or names is None:
            warnings.warn(
                f"X has feature names, but {cls} was fitted without feature names"
                if fitted is None
                else f"X does not have valid feature names, but {cls} was fitted with feature "
                "names",
                UserWarning,
                stacklevel=4,
            )
            return
        if len(fitted) == len(names) and np.all(fitted == names):
            return
        message = "The feature names should match those that were passed during fit.\n"
        unexpected = sorted(set(names) - set(fitted))
        missing = sorted(set(fitted) - set(names))
        if unexpected:
            message += "Feature names unseen at fit time:\n" + "".join(
                f"- {n}\n" for n in unexpected[:5]
            )
        if missing:
            message += "Feature names seen at fit time, yet now missing:\n" + "".join(
                f"- {n}\n" for n in missing[:5]
            )
        if not unexpected and not missing:
            message += "Feature names must be in the same order as they were in fit.\n"
        raise ValueError(message)

    def _validate_sample_weight(self, sample_weight, n: int):
        """None, or a finite non-negative float64 vector of length ``n`` with a positive sum."""
        if sample_weight is None:
            return None
        s = as_float_array(sample_weight, "sample_weight")
        if s.ndim == 0:
            s = np.full(n, float(s))
        if s.shape != (n,):
            raise ValueError(f"sample_weight must have shape ({n},), got {s.shape}")
        check_finite(s, "sample_weight")
        if np.any(s < 0):
            raise ValueError(
                f"sample_weight must be non-negative; row {int(np.argmax(s < 0))} is "
                f"{s[np.argmax(s < 0)]}"
            )
        if s.sum() <= 0:
            raise ValueError("every sample_weight is zero: no row carries any weight")
        return s


def validate_features(X, name: str = "X", dtype=np.float64):
    """``(array, names)``: ``X`` as a 2-D finite array (float64, or ``dtype``; no copy when it
    has it) and a DataFrame's string column names (None otherwise)."""
    if X is None:
        raise ValueError(f"{name} is None; expected a 2-D array of shape (n_samples, n)")
    names = _feature_names(X)
    arr = as_float_array(X, name, dtype)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be 2-dimensional (n_samples, n_features), got shape {arr.shape}. "
            "Reshape your data: X.reshape(-1, 1) for a single feature, X.reshape(1, -1) "
            "for a single sample"
        )
    if arr.shape[0] == 0:
        raise ValueError(f"{name} has 0 samples (shape={arr.shape}); at least 1 is required")
    if arr.shape[1] == 0:
        raise ValueError(
            f"{name} has 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required."
        )
    check_finite(arr, name)
    return arr, names


def _feature_names(X):
    """A DataFrame's column names when they are all strings (scikit-learn's rule), else None;
    a mix of string and other names is an error."""
    columns = getattr(X, "columns", None)
    if columns is None or not hasattr(X, "iloc") or len(columns) == 0:
        return None
    names = np.asarray(columns, dtype=object)
    types = sorted({type(v).__qualname__ for v in names})
    if len(types) > 1 and "str" in types:
        raise TypeError(
            "Feature names are only supported if all input features have string names, but "
            f"your input has {types} as feature name / column name types; convert them with "
            "X.columns = X.columns.astype(str)"
        )
    return names if types == ["str"] else None


class classifier_only:
    """A method that exists only while the estimator is a classifier (``hasattr`` is False
    for a regressor, as scikit-learn's duck typing expects)."""

    def __init__(self, method):
        self.method = method
        functools.update_wrapper(self, method)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.method
        if obj._estimator_type != "classifier":
            raise AttributeError(
                f"{type(obj).__name__} is a regressor here; {self.method.__name__} is for "
                "classifiers"
            )
        return self.method.__get__(obj, owner)


def as_float_array(x, name: str, dtype=np.float64) -> np.ndarray:
    """``x`` (array-like, DataFrame, list) as float64 (or ``dtype``); complex and non-numeric
    input are refused with an error naming ``name``."""
    if hasattr(x, "to_numpy") and callable(x.to_numpy):
        x = x.to_numpy()
    if hasattr(x, "tocsr") or type(x).__module__.startswith("scipy.sparse"):
        raise TypeError(
            f"sparse input is not supported: {name} is a scipy.sparse {type(x).__name__}; "
            f"pass {name}.toarray()"
        )
    raw = np.asarray(x)
    if raw.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {name} is complex")
    try:
        return raw.astype(dtype, copy=False)
    except TypeError as exc:
        raise TypeError(f"{name} must be numeric: {exc}") from None
    except ValueError as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise ValueError naming the first NaN or inf entry of ``arr``."""
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.sum(arr, dtype=np.float64)):  # one pass, no temporary: the usual case
            return
    bad = ~np.isfinite(arr)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        kind = "NaN" if np.isnan(arr[where]) else "inf"
        at = f"row {where[0]}" + (f", column {where[1]}" if len(where) > 1 else "")
        raise ValueError(f"{name} contains {kind} at {at} ({int(bad.sum())} non-finite)")


def column_or_1d(y, name: str = "y") -> np.ndarray:
    """A 1-D view of ``y``; a column vector (n, 1) is raveled with a DataConversionWarning."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        warnings.warn(
            f"A column-vector {name} was passed when a 1d array was expected; it was raveled "
            f"to shape ({y.shape[0]},)",
            DataConversionWarning,
            stacklevel=3,
        )
        return y.ravel()
    if y.ndim != 1:
        raise ValueError(f"{name} should be a 1d array, got an array of shape {y.shape}")
    return y
