r"""Maximum likelihood for a GLM: QR least squares for the Gaussian likelihood, the shared damped
Newton optimizer for the others, on a centred and scaled design with aliased columns left out.

:func:`fit_mle` returns the estimates and their covariance on the original scale: the inverse of
the summed-NLL Hessian (the observed = expected information for canonical links), or for least
squares :math:`\hat\sigma^2 (X^TSX)^{-1}` with :math:`\hat\sigma^2 = \sum s r^2/(n - k)`.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from ...estimation.minimize import minimize
from ..likelihoods import Likelihood
from .data import GLMData
from .objective import GLMObjective, ReferenceSoftmax

__all__ = ["center_scale", "fit_mle"]


def center_scale(X, s, fit_intercept):
    """Weighted column means (0 without intercept) and scales (1 for constant columns)."""
    sw = s / s.sum()
    mean = sw @ X if fit_intercept else np.zeros(X.shape[1])
    scale = np.sqrt(sw @ (X - mean) ** 2)
    scale[scale <= 1e-300] = 1.0
    return mean, scale


def _with_intercept(Z, fit_intercept):
    """``[1, Z]`` with an intercept, else ``Z``."""
    return np.column_stack([np.ones(Z.shape[0]), Z]) if fit_intercept else Z


def _aliased(Z, s, fit_intercept, rtol=1e-7):
    r"""Columns that are (numerically) linear combinations of the intercept and the columns
    before them: a mask. Column j is aliased when the part of :math:`\sqrt{s} z_j` orthogonal
    to the earlier columns, :math:`|R_{jj}|` of a QR decomposition in column order, is below
    ``rtol`` times its norm (R's ``lm`` rule); later columns of a collinear set are dropped."""
    rows = s > 0
    Zw = _with_intercept(Z[rows], fit_intercept) * np.sqrt(s[rows])[:, None]
    R = linalg.qr(Zw, mode="r")[0]
    k = min(R.shape)
    diag = np.zeros(Zw.shape[1])
    diag[:k] = np.abs(np.diag(R[:k, :k]))
    norms = np.linalg.norm(Zw, axis=0)
    aliased = diag <= rtol * np.maximum(norms, 1e-300)
    return aliased[1:] if fit_intercept else aliased


def fit_mle(likelihood: Likelihood, data: GLMData, *, fit_intercept, tol, max_iter, n_classes=None):
    """Maximum likelihood for a GLM; returns a dict with ``coef`` (p, K1), ``intercept`` (K1,),
    ``cov`` (over [intercept, coef...], original scale; class-major blocks for the categorical
    likelihood, reference class excluded), ``aliased``, ``converged``, ``n_iter``, ``scale``.

    The design is centred and scaled internally (an exact affine reparametrisation, undone at
    the end) so the linear algebra is well conditioned; aliased columns (constant, duplicated or
    collinear) are left out, their coefficients reported as 0 with undefined standard errors.
    """
    X, s = data.X, data.sample_weight
    mean, scale = center_scale(X, s, fit_intercept)
    Z = (X - mean) / scale
    aliased = _aliased(Z, s, fit_intercept)
    Zk = Z[:, ~aliased]
    if likelihood.least_squares:
        theta, cov_z, converged, n_iter, resid_scale = _least_squares(Zk, data, fit_intercept)
    else:
        theta, cov_z, converged, n_iter = _newton_glm(
            likelihood, Zk, data, fit_intercept, tol, max_iter, n_classes
        )
        resid_scale = 1.0
    # back to the original scale: coef_j = v_j / scale_j, intercept = c - mean' coef
    n_keep = int(np.sum(~aliased))
    A = np.zeros((1 + n_keep, 1 + n_keep))
    A[0, 0] = 1.0
    A[1:, 1:] = np.diag(1.0 / scale[~aliased])
    A[0, 1:] = -mean[~aliased] / scale[~aliased]
    K1 = theta.shape[1]  # 1, or K - 1 for the categorical likelihood
    orig = A @ theta  # (1 + n_keep, K1): rows intercept, coefficients
    coef = np.zeros((X.shape[1], K1))
    coef[~aliased] = orig[1:]
    big_A = np.kron(np.eye(K1), A)  # covariance over class-major [intercept, coef...] blocks
    return {
        "coef": coef,
        "intercept": orig[0],
        "cov": big_A @ cov_z @ big_A.T,
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
    design = _with_intercept(Zk[rows], fit_intercept)
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


def _newton_start(likelihood, data, p, fit_intercept, n_classes):
    """The objective Newton runs on and its start: zero coefficients, the intercept-only
    fit's intercept (against class 0 for the categorical likelihood's reference
    parametrisation)."""
    s, y = data.sample_weight, data.y
    if likelihood.multinomial:
        b = likelihood.intercept_only(y, s, n_classes=n_classes, floor=1e-12)
        b0 = b[1:] - b[0] if fit_intercept else np.zeros(n_classes - 1)
        return [np.zeros((p, n_classes - 1)), b0]
    b0 = float(likelihood.intercept_only(y, s, floor=1e-10)) if fit_intercept else 0.0
    return [np.zeros(p), np.array(b0)]


def _newton_glm(likelihood, Zk, data, fit_intercept, tol, max_iter, n_classes):
    """Newton's method on the mean NLL over the kept columns; covariance = inverse of the
    summed-NLL Hessian (the observed = expected information for canonical links)."""
    s = data.sample_weight
    obj = GLMObjective(
        Zk,
        data.y,
        likelihood,
        sample_weight=s,
        offset=data.offset,
        fit_intercept=fit_intercept,
        n_classes=n_classes,
    )
    objective = ReferenceSoftmax(obj) if likelihood.multinomial else obj
    p = Zk.shape[1]
    start = _newton_start(likelihood, data, p, fit_intercept, n_classes)
    res = minimize(objective, start, "newton", tol=0.0, gtol=tol, max_iter=max_iter, warn=False)
    coef, intercept = res.params
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
    return (*_pad_intercept(theta, cov, fit_intercept), res.converged, res.n_iter)


def _inverse(H):
    """Inverse of a symmetric positive (semi)definite matrix; pseudo-inverse when singular."""
    try:
        c = linalg.cho_factor(H, lower=True)
        return linalg.cho_solve(c, np.eye(H.shape[0]))
    except linalg.LinAlgError:
        return linalg.pinvh(H)
