r"""Generalised linear models as likelihoods, and the unpenalised regression estimators.

For rows :math:`(x_i, y_i)` with case weights :math:`s_i`, the linear predictor is
:math:`\eta_i = x_i^T w + b + o_i` (``o`` an offset, e.g. log exposure) and the objective is the
weighted mean negative log-likelihood

.. math:: F(w, b) = \frac{\sum_i s_i\,\ell(y_i, \eta_i)}{\sum_i s_i},

with, per family (canonical links),

=========== ======== ==========================================================================
family      link     :math:`\ell(y, \eta)`
=========== ======== ==========================================================================
gaussian    identity :math:`\tfrac12 (y - \eta)^2` (σ profiled out: the scikit-learn / glmnet
                     convention :math:`\|y - Xw - b\|^2 / 2n`)
bernoulli   logit    :math:`\log(1 + e^\eta) - y\eta`
poisson     log      :math:`e^\eta - y\eta + \log y!`
categorical softmax  :math:`\log\sum_k e^{\eta_k} - \eta_{y}` (one linear predictor per class)
=========== ======== ==========================================================================

For the first three, :math:`\partial\ell/\partial\eta = \mu(\eta) - y` with :math:`\mu` the
inverse link, and :math:`\partial^2\ell/\partial\eta^2 = V(\mu)` the variance function
(1, μ(1-μ), μ), so the gradient is :math:`X^T s(\mu - y)/\sum s` and the Hessian
:math:`X^T \mathrm{diag}(sV) X/\sum s`. For the categorical family
:math:`\mu = \mathrm{softmax}(\eta)`, the gradient is :math:`X^T s(\mu - Y)` (Y one-hot) and
the Hessian blocks are
:math:`X^T \mathrm{diag}(s(\mu_k\delta_{km} - \mu_k\mu_m))X`.

The estimators :class:`LinearRegression`, :class:`LogisticRegression`, :class:`PoissonRegression`
and :class:`SoftmaxRegression` maximise the likelihood (QR least squares for the Gaussian family,
the shared damped Newton optimizer for the others) and report what statsmodels reports:
standard errors from the observed information, Wald z (t for the Gaussian family) statistics,
p-values and intervals, the log-likelihood, deviance, AIC and BIC, and a summary table.
"""

from __future__ import annotations

import warnings
from abc import ABC, abstractmethod

import numpy as np
import pandas as pd
from scipy import linalg, special, stats

from .._validation import ConvergenceWarning, check_choice, check_finite_array, check_scalar
from ..estimation.minimize import minimize
from ._estimator import BaseEstimator, check_finite, classifier_only, column_or_1d
from ._estimator import as_float_array as _as_float

__all__ = [
    "FAMILIES",
    "GLMObjective",
    "LinearRegression",
    "LogisticRegression",
    "PoissonRegression",
    "RegressionSummary",
    "SoftmaxRegression",
    "get_family",
]


# --------------------------------------------------------------------------------------------
# Families
# --------------------------------------------------------------------------------------------


class Family(ABC):
    r"""One GLM family with its canonical link: per-row negative log-likelihood and its first
    two derivatives in :math:`\eta`, the inverse link, the unit deviance, the support of y."""

    name = ""
    link = ""
    classification = False

    @abstractmethod
    def terms(self, eta, y):
        """``(nll, dnll/deta, d2nll/deta2)`` per row."""

    def mean(self, eta):
        """The inverse link :math:`\\mu(\\eta)`."""
        return eta

    def link_fn(self, mu):
        """The link :math:`\\eta(\\mu)`."""
        return mu

    def nll(self, eta, y):
        """Per-row negative log-likelihood (with every constant)."""
        return self.terms(eta, y)[0]

    def loss(self, eta, y):
        """:meth:`nll` up to terms that depend on y only (cheaper: for line searches)."""
        return self.nll(eta, y)

    def unit_deviance(self, y, eta):
        """:math:`d(y, \\mu) = 2(\\ell(y, \\eta) - \\ell_{\\text{saturated}}(y))` per row."""
        return 2.0 * self.nll(eta, y)

    def check_y(self, y, name="y"):  # noqa: B027 - the gaussian family accepts any real y
        """Raise a ValueError naming the first row outside the family's support."""


class Gaussian(Family):
    name, link = "gaussian", "identity"

    def terms(self, eta, y):
        r = eta - y
        return 0.5 * r * r, r, np.ones_like(eta)

    def unit_deviance(self, y, eta):
        return (y - eta) ** 2


class Bernoulli(Family):
    name, link, classification = "bernoulli", "logit", True

    def terms(self, eta, y):
        e = np.exp(-np.abs(eta))  # one exponential for the loss and the mean, both stable
        mu = np.where(eta >= 0, 1.0, e) / (1.0 + e)
        return np.maximum(eta, 0.0) + np.log1p(e) - y * eta, mu - y, mu * (1.0 - mu)

    def nll(self, eta, y):
        return np.logaddexp(0.0, eta) - y * eta

    def mean(self, eta):
        return special.expit(eta)

    def link_fn(self, mu):
        return special.logit(mu)

    def check_y(self, y, name="y"):
        bad = (y != 0) & (y != 1)
        if bad.any():
            row = int(np.argmax(bad))
            raise ValueError(
                f"{name} must be 0 or 1 for the bernoulli family; row {row} is {y[row]}"
            )


class Poisson(Family):
    name, link = "poisson", "log"

    def terms(self, eta, y):
        mu = np.exp(eta)
        return mu - y * eta + special.gammaln(y + 1.0), mu - y, mu

    def loss(self, eta, y):
        return np.exp(eta) - y * eta

    def mean(self, eta):
        return np.exp(eta)

    def link_fn(self, mu):
        return np.log(mu)

    def unit_deviance(self, y, eta):
        mu = np.exp(eta)
        with np.errstate(divide="ignore", invalid="ignore"):
            return 2.0 * (special.xlogy(y, y / mu) - y + mu)

    def check_y(self, y, name="y"):
        if np.any(y < 0):
            row = int(np.argmax(y < 0))
            raise ValueError(
                f"{name} must be non-negative counts for the poisson family; row {row} is {y[row]}"
            )


