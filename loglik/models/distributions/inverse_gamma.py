r"""The inverse-gamma distribution."""

from __future__ import annotations

import numpy as np
from scipy import special

from ...estimation.domains import POSITIVE, Param, Support
from . import tails
from .base import Distribution
from .common import trigamma
from .gamma import Gamma


class InverseGamma(Distribution):
    r"""The inverse-gamma distribution: :math:`1/X \sim \mathrm{Gamma}(a, 1/b)`, with ``shape``
    :math:`a` and ``scale`` :math:`b` (scipy's ``invgamma(a, scale=b)``).

    .. math:: \log p(x) = a\log b - \log\Gamma(a) - (a + 1)\log x - b/x
              = \log(a/x) - \operatorname{stirlerr}(a) - \operatorname{bd0}(a, b/x)
                - \tfrac12\log(2\pi a),\qquad x > 0

    (the second form computed: exact at large shapes, see :class:`.gamma.Gamma`).

    Score :math:`(\log b - \psi(a) - \log x,\ a/b - 1/x)`; Fisher information
    :math:`\begin{pmatrix}\psi'(a) & -1/b\\ -1/b & a/b^2\end{pmatrix}`. It is the conjugate
    prior of a normal variance and of the exponential's ``scale`` (a gamma prior on the rate
    :math:`1/s` is an inverse-gamma prior on :math:`s`).

    **MLE**: the gamma MLE of :math:`1/x` (the Jacobian of :math:`x \mapsto 1/x` does not
    involve the parameters): shape :math:`a`, scale :math:`b = 1/s_{1/x}`.
    """

    name = "inverse_gamma"
    param_specs = (
        Param("shape", POSITIVE, doc="shape a"),
        Param("scale", POSITIVE, default=1.0, doc="scale b (mode b/(a+1))"),
    )
    support = Support(0.0, np.inf, low_open=True)

    @staticmethod
    def _logpdf(x, shape, scale):
        # the gamma density of 1/x at scale 1/b, times the Jacobian 1/x^2 (its exact forms reused)
        with np.errstate(divide="ignore"):
            return Gamma._logpdf(1.0 / x, shape, 1.0 / scale) - 2.0 * np.log(x)

    @staticmethod
    def _cdf(x, shape, scale):
        return special.gammaincc(shape, scale / x)

    @staticmethod
    def _ppf(q, shape, scale):
        return scale / special.gammainccinv(shape, q)

    @staticmethod
    def _sample(rng, shape_, shape, scale):
        return scale / rng.gamma(shape, 1.0, shape_)

    @staticmethod
    def _mean(shape, scale):
        """``scale/(shape - 1)`` (infinite for ``shape <= 1``)."""
        safe = np.where(shape > 1, shape, 2.0)
        return np.where(shape > 1, scale / (safe - 1.0), np.inf)

    @staticmethod
    def _var(shape, scale):
        """``scale**2/((shape-1)**2 (shape-2))`` (infinite for ``shape <= 2``)."""
        safe = np.where(shape > 2, shape, 3.0)
        return np.where(shape > 2, scale**2 / ((safe - 1.0) ** 2 * (safe - 2.0)), np.inf)

    @staticmethod
    def _scipy(shape, scale):
        from scipy import stats

        return stats.invgamma(shape, scale=scale)

    @staticmethod
    def _score(x, shape, scale):
        return np.log(scale) - special.digamma(shape) - np.log(x), shape / scale - 1.0 / x

    @staticmethod
    def _hess(x, shape, scale):
        cross = 1.0 / scale + 0.0 * x
        return ((-trigamma(shape) + 0.0 * x, cross), (cross, -shape / scale**2 + 0.0 * x))

    # censored data: F(x) = Q(shape, scale/x), in log space
    @staticmethod
    def _logcdf(x, shape, scale):
        return tails.log_gammaincc(shape, scale / x)

    @staticmethod
    def _logsf(x, shape, scale):
        return tails.log_gammainc(shape, scale / x)

    @staticmethod
    def _fisher(shape, scale):
        return ((trigamma(shape), -1.0 / scale), (-1.0 / scale, shape / scale**2))

    @staticmethod
    def _dlogpdf_dx(x, shape, scale):
        return -(shape + 1.0) / x + scale / x**2

    @staticmethod
    def _d2logpdf_dx2(x, shape, scale):
        return (shape + 1.0) / x**2 - 2.0 * scale / x**3

    def mode(self):
        """``scale/(shape + 1)``."""
        shape, scale = self._theta
        v = np.asarray(scale / (shape + 1.0))
        return float(v) if v.ndim == 0 else v

    @classmethod
    def _reciprocal(cls, data):
        from ...estimation.data import FitData

        return data.cached("reciprocal", lambda: FitData(1.0 / data.x, data.w, data.n))

    @classmethod
    def closed_form_mle(cls, data, fixed):
        if "shape" in fixed:
            if "scale" in fixed:
                return {}
            return {"scale": fixed["shape"] / cls._reciprocal(data).mean()}
        return None

    @classmethod
    def profile_problem(cls, data, fixed):
        if fixed:
            return None
        problem = Gamma.profile_problem(cls._reciprocal(data), {})

        def expand(params):
            values = problem.expand(params)
            return {"shape": values["shape"], "scale": 1.0 / values["scale"]}

        # the objective is the gamma NLL of 1/x; the log-likelihood of x adds -2 sum log x
        return problem._replace(expand=expand, objective=_Shifted(problem.objective, data))

    @classmethod
    def start_values(cls, data, fixed):
        values = Gamma.start_values(cls._reciprocal(data), {})
        return {
            "shape": fixed.get("shape", values["shape"]),
            "scale": fixed.get("scale", 1.0 / values["scale"]),
        }


class _Shifted:
    r"""An objective plus a constant: the mean NLL of x is the gamma mean NLL of 1/x plus
    :math:`2\sum w\log x/n` (the Jacobian), which moves no optimum but is part of the value."""

    n_samples = None

    def __init__(self, objective, data):
        self.objective = objective
        self.shift = 2.0 * data.sum_log() / data.n

    def value(self, params, batch=None):
        return self.objective.value(params) + self.shift

    def value_and_grad(self, params, batch=None):
        f, g = self.objective.value_and_grad(params)
        return f + self.shift, g

    def hessian(self, params, batch=None):
        return self.objective.hessian(params)
