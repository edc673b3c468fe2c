r"""Regularisation paths: the penalised fit over a decreasing grid of alphas, with warm starts.

The grid runs from :math:`\alpha_{\max}` (the smallest alpha at which every penalised
coefficient is 0) down to :math:`\epsilon\,\alpha_{\max}`, log-spaced (glmnet's and scikit-learn's
``lasso_path`` grid); each fit starts from the previous one, and the p > n Gaussian solver screens
columns with the sequential strong rule. Along the path the log-likelihood, deviance, effective
degrees of freedom and AIC/BIC are reported.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._blas import single_threaded, single_threaded_blas
from .._validation import check_scalar
from ..models._estimator import validate_features
from ..models.glm.data import feature_labels, glm_data
from ..models.likelihoods import get_likelihood
from .problem import PenalizedGLM

__all__ = [
    "RegularizationPath",
    "alpha_grid",
    "check_alphas",
    "progress_bar",
    "regularization_path",
    "run_path",
]


class RegularizationPath:
    """The result of :func:`regularization_path`.

    Unpacks as ``alphas, coefs, intercepts = path``. ``coefs`` has shape (n_alphas, p) (or
    (n_alphas, K, p) for the categorical family), ``intercepts`` (n_alphas,) (or (n_alphas, K));
    ``n_iter``, ``kkt``, ``converged`` have one entry per alpha. The fit statistics ``loglik``,
    ``deviance``, ``df`` (effective degrees of freedom), ``aic`` and ``bic`` (one per alpha) are
    computed the first time one of them is read.
    """

    _STATS = ("loglik", "deviance", "df", "aic", "bic")

    def __init__(self, problem: PenalizedGLM, alphas, fits, feature_names):
        coefs, intercepts = zip(*(problem.coefficients(fit) for fit in fits))
        self.alphas, self.coefs, self.intercepts = alphas, np.array(coefs), np.array(intercepts)
        self.n_iter = np.array([f.n_iter for f in fits], dtype=np.int64)
        self.kkt = np.array([f.kkt for f in fits], dtype=np.float64)
        self.converged = np.array([f.converged for f in fits], dtype=bool)
        self.l1_ratio, self.family = problem.template.l1_ratio, problem.likelihood.name
        self.feature_names = feature_names
        self._problem, self._fits, self._values = problem, fits, None

    def _stat(self, key):
        if self._values is None:
            with single_threaded_blas():
                rows = [self._problem.assess(f, a) for f, a in zip(self._fits, self.alphas)]
            self._values = {
                k: np.array([r[k] for r in rows], dtype=np.float64) for k in self._STATS
            }
            self._problem = self._fits = None  # release the problem (and its Gram matrix)
        return self._values[key]

    loglik = property(lambda self: self._stat("loglik"), doc="Log-likelihood per alpha.")
    deviance = property(lambda self: self._stat("deviance"), doc="Deviance per alpha.")
    df = property(lambda self: self._stat("df"), doc="Effective degrees of freedom per alpha.")
    aic = property(lambda self: self._stat("aic"), doc="AIC per alpha (df as the parameters).")
    bic = property(lambda self: self._stat("bic"), doc="BIC per alpha (df as the parameters).")

    def __iter__(self):
        return iter((self.alphas, self.coefs, self.intercepts))

    def __repr__(self):
        return (
            f"RegularizationPath(family={self.family!r}, l1_ratio={self.l1_ratio:g}, "
            f"n_alphas={len(self.alphas)}, alphas=[{self.alphas[0]:.4g} .. "
            f"{self.alphas[-1]:.4g}])"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per alpha: alpha, number of nonzero coefficients, df, loglik, deviance, AIC,
        BIC, iterations, KKT residual, converged."""
        coefs = self.coefs.reshape(self.coefs.shape[0], -1)
        return pd.DataFrame(
            {
                "alpha": self.alphas,
                "nonzero": np.count_nonzero(coefs, axis=1),
                "df": self.df,
                "loglik": self.loglik,
                "deviance": self.deviance,
                "aic": self.aic,
                "bic": self.bic,
                "n_iter": self.n_iter,
                "kkt": self.kkt,
                "converged": self.converged,
            }
        )

    def coef_frame(self) -> pd.DataFrame:
        """The coefficients as a DataFrame indexed by alpha, one column per feature (binary
        and single-response families)."""
        if self.coefs.ndim != 2:
            raise ValueError("coef_frame is for single-response families; use .coefs")
        return pd.DataFrame(
            self.coefs, index=pd.Index(self.alphas, name="alpha"), columns=self.feature_names
        )


