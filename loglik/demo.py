"""The demo behind ``make demo`` / ``loglik demo``: the main jobs on the shipped data.

Each section fits something, draws its figures into the output folder and returns the markdown
that describes it; :func:`run` writes them all into ``report.md``.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # the demo only writes files; never needs a screen

import matplotlib.pyplot as plt
import numpy as np
from scipy import optimize as so

from . import data, plotting
from .estimation import optimizers as O
from .estimation import schedules as S
from .estimation.minimize import compare_optimizers
from .estimation.mle import compare, fit
from .estimation.objective import FunctionObjective
from .estimation.surface import loglik_surface
from .models.glm import GLMObjective


def _table(frame, floatfmt=".4g") -> str:
    try:
        return frame.to_markdown(floatfmt=floatfmt)
    except ImportError:  # tabulate is optional
        return "```\n" + frame.to_string() + "\n```"


def _save(fig, out: Path, name: str) -> str:
    fig.savefig(out / name, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return f"![{name}]({name})"


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


def distributions_section(out: Path, quick: bool) -> list[str]:
    """Fit and compare families on strike durations; diagnostics of the best fit."""
    strikes = data.load("strikes")["duration"].to_numpy(dtype=float)
    families = ["exponential", "gamma", "weibull", "lognormal", "normal", "logistic", "cauchy"]
    table = compare(strikes, families)
    best = table.index[0]
    fits = {f: fit(strikes, f) for f in table.index[table["applicable"]][:4]}
    fig, ax = plt.subplots(figsize=(7, 4.5))
    plotting.compare(fits, ax=ax)
    compare_png = _save(fig, out, "compare_families.png")
    axes = plotting.fit_diagnostics(fits[best])
    diag_png = _save(axes[0].figure, out, "fit_diagnostics.png")
    summary = fits[best].summary(method="wald" if quick else "profile")
    shown = table.drop(columns=["params", "note"], errors="ignore")
    return [
        "## Fitting distributions: U.S. strike durations (62 strikes, days)",
        "",
        "`ll.compare(x, families)` fits every family by maximum likelihood and ranks them by AIC"
        " (Akaike weights in `weight`, the Kolmogorov-Smirnov distance in `ks`):",
        "",
        _table(shown),
        "",
        f"The best by AIC is **{best}**; its fit (`ll.fit(x, {best!r}).summary()`):",
        "",
        "```",
        str(summary),
        "```",
        "",
        compare_png,
        "",
        diag_png,
        "",
    ]


def likelihood_section(out: Path, quick: bool) -> list[str]:
    """The normal's likelihood on the Nile flows: curves, the surface, a profile."""
    nile = data.load("nile")["volume"].to_numpy(dtype=float)
    normal = fit(nile, "normal")
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.3), layout="constrained")
    plotting.likelihood_curve(normal, "mu", ax=axes[0])
    plotting.likelihood_curve(normal, "sigma", ax=axes[1])
    curve_png = _save(fig, out, "likelihood_curves.png")
    strikes = data.load("strikes")["duration"].to_numpy(dtype=float)
    gamma = fit(strikes, "gamma")
    fig, axes = plt.subplots(1, 2, figsize=(13, 5), layout="constrained")
    plotting.likelihood_surface(
        gamma,
        ("shape", "scale"),
        bootstrap=100 if quick else 500,
        random_state=0,
        n_points=41 if quick else 81,
        ax=axes[0],
    )
    plotting.profile(gamma, "shape", ax=axes[1], n_points=41 if quick else 101)
    surface_png = _save(fig, out, "likelihood_surface_and_profile.png")
    ci = (
        gamma.conf_int(method="profile")
        .add_suffix(" (profile)")
        .join(gamma.conf_int(method="wald").add_suffix(" (wald)"))
    )
    return [
        "## Likelihood curves, surfaces and profiles",
        "",
        "The normal's log-likelihood on the Nile's annual flows (100 years): μ slides with σ at "
        "its MLE, then σ with μ at its MLE. The shaded band is the 95% likelihood-ratio "
        "interval (where the curve is within χ²₁(0.95)/2 = 1.92 of its maximum).",
        "",
        curve_png,
        "",
        "The gamma's log-likelihood over (shape, scale) for the strike durations, with the "
        "likelihood-ratio confidence regions, the 99% Wald ellipse and parametric-bootstrap "
        "estimates; right, the profile log-likelihood of the shape (scale maximised out) "
        "against the slice at the scale's MLE:",
        "",
        surface_png,
        "",
        "Profile and Wald 95% intervals for the gamma parameters:",
        "",
        _table(ci),
        "",
    ]


