r"""The Laplace (double exponential) distribution."""

from __future__ import annotations

import numpy as np

from ...estimation.data import dot
from ...estimation.domains import POSITIVE, REAL, Param
from . import tails
from .common import require_spread
from .location_scale import LocationScale


def weighted_median(x, w=None) -> float:
    r"""A minimiser of :math:`\sum_i w_i |x_i - m|`: the median (the midpoint of the two middle
    values when the weights split exactly in half, as ``numpy.median`` for even n)."""
    if w is None:  # np.median's selection (O(n), no sort) without its generic overhead
        k = x.shape[0] // 2
        if x.shape[0] % 2:
            return float(np.partition(x, k)[k])
        part = np.partition(x, k)  # one selection: the lower middle value is the left's largest
        return float(0.5 * (np.maximum.reduce(part[:k]) + part[k]))
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    cw = np.cumsum(ws)
    half = 0.5 * cw[-1]
    i = int(np.searchsorted(cw, half))
    if np.isclose(cw[i], half, rtol=1e-12, atol=0.0):  # every m between two values minimises
        later = np.flatnonzero(ws[i + 1 :] > 0)
        if later.size:
            return float(0.5 * (xs[i] + xs[i + 1 + later[0]]))
    return float(xs[i])


class Laplace(LocationScale):
    r"""The Laplace distribution with location :math:`\mu` and scale :math:`b`.

    .. math:: \log p(x) = -\log(2b) - |x - \mu|/b.

    Score :math:`(\mathrm{sign}(x-\mu)/b,\ (|x-\mu| - b)/b^2)`; Fisher information
    :math:`\mathrm{diag}(1/b^2, 1/b^2)`.

    **MLE** (closed form): :math:`\hat\mu` = the (weighted) median,
    :math:`\hat b = \sum w|x - \hat\mu|/n`. The log-likelihood has a kink at every data point
    in :math:`\mu` (its second derivative is zero almost everywhere), so standard errors use the
    expected information :math:`n I(\hat\theta)`, which gives the median's asymptotic variance
    :math:`b^2/n`.
    """

    name = "laplace"
    param_specs = (
        Param("loc", REAL, default=0.0, doc="location (median)"),
        Param("scale", POSITIVE, default=1.0, doc="scale b"),
    )

    @staticmethod
    def _logpdf(x, loc, scale):
        return -np.log(2.0 * scale) - np.abs(x - loc) / scale

    _sampler, _scipy_name = "laplace", "laplace"
    _tails = tails.LAPLACE  # censored data: the standard member's log-tails

    @staticmethod
    def _standard_cdf(z):
        return np.where(z < 0, 0.5 * np.exp(np.minimum(z, 0.0)), 1.0 - 0.5 * np.exp(-np.abs(z)))

    @staticmethod
    def _standard_ppf(q):
        return np.where(q < 0.5, np.log(2.0 * q), -np.log(2.0 - 2.0 * q))

    @staticmethod
    def _var(loc, scale):
        return 2.0 * scale**2 + 0.0 * loc

    @staticmethod
    def _score(x, loc, scale):
        d = x - loc
        return np.sign(d) / scale, (np.abs(d) - scale) / scale**2

    @staticmethod
    def _hess(x, loc, scale):
        d = x - loc
        h_ls = -np.sign(d) / scale**2
        return ((0.0 * d, h_ls), (h_ls, 1.0 / scale**2 - 2.0 * np.abs(d) / scale**3))

    @staticmethod
    def _dlogpdf_dx(x, loc, scale):
        return -np.sign(x - loc) / scale

    @staticmethod
    def _d2logpdf_dx2(x, loc, scale):
        return 0.0 * x  # zero away from the kink at loc

    @staticmethod
    def _fisher(loc, scale):
        return ((1.0 / scale**2, 0.0 * loc), (0.0 * loc, 1.0 / scale**2))

    @classmethod
    def _abs_dev(cls, data, loc) -> float:
        r""":math:`\sum_i w_i |x_i - \mu|`, block by block."""
        total = 0.0
        for xb, wb in data.chunks():
            d = np.abs(xb - loc)
            total += float(d.sum() if wb is None else dot(wb, d))
        return total

    @classmethod
    def loglik_total(cls, data, loc, scale):
        if np.ndim(loc) == 0 and np.ndim(scale) == 0:
            dev = data.cached(("abs_dev", float(loc)), lambda: cls._abs_dev(data, float(loc)))
            return -data.n * float(np.log(2.0 * scale)) - dev / float(scale)
        return super().loglik_total(data, loc, scale)

    @classmethod
    def closed_form_mle(cls, data, fixed):
        out = {}
        loc = fixed.get("loc")
        if loc is None:
            loc = out["loc"] = weighted_median(data.x, data.w)
        if "scale" not in fixed:
            dev = data.cached(("abs_dev", float(loc)), lambda: cls._abs_dev(data, float(loc)))
            require_spread(cls, data, dev)
            out["scale"] = dev / data.n
        return out

    start_values = closed_form_mle

    @classmethod
    def observed_information(cls, data, theta, free):
        info = data.n * np.array(cls._fisher(*theta), dtype=float)
        idx = [cls.param_names.index(n) for n in free]
        return info[np.ix_(idx, idx)]