def alpha_grid(alpha_max, n_alphas=100, eps=1e-3) -> np.ndarray:
    """``n_alphas`` log-spaced values from ``alpha_max`` down to ``eps * alpha_max``."""
    n_alphas = check_scalar(n_alphas, "n_alphas", low=1, integer=True)
    eps = check_scalar(eps, "eps", low=0.0, high=1.0, low_inclusive=False, high_inclusive=False)
    if n_alphas == 1:
        return np.array([alpha_max])
    return np.geomspace(alpha_max, alpha_max * eps, n_alphas)


def check_alphas(alphas) -> np.ndarray:
    """User alphas as a decreasing float array (each >= 0)."""
    arr = np.atleast_1d(np.asarray(alphas, dtype=np.float64))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"alphas must be a non-empty 1-d sequence, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"alphas must be finite and >= 0, got {arr}")
    return np.sort(arr)[::-1]


def progress_bar(total, enabled, desc):
    """A tqdm progress bar of ``total`` steps, or None when not ``enabled``."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, leave=False)


def run_path(problem: PenalizedGLM, alphas, *, tol, max_iter, progress=False) -> list:
    """The fits of ``problem`` along ``alphas`` (with a tqdm bar when ``progress``)."""
    bar = progress_bar(len(alphas), progress, "regularization path")
    fits = problem.path(
        alphas,
        tol=tol,
        max_iter=max_iter,
        callback=None if bar is None else (lambda fit: bar.update(1)),
    )
    if bar is not None:
        bar.close()
    return fits


@single_threaded
def regularization_path(
    X,
    y,
    *,
    family="gaussian",
    l1_ratio=1.0,
    alphas=None,
    n_alphas=100,
    eps=1e-3,
    sample_weight=None,
    offset=None,
    exposure=None,
    fit_intercept=True,
    standardize=False,
    penalty_factor=None,
    positive=False,
    bounds=None,
    tol=1e-7,
    max_iter=1000,
    progress=False,
) -> RegularizationPath:
    r"""Fit the elastic net along a grid of alphas (the objective of
    :class:`loglik.ElasticNet`), each fit warm-started from the previous one.

    Parameters
    ----------
    X, y, sample_weight, offset, exposure
        As for :meth:`loglik.ElasticNet.fit`.
    family : {"gaussian", "bernoulli", "poisson", "categorical"}
    l1_ratio : float
        :math:`\rho \in [0, 1]`; for :math:`\rho = 0` (ridge) the grid's top uses
        :math:`\rho = 10^{-3}` as glmnet does.
    alphas : array, optional
        The grid (sorted decreasing); default ``n_alphas`` log-spaced values from
        :math:`\alpha_{\max}` to ``eps`` times it (scikit-learn's ``lasso_path`` grid).
    fit_intercept, standardize, penalty_factor, positive, bounds, tol, max_iter
        As for :class:`loglik.ElasticNet`.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    RegularizationPath
        ``alphas, coefs, intercepts = path``; also ``loglik``, ``deviance``, ``df``, ``aic``,
        ``bic``, ``n_iter``, ``kkt``, ``converged`` per alpha and ``to_frame()``.
    """
    likelihood = get_likelihood(family)
    rho = check_scalar(l1_ratio, "l1_ratio", low=0.0, high=1.0)
    tol = check_scalar(tol, "tol", low=0.0)
    max_iter = check_scalar(max_iter, "max_iter", low=1, integer=True)
    X, names = validate_features(X)
    data = glm_data(X, y, likelihood, sample_weight, offset, exposure, owner="regularization_path")
    problem = PenalizedGLM(
        likelihood,
        data,
        l1_ratio=rho,
        penalty_factor=penalty_factor,
        positive=positive,
        bounds=bounds,
        fit_intercept=fit_intercept,
        standardize=standardize,
        n_classes=data.classes.size if likelihood.multinomial else None,
    )
    grid = (
        alpha_grid(problem.alpha_max(), n_alphas, eps) if alphas is None else check_alphas(alphas)
    )
    fits = run_path(problem, grid, tol=tol, max_iter=max_iter, progress=progress)
    return RegularizationPath(problem, grid, fits, feature_labels(names, data.p))
