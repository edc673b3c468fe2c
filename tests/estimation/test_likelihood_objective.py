"""The objective behind ``fit(x, family, optimizer=...)`` and numeric MAP, checked by finite
differences for every registered family: its gradient and Hessian in the unconstrained
parametrisation the optimizers see, with and without fixed parameters, with weights, on a
mini-batch and with a prior, at a point away from the optimum.

Tolerances: ``check_objective``'s fourth-order central differences of a mean negative
log-likelihood of order 1 are accurate to about 1e-10, so the gradient must agree to
``rtol=1e-6, atol=1e-8`` and the Hessian (differenced from the analytic gradient) to
``rtol=1e-5, atol=1e-6``; a wrong term is off by far more.
"""

import numpy as np
import pytest

import loglik as ll
from loglik.estimation.data import as_fit_data
from loglik.estimation.likelihood import LikelihoodObjective, check_fixed, theta_from

from ..models.distributions.cases import CASES

GRAD_TOL = {"rtol": 1e-6, "atol": 1e-8}
HESS_TOL = {"rtol": 1e-5, "atol": 1e-6}  # check_objective's own floor for the Hessian
VARIANTS = ("free", "fixed_first", "fixed_last", "weights", "batch", "prior")


def _prior_penalty(cls, free, theta0):
    r"""``R(theta) = -log prior`` over the free scalar parameters (numeric MAP's penalty): a
    normal prior centred away from ``theta0`` on real parameters, a gamma prior on positive
    ones, a beta prior on probabilities."""
    priors = {}
    for name in free:
        spec = cls.spec(name)
        value = float(theta0[cls.param_names.index(name)])
        if spec.domain.scale == "identity":
            priors[name] = ll.Normal(value + 1.0, 2.0)
        elif spec.domain.scale == "log":
            priors[name] = ll.Gamma(3.0, value)
        else:
            priors[name] = ll.Beta(2.0, 3.0)
    pos = [cls.param_names.index(n) for n in free]

    def penalty(theta):
        points = [float(theta[p]) for p in pos]
        value = -sum(priors[n].logpdf(v) for n, v in zip(free, points))
        grad = [-np.asarray(priors[n].dlogpdf(v)) for n, v in zip(free, points)]
        hess = -np.diag([priors[n].d2logpdf(v) for n, v in zip(free, points)])
        return value, grad, hess

    return penalty


def _cases():
    out = []
    for name in ll.family_names():
        dist = CASES[name].dist
        for variant in VARIANTS:
            scalar = all(s.kind == "scalar" for s in dist.param_specs if s.estimable)
            if variant.startswith("fixed") and len(dist.estimable_names) < 2:
                continue  # nothing left to hold fixed
            if variant == "prior" and not scalar:
                continue  # priors on vectors and matrices add a gradient only (see map.py)
            out.append(pytest.param(name, variant, id=f"{name}-{variant}"))
    return out


def _objective(name, variant):
    case = CASES[name]
    dist, cls = case.dist, type(case.dist)
    rng = np.random.default_rng(11)
    x = dist.sample(200, rng)
    weights = rng.integers(0, 4, x.shape[0]).astype(float) if variant == "weights" else None
    data = as_fit_data(x, weights, ndim=2 if cls.multivariate else 1)
    fixed = dict(case.fixed or {})
    if variant.startswith("fixed"):
        held = dist.estimable_names[0 if variant == "fixed_first" else -1]
        fixed[held] = dist.params[held]
    fixed = check_fixed(cls, fixed)
    theta0 = theta_from(cls, {**dist.params, **fixed})
    free = tuple(n for n in cls.estimable_names if n not in fixed)
    penalty = _prior_penalty(cls, free, theta0) if variant == "prior" else None
    obj = LikelihoodObjective(cls, data, fixed, theta0, penalty)
    # away from the optimum: every unconstrained coordinate moved by 0.3 (the uniform's low
    # end down, so that the data stay inside)
    direction = [-0.3 if (name, n) == ("uniform", "low") else 0.3 for n in free]
    params = [u + d for u, d in zip(obj.unconstrain(theta0), direction)]
    batch = np.arange(0, x.shape[0], 3) if variant == "batch" else None
    return obj, params, batch


@pytest.mark.parametrize(("name", "variant"), _cases())
def test_gradient_and_hessian_match_finite_differences(name, variant):
    obj, params, batch = _objective(name, variant)
    f, grads = obj.value_and_grad(params, batch)
    # two code paths (the log-likelihood total vs the derivatives' pass): rounding only
    assert obj.value(params, batch) == pytest.approx(f, rel=1e-12)
    gnorm = np.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    assert gnorm > 1e-3  # not a stationary point, where a wrong scale would go unseen
    g_check, h_check = ll.check_objective(obj, params, batch=batch, **GRAD_TOL)
    assert g_check.ok, str(g_check)
    # a Hessian for scalar parameters on elementwise transforms (not for a multivariate
    # normal's mean vector or covariance, nor for the categorical's softmax)
    scalar = all(obj.cls.spec(n).kind == "scalar" for n in obj.free)
    has_hessian = scalar and all(t.elementwise for t in obj.transforms)
    assert (obj.hessian is not None) == has_hessian
    if has_hessian:
        assert h_check is not None and h_check.ok, str(h_check)
        H = obj.hessian(params, batch)
        np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-14)  # symmetric by construction


def test_every_family_and_variant_is_covered():
    covered = {p.values for p in _cases()}
    assert {name for name, _ in covered} == set(ll.family_names())
    assert {variant for _, variant in covered} == set(VARIANTS)


def test_newton_on_a_vector_parameter_says_it_needs_a_hessian():
    """A multivariate normal's mean (covariance fixed) has no Hessian here: the objective says
    so (it used to offer one that failed inside numpy on the vector block)."""
    x = CASES["multivariate_normal"].dist.sample(100, 3)
    start = {"mean": np.array([3.0, 3.0])}
    with pytest.raises(ValueError, match="newton needs an objective with a Hessian"):
        ll.fit(x, "multivariate_normal", fixed={"cov": np.eye(2)}, optimizer="newton", start=start)
    res = ll.fit(x, "multivariate_normal", fixed={"cov": np.eye(2)}, optimizer="lbfgs", start=start)
    np.testing.assert_allclose(res.params["mean"], x.mean(axis=0), atol=1e-6)  # lbfgs gtol 1e-6