def optimizer_paths_section(out: Path, quick: bool) -> list[str]:
    """GD, momentum, Adam and Newton climbing the gamma likelihood from one start."""
    strikes = data.load("strikes")["duration"].to_numpy(dtype=float)
    start = {"shape": 3.0, "scale": 8.0}
    runs = {"gd": O.gd(0.5), "momentum": O.momentum(0.1), "adam": O.adam(0.1), "newton": "newton"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fits = {
            name: fit(strikes, "gamma", optimizer=opt, start=start) for name, opt in runs.items()
        }
    mle = fit(strikes, "gamma")
    paths = np.concatenate([f.path[["shape", "scale"]].to_numpy() for f in fits.values()])
    lo, hi = paths.min(axis=0) * 0.9, paths.max(axis=0) * 1.1
    surface = loglik_surface(
        mle,
        ("shape", "scale"),
        values=(
            np.linspace(lo[0], hi[0], 60 if quick else 120),
            np.linspace(lo[1], hi[1], 60 if quick else 120),
        ),
    )
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    plotting.optimizer_paths(
        fits,
        grid=surface,
        coords=("shape", "scale"),
        ax=ax,
        reference=[mle.params["shape"], mle.params["scale"]],
    )
    ax.set_title("Shared optimizers on the gamma log-likelihood (strike durations)")
    png = _save(fig, out, "optimizer_paths.png")
    rows = [f"| {name} | {f.n_iter} | {f.loglik:.6f} | {f.converged} |" for name, f in fits.items()]
    return [
        "## Optimizer paths over a likelihood contour",
        "",
        "`ll.fit(x, 'gamma', optimizer=...)` runs any shared optimizer on the family's "
        "unconstrained parameters (log shape, log scale) and records its path:",
        "",
        png,
        "",
        "| optimizer | iterations | log-likelihood | converged |",
        "|---|---|---|---|",
        *rows,
        "",
    ]


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
    """Every optimizer on the Rosenbrock function and on a logistic negative log-likelihood
    (the 1996 election data: Dole vs Clinton on party identification, age, education, income).

    Returns ``{problem: DataFrame}`` (iterations, final value, gradient norm, error, seconds).
    """
    rosen = FunctionObjective(so.rosen, so.rosen_der, hess=so.rosen_hess)
    anes = data.load("anes96")
    columns = ["PID", "age", "educ", "income", "selfLR"]
    X = anes[columns].to_numpy(dtype=float)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    logistic = GLMObjective(X, anes["vote"].to_numpy(dtype=float), "bernoulli")
    start = [np.zeros(X.shape[1]), np.zeros(())]
    mle = compare_optimizers(logistic, start, {"newton": O.newton()}, gtol=1e-12, tol=0)[1]
    settings = {"max_iter": max_iter, "tol": 0.0, "gtol": 1e-8}
    return {
        "Rosenbrock from (-1.2, 1)": compare_optimizers(
            rosen,
            np.array([-1.2, 1.0]),
            _every_optimizer("rosenbrock"),
            reference=np.ones(2),
            **settings,
        )[0],
        f"logistic NLL (anes96 vote, n={X.shape[0]}, p={X.shape[1]})": compare_optimizers(
            logistic, start, _every_optimizer("logistic"), reference=mle["newton"].x, **settings
        )[0],
    }


def optimizer_table_section(out: Path, quick: bool) -> list[str]:
    lines = [
        "## The shared optimizers, side by side",
        "",
        "Each optimizer minimises the same objective from the same start, stopping at gradient "
        "norm 1e-8 or the iteration budget; `error` is the largest distance to the minimiser.",
        "",
    ]
    for title, table in optimizer_tables(max_iter=2000 if quick else 20_000).items():
        print(f"\n{title}\n{table.to_string(float_format=lambda v: f'{v:.3g}')}")
        lines += [f"### {title}", "", _table(table, ".3g"), ""]
    return lines


SECTIONS = [
    distributions_section,
    likelihood_section,
    optimizer_paths_section,
    optimizer_table_section,
]


def run(out: str | Path = "demo-output", *, quick: bool = False) -> Path:
    """Run every section, write the figures and ``report.md`` to ``out``; return the report."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        "# loglik demo",
        "",
        "Every estimate below is the minimiser of a negative log-likelihood (plus a "
        "negative log-prior where there is one), on data shipped with loglik "
        "(`ll.data.list_datasets()`).",
        "",
    ]
    for section in SECTIONS:
        t0 = time.perf_counter()
        lines += section(out, quick)
        print(f"{section.__name__}: {time.perf_counter() - t0:.1f}s")
    report = out / "report.md"
    report.write_text("\n".join(lines))
    print(f"\nreport written to {report}")
    return report
