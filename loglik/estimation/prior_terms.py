r"""A prior on a family's parameters, as :func:`loglik.fit_map` takes it: the checks, the
penalty it defines and its value.

A prior is a dict ``{name: distribution}`` (or ``{(name, name): joint distribution}``) over the
family's documented parameters; each term becomes a :class:`PriorTerm`. The penalty is
:math:`R(\theta) = -\log\pi(\theta)` with its gradient and Hessian (from the prior's
``logpdf``, ``dlogpdf`` and ``d2logpdf``), what the MAP objective adds to :math:`n` times the
mean negative log-likelihood.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = ["PriorTerm", "check_prior", "log_prior", "prior_penalty"]


class PriorTerm(NamedTuple):
    """A prior on one parameter, or a joint prior on several (``names`` in its own order)."""

    names: tuple
    dist: Any

    @property
    def key(self):
        return self.names[0] if len(self.names) == 1 else self.names


def check_prior(cls, prior, fixed: dict) -> list[PriorTerm]:
    """Validate ``prior`` against the family; return its terms (see :func:`fit_map`)."""
    if prior is None:
        return []
    if not isinstance(prior, dict):
        raise ValueError(f"prior must be a dict {{parameter: distribution}}, got {prior!r}")
    terms, seen = [], set()
    for key, dist in prior.items():
        names = (key,) if isinstance(key, str) else tuple(key)
        for name in names:
            if not isinstance(name, str) or name not in cls.param_names:
                raise ValueError(
                    f"prior for {name!r}, which {cls.name} does not have; its parameters: "
                    f"{', '.join(cls.param_names)}"
                )
            if name in fixed or not cls.spec(name).estimable:
                raise ValueError(f"{name} is fixed, not estimated: a prior on it has no effect")
            if name in seen:
                raise ValueError(f"two priors for {name!r}")
            seen.add(name)
        terms.append(PriorTerm(_prior_order(cls, names, dist), dist))
    return terms


def _prior_order(cls, names: tuple, dist) -> tuple:
    """Check the prior's kind against the parameter(s); return the names in the prior's order."""
    if not hasattr(dist, "logpdf") or not hasattr(dist, "dlogpdf"):
        raise ValueError(
            f"the prior for {', '.join(names)} must be a distribution (e.g. loglik.Normal(0, 10)),"
            f" got {dist!r}"
        )
    kind = cls.spec(names[0]).kind
    if len(names) > 1:
        variables = getattr(dist, "variables", None)
        if variables is None or set(variables) != set(names):
            raise ValueError(
                f"a joint prior on {names} needs a distribution over exactly those parameters "
                f"(e.g. NormalInverseGamma for the normal's mu and sigma), got {dist!r}"
            )
        return tuple(variables)
    if kind != "scalar":
        if not getattr(dist, "multivariate", False):
            raise ValueError(
                f"{names[0]} is a {kind}: its prior must be a distribution over {kind}s "
                f"(e.g. Dirichlet for probabilities), got {dist!r}"
            )
        return names
    if getattr(dist, "multivariate", False) or getattr(dist, "discrete", False):
        raise ValueError(
            f"the prior for {names[0]} must be a continuous univariate distribution, got {dist!r}"
        )
    domain = cls.spec(names[0]).domain
    low, high = dist.support_bounds()
    if high <= domain.low or low >= domain.high:
        raise ValueError(
            f"the prior for {names[0]} ({dist!r}) puts no mass where {names[0]} can be "
            f"({domain.text})"
        )
    return names


def prior_penalty(cls, terms: list[PriorTerm], free: tuple):
    r"""``R(theta) = -log prior`` with its gradient (one entry per free parameter) and Hessian
    (scalar parameters; vector priors contribute their gradient only, for first-order
    optimizers). Terms on parameters outside ``free`` are left out; parameters without a prior
    are flat."""
    pos = {name: cls.param_names.index(name) for name in free}
    index = {name: i for i, name in enumerate(free)}
    terms = [t for t in terms if all(n in index for n in t.names)]

    def penalty(theta):
        value = 0.0
        grad = [np.zeros(np.shape(theta[pos[n]])) for n in free]
        hess = np.zeros((len(free), len(free)))
        for term in terms:
            point = _point(theta, pos, term.names)
            value -= float(term.dist.logpdf(point))
            g = np.asarray(term.dist.dlogpdf(point), dtype=np.float64)
            idx = [index[n] for n in term.names]
            if len(idx) == 1:
                grad[idx[0]] = grad[idx[0]] - g
                if g.ndim == 0:
                    hess[idx[0], idx[0]] -= float(term.dist.d2logpdf(point))
            else:
                for i, gi in zip(idx, g):
                    grad[i] = grad[i] - gi
                hess[np.ix_(idx, idx)] -= np.asarray(term.dist.d2logpdf(point))
        return (value if np.isfinite(value) else np.inf), grad, hess

    return penalty


def _point(theta, pos, names):
    if len(names) == 1:
        return theta[pos[names[0]]]
    return np.array([float(theta[pos[n]]) for n in names])


def log_prior(cls, terms, theta) -> float:
    pos = {n: cls.param_names.index(n) for t in terms for n in t.names}
    return float(sum(float(t.dist.logpdf(_point(theta, pos, t.names))) for t in terms))
