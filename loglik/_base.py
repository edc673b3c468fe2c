"""The scikit-learn estimator contract, without importing scikit-learn.

:class:`Estimator` gives ``get_params`` / ``set_params`` / ``repr`` from the ``__init__`` signature
(``__init__`` only stores its arguments), input validation that names the argument, the row and
the reason, feature-name bookkeeping (``feature_names_in_``) and ``__sklearn_tags__``, which
imports scikit-learn's tag classes lazily: it is only ever called by scikit-learn itself.
"""

from __future__ import annotations

import functools
import inspect
import numbers
import sys
import warnings

import numpy as np

from ._validation import check_finite_array

__all__ = ["DataConversionWarning", "Estimator", "NotFittedError"]


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit``."""


@functools.lru_cache(maxsize=1)
def _sklearn_aware(base):
    """``NotFittedError`` that is also scikit-learn's, for when scikit-learn is the caller."""
    return type("NotFittedError", (NotFittedError, base), {"__module__": __name__})


def not_fitted_error(message) -> NotFittedError:
    """A :class:`NotFittedError`; when scikit-learn is already imported (it is the caller),
    an instance of its ``NotFittedError`` too, so its ``check_is_fitted`` logic recognises it.
    scikit-learn is never imported here."""
    sk = sys.modules.get("sklearn.exceptions")
    cls = NotFittedError if sk is None else _sklearn_aware(sk.NotFittedError)
    return cls(message)


class classifier_only:
    """A method that exists only when the estimator is a classifier (``hasattr`` is False for
    a regressor, as scikit-learn's duck typing expects)."""

    def __init__(self, method):
        self.method = method
        functools.update_wrapper(self, method)

    def __get__(self, obj, owner=None):
        if obj is None:
            return self.method
        if obj._estimator_kind() != "classifier":
            raise AttributeError(
                f"{type(obj).__name__} is a regressor here; {self.method.__name__} is for "
                "classifier families"
            )
        return self.method.__get__(obj, owner)


class DataConversionWarning(UserWarning):
    """The input was converted (a column-vector ``y`` flattened)."""


def _feature_names(X):
    """Column names of a DataFrame when they are all strings, else None."""
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


def _is_sparse(x) -> bool:
    return hasattr(x, "tocsr") or type(x).__module__.startswith("scipy.sparse")


def as_float_array(x, name: str, *, ndim: int):
    """``x`` as a float64 array of ``ndim`` dimensions with every value finite, or a clear error
    (sparse, complex, non-numeric, wrong shape, NaN/inf with its position)."""
    if x is None:
        raise ValueError(f"{name} is None")
    if _is_sparse(x):
        raise TypeError(f"sparse input is not supported for {name}; convert it with .toarray()")
    arr = np.asarray(x)
    if np.iscomplexobj(arr):
        raise ValueError(f"Complex data not supported: {name} has dtype {arr.dtype}")
    if arr.dtype.kind == "O":
        try:
            arr = arr.astype(np.float64)
        except TypeError as exc:
            raise TypeError(f"{name} must be numeric: {exc}") from None
    if ndim == 2 and arr.ndim == 1:
        raise ValueError(
            f"Expected a 2-dimensional {name}, got a 1-dimensional array of shape {arr.shape}. "
            "Reshape your data either using array.reshape(-1, 1) if your data has a single "
            "feature or array.reshape(1, -1) if it contains a single sample."
        )
    return check_finite_array(arr, name, ndim=ndim, allow_empty=True)


class Estimator:
    """Base class: parameters from ``__init__``, validation, fitted-state checks, sklearn tags."""

    # -- parameters ----------------------------------------------------------------------------

    @classmethod
    def _param_names(cls):
        sig = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )

    def get_params(self, deep=True):
        """The constructor arguments as a dict (scikit-learn's contract)."""
        out = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        """Set constructor arguments (``name=value``, nested ``obj__name=value``); returns self."""
        valid = self._param_names()
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"invalid parameter {name!r} for {type(self).__name__}; valid: {valid}"
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self):
        sig = inspect.signature(type(self).__init__)
        parts = []
        for name in self._param_names():
            default = sig.parameters[name].default
            value = getattr(self, name)
            same = value is default or (
                isinstance(value, str | numbers.Number | type(None))
                and isinstance(default, str | numbers.Number | type(None))
                and value == default
                and type(value) is type(default)
            )
            if not same:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    # -- fitted state ----------------------------------------------------------------------------

    def __sklearn_is_fitted__(self):
        return hasattr(self, "n_features_in_")

    def _check_fitted(self):
        if not self.__sklearn_is_fitted__():
            raise not_fitted_error(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' with "
                "appropriate arguments before using this estimator."
            )

    # -- validation ------------------------------------------------------------------------------

    def _validate_X(self, X, *, reset: bool):
        """``X`` as a 2-D float64 array; sets (``reset``) or checks ``n_features_in_`` and
        ``feature_names_in_``."""
        names = _feature_names(X)
        arr = as_float_array(X, "X", ndim=2)
        if arr.shape[0] == 0:
            raise ValueError(f"X has no rows (shape={arr.shape}); at least 1 is required")
        if arr.shape[1] == 0:
            raise ValueError(f"0 feature(s) (shape={arr.shape}) while a minimum of 1 is required.")
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
                f"X has {arr.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )
        return arr

    def _check_feature_names(self, names):
        fitted = getattr(self, "feature_names_in_", None)
        cls = type(self).__name__
        if fitted is None and names is None:
            return
        if fitted is None:
            warnings.warn(
                f"X has feature names, but {cls} was fitted without feature names", stacklevel=3
            )
            return
        if names is None:
            warnings.warn(
                f"X does not have valid feature names, but {cls} was fitted with feature names",
                stacklevel=3,
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

    def _column_vector_y(self, y):
        """``y`` as a 1-D array (a column vector is flattened with a DataConversionWarning)."""
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None"
            )
        if _is_sparse(y):
            raise TypeError("sparse y is not supported; convert it with .toarray()")
        arr = np.asarray(y)
        if arr.ndim == 2 and arr.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change the "
                "shape of y to (n_samples,), for example using ravel().",
                DataConversionWarning,
                stacklevel=3,
            )
            arr = arr.ravel()
        if arr.ndim != 1:
            raise ValueError(f"y should be a 1d array, got an array of shape {arr.shape} instead")
        return arr

    # -- scikit-learn tags -----------------------------------------------------------------------

    def _estimator_kind(self) -> str:
        """``"regressor"`` or ``"classifier"``."""
        return "regressor"

    def _tag_overrides(self) -> dict:
        """Overrides: ``positive_y`` (targets must be >= 0), ``multi_class``, ``binary_only``."""
        return {}

    def __sklearn_tags__(self):
        from sklearn.utils import ClassifierTags, InputTags, RegressorTags, Tags, TargetTags

        extra = self._tag_overrides()
        kind = self._estimator_kind()
        return Tags(
            estimator_type=kind,
            target_tags=TargetTags(
                required=True, positive_only=extra.get("positive_y", False), one_d_labels=True
            ),
            classifier_tags=(
                ClassifierTags(multi_class=extra.get("multi_class", True))
                if kind == "classifier"
                else None
            ),
            regressor_tags=RegressorTags() if kind == "regressor" else None,
            input_tags=InputTags(two_d_array=True, sparse=False, allow_nan=False),
        )
