r"""The design matrix as the solvers see it: centred and scaled, never formed.

Penalised solvers work on :math:`Z = (X - m)/\sigma` (column means :math:`m` with an intercept,
scales :math:`\sigma` with ``standardize``, constant columns excluded). :class:`StandardizedDesign`
gives the three products they need — :math:`ZV + c`, :math:`Z^TR` and a dense block of columns —
from ``X`` itself, so ``X`` is read, never copied; :func:`column_moments` gives the weighted
column means and variances in two passes. These four operations are the seam for other storage
(sparse, out-of-core): they are all a solver touches of ``X`` outside the Gaussian Gram matrix.
"""

from __future__ import annotations

import numpy as np

__all__ = ["StandardizedDesign", "chunk_rows", "column_moments", "column_scales"]

_CHUNK_BYTES = 4 << 20  # row chunks of about 4 MB when a pass over X needs a temporary


def chunk_rows(p: int) -> int:
    """Rows per chunk of a pass over ``p`` columns that needs a temporary (about 4 MB)."""
    return max(16, _CHUNK_BYTES // (8 * max(p, 1)))


def column_moments(X, s, fit_intercept):
    """Weighted column means (zeros without an intercept) and second central moments (raw
    second moments without an intercept): two passes over X, no copy. The variance comes from
    the raw second moment; columns where that would cancel more than four digits (a mean over
    ~100 standard deviations) are recomputed about their mean over row chunks."""
    sw = s / s.sum()
    mean = sw @ X if fit_intercept else np.zeros(X.shape[1])
    if np.all(s == s[0]):
        raw = np.einsum("ij,ij->j", X, X) / X.shape[0]
    else:
        raw = np.einsum("i,ij,ij->j", sw, X, X)
    var = raw - mean * mean
    lossy = np.flatnonzero(var < 1e-4 * raw)
    if lossy.size:
        var[lossy] = 0.0
        step = chunk_rows(lossy.size)
        for lo in range(0, X.shape[0], step):
            Xb = X[lo : lo + step, lossy] - mean[lossy]
            Xb *= Xb
            var[lossy] += sw[lo : lo + step] @ Xb
    return mean, np.maximum(var, 0.0)


def column_scales(var, mean, standardize):
    """``(sd, excluded, scale)``: standard deviations, the constant-column mask and the solver's
    scale per column (the sd with ``standardize``, else 1; 1 for constant columns)."""
    sd = np.sqrt(np.maximum(var, 0.0))
    excluded = sd <= 1e-12 * np.maximum(1.0, np.abs(mean))
    scale = np.where(excluded | (not standardize), 1.0, sd)
    return sd, excluded, scale


class StandardizedDesign:
    r"""The centred, scaled design :math:`Z = (X - m)/\sigma` without forming it; the
    ``excluded`` (constant) columns are held at zero.

    Coefficients on :math:`Z` are :math:`v = \sigma w`: the solvers' coordinates.
    """

    def __init__(self, X, mean, scale, excluded):
        self.X, self.mean, self.scale, self.excluded = X, mean, scale, excluded
        self.p = X.shape[1]

    def _per_column(self, A):
        return self.scale if A.ndim == 1 else self.scale[:, None]

    def eta(self, V, C):
        """:math:`ZV + C` for coefficients (p,) or (p, K)."""
        W = V / self._per_column(V)
        return self.X @ W + (C - self.mean @ W)

    def rmatvec(self, R):
        """:math:`Z^TR` for R (n,) or (n, K)."""
        out = self.X.T @ R - np.multiply.outer(self.mean, R.sum(axis=0))
        out = out / self._per_column(R)
        out[self.excluded] = 0.0
        return out

    def columns(self, idx):
        """The columns ``idx`` of :math:`Z`, dense."""
        return (self.X[:, idx] - self.mean[idx]) / self.scale[idx]

    def dense(self):
        """All of :math:`Z` (a copy of X), the excluded columns zero."""
        Z = (self.X - self.mean) / self.scale
        Z[:, self.excluded] = 0.0
        return Z

    def original(self, V):
        """The coefficients on the scale of X: :math:`w = v/\\sigma` ((p,) or (p, K))."""
        return V / self._per_column(V)
