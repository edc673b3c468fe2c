r"""The flat (improper) prior."""

from __future__ import annotations

import numpy as np


class Flat:
    r"""The flat prior :math:`\pi(\theta) \propto 1` on the whole real line: log-density 0.

    Improper (it does not integrate to one), so it is not a distribution to sample from; as a
    prior it leaves the likelihood unchanged, so with flat priors the MAP is the MLE (in the
    family's parametrisation). Parameters given no prior in :func:`loglik.fit_map` are flat.
    """

    name = "flat"
    discrete = False
    multivariate = False

    def __repr__(self):
        return "Flat()"

    def logpdf(self, x):
        return 0.0 * np.asarray(x, dtype=np.float64)

    def dlogpdf(self, x):
        return 0.0 * np.asarray(x, dtype=np.float64)

    d2logpdf = dlogpdf

    def support_bounds(self) -> tuple[float, float]:
        return -np.inf, np.inf
