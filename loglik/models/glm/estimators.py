r"""The unpenalised GLM estimators, and the prediction every GLM estimator shares.

:class:`LinearRegression`, :class:`LogisticRegression`, :class:`PoissonRegression` and
:class:`SoftmaxRegression` maximise the likelihood (:func:`~loglik.models.glm.fit.fit_mle`: QR
least squares for the Gaussian likelihood, the shared damped Newton optimizer for the others) and
report what statsmodels reports: standard errors from the observed information, Wald z (t for the
Gaussian likelihood) statistics, p-values and intervals, the log-likelihood, deviance, AIC and BIC,
and a summary table. The penalised estimators of :mod:`loglik.regularization` share
:class:`GLMEstimator`; ``loglik.LogisticRegression`` is the penalty-capable subclass of
:class:`LogisticRegression` defined there.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..._validation import ConvergenceWarning, check_scalar
from .._estimator import BaseEstimator, classifier_only
from ..likelihoods import LIKELIHOODS, Likelihood, get_likelihood
from .data import (
    GLMData,
    as_vector,
    check_offset,
    check_sample_weight,
    encode_labels,
    feature_labels,
    glm_data,
    target_vector,
)
from .fit import center_scale, fit_mle
from .inference import InferenceMixin

__all__ = [
    "GLMEstimator",
    "LinearRegression",
    "LogisticRegression",
    "MLERegression",
    "PoissonRegression",
    "SoftmaxRegression",
]


class GLMEstimator(BaseEstimator):
    """Shared prediction for GLM estimators: ``coef_``, ``intercept_`` -> linear predictor."""

    def _family_name(self) -> str:
        return self.family

    def _likelihood(self) -> Likelihood:
        return get_likelihood(self._family_name())

    @property
    def _estimator_type(self):
        likelihood = LIKELIHOODS.get(self._family_name_unchecked())
        return "classifier" if likelihood is not None and likelihood.classification else "regressor"

    def _family_name_unchecked(self):
        try:
            return self._family_name()
        except ValueError:
            return None

    def _update_tags(self, tags):
        likelihood = LIKELIHOODS.get(self._family_name_unchecked())
        tags.target_tags.positive_only = likelihood is not None and likelihood.nonnegative_y
        tags.target_tags.one_d_labels = True
        if tags.classifier_tags is not None:
            tags.classifier_tags.multi_class = likelihood is None or not likelihood.binary
        return tags

    def _prepare_data(self, X, y, sample_weight, offset, exposure, likelihood) -> GLMData:
        """Validate the arguments of ``fit``; set ``n_features_in_``, ``feature_names_in_``
        and, for classifiers, ``classes_``."""
        X = self._validate_X(X, reset=True)
        owner = type(self).__name__
        data = glm_data(X, y, likelihood, sample_weight, offset, exposure, owner=owner)
        if data.classes is not None:
            self.classes_ = data.classes
        return data

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
        likelihood = self._likelihood()
        if not likelihood.classification:
            return likelihood.mean(eta)
        return self.classes_[likelihood.predict_class(eta).astype(np.intp)]

    @classifier_only
    def predict_proba(self, X, offset=None):
        """Class probabilities, shape (n, n_classes), columns in the order of ``classes_``."""
        mu = self._likelihood().mean(self._linear_predictor(X, offset))
        return np.column_stack([1.0 - mu, mu]) if mu.ndim == 1 else mu

    @classifier_only
    def predict_log_proba(self, X, offset=None):
        """Logarithms of :meth:`predict_proba`, computed stably."""
        return self._likelihood().log_proba(self._linear_predictor(X, offset))

    def score(self, X, y, sample_weight=None):
        """Classifiers: accuracy. Regressors: the fraction of deviance explained
        :math:`D^2 = 1 - D(y, \\hat\\mu)/D(y, \\bar y)` (R² for the Gaussian family)."""
        pred = self.predict(X)
        likelihood = self._likelihood()
        y = target_vector(y, type(self).__name__)
        s = check_sample_weight(sample_weight, y.shape[0])
        if likelihood.classification:
            return float(np.average(pred == y, weights=s))
        y = as_vector(y, "y")
        ybar = np.average(y, weights=s)
        dev = likelihood.deviance(y, likelihood.link_fn(pred), s)
        dev0 = likelihood.deviance(y, np.broadcast_to(likelihood.link_fn(ybar), y.shape), s)
        if dev0 == 0.0:
            return 1.0 if dev == 0.0 else 0.0
        return 1.0 - dev / dev0

    def _names(self):
        return feature_labels(getattr(self, "feature_names_in_", None), self.n_features_in_)


class MLERegression(InferenceMixin, GLMEstimator):
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
        return self._fit_mle(X, y, sample_weight, offset, None, self._likelihood())

    def _fit_mle(self, X, y, sample_weight, offset, exposure, likelihood):
        tol = check_scalar(self.tol, "tol", low=0.0)
        max_iter = check_scalar(self.max_iter, "max_iter", low=1, integer=True)
        data = self._prepare_data(X, y, sample_weight, offset, exposure, likelihood)
        n_classes = len(self.classes_) if likelihood.multinomial else None
        out = fit_mle(
            likelihood,
            data,
            fit_intercept=bool(self.fit_intercept),
            tol=tol,
            max_iter=max_iter,
            n_classes=n_classes,
        )
        self._store_estimates(likelihood, data, out)
        self._store_statistics(likelihood, data, out, n_classes)
        return self

    def _store_estimates(self, likelihood, data, out):
        """``coef_``, ``intercept_``, ``params_`` and ``cov_params_`` (every column, the
        aliased ones NaN)."""
        fit_intercept = bool(self.fit_intercept)
        self.aliased_ = out["aliased"]
        self.converged_ = bool(out["converged"])
        self.n_iter_ = int(out["n_iter"])
        coef, intercept = out["coef"], out["intercept"]  # (p, K1), (K1,)
        K1 = coef.shape[1]
        if likelihood.multinomial:
            self.coef_ = np.vstack([np.zeros(data.p), coef.T])
            self.intercept_ = np.concatenate([[0.0], intercept])
            prefixes = [f"{c}:" for c in self.classes_[1:]]
        else:
            self.coef_ = coef[:, 0]
            self.intercept_ = float(intercept[0])
            prefixes = [""]
        names = self._names()
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

    def _store_statistics(self, likelihood, data, out, n_classes):
        """Log-likelihood, deviance, their null-model values, AIC, BIC, degrees of freedom."""
        fit_intercept = bool(self.fit_intercept)
        K1 = out["coef"].shape[1]
        eta = self._train_eta(data)
        y, s = data.y, data.sample_weight
        self.nobs_ = data.n_eff
        k = int(np.sum(~self.aliased_)) + int(fit_intercept)
        self.n_params_ = k * K1
        self.df_model_ = (k - int(fit_intercept)) * K1
        self.df_resid_ = (data.n_eff - k) if likelihood.least_squares else None
        self.scale_ = out["scale"]
        self.loglik_ = likelihood.log_likelihood(y, eta, s)
        self.deviance_ = likelihood.deviance(y, eta, s)
        if fit_intercept:
            eta0 = likelihood.null_eta(y, s, data.offset, n_classes)
        else:
            eta0 = np.zeros((data.n, n_classes)) if likelihood.multinomial else data.offset
        self.null_deviance_ = likelihood.deviance(y, eta0, s)
        self.null_loglik_ = likelihood.log_likelihood(y, eta0, s)
        self.aic_ = -2.0 * self.loglik_ + 2.0 * self.n_params_
        self.bic_ = -2.0 * self.loglik_ + np.log(self.nobs_) * self.n_params_
        self._warn_about(likelihood, data, eta)

    def _train_eta(self, data):
        if np.ndim(self.coef_) == 2:
            return data.X @ self.coef_.T + self.intercept_
        return data.X @ self.coef_ + self.intercept_ + data.offset

    def _warn_about(self, likelihood, data, eta):
        name = type(self).__name__
        if np.any(self.aliased_):
            names = [n for n, a in zip(self._names(), self.aliased_) if a]
            warnings.warn(
                f"{name}: columns {names} are constant or linear combinations of "
                "other columns (aliased); their coefficients are set to 0 and their standard "
                "errors are undefined (NaN)",
                UserWarning,
                stacklevel=4,
            )
        if likelihood.least_squares and (self.df_resid_ is None or self.df_resid_ <= 0):
            warnings.warn(
                f"{name}: no residual degrees of freedom (n = {data.n_eff}, "
                f"{self.n_params_} parameters); standard errors are undefined (NaN)",
                UserWarning,
                stacklevel=4,
            )
        if likelihood.classification and _separated(likelihood, data, eta, self.coef_):
            self.converged_ = False
            warnings.warn(
                f"{name}: the classes are (quasi-)perfectly separated, so the "
                "maximum likelihood estimate does not exist (coefficients diverge); use a "
                "penalty",
                ConvergenceWarning,
                stacklevel=4,
            )
        elif not self.converged_:
            warnings.warn(
                f"{name}: Newton did not converge in {self.n_iter_} iterations",
                ConvergenceWarning,
                stacklevel=4,
            )


def _separated(likelihood, data, eta, coef):
    """Complete separation (every row with positive weight fitted with probability ~1), or
    quasi-complete separation: a coefficient whose effect per standard deviation of its column
    exceeds exp(25) in odds (it is diverging, not estimated)."""
    rows = data.sample_weight > 0
    prob_observed = np.exp(-likelihood.nll(eta[rows], data.y[rows]))
    if np.all(prob_observed > 1 - 1e-6):
        return True
    _, scale = center_scale(data.X, data.sample_weight, True)
    spread = np.abs(np.atleast_2d(coef)) * scale
    return bool(np.max(spread, initial=0.0) > 25.0)


class LinearRegression(MLERegression):
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


class PoissonRegression(MLERegression):
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
        return self._fit_mle(X, y, sample_weight, offset, exposure, self._likelihood())


class SoftmaxRegression(MLERegression):
    r"""Multinomial logistic (softmax) regression by Newton's method, as statsmodels' ``MNLogit``.

    :math:`P(y = k \mid x) = e^{\eta_k}/\sum_m e^{\eta_m}`, :math:`\eta_k = x^T w_k + b_k`, with the
    first class of ``classes_`` as the reference (:math:`w_0 = 0, b_0 = 0`) so the parameters are
    identifiable. ``coef_`` has shape (K, p) and ``intercept_`` (K,) with row 0 zero;
    ``params_``, ``bse_``, ``tvalues_`` (z), ``pvalues_`` and ``conf_int()`` are indexed
    ``"<class>:<feature>"`` for the K-1 non-reference classes (the log-odds against the
    reference class).
    """

    family = "categorical"


class LogisticRegression(MLERegression):
    r"""Logistic regression by maximum likelihood: the Bernoulli MLE (2 classes) or softmax
    (more), statsmodels' ``Logit`` / ``MNLogit``.

    Minimises :math:`\frac{1}{\sum s}\sum_i s_i\big(\log(1 + e^{\eta_i}) - y_i\eta_i\big)` by
    Newton's method; standard errors from the observed information, z statistics,
    ``summary()``. With more than two classes the likelihood is the softmax (categorical) one
    with the first class as reference. Binary ``coef_`` has shape (p,) and ``intercept_`` is a
    float (statsmodels' layout); multiclass ``coef_`` has shape (K, p).

    ``loglik.LogisticRegression`` is the subclass of :mod:`loglik.regularization` that also
    takes ``penalty=``.
    """

    family = "bernoulli"

    def _family_name(self):
        classes = getattr(self, "classes_", None)
        return "categorical" if classes is not None and len(classes) > 2 else "bernoulli"

    @property
    def _estimator_type(self):
        return "classifier"

    def _update_tags(self, tags):
        tags.target_tags.one_d_labels = True
        return tags

    def _likelihood_for(self, y):
        """Bernoulli for two classes in ``y``, categorical for more."""
        yv = target_vector(y, type(self).__name__)
        n_classes = encode_labels(yv)[0].size if yv.size else 2
        return get_likelihood("categorical" if n_classes > 2 else "bernoulli"), yv

    def fit(self, X, y, sample_weight=None, offset=None):
        """Fit by maximum likelihood; returns self."""
        likelihood, yv = self._likelihood_for(y)
        return self._fit_mle(X, yv, sample_weight, offset, None, likelihood)
