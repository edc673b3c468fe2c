"""The demo behind ``make demo`` / ``loglik demo``: runs the main jobs and writes a report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import optimize as so

from .estimation import optimizers as O
from .estimation import schedules as S
from .estimation.minimize import compare_optimizers
from .estimation.objective import FunctionObjective
from .models.glm import GLMObjective


def _every_optimizer(problem: str) -> dict:
    """Each shared optimizer with settings suited to ``problem`` ("rosenbrock" or "logistic")."""
    if problem == "rosenbrock":
        lr, mom, decay = 2e-3, 2e-4, S.exponential_decay(0.05, 0.5, 2000)
        return {
            "gd": O.gd(lr),
            "momentum": O.momentum(mom),
            "nesterov": O.nesterov(mom),
            "adagrad": O.adagrad(0.5),
            "rmsprop": O.rmsprop(S.exponential_decay(0.01, 0.5, 1000)),
            "adam": O.adam(decay),
            "adamw": O.adamw(decay, weight_decay=0.0),
            "fista": O.fista(1e-3),
            "newton": O.newton(),
            "lbfgs": O.lbfgs(),
        }
    decay = S.exponential_decay(0.1, 0.5, 500)
    return {
        "gd": O.gd(2.0),
        "momentum": O.momentum(0.5),
        "nesterov": O.nesterov(0.5),
        "adagrad": O.adagrad(1.0),
        "rmsprop": O.rmsprop(S.exponential_decay(0.01, 0.5, 500)),
        "adam": O.adam(decay),
        "adamw": O.adamw(decay, weight_decay=0.0),
        "fista": O.fista(2.0),
        "newton": O.newton(),
        "lbfgs": O.lbfgs(),
    }


def optimizer_tables(max_iter: int = 20_000):
    """Every optimizer on the Rosenbrock function and on a logistic negative log-likelihood.

    Returns ``{problem: DataFrame}`` (iterations, final value, gradient norm, error, seconds).
    """
    rosen = FunctionObjective(so.rosen, so.rosen_der, hess=so.rosen_hess)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 5))
    eta = X @ np.array([1.0, -2.0, 0.5, 0.0, 0.25]) + 0.3
    y = (rng.random(2000) < 1.0 / (1.0 + np.exp(-eta))).astype(float)
    logistic = GLMObjective(X, y, "bernoulli")
    start = [np.zeros(5), np.zeros(())]
    mle = compare_optimizers(logistic, start, {"newton": O.newton()}, gtol=1e-12, tol=0)[1]
    settings = {"max_iter": max_iter, "tol": 0.0, "gtol": 1e-8}
    tables = {
        "Rosenbrock from (-1.2, 1)": compare_optimizers(
            rosen,
            np.array([-1.2, 1.0]),
            _every_optimizer("rosenbrock"),
            reference=np.ones(2),
            **settings,
        )[0],
        "logistic NLL (n=2000, p=5)": compare_optimizers(
            logistic, start, _every_optimizer("logistic"), reference=mle["newton"].x, **settings
        )[0],
    }
    return tables


def run(out: str | Path = "demo-output", *, quick: bool = False) -> Path:
    """Run the demo, print its tables and write ``report.md`` to ``out``; return the report path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "# loglik demo",
        "",
        "## The shared optimizers",
        "",
        "Each optimizer minimises the same objective from the same start (stopping at gradient",
        "norm 1e-8 or the iteration budget); `error` is the largest distance to the minimiser.",
        "",
    ]
    for title, table in optimizer_tables(max_iter=2000 if quick else 20_000).items():
        text = table.to_markdown(floatfmt=".3g") if _has_tabulate() else table.to_string()
        print(f"\n{title}\n{table.to_string(float_format=lambda v: f'{v:.3g}')}")
        lines += [f"### {title}", "", text if _has_tabulate() else f"```\n{text}\n```", ""]
    report = out / "report.md"
    report.write_text("\n".join(lines))
    print(f"\nreport written to {report}")
    return report


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401 - optional, used by DataFrame.to_markdown
    except ImportError:
        return False
    return True