class Categorical(Family):
    """Softmax regression: ``eta`` has one column per class, ``y`` holds class codes 0..K-1."""

    name, link, classification = "categorical", "softmax", True

    def terms(self, eta, y):
        lse = special.logsumexp(eta, axis=1)
        mu = np.exp(eta - lse[:, None])
        codes = y.astype(np.intp)
        nll = lse - eta[np.arange(eta.shape[0]), codes]
        resid = mu.copy()
        resid[np.arange(eta.shape[0]), codes] -= 1.0
        return nll, resid, mu

    def mean(self, eta):
        return special.softmax(eta, axis=1)

    def check_y(self, y, name="y"):
        bad = (y < 0) | (y != np.round(y))
        if bad.any():
            row = int(np.argmax(bad))
            raise ValueError(f"{name} must hold class codes 0, 1, ...; row {row} is {y[row]}")


FAMILIES: dict[str, Family] = {
    f.name: f for f in (Gaussian(), Bernoulli(), Poisson(), Categorical())
}


def get_family(family) -> Family:
    """A family by name (``"gaussian"``, ``"bernoulli"``, ``"poisson"``, ``"categorical"``)."""
    if isinstance(family, Family):
        return family
    check_choice(family, "family", tuple(FAMILIES))
    return FAMILIES[family]


# --------------------------------------------------------------------------------------------
# The objective
# --------------------------------------------------------------------------------------------


class GLMObjective:
    """The mean negative log-likelihood of a GLM over ``params = [coef, intercept]``.

    Parameters
    ----------
    X : array of shape (n, p)
    y : array of shape (n,)
        Responses; class codes 0..K-1 for the categorical family.
    family : {"gaussian", "bernoulli", "poisson", "categorical"}
    sample_weight : array of shape (n,), optional
        Case weights :math:`s_i \\ge 0`.
    offset : array of shape (n,), optional
        Added to the linear predictor (log exposure for Poisson rates).
    fit_intercept : bool
        When False the intercept block is held at 0 (its gradient is 0).
    n_classes : int, optional
        Categorical family: the number of classes K (default ``max(y) + 1``).

    Notes
    -----
    ``params`` is ``[coef (p,), intercept ()]``, or for the categorical family
    ``[coef (p, K), intercept (K,)]``. ``value_and_grad(params, batch)`` restricts every sum to
    the rows ``batch``; ``hessian`` returns the matrix over the flattened parameters, i.e.
    ``(p + 1, p + 1)`` over ``[coef..., intercept]`` (categorical: ``((p + 1)K, (p + 1)K)``,
    coefficient ``(j, k)`` at ``j*K + k``, intercept ``k`` at ``p*K + k``).
    """

    def __init__(
        self,
        X,
        y,
        family="bernoulli",
        *,
        sample_weight=None,
        offset=None,
        fit_intercept=True,
        n_classes=None,
    ):
        self.family = check_choice(family, "family", tuple(FAMILIES))
        self._family = FAMILIES[family]
        self.X = check_finite_array(X, "X", ndim=2)
        self.y = check_finite_array(y, "y", ndim=1)
        n = self.X.shape[0]
        if self.y.shape[0] != n:
            raise ValueError(f"X has {n} rows but y has {self.y.shape[0]}")
        self._family.check_y(self.y)
        self.sample_weight = check_sample_weight(sample_weight, n)
        self.offset = check_offset(offset, n)
        self.fit_intercept = fit_intercept
        self.n_samples = n
        self._categorical = self.family == "categorical"
        if self._categorical:
            k = int(self.y.max()) + 1 if n_classes is None else int(n_classes)
            if k < 2 or self.y.max() >= k:
                raise ValueError(f"n_classes={k} does not cover the class codes in y")
            self.n_classes = k
        self._full_weights = self.sample_weight / self.sample_weight.sum()

    def _rows(self, batch):
        if batch is None:
            return self.X, self.y, self._full_weights, self.offset
        s = self.sample_weight[batch]
        return self.X[batch], self.y[batch], s / s.sum(), self.offset[batch]

    def _eval(self, params, batch):
        coef, intercept = params
        X, y, s, o = self._rows(batch)
        b = intercept if self.fit_intercept else 0.0
        if self._categorical:
            eta = X @ coef + b + o[:, None]
        else:
            eta = X @ coef + float(b) + o
        loss, dloss, curv = self._family.terms(eta, y)
        return X, s, loss, dloss, curv

    def value(self, params, batch=None) -> float:
        _, s, loss, _, _ = self._eval(params, batch)
        return float(s @ loss)

    def value_and_grad(self, params, batch=None):
        X, s, loss, dloss, _ = self._eval(params, batch)
        r = s[:, None] * dloss if self._categorical else s * dloss
        g_intercept = r.sum(axis=0) if self.fit_intercept else np.zeros_like(r[0])
        return float(s @ loss), [X.T @ r, np.reshape(g_intercept, np.shape(params[1]))]

    def hessian(self, params, batch=None):
        X, s, _, _, mu = self._eval(params, batch)
        Xa = np.column_stack([X, np.ones(X.shape[0])])
        if not self._categorical:
            H = Xa.T @ (Xa * (s * mu)[:, None])
            if not self.fit_intercept:
                H[-1, :] = H[:, -1] = 0.0
                H[-1, -1] = 1.0  # keeps the intercept's Newton step at exactly zero
            return H
        K, d = mu.shape[1], Xa.shape[1]
        H = np.empty((d, K, d, K))
        for k in range(K):
            for m in range(k, K):
                w = s * mu[:, k] * ((k == m) - mu[:, m])
                block = Xa.T @ (Xa * w[:, None])
                H[:, k, :, m] = block
                H[:, m, :, k] = block.T
        if not self.fit_intercept:
            H[-1, :, :, :] = 0.0
            H[:, :, -1, :] = 0.0
            H[-1, np.arange(K), -1, np.arange(K)] = 1.0
        return H.reshape(d * K, d * K)


# --------------------------------------------------------------------------------------------
# Input checks shared by every regression estimator
# --------------------------------------------------------------------------------------------


