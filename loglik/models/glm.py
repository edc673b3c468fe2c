r"""Generalised linear models as likelihoods.

For rows :math:`(x_i, y_i)` with case weights :math:`s_i`, the linear predictor is
:math:`\eta_i = x_i^T w + b + o_i` (``o`` an offset, e.g. log exposure) and the objective is the
weighted mean negative log-likelihood

.. math:: F(w, b) = \frac{\sum_i s_i\,\ell(y_i, \eta_i)}{\sum_i s_i},

with, per family (canonical links),

========== ======== ============================================================
family      link     :math:`\ell(y, \eta)`
========== ======== ============================================================
gaussian    identity :math:`\tfrac12 (y - \eta)^2` (σ profiled out: the scikit-learn / glmnet
                     convention :math:`\|y - Xw - b\|^2 / 2n`)
bernoulli   logit    :math:`\log(1 + e^\eta) - y\eta`
poisson     log      :math:`e^\eta - y\eta + \log y!`
========== ======== ============================================================

For all three, :math:`\partial\ell/\partial\eta = \mu(\eta) - y` with :math:`\mu` the inverse
link, and :math:`\partial^2\ell/\partial\eta^2 = V(\mu)` the variance function (1, μ(1-μ), μ),
so the gradient is :math:`X^T s(\mu - y)/\sum s` and the Hessian
:math:`X^T \mathrm{diag}(sV) X/\sum s`.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .._validation import check_choice, check_finite_array

__all__ = ["FAMILIES", "GLMObjective"]


def _gaussian(eta, y):
    r = eta - y
    return 0.5 * r * r, r, np.ones_like(eta)


def _bernoulli(eta, y):
    mu = special.expit(eta)
    return np.logaddexp(0.0, eta) - y * eta, mu - y, mu * (1.0 - mu)


def _poisson(eta, y):
    mu = np.exp(eta)
    return mu - y * eta + special.gammaln(y + 1.0), mu - y, mu


FAMILIES = {"gaussian": _gaussian, "bernoulli": _bernoulli, "poisson": _poisson}


class GLMObjective:
    """The mean negative log-likelihood of a GLM over ``params = [coef, intercept]``.

    Parameters
    ----------
    X : array of shape (n, p)
    y : array of shape (n,)
    family : {"gaussian", "bernoulli", "poisson"}
    sample_weight : array of shape (n,), optional
        Case weights :math:`s_i \\ge 0`.
    offset : array of shape (n,), optional
        Added to the linear predictor (log exposure for Poisson rates).
    fit_intercept : bool
        When False the intercept block is held at 0 (its gradient is 0).

    Notes
    -----
    ``value_and_grad(params, batch)`` restricts every sum to the rows ``batch``; ``hessian``
    returns the ``(p + 1, p + 1)`` matrix over ``[coef..., intercept]``.
    """

    def __init__(
        self, X, y, family="bernoulli", *, sample_weight=None, offset=None, fit_intercept=True
    ):
        self.family = check_choice(family, "family", tuple(FAMILIES))
        self._terms = FAMILIES[family]
        self.X = check_finite_array(X, "X", ndim=2)
        self.y = check_finite_array(y, "y", ndim=1)
        n = self.X.shape[0]
        if self.y.shape[0] != n:
            raise ValueError(f"X has {n} rows but y has {self.y.shape[0]}")
        self.sample_weight = (
            np.ones(n)
            if sample_weight is None
            else check_finite_array(sample_weight, "sample_weight", ndim=1)
        )
        if self.sample_weight.shape[0] != n or np.any(self.sample_weight < 0):
            raise ValueError("sample_weight must have one non-negative weight per row of X")
        self.offset = (
            np.zeros(n) if offset is None else check_finite_array(offset, "offset", ndim=1)
        )
        self.fit_intercept = fit_intercept
        self.n_samples = n

    def _rows(self, batch):
        if batch is None:
            return self.X, self.y, self.sample_weight, self.offset
        return self.X[batch], self.y[batch], self.sample_weight[batch], self.offset[batch]

    def _eval(self, params, batch):
        coef, intercept = params
        X, y, s, o = self._rows(batch)
        eta = X @ coef + (float(intercept) if self.fit_intercept else 0.0) + o
        loss, dloss, curv = self._terms(eta, y)
        return X, s / s.sum(), loss, dloss, curv

    def value(self, params, batch=None) -> float:
        _, s, loss, _, _ = self._eval(params, batch)
        return float(s @ loss)

    def value_and_grad(self, params, batch=None):
        X, s, loss, dloss, _ = self._eval(params, batch)
        r = s * dloss
        g_intercept = np.array(r.sum() if self.fit_intercept else 0.0)
        return float(s @ loss), [X.T @ r, g_intercept.reshape(np.shape(params[1]))]

    def hessian(self, params, batch=None):
        X, s, _, _, curv = self._eval(params, batch)
        Xa = np.column_stack([X, np.ones(X.shape[0])])
        H = Xa.T @ (Xa * (s * curv)[:, None])
        if not self.fit_intercept:
            H[-1, :] = H[:, -1] = 0.0
            H[-1, -1] = 1.0  # keeps the intercept's Newton step at exactly zero
        return H
