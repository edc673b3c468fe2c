r"""L-BFGS through scipy: a whole-run solver that reports every iterate to the loop."""

from __future__ import annotations

from typing import Any, NamedTuple

from scipy import optimize

from .._validation import check_scalar

__all__ = ["ScipySolver", "lbfgs", "run_scipy_solver"]


class ScipySolver(NamedTuple):
    """A whole-run solver from ``scipy.optimize.minimize`` (full batch), used by ``minimize``
    in place of the step loop; it reports every iterate to the loop's bookkeeping."""

    method: str
    options: dict
    name: str
    bounds: Any = None
    full_batch: bool = True


def lbfgs(memory: int = 10, max_line_search: int = 20, bounds=None) -> ScipySolver:
    r"""L-BFGS (Liu & Nocedal 1989) through ``scipy.optimize.minimize(method="L-BFGS-B")``.

    The inverse Hessian is approximated from the last ``memory`` pairs
    :math:`(s_k, y_k) = (\theta_{k+1}-\theta_k, g_{k+1}-g_k)` by the two-loop recursion; the step
    satisfies the strong Wolfe conditions. ``bounds`` (a sequence of ``(low, high)`` per flattened
    parameter, ``None`` for unbounded) gives the box-constrained L-BFGS-B. Full batch only.
    """
    memory = check_scalar(memory, "memory", low=1, integer=True)
    max_line_search = check_scalar(max_line_search, "max_line_search", low=1, integer=True)
    return ScipySolver("L-BFGS-B", {"maxcor": memory, "maxls": max_line_search}, "lbfgs", bounds)


def run_scipy_solver(solver: ScipySolver, fun_and_grad, x0, *, max_iter, tol, gtol, callback):
    """Run ``solver`` from ``x0``; ``callback(x, f, g)`` sees every iterate and may raise
    StopIteration. ``fun_and_grad`` should cache its last point: the callback re-reads it."""

    def scipy_callback(intermediate_result):
        x = intermediate_result.x
        f, g = fun_and_grad(x)
        callback(x, f, g)

    options = dict(solver.options, maxiter=max_iter, ftol=tol, gtol=gtol)
    return optimize.minimize(
        fun_and_grad,
        x0,
        jac=True,
        method=solver.method,
        bounds=solver.bounds,
        options=options,
        callback=scipy_callback,
    )