def _vector(x, name):
    """``x`` as a finite 1-D float64 array, or an error naming ``name``."""
    arr = _as_float(x, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional, got shape {arr.shape}")
    check_finite(arr, name)
    return arr


def _target(est, y):
    """``y`` as a 1-D array (a column vector is raveled with a DataConversionWarning)."""
    if y is None:
        raise ValueError(f"{type(est).__name__} requires y to be passed, but the target y is None")
    return column_or_1d(y)


def check_sample_weight(sample_weight, n):
    """Case weights as float64 (ones when None): finite, >= 0, one per row, not all zero."""
    if sample_weight is None:
        return np.ones(n)
    s = np.asarray(sample_weight)
    if s.ndim == 0:
        s = np.full(n, check_scalar(float(s), "sample_weight", low=0.0))
    else:
        s = _vector(s, "sample_weight")
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
    o = np.zeros(n) if offset is None else _vector(offset, "offset")
    if o.shape[0] != n:
        raise ValueError(f"offset has {o.shape[0]} entries but X has {n} rows")
    if exposure is not None:
        e = _vector(exposure, "exposure")
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


class GLMData:
    """Validated training data: ``X``, ``y`` (class codes for classifiers), weights, offset."""

    def __init__(self, X, y, sample_weight, offset):
        self.X, self.y, self.sample_weight, self.offset = X, y, sample_weight, offset
        self.n, self.p = X.shape
        self.n_eff = int(np.count_nonzero(sample_weight))


def prepare_data(est, X, y, sample_weight=None, offset=None, exposure=None, *, family):
    """Validate the arguments of ``fit`` for a GLM estimator of ``family``; set
    ``n_features_in_``, ``feature_names_in_`` and, for classifiers, ``classes_``."""
    X = est._validate_X(X, reset=True)
    y = _target(est, y)
    n = X.shape[0]
    if y.shape[0] != n:
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: X has {n} rows "
            f"but y has {y.shape[0]}"
        )
    s = check_sample_weight(sample_weight, n)
    if exposure is not None and family.name != "poisson":
        raise ValueError("exposure applies to the poisson family only; use offset=")
    if offset is not None and family.name == "categorical":
        raise ValueError("offset is not supported for the categorical family (it cancels)")
    o = check_offset(offset, n, exposure)
    if family.classification:
        classes, codes = encode_labels(y)
        present = np.unique(codes[s > 0])
        if present.size < 2:
            raise ValueError(
                f"y has only one class ({classes[int(present[0])]!r}) among the rows with "
                "positive weight; a classifier needs at least 2 classes"
            )
        if family.name == "bernoulli" and classes.size > 2:
            raise ValueError(
                "Only binary classification is supported by the bernoulli family: y has "
                f"{classes.size} classes; use family='categorical'"
            )
        est.classes_ = classes
        y = codes
    else:
        y = _vector(y, "y")
        family.check_y(y)
    if np.count_nonzero(s) < 2:
        raise ValueError(
            f"{type(est).__name__} needs at least 2 rows with positive weight; got "
            f"n_samples = {np.count_nonzero(s)}"
        )
    return GLMData(X, y, s, o)


# --------------------------------------------------------------------------------------------
# Inference
# --------------------------------------------------------------------------------------------


def wald_table(params, se, *, df=None, level=0.95):
    """Estimate, standard error, t or z statistic, two-sided p-value and ``level`` interval.

    ``df`` gives Student t reference distributions (Gaussian linear model), None the normal.
    """
    params, se = pd.Series(params), pd.Series(se)
    dist = stats.norm if df is None else stats.t(df)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = params / se
    q = dist.ppf(0.5 + level / 2)
    label = "z" if df is None else "t"
    lo, hi = (1 - level) / 2, (1 + level) / 2
    return pd.DataFrame(
        {
            "coef": params,
            "std err": se,
            label: stat,
            f"P>|{label}|": 2 * dist.sf(np.abs(stat)),
            f"[{lo:.3g}": params - q * se,
            f"{hi:.3g}]": params + q * se,
        }
    )


class RegressionSummary:
    """What ``summary()`` returns: ``info`` (model-level numbers) and ``coefficients`` (the
    Wald table, a DataFrame indexed by parameter name); prints as the familiar text table."""

    def __init__(self, title, info, coefficients):
        self.title, self.info, self.coefficients = title, info, coefficients

    def __str__(self):
        width = 78
        items = [
            f"{k}: {v:.6g}" if isinstance(v, float) else f"{k}: {v}" for k, v in self.info.items()
        ]
        half = (len(items) + 1) // 2
        left, right = items[:half], items[half:]
        lines = [self.title.center(width), "=" * width]
        for i in range(half):
            r = right[i] if i < len(right) else ""
            lines.append(f"{left[i]:<39}{r}")
        lines.append("=" * width)
        with pd.option_context("display.width", width, "display.max_columns", 10):
            lines.append(self.coefficients.to_string(float_format=lambda v: f"{v:.4g}"))
        lines.append("=" * width)
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        head = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in self.info.items())
        return f"<h4>{self.title}</h4><table>{head}</table>" + self.coefficients.to_html()


