"""Test problems shared by the estimation tests: closed-form minima, cheap to evaluate."""

import numpy as np

import loglik as ll
from loglik.models.glm import GLMObjective


def quadratic(condition=100.0, dim=5, seed=0):
    """f(x) = x'Ax/2 - b'x with a rotated A of the given condition number; returns (obj, x*)."""
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.normal(size=(dim, dim)))[0]
    A = Q @ np.diag(np.logspace(0, np.log10(condition), dim)) @ Q.T
    b = rng.normal(size=dim)
    obj = ll.FunctionObjective(
        lambda x: 0.5 * x @ A @ x - b @ x, lambda x: A @ x - b, hess=lambda x: A
    )
    return obj, np.linalg.solve(A, b)


def _rosen(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def _rosen_grad(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


def _rosen_hess(x):
    return np.array([[2 - 400 * x[1] + 1200 * x[0] ** 2, -400 * x[0]], [-400 * x[0], 200.0]])


def rosenbrock():
    """The 2-D Rosenbrock function, minimum 0 at (1, 1); start at (-1.2, 1)."""
    return ll.FunctionObjective(_rosen, _rosen_grad, hess=_rosen_hess), np.ones(2)


def logistic(n=500, seed=0):
    """A logistic-regression NLL on simulated data; returns (obj, flat MLE found by Newton)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    eta = X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.3
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    obj = GLMObjective(X, y, "bernoulli")
    ref = ll.minimize(obj, [np.zeros(4), np.zeros(())], "newton", gtol=1e-13, tol=0)
    return obj, ref.x


def logistic_start():
    return [np.zeros(4), np.zeros(())]
