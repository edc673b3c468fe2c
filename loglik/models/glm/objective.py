r"""The GLM objective: the weighted mean negative log-likelihood of a linear predictor.

For rows :math:`(x_i, y_i)` with case weights :math:`s_i`, the linear predictor is
:math:`\eta_i = x_i^T w + b + o_i` (``o`` an offset, e.g. log exposure) and the objective is

.. math:: F(w, b) = \frac{\sum_i s_i\,\ell(y_i, \eta_i)}{\sum_i s_i},

:math:`\ell` a likelihood of :mod:`loglik.models.likelihoods`. With
:math:`\partial\ell/\partial\eta = \mu(\eta) - y` and :math:`\partial^2\ell/\partial\eta^2 = V(\mu)`
(canonical links) the gradient is :math:`X^T s(\mu - y)/\sum s` and the Hessian
:math:`X^T \mathrm{diag}(sV) X/\sum s`; for the categorical likelihood
:math:`\mu = \mathrm{softmax}(\eta)`, the gradient is :math:`X^T s(\mu - Y)` (Y one-hot) and the
Hessian blocks are :math:`X^T \mathrm{diag}(s(\mu_k\delta_{km} - \mu_k\mu_m))X`.
"""

from __future__ import annotations

import numpy as np

from ..._validation import check_finite_array
from ..likelihoods import get_likelihood
from .data import check_offset, check_sample_weight

__all__ = ["GLMObjective", "ReferenceSoftmax"]


class GLMObjective:
    """The mean negative log-likelihood of a GLM over ``params = [coef, intercept]``.

    Parameters
    ----------
    X : array of shape (n, p)
    y : array of shape (n,)
        Responses; class codes 0..K-1 for the categorical family.
    family : {"gaussian", "bernoulli", "poisson", "categorical"} or Likelihood
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
        self.likelihood = get_likelihood(family)
        self.family = self.likelihood.name
        self.X = check_finite_array(X, "X", ndim=2)
        self.y = check_finite_array(y, "y", ndim=1)
        n = self.X.shape[0]
        if self.y.shape[0] != n:
            raise ValueError(f"X has {n} rows but y has {self.y.shape[0]}")
        self.likelihood.check_y(self.y)
        self.sample_weight = check_sample_weight(sample_weight, n)
        self.offset = check_offset(offset, n)
        self.fit_intercept = fit_intercept
        self.n_samples = n
        if self.likelihood.multinomial:
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

    def _eta(self, params, batch):
        coef, intercept = params
        X, y, s, o = self._rows(batch)
        b = intercept if self.fit_intercept else 0.0
        if self.likelihood.multinomial:
            return X, y, s, X @ coef + b + o[:, None]
        return X, y, s, X @ coef + float(b) + o

    def value(self, params, batch=None) -> float:
        _, y, s, eta = self._eta(params, batch)
        return float(s @ self.likelihood.nll(eta, y))

    def value_and_grad(self, params, batch=None):
        X, y, s, eta = self._eta(params, batch)
        loss, dloss, _ = self.likelihood.terms(eta, y)
        r = s[:, None] * dloss if dloss.ndim == 2 else s * dloss
        g_intercept = r.sum(axis=0) if self.fit_intercept else np.zeros_like(r[0])
        return float(s @ loss), [X.T @ r, np.reshape(g_intercept, np.shape(params[1]))]

    def hessian(self, params, batch=None):
        X, y, s, eta = self._eta(params, batch)
        _, _, curv = self.likelihood.terms(eta, y)
        Xa = np.column_stack([X, np.ones(X.shape[0])])
        if self.likelihood.multinomial:
            return self._softmax_hessian(Xa, s, curv)
        H = Xa.T @ (Xa * (s * curv)[:, None])
        if not self.fit_intercept:
            H[-1, :] = H[:, -1] = 0.0
            H[-1, -1] = 1.0  # keeps the intercept's Newton step at exactly zero
        return H

    def _softmax_hessian(self, Xa, s, mu):
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


class ReferenceSoftmax:
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