class InferenceMixin:
    r"""statsmodels-style results for an unpenalised fit: the estimator sets ``params_`` (a
    Series), ``cov_params_`` (a DataFrame), ``df_resid_`` (Student t reference, or None for z),
    ``loglik_``, ``deviance_``, ``null_deviance_``, ``n_params_``, ``nobs_``, ``aic_``
    (:math:`-2\log L + 2k`, k the estimated mean parameters, as statsmodels) and ``bic_``
    (:math:`-2\log L + k\log n`, n the rows with positive weight)."""

    @property
    def bse_(self) -> pd.Series:
        """Standard errors: square roots of the diagonal of ``cov_params_``."""
        self._check_inference()
        return pd.Series(np.sqrt(np.diag(self.cov_params_.to_numpy())), index=self.params_.index)

    @property
    def tvalues_(self) -> pd.Series:
        """Wald statistics ``params_ / bse_`` (t for the Gaussian family, z otherwise)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.params_ / self.bse_

    @property
    def pvalues_(self) -> pd.Series:
        """Two-sided p-values of the Wald statistics (Student t with ``df_resid_`` or normal)."""
        t = self.tvalues_.to_numpy()
        dist = stats.norm if self.df_resid_ is None else stats.t(self.df_resid_)
        return pd.Series(2 * dist.sf(np.abs(t)), index=self.params_.index)

    def _check_inference(self):
        self._check_is_fitted()
        if not hasattr(self, "cov_params_"):
            raise ValueError(
                f"{type(self).__name__} with a penalty has no classical inference; "
                "standard errors, p-values and summary() are for penalty=None"
            )

    def conf_int(self, level=0.95) -> pd.DataFrame:
        """Wald confidence intervals: a DataFrame indexed by parameter with ``lower``,
        ``upper``."""
        level = check_scalar(
            level, "level", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
        )
        table = wald_table(self.params_, self.bse_, df=self.df_resid_, level=level)
        out = table.iloc[:, -2:]
        out.columns = ["lower", "upper"]
        return out

    def summary(self, level=0.95) -> RegressionSummary:
        """The coefficient table (estimate, std err, t/z, p-value, interval) with model-level
        numbers: observations, log-likelihood, deviance, AIC, BIC, convergence."""
        self._check_inference()
        table = wald_table(self.params_, self.bse_, df=self.df_resid_, level=level)
        info = {
            "model": type(self).__name__,
            "family": self._family_name(),
            "link": get_family(self._family_name()).link,
            "observations": self.nobs_,
            "parameters": self.n_params_,
            "log-likelihood": float(self.loglik_),
            "deviance": float(self.deviance_),
            "null deviance": float(self.null_deviance_),
            "AIC": float(self.aic_),
            "BIC": float(self.bic_),
            "converged": bool(self.converged_),
            "iterations": int(self.n_iter_),
        }
        if self.df_resid_ is not None:
            info["df residual"] = self.df_resid_
            info["R-squared"] = float(1.0 - self.deviance_ / self.null_deviance_)
        return RegressionSummary(f"{type(self).__name__} results", info, table)


# --------------------------------------------------------------------------------------------
# Maximum likelihood
# --------------------------------------------------------------------------------------------


def _center_scale(X, s, fit_intercept):
    """Weighted column means (0 without intercept) and scales (1 for constant columns)."""
    sw = s / s.sum()
    mean = sw @ X if fit_intercept else np.zeros(X.shape[1])
    scale = np.sqrt(sw @ (X - mean) ** 2)
    scale[scale <= 1e-300] = 1.0
    return mean, scale


def _design(Z, fit_intercept):
    """``[1, Z]`` with an intercept, else ``Z``."""
    return np.column_stack([np.ones(Z.shape[0]), Z]) if fit_intercept else Z


def _aliased(Z, s, fit_intercept, rtol=1e-7):
    r"""Columns that are (numerically) linear combinations of the intercept and the columns
    before them: a mask. Column j is aliased when the part of :math:`\sqrt{s} z_j` orthogonal
    to the earlier columns, :math:`|R_{jj}|` of a QR decomposition in column order, is below
    ``rtol`` times its norm (R's ``lm`` rule); later columns of a collinear set are dropped."""
    rows = s > 0
    Zw = _design(Z[rows], fit_intercept) * np.sqrt(s[rows])[:, None]
    R = linalg.qr(Zw, mode="r")[0]
    k = min(R.shape)
    diag = np.zeros(Zw.shape[1])
    diag[:k] = np.abs(np.diag(R[:k, :k]))
    norms = np.linalg.norm(Zw, axis=0)
    aliased = diag <= rtol * np.maximum(norms, 1e-300)
    return aliased[1:] if fit_intercept else aliased


class _ReferenceSoftmax:
    """The categorical objective with class 0's parameters fixed at 0 (identifiable):
    ``params = [coef (p, K-1), intercept (K-1,)]``."""

    def __init__(self, full: GLMObjective):
        self.full = full
        self.n_samples = full.n_samples
        K, p = full.n_classes, full.X.shape[1]
        idx = np.arange((p + 1) * K).reshape(p + 1, K)[:, 1:]
        self._keep = idx.ravel()

    def _expand(self, params):
        coef, intercept = params
        return [
            np.column_stack([np.zeros(coef.shape[0]), coef]),
            np.concatenate([[0.0], np.ravel(intercept)]),
        ]

    def value(self, params, batch=None):
        return self.full.value(self._expand(params), batch)

    def value_and_grad(self, params, batch=None):
        f, (gc, gi) = self.full.value_and_grad(self._expand(params), batch)
        return f, [gc[:, 1:], gi[1:]]

    def hessian(self, params, batch=None):
        H = self.full.hessian(self._expand(params), batch)
        return H[np.ix_(self._keep, self._keep)]


def _newton_fit(objective, start, tol, max_iter):
    res = minimize(objective, start, "newton", tol=0.0, gtol=tol, max_iter=max_iter, warn=False)
    return res.params, res.converged, res.n_iter


def fit_mle(family: Family, data: GLMData, *, fit_intercept, tol, max_iter, n_classes=None):
    """Maximum likelihood for a GLM; returns a dict with ``coef`` (p,) or (K, p),
    ``intercept``, ``cov`` (over [intercept, coef...], original scale; class-major blocks for
    the categorical family, reference class excluded), ``aliased``, ``converged``, ``n_iter``.

    The design is centred and scaled internally (an exact affine reparametrisation, undone at
    the end) so the linear algebra is well conditioned; aliased columns (constant, duplicated or
    collinear) are left out, their coefficients reported as 0 with undefined standard errors.
    """
    X, s = data.X, data.sample_weight
    mean, scale = _center_scale(X, s, fit_intercept)
    Z = (X - mean) / scale
    aliased = _aliased(Z, s, fit_intercept)
    Zk = Z[:, ~aliased]
    if family.name == "gaussian":
        theta, cov_z, converged, n_iter, resid_scale = _least_squares(Zk, data, fit_intercept)
    else:
        theta, cov_z, converged, n_iter = _newton_glm(
            family, Zk, data, fit_intercept, tol, max_iter, n_classes
        )
        resid_scale = 1.0
    # back to the original scale: coef_j = v_j / scale_j, intercept = c - mean' coef
    n_keep = int(np.sum(~aliased))
    A = np.zeros((1 + n_keep, 1 + n_keep))
    A[0, 0] = 1.0
    A[1:, 1:] = np.diag(1.0 / scale[~aliased])
    A[0, 1:] = -mean[~aliased] / scale[~aliased]
    K1 = theta.shape[1]  # 1, or K - 1 for the categorical family
    orig = A @ theta  # (1 + n_keep, K1): rows intercept, coefficients
    coef = np.zeros((X.shape[1], K1))
    coef[~aliased] = orig[1:]
    intercept = orig[0]
    # covariance over class-major [intercept, coef...] blocks
    big_A = np.kron(np.eye(K1), A)
    cov = big_A @ cov_z @ big_A.T
    return {
        "coef": coef,
        "intercept": intercept,
        "cov": cov,
        "aliased": aliased,
        "converged": converged,
        "n_iter": n_iter,
        "scale": resid_scale,
    }


def _least_squares(Zk, data, fit_intercept):
    """Weighted least squares by QR of sqrt(s)[1, Z]; covariance :math:`\\hat\\sigma^2
    (Z^T S Z)^{-1}` with :math:`\\hat\\sigma^2 = \\sum s r^2/(n - k)` (statsmodels' WLS)."""
    s = data.sample_weight
    rows = s > 0
    rs = np.sqrt(s[rows])
    design = _design(Zk[rows], fit_intercept)
    target = (data.y - data.offset)[rows]
    Q, R = linalg.qr(design * rs[:, None], mode="economic")
    theta = linalg.solve_triangular(R, Q.T @ (target * rs))
    resid = target - design @ theta
    df = rows.sum() - design.shape[1]
    sigma2 = float(s[rows] @ resid**2) / df if df > 0 else np.nan
    Rinv = linalg.solve_triangular(R, np.eye(R.shape[0]))
    cov = sigma2 * (Rinv @ Rinv.T)
    return (*_pad_intercept(theta[:, None], cov, fit_intercept), True, 1, sigma2)


def _pad_intercept(theta, cov, fit_intercept):
    """Insert a zero intercept row (and zero covariance) in each class block when there is
    none, so the blocks are always ``[intercept, coef...]``."""
    if fit_intercept:
        return theta, cov
    K1 = theta.shape[1]
    d = theta.shape[0] + 1
    keep = np.array([k * d + j for k in range(K1) for j in range(1, d)])
    full_cov = np.zeros((K1 * d, K1 * d))
    full_cov[np.ix_(keep, keep)] = cov
    return np.vstack([np.zeros((1, K1)), theta]), full_cov


def _newton_glm(family, Zk, data, fit_intercept, tol, max_iter, n_classes):
    """Newton's method on the mean NLL over the kept columns; covariance = inverse of the
    summed-NLL Hessian (the observed = expected information for canonical links)."""
    s, y, o = data.sample_weight, data.y, data.offset
    obj = GLMObjective(
        Zk,
        y,
        family.name,
        sample_weight=s,
        offset=o,
        fit_intercept=fit_intercept,
        n_classes=n_classes,
    )
    p = Zk.shape[1]
    sw = s / s.sum()
    if family.name == "categorical":
        objective = _ReferenceSoftmax(obj)
        freq = np.maximum([sw[y == k].sum() for k in range(n_classes)], 1e-12)
        b0 = np.log(freq[1:] / freq[0]) if fit_intercept else np.zeros(n_classes - 1)
        start = [np.zeros((p, n_classes - 1)), b0]
    else:
        objective = obj
        ybar = float(sw @ y)
        mu0 = np.clip(ybar, 1e-10, 1 - 1e-10) if family.name == "bernoulli" else max(ybar, 1e-10)
        b0 = float(family.link_fn(mu0)) if fit_intercept else 0.0
        start = [np.zeros(p), np.array(b0)]
    (coef, intercept), converged, n_iter = _newton_fit(objective, start, tol, max_iter)
    coef = coef.reshape(p, -1)
    K1 = coef.shape[1]
    # flattened (j, k) -> j*K1 + k and intercept k -> p*K1 + k, into class-major blocks
    order = np.array([[p * K1 + k] + [j * K1 + k for j in range(p)] for k in range(K1)])
    if not fit_intercept:
        order = order[:, 1:]
    order = order.ravel()
    H = objective.hessian([coef.reshape(np.shape(start[0])), intercept])[np.ix_(order, order)]
    cov = _inverse(H * s.sum())
    theta = coef if not fit_intercept else np.vstack([np.reshape(intercept, (1, K1)), coef])
    return (*_pad_intercept(theta, cov, fit_intercept), converged, n_iter)


def _inverse(H):
    """Inverse of a symmetric positive (semi)definite matrix; pseudo-inverse when singular."""
    try:
        c = linalg.cho_factor(H, lower=True)
        return linalg.cho_solve(c, np.eye(H.shape[0]))
    except linalg.LinAlgError:
        return linalg.pinvh(H)


def null_model_eta(family, y, s, offset, n_classes=None):
    """The linear predictor of the intercept-only MLE (used for null deviance and R²)."""
    sw = s / s.sum()
    if family.name == "categorical":
        freq = np.array([sw[y == k].sum() for k in range(n_classes)])
        return np.broadcast_to(np.log(np.maximum(freq, 1e-300)), (y.size, n_classes))
    if family.name == "gaussian":
        return offset + float(sw @ (y - offset))
    if family.name == "poisson":
        return offset + np.log(max(float(sw @ y), 1e-300) / float(sw @ np.exp(offset)))
    b = float(special.logit(np.clip(sw @ y, 1e-12, 1 - 1e-12)))
    for _ in range(50):  # bernoulli with an offset: scalar Newton
        mu = special.expit(offset + b)
        step = float(sw @ (mu - y)) / max(float(sw @ (mu * (1 - mu))), 1e-300)
        b -= step
        if abs(step) < 1e-14 * max(1.0, abs(b)):
            break
    return offset + b


def log_likelihood(family, y, eta, s, scale=None):
    """The full weighted log-likelihood :math:`\\sum_i s_i \\log p(y_i)`; for the Gaussian
    family with σ² at its MLE (statsmodels' OLS/WLS ``llf``)."""
    rows = s > 0
    if family.name == "gaussian":
        n = rows.sum()
        ssr = float(s[rows] @ (y[rows] - eta[rows]) ** 2)
        return float(
            -0.5 * n * (np.log(2 * np.pi) + np.log(ssr / n) + 1.0) + 0.5 * np.log(s[rows]).sum()
        )
    return float(-(s[rows] @ family.nll(eta[rows], y[rows])))


def deviance(family, y, eta, s):
    """:math:`\\sum_i s_i d(y_i, \\mu_i)`."""
    return float(s @ family.unit_deviance(y, eta))


# --------------------------------------------------------------------------------------------
# Estimators
# --------------------------------------------------------------------------------------------


class GLMEstimator(BaseEstimator):
    """Shared prediction for GLM estimators: ``coef_``, ``intercept_`` -> linear predictor."""

    def _family_name(self) -> str:
        return self.family

    def _family(self) -> Family:
        return get_family(self._family_name())

    @property
    def _estimator_type(self):
        family = FAMILIES.get(self._family_name_unchecked())
        return "classifier" if family is not None and family.classification else "regressor"

    def _family_name_unchecked(self):
        try:
            return self._family_name()
        except ValueError:
            return None

    def _update_tags(self, tags):
        tags.target_tags.positive_only = self._family_name_unchecked() == "poisson"
        tags.target_tags.one_d_labels = True
        if tags.classifier_tags is not None:
            tags.classifier_tags.multi_class = self._family_name_unchecked() != "bernoulli"
        return tags

    def _linear_predictor(self, X, offset=None):
        self._check_is_fitted()
        X = self._validate_X(X, reset=False)
        o = check_offset(offset, X.shape[0]) if offset is not None else 0.0
        coef = np.asarray(self.coef_)
        if coef.ndim == 2:
            return X @ coef.T + self.intercept_ + (o[:, None] if offset is not None else 0.0)
        return X @ coef + self.intercept_ + o

    def linear_predictor(self, X, offset=None):
        """The linear predictor :math:`\\eta = Xw + b` (+ offset): (n,), or (n, K) for the
        categorical family."""
        return self._linear_predictor(X, offset)

    @classifier_only
    def decision_function(self, X, offset=None):
        """Classifiers' scores: the log-odds :math:`\\eta` (n,) for two classes (for a softmax
        model :math:`\\eta_1 - \\eta_0`), the class scores (n, K) for more."""
        eta = self._linear_predictor(X, offset)
        if eta.ndim == 2 and eta.shape[1] == 2:
            return eta[:, 1] - eta[:, 0]
        return eta

    def predict(self, X, offset=None, exposure=None):
        """Regressors: the fitted mean :math:`\\mu(\\eta)` (with ``offset``/``exposure``).
        Classifiers: the most probable class label."""
        if exposure is not None:
            self._check_is_fitted()
            offset = check_offset(offset, np.shape(X)[0], exposure)
        eta = self._linear_predictor(X, offset)
        family = self._family()
        if not family.classification:
            return family.mean(eta)
        if eta.ndim == 1:
            return self.classes_[(eta > 0).astype(np.intp)]
        return self.classes_[np.argmax(eta, axis=1)]

    @classifier_only
    def predict_proba(self, X, offset=None):
        """Class probabilities, shape (n, n_classes), columns in the order of ``classes_``."""
        eta = self._linear_predictor(X, offset)
        if eta.ndim == 1:
            p1 = special.expit(eta)
            return np.column_stack([1.0 - p1, p1])
        return special.softmax(eta, axis=1)

    @classifier_only
    def predict_log_proba(self, X, offset=None):
        """Logarithms of :meth:`predict_proba`, computed stably."""
        eta = self._linear_predictor(X, offset)
        if eta.ndim == 1:
            return np.column_stack([-np.logaddexp(0.0, eta), -np.logaddexp(0.0, -eta)])
        return eta - special.logsumexp(eta, axis=1, keepdims=True)

    def score(self, X, y, sample_weight=None):
        """Classifiers: accuracy. Regressors: the fraction of deviance explained
        :math:`D^2 = 1 - D(y, \\hat\\mu)/D(y, \\bar y)` (R² for the Gaussian family)."""
        pred = self.predict(X)
        family = self._family()
        y = _target(self, y)
        s = check_sample_weight(sample_weight, y.shape[0])
        if family.classification:
            return float(np.average(pred == y, weights=s))
        y = _vector(y, "y")
        eta = family.link_fn(pred) if family.name != "gaussian" else pred
        ybar = np.average(y, weights=s)
        null = family.link_fn(np.full_like(y, ybar)) if family.name != "gaussian" else ybar
        dev = float(s @ family.unit_deviance(y, eta))
        dev0 = float(s @ family.unit_deviance(y, np.broadcast_to(null, y.shape)))
        if dev0 == 0.0:
            return 1.0 if dev == 0.0 else 0.0
        return 1.0 - dev / dev0

    def _names(self):
        if hasattr(self, "feature_names_in_"):
            return [str(n) for n in self.feature_names_in_]
        return [f"x{j}" for j in range(self.n_features_in_)]


class _MLERegression(InferenceMixin, GLMEstimator):
    """Unpenalised maximum likelihood with statsmodels-style inference."""

    family = "gaussian"

    def __init__(self, *, fit_intercept=True, tol=1e-10, max_iter=100):
        self.fit_intercept = fit_intercept
        self.tol = tol
        self.max_iter = max_iter

    def _family_name(self):
        return type(self).family

    def fit(self, X, y, sample_weight=None, offset=None):
        """Maximise the likelihood; returns self.

        Parameters
        ----------
        X : array-like of shape (n, p)
        y : array-like of shape (n,)
        sample_weight : array-like of shape (n,), optional
            Case weights (frequency-like: weight 2 is the row twice for the estimates; for the
            Gaussian family the standard errors follow statsmodels' WLS).
        offset : array-like of shape (n,), optional
            Added to the linear predictor.
        """
        return self._fit(X, y, sample_weight, offset, None)

    def _fit(self, X, y, sample_weight, offset, exposure):
        family = self._family()
        tol = check_scalar(self.tol, "tol", low=0.0)
        max_iter = check_scalar(self.max_iter, "max_iter", low=1, integer=True)
        data = prepare_data(self, X, y, sample_weight, offset, exposure, family=family)
        self._fit_data(family, data, tol, max_iter)
        return self

    def _fit_data(self, family, data, tol, max_iter):
        fit_intercept = bool(self.fit_intercept)
        n_classes = len(self.classes_) if family.name == "categorical" else None
        out = fit_mle(
            family,
            data,
            fit_intercept=fit_intercept,
            tol=tol,
            max_iter=max_iter,
            n_classes=n_classes,
        )
        self._store(family, data, out, n_classes)

    def _store(self, family, data, out, n_classes):
        fit_intercept = bool(self.fit_intercept)
        names = self._names()
        self.aliased_ = out["aliased"]
        self.converged_ = bool(out["converged"])
        self.n_iter_ = int(out["n_iter"])
        categorical = family.name == "categorical"
        coef, intercept = out["coef"], out["intercept"]  # (p, K1), (K1,)
        K1 = coef.shape[1]
        if categorical:
            self.coef_ = np.vstack([np.zeros(data.p), coef.T])
            self.intercept_ = np.concatenate([[0.0], intercept])
            prefixes = [f"{c}:" for c in self.classes_[1:]]
        else:
            self.coef_ = coef[:, 0]
            self.intercept_ = float(intercept[0])
            prefixes = [""]
        block = ["intercept", *names] if fit_intercept else names
        index = [f"{pre}{n}" for pre in prefixes for n in block]
        start = 0 if fit_intercept else 1
        params = np.concatenate([np.r_[intercept[k], coef[:, k]][start:] for k in range(K1)])
        # out["cov"] covers class blocks [intercept, kept coefficients]; expand to every column
        kept = np.r_[True, ~self.aliased_]
        d_full = data.p + 1
        pos = np.concatenate([k * d_full + np.flatnonzero(kept) for k in range(K1)])
        cov = np.full((K1 * d_full, K1 * d_full), np.nan)
        cov[np.ix_(pos, pos)] = out["cov"]
        sel = np.concatenate([k * d_full + np.arange(start, d_full) for k in range(K1)])
        cov = cov[np.ix_(sel, sel)]
        self.params_ = pd.Series(params, index=index)
        self.cov_params_ = pd.DataFrame(cov, index=index, columns=index)
        eta = self._train_eta(data, categorical)
        self.nobs_ = data.n_eff
        k = int(np.sum(~self.aliased_)) + int(fit_intercept)
        self.n_params_ = k * K1
        self.df_model_ = (k - int(fit_intercept)) * K1
        self.df_resid_ = (data.n_eff - k) if family.name == "gaussian" else None
        self.scale_ = out["scale"]
        self.loglik_ = log_likelihood(family, data.y, eta, data.sample_weight)
        self.deviance_ = deviance(family, data.y, eta, data.sample_weight)
        if fit_intercept:
            eta0 = null_model_eta(family, data.y, data.sample_weight, data.offset, n_classes)
        else:
            eta0 = np.zeros((data.n, n_classes)) if categorical else data.offset
        self.null_deviance_ = deviance(family, data.y, eta0, data.sample_weight)
        self.null_loglik_ = log_likelihood(family, data.y, eta0, data.sample_weight)
        self.aic_ = -2.0 * self.loglik_ + 2.0 * self.n_params_
        self.bic_ = -2.0 * self.loglik_ + np.log(self.nobs_) * self.n_params_
        self._warn_about(family, data, eta)

    def _train_eta(self, data, categorical):
        if categorical:
            return data.X @ self.coef_.T + self.intercept_
        return data.X @ self.coef_ + self.intercept_ + data.offset

    def _warn_about(self, family, data, eta):
        if np.any(self.aliased_):
            names = [n for n, a in zip(self._names(), self.aliased_) if a]
            warnings.warn(
                f"{type(self).__name__}: columns {names} are constant or linear combinations of "
                "other columns (aliased); their coefficients are set to 0 and their standard "
                "errors are undefined (NaN)",
                UserWarning,
                stacklevel=4,
            )
        if family.name == "gaussian" and (self.df_resid_ is None or self.df_resid_ <= 0):
            warnings.warn(
                f"{type(self).__name__}: no residual degrees of freedom (n = {data.n_eff}, "
                f"{self.n_params_} parameters); standard errors are undefined (NaN)",
                UserWarning,
                stacklevel=4,
            )
        if family.classification and _separated(family, data, eta, self.coef_):
            self.converged_ = False
            warnings.warn(
                f"{type(self).__name__}: the classes are (quasi-)perfectly separated, so the "
                "maximum likelihood estimate does not exist (coefficients diverge); use a "
                "penalty",
                ConvergenceWarning,
                stacklevel=4,
            )
        elif not self.converged_:
            warnings.warn(
                f"{type(self).__name__}: Newton did not converge in {self.n_iter_} iterations",
                ConvergenceWarning,
                stacklevel=4,
            )


def _separated(family, data, eta, coef):
    """Complete separation (every row with positive weight fitted with probability ~1), or
    quasi-complete separation: a coefficient whose effect per standard deviation of its column
    exceeds exp(25) in odds (it is diverging, not estimated)."""
    rows = data.sample_weight > 0
    if family.name == "bernoulli":
        prob_true = special.expit(np.where(data.y[rows] == 1, eta[rows], -eta[rows]))
    else:
        prob_true = family.mean(eta[rows])[np.arange(rows.sum()), data.y[rows].astype(np.intp)]
    if np.all(prob_true > 1 - 1e-6):
        return True
    _, scale = _center_scale(data.X, data.sample_weight, True)
    spread = np.abs(np.atleast_2d(coef)) * scale
    return bool(np.max(spread, initial=0.0) > 25.0)


class LinearRegression(_MLERegression):
    r"""Ordinary (weighted) least squares: the Gaussian MLE, with statsmodels' OLS/WLS inference.

    Minimises :math:`\sum_i s_i (y_i - o_i - x_i^T w - b)^2` by a QR decomposition of the
    centred, scaled design (accurate on ill-conditioned data such as Longley's).

    Parameters
    ----------
    fit_intercept : bool

    Attributes
    ----------
    coef_ : array (p,)
    intercept_ : float
    params_, bse_, tvalues_, pvalues_ : pandas.Series
        Estimates (``"intercept"`` first, then the feature names), standard errors
        :math:`\hat\sigma\sqrt{[(X^TSX)^{-1}]_{jj}}` with :math:`\hat\sigma^2 = \sum s r^2/(n-k)`,
        t statistics and two-sided p-values from Student t with ``df_resid_`` degrees of freedom.
    cov_params_ : pandas.DataFrame
    loglik_, deviance_ (the weighted residual sum of squares), null_deviance_, aic_, bic_, scale_
        (:math:`\hat\sigma^2`), df_resid_, df_model_, nobs_, aliased_ (mask of dropped columns).

    ``score`` is R².
    """

    family = "gaussian"

    def __init__(self, *, fit_intercept=True):
        self.fit_intercept = fit_intercept
        self.tol = 0.0
        self.max_iter = 1

    @classmethod
    def _param_names(cls):
        return ["fit_intercept"]


class PoissonRegression(_MLERegression):
    r"""Poisson log-linear regression by Newton's method (= IRLS), with offset/exposure.

    Minimises the mean negative log-likelihood :math:`\frac{1}{\sum s}\sum_i s_i(\mu_i - y_i\eta_i
    + \log y_i!)`, :math:`\eta_i = x_i^T w + b + o_i`, :math:`\mu_i = e^{\eta_i}`.
    ``fit(X, y, sample_weight=None, offset=None, exposure=None)``: ``exposure`` adds
    :math:`\log(\text{exposure})` to the offset (rates per unit exposure); ``predict`` takes the
    same two arguments. Standard errors are :math:`\sqrt{\mathrm{diag}((X^T S\,\mathrm{diag}(\mu)
    X)^{-1})}` (z statistics), as statsmodels' ``Poisson`` / ``GLM(family=Poisson())``.
    ``score`` is the deviance explained :math:`D^2`. ``tol`` is the gradient-norm tolerance of
    Newton (on the internally standardised scale), ``max_iter`` its iteration budget.
    """

    family = "poisson"

    def fit(self, X, y, sample_weight=None, offset=None, exposure=None):
        """Maximise the likelihood; ``exposure`` (> 0) enters as ``log(exposure)`` in the
        offset. Returns self."""
        return self._fit(X, y, sample_weight, offset, exposure)


class SoftmaxRegression(_MLERegression):
    r"""Multinomial logistic (softmax) regression by Newton's method, as statsmodels' ``MNLogit``.

    :math:`P(y = k \mid x) = e^{\eta_k}/\sum_m e^{\eta_m}`, :math:`\eta_k = x^T w_k + b_k`, with the
    first class of ``classes_`` as the reference (:math:`w_0 = 0, b_0 = 0`) so the parameters are
    identifiable. ``coef_`` has shape (K, p) and ``intercept_`` (K,) with row 0 zero;
    ``params_``, ``bse_``, ``tvalues_`` (z), ``pvalues_`` and ``conf_int()`` are indexed
    ``"<class>:<feature>"`` for the K-1 non-reference classes (the log-odds against the
    reference class).
    """

    family = "categorical"


class LogisticRegression(_MLERegression):
    r"""Logistic regression: the Bernoulli MLE (2 classes) or softmax (more), optionally penalised.

    Unpenalised (``penalty=None``, the default) it is statsmodels' ``Logit``: Newton's method,
    standard errors from the observed information, z statistics, ``summary()``. With a penalty
    it minimises (scikit-learn's ``LogisticRegression(C=1/(n*alpha))`` objective divided by n)

    .. math:: \frac{1}{\sum s}\sum_i s_i\big(\log(1 + e^{\eta_i}) - y_i\eta_i\big)
              + \alpha\Big(\rho\|w\|_1 + \frac{1-\rho}{2}\|w\|_2^2\Big)

    (:math:`\rho` = 1 for ``"l1"``, 0 for ``"l2"``, ``l1_ratio`` for ``"elasticnet"``; intercept
    unpenalised) with the solvers of :class:`loglik.ElasticNet` (see there for ``solver``,
    ``standardize``, ``warm_start`` and the convergence report). With more than two classes the
    likelihood is the softmax (categorical) one: unpenalised with the first class as reference,
    penalised with one coefficient vector per class (glmnet's convention).

    Binary ``coef_`` has shape (p,) and ``intercept_`` is a float (statsmodels' layout);
    multiclass ``coef_`` has shape (K, p). The default ``alpha=0.01`` (used with a penalty only)
    is scikit-learn's ``C=1`` at n = 100.
    """

    family = "bernoulli"

    def __init__(
        self,
        penalty=None,
        *,
        alpha=0.01,
        l1_ratio=0.5,
        fit_intercept=True,
        standardize=False,
        solver="auto",
        tol=1e-10,
        max_iter=100,
        warm_start=False,
    ):
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start

    def _l1_ratio(self):
        if self.penalty == "elasticnet":
            return check_scalar(self.l1_ratio, "l1_ratio", low=0.0, high=1.0)
        return 1.0 if self.penalty == "l1" else 0.0

    def _family_name(self):
        classes = getattr(self, "classes_", None)
        return "categorical" if classes is not None and len(classes) > 2 else "bernoulli"

    @property
    def _estimator_type(self):
        return "classifier"

    def _update_tags(self, tags):
        tags.target_tags.one_d_labels = True
        return tags

    def fit(self, X, y, sample_weight=None, offset=None):
        """Fit by maximum likelihood (``penalty=None``) or penalised likelihood; returns self."""
        check_choice(self.penalty, "penalty", (None, "l1", "l2", "elasticnet"))
        if self.penalty is not None:
            for attr in ("params_", "cov_params_"):
                self.__dict__.pop(attr, None)
            from ..regularization.estimators import fit_penalized

            return fit_penalized(self, X, y, sample_weight, offset, family=None)
        check_choice(self.solver, "solver", ("auto", "newton"))
        yv = _target(self, y)
        n_classes = encode_labels(yv)[0].size if yv.size else 2
        family = get_family("categorical" if n_classes > 2 else "bernoulli")
        tol = check_scalar(self.tol, "tol", low=0.0)
        max_iter = check_scalar(self.max_iter, "max_iter", low=1, integer=True)
        data = prepare_data(self, X, yv, sample_weight, offset, None, family=family)
        self._fit_data(family, data, tol, max_iter)
        return self
