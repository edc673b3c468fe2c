"""Penalised regression: time to accuracy of loglik, scikit-learn, glum, skglm and celer.

Every solver minimises the same objective, computed for all of them by :func:`objective`
(DESIGN.md's convention; the intercept unpenalised)::

    mean NLL(w, b) + alpha * (l1_ratio * ||w||_1 + (1 - l1_ratio) / 2 * ||w||_2^2)

with the Gaussian mean NLL ``||y - Xw - b||^2 / (2n)`` and the Bernoulli one the mean log-loss.
The peers' conventions, translated (and checked numerically: at tight tolerances all reach
the same minimum to 1e-15): scikit-learn's ``ElasticNet``/``enet_path`` use the same alpha and
l1_ratio (``enet_path`` fits no intercept, so it gets centred data, as ``ElasticNetCV`` does);
its ``LogisticRegression`` takes ``C = 1 / (n * alpha)`` and the same ``l1_ratio`` (saga, the
only solver with an L1 part and an unpenalised intercept; liblinear penalises the intercept, a
different problem, so it is not run); glum's objective is ``deviance / (2 n)`` plus the same
penalty (half the Gaussian deviance is our NLL, half the binomial one too); skglm's and celer's
Lasso / ElasticNet are ours, skglm's ``SparseLogisticRegression`` is the mean log-loss with the
same penalty; celer's ``LogisticRegression`` fits no intercept, so it is not the same problem and
is reported as such.

Time to accuracy, as benchopt reports solvers: each solver runs a ladder of its own tolerances
(loose to tight; loglik's tolerance is its ``tol`` alone); the best objective any solver reached
is the reference; for each accuracy (relative suboptimality 1e-4 and 1e-10; for a path the worst
alpha) a solver's time is that of its loosest run that reached it, re-timed interleaved with the
others (see ``_harness.time_to_accuracy``). A solver that never reached it within its ladder or
the time cap is shown as ``>=`` its most accurate run's time (the ratio is then a lower bound).

Targets (issue 10): loglik at least 2x faster than scikit-learn and at least as fast as the
fastest of glum, skglm and celer, on every row and at both accuracies.

Run: ``python benchmarks/bench_regression.py [--quick] [--repeats 3] [--cap 10]``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from _harness import (
    Report,
    Row,
    Solver,
    Target,
    check_budget,
    fmt_time,
    optional_import,
    parse_args,
    pin_threads,
    relative_gap,
    remeasure_accuracy,
    time_to_accuracy,
    warnings_text,
)
from scipy import special
from sklearn import linear_model as sk

import loglik as ll

glum, NO_GLUM = optional_import("glum")
skglm, NO_SKGLM = optional_import("skglm")
celer, NO_CELER = optional_import("celer")

LEVELS = (1e-4, 1e-10)
PEERS = ("glum", "skglm", "celer")
TOLS = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8, 1e-10, 1e-12)  # every solver's ladder
BIG = 100_000  # iteration limits high enough that the tolerance is what stops a solver


@dataclass
class Problem:
    """One row: data, family, l1_ratio and the alphas (one, or a path's grid)."""

    key: str
    label: str
    family: str
    l1_ratio: float
    X: np.ndarray
    y: np.ndarray
    alphas: np.ndarray

    @property
    def path(self):
        return self.alphas.size > 1


# ------------------------------------------------------------------------- the one objective


def objective(problem, solution):
    """The penalised objective of ``solution = (coefs, intercepts)`` (one row per alpha)."""
    coefs, intercepts = solution
    coefs, intercepts = np.atleast_2d(coefs), np.atleast_1d(intercepts)
    eta = problem.X @ coefs.T + intercepts
    y = problem.y[:, None]
    if problem.family == "gaussian":
        nll = 0.5 * np.mean((y - eta) ** 2, axis=0)
    else:
        nll = np.mean(np.logaddexp(0.0, eta) - y * eta, axis=0)
    r = problem.l1_ratio
    l1, l2 = np.abs(coefs).sum(axis=1), (coefs**2).sum(axis=1)
    return nll + problem.alphas * (r * l1 + (1 - r) / 2 * l2)


# ------------------------------------------------------------------------- data and rows


def gaussian_data(n, p, seed=0, k=20):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    w = np.zeros(p)
    w[:k] = 2 * rng.normal(size=k)
    return X, X @ w + rng.normal(size=n)


def bernoulli_data(n, p, seed=0, k=10):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    w = np.zeros(p)
    w[:k] = rng.normal(size=k)
    return X, (rng.random(n) < special.expit(X @ w)).astype(float)


def alpha_max(X, y, l1_ratio):
    """The smallest alpha at which every coefficient is 0 (both families)."""
    return np.abs((X - X.mean(0)).T @ (y - y.mean())).max() / (len(y) * l1_ratio)


def problems(quick):
    """The rows: Gaussian lasso / elastic net (n >> p and p >> n) and L1 / elastic-net
    logistic at one alpha (alpha_max / 20), and along a 100-alpha path (alpha_max down to
    1e-3 alpha_max, log-spaced: scikit-learn's and glmnet's grid). The L1-logistic path is on
    2000x500: at 5000x1000 loglik alone takes 20-40 s per path, too long for the ladder."""
    wide, tall = ((100, 500), (1000, 100)) if quick else ((500, 5000), (10_000, 1000))
    logistic, logistic_path = ((500, 100), (300, 60)) if quick else ((5000, 1000), (2000, 500))
    both = ("one", "path")
    specs = [("gaussian", shape, r, both) for shape in (tall, wide) for r in (1.0, 0.5)]
    specs += [("bernoulli", logistic, r, ("one",)) for r in (1.0, 0.5)]
    specs += [("bernoulli", logistic_path, 1.0, ("path",))]
    for family, (n, p), r, kinds in specs:
        X, y = (gaussian_data if family == "gaussian" else bernoulli_data)(n, p)
        top = alpha_max(X, y, r)
        name = {1.0: "Lasso", 0.5: "ElasticNet"}[r]
        if family == "bernoulli":
            name = {1.0: "L1", 0.5: "ElasticNet"}[r] + " logistic"
        tag = f"{name.lower().replace(' ', '-')}-{n}x{p}"
        if "one" in kinds:
            one = np.array([top / 20])
            yield Problem(f"{tag}-1", f"{name} 1 alpha {n}x{p}", family, r, X, y, one)
        if "path" in kinds:
            grid = np.geomspace(top, top * 1e-3, 100)
            yield Problem(f"{tag}-path", f"{name} path x100 {n}x{p}", family, r, X, y, grid)


# ------------------------------------------------------------------------- the solvers


def centred(problem):
    """Fortran-ordered centred X and centred y, for the path functions without an intercept."""
    xm, ym = problem.X.mean(0), problem.y.mean()
    return np.asfortranarray(problem.X - xm), problem.y - ym, xm, ym


def with_intercepts(coefs, xm, ym):
    """``(coefs, intercepts)`` of a path fitted on centred data (coefs: (n_alphas, p))."""
    coefs = np.ascontiguousarray(coefs)
    return coefs, ym - coefs @ xm


def warm_loop(make, problem, set_alpha, to_solution):
    """A path as users of an estimator without one run it: fit each alpha, warm-started."""
    est = make()
    coefs, intercepts = [], []
    for alpha in problem.alphas:
        check_budget()
        set_alpha(est, alpha)
        est.fit(problem.X, problem.y)
        c, b = to_solution(est)
        coefs.append(c)
        intercepts.append(b)
    return np.array(coefs), np.array(intercepts)


def flat(est):
    return np.ravel(est.coef_).copy(), float(np.ravel(est.intercept_)[0])


def loglik_solver(problem):
    a, r = problem.alphas, problem.l1_ratio

    def fit(tol):
        if problem.path:
            path = ll.regularization_path(
                problem.X, problem.y, family=problem.family, l1_ratio=r, alphas=a, tol=tol
            )
            return path.coefs, path.intercepts
        if problem.family == "gaussian":
            est = ll.ElasticNet(a[0], r, tol=tol)
        else:
            penalty = "l1" if r == 1 else "elasticnet"
            est = ll.LogisticRegression(penalty, alpha=a[0], l1_ratio=r, tol=tol)
        return flat(est.fit(problem.X, problem.y))

    return fit


def sklearn_solver(problem):
    a, r, n = problem.alphas, problem.l1_ratio, len(problem.y)

    def logistic(alpha, tol, warm=False):
        return sk.LogisticRegression(
            C=1 / (n * alpha), l1_ratio=r, solver="saga", tol=tol, max_iter=BIG, warm_start=warm
        )

    def fit(tol):
        if problem.family == "gaussian" and problem.path:
            Xc, yc, xm, ym = centred(problem)
            _, coefs, _ = sk.enet_path(Xc, yc, l1_ratio=r, alphas=a, tol=tol, max_iter=BIG)
            return with_intercepts(coefs.T, xm, ym)
        if problem.path:
            return warm_loop(
                lambda: logistic(a[0], tol, warm=True),
                problem,
                lambda est, alpha: setattr(est, "C", 1 / (n * alpha)),
                flat,
            )
        if problem.family == "gaussian":
            est = sk.ElasticNet(alpha=a[0], l1_ratio=r, tol=tol, max_iter=BIG)
        else:
            est = logistic(a[0], tol)
        return flat(est.fit(problem.X, problem.y))

    return fit


def glum_solver(problem):
    a, r = problem.alphas, problem.l1_ratio
    family = "normal" if problem.family == "gaussian" else "binomial"

    def fit(tol):
        kw = {"family": family, "l1_ratio": r, "gradient_tol": tol, "max_iter": 1000}
        if problem.path:
            # glum 3.4 deprecates alphas= for alpha=, but alpha_search with an array alpha
            # fails there (`self.alpha == 0` on an array): the deprecated spelling, warning
            # counted
            est = glum.GeneralizedLinearRegressor(alpha_search=True, alphas=a, **kw)
            est.fit(problem.X, problem.y)
            return est.coef_path_, est.intercept_path_
        return flat(glum.GeneralizedLinearRegressor(alpha=a[0], **kw).fit(problem.X, problem.y))

    return fit


def skglm_solver(problem):
    a, r = problem.alphas, problem.l1_ratio

    def gaussian(alpha, tol, intercept=True):
        kw = {"tol": tol, "max_iter": 1000, "fit_intercept": intercept}
        if r == 1:
            return skglm.Lasso(alpha=alpha, **kw)
        return skglm.ElasticNet(alpha=alpha, l1_ratio=r, **kw)

    def logistic(alpha, tol, warm=False):
        return skglm.SparseLogisticRegression(
            alpha=alpha, l1_ratio=r, tol=tol, max_iter=1000, warm_start=warm
        )

    def fit(tol):
        if problem.family == "gaussian" and problem.path:
            Xc, yc, xm, ym = centred(problem)
            coefs = gaussian(a[0], tol, intercept=False).path(Xc, yc, a)[1]
            return with_intercepts(coefs.T, xm, ym)
        if problem.path:
            return warm_loop(
                lambda: logistic(a[0], tol, warm=True),
                problem,
                lambda est, alpha: setattr(est, "alpha", alpha),
                flat,
            )
        est = (gaussian if problem.family == "gaussian" else logistic)(a[0], tol)
        return flat(est.fit(problem.X, problem.y))

    return fit


def celer_solver(problem):
    a, r = problem.alphas, problem.l1_ratio

    def fit(tol):
        if problem.path:
            Xc, yc, xm, ym = centred(problem)
            coefs = celer.celer_path(Xc, yc, "lasso", alphas=a, l1_ratio=r, tol=tol)[1]
            return with_intercepts(coefs.T, xm, ym)
        kw = {"alpha": a[0], "tol": tol, "max_iter": 1000}
        est = celer.Lasso(**kw) if r == 1 else celer.ElasticNet(l1_ratio=r, **kw)
        return flat(est.fit(problem.X, problem.y))

    return fit


FACTORIES = {
    "loglik": (loglik_solver, None),
    "sklearn": (sklearn_solver, None),
    "glum": (glum_solver, NO_GLUM),
    "skglm": (skglm_solver, NO_SKGLM),
    "celer": (celer_solver, NO_CELER),
}
NOT_SAME = {
    ("celer", "bernoulli"): "celer's LogisticRegression fits no intercept "
    "(fit_intercept=True is not supported): not the same problem",
}


def small(problem):
    """A small copy of ``problem`` (first 100 rows, 30 columns, 3 alphas) for warm-ups; its
    arrays contiguous like the full ones (numba compiles one version per memory layout)."""
    alphas = problem.alphas[[0, len(problem.alphas) // 2, -1]] if problem.path else problem.alphas
    X, y = np.ascontiguousarray(problem.X[:100, :30]), problem.y[:100].copy()
    return Problem(problem.key, "", problem.family, problem.l1_ratio, X, y, alphas)


def solvers(problem):
    out = []
    for name, (factory, missing) in FACTORIES.items():
        why = missing or NOT_SAME.get((name, problem.family), "")
        if why:
            out.append(Solver(name, None, unavailable=why))
            continue
        warm = factory(small(problem))
        warmup = lambda warm=warm: (warm(1e-2), warm(1e-8))  # noqa: E731
        out.append(Solver(name, factory(problem), TOLS, warmup))
    return out


# ------------------------------------------------------------------------- rows


def describe(acc, level):
    """One line: every solver's time to ``level`` (or its lower bound and best accuracy)."""
    parts = []
    for s in acc.solvers:
        if s.unavailable:
            parts.append(f"{s.name} n/a")
            continue
        r = acc.times[(s.name, level)]
        if r.tol is None:
            got = f"reached {r.subopt:.0e}" if np.isfinite(r.subopt) else "stopped at the cap"
            parts.append(f"{s.name} >={fmt_time(r.bound_seconds)} ({got})")
        else:
            parts.append(f"{s.name} {fmt_time(r.seconds)} (tol {r.tol:.0e})")
    return f"to {level:.0e}: " + ", ".join(parts)


def anchor_row(problem, acc, level, names, anchor, target):
    """loglik against the fastest of ``names`` at ``level`` (one name: that solver)."""
    ours = acc.times[("loglik", level)].seconds
    times = {n: acc.times[(n, level)] for n in names if (n, level) in acc.times}  # available
    if not times:
        return None
    # the fastest: a peer that reached the level, unless one stopped at its cap could still
    # be faster (its lower bound below the best time reached): then the ratio is a lower bound
    name = min(times, key=lambda n: times[n].seconds)
    stopped = [n for n in names if n in times and times[n].tol is None]
    first_stopped = min(stopped, key=lambda n: times[n].bound_seconds, default=None)
    censored = first_stopped is not None and (
        times[first_stopped].bound_seconds < times[name].seconds
    )
    if censored:
        name = first_stopped
    theirs = times[name].bound_seconds if censored else times[name].seconds
    return Row(
        key=f"{problem.key}@{level:.0e}-{anchor}",
        label=f"{problem.label} to {level:.0e}",
        anchor=name if anchor == "sklearn" else f"fastest peer: {name}",
        ours=ours,
        theirs=theirs,
        gap=relative_gap(acc.best_value("loglik"), acc.best_value(name)),
        target=target,
        bound=">=" if censored else "",
        remeasure=remeasure_accuracy(acc, level, name),
    )


def run_problem(problem, report, args):
    print(f"\n  {problem.label} ({problem.family}, l1_ratio {problem.l1_ratio:g})", flush=True)
    acc = time_to_accuracy(
        solvers(problem),
        lambda sol: objective(problem, sol),
        LEVELS,
        repeats=args.repeats,
        cap=args.cap,
    )
    notes = [
        f"{s.name}: {warnings_text(acc.warnings(s.name))}"
        for s in acc.solvers
        if acc.warnings(s.name)
    ]
    notes += [f"{s.name}: {s.unavailable}" for s in acc.solvers if s.unavailable]
    for level in LEVELS:
        sk_row = anchor_row(problem, acc, level, ["sklearn"], "sklearn", Target(2.0, ">=2x"))
        sk_row.note = "; ".join([describe(acc, level), *notes])
        report.add(sk_row)
        peer = anchor_row(problem, acc, level, PEERS, "peers", Target(1.0, ">=1x"))
        if peer is not None:
            report.add(peer)


def main(argv=None):
    def add(parser):
        parser.add_argument(
            "--cap",
            type=float,
            nargs=2,
            default=(1.0, 30.0),
            help="a peer stops climbing its ladder of tolerances after a run of half 5x "
            "loglik's slowest, within these bounds (CPU seconds)",
        )

    args = parse_args(__doc__.splitlines()[0], argv, add, repeats=3)
    report = Report("bench_regression", args, pin_threads(1))
    for missing in (NO_GLUM, NO_SKGLM, NO_CELER):
        if missing:
            report.note(missing)
    for problem in problems(args.quick):
        run_problem(problem, report, args)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
