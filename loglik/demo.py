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
from . import optimizers as O
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


def map_section(out: Path, quick: bool) -> list[str]:
    """MAP with a conjugate prior: doctor-visit rates, the posterior, and MAP moving to the MLE."""
    from .estimation.map import fit_map, map_vs_mle
    from .models.distributions import Gamma

    visits = data.load("randhie")["mdvis"].to_numpy(dtype=float)
    visits = visits[np.random.default_rng(0).permutation(visits.size)]  # rows come in blocks
    prior = {"rate": Gamma(2.0, 1.0)}
    small = visits[:10]
    mle, post = fit(small, "poisson"), fit_map(small, "poisson", prior)
    sizes = np.unique(np.geomspace(1, 2000, 10 if quick else 20).round().astype(int))
    frame = map_vs_mle(visits[:2000], "poisson", prior, sizes=sizes)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.3), layout="constrained")
    grid = np.linspace(0.01, 8, 400)
    axes[0].plot(grid, prior["rate"].pdf(grid), "--", label="prior Gamma(shape=2, scale=1)")
    axes[0].plot(grid, post.posterior.pdf(grid), label=f"posterior {post.posterior!r}")
    axes[0].axvline(mle.params["rate"], color="k", lw=1, label=f"MLE {mle.params['rate']:.3g}")
    axes[0].axvline(
        post.params["rate"], color="C1", lw=1, ls="-.", label=f"MAP {post.params['rate']:.3g}"
    )
    axes[0].set(
        xlabel="rate",
        ylabel="density",
        title="Doctor visits, 10 random person-years: prior and posterior",
    )
    axes[0].legend(fontsize="small")
    plotting.map_vs_mle(frame, ax=axes[1])
    png = _save(fig, out, "map_vs_mle.png")
    return [
        "## MAP estimation: a prior is a penalty",
        "",
        "`ll.fit_map(x, 'poisson', prior={'rate': ll.Gamma(2, 1)})` on doctor visits per "
        "person-year (RAND HIE). The Gamma prior is conjugate, so the posterior is exact and "
        "the credible interval comes from its quantiles; as the sample grows the MAP and its "
        "interval close in on the MLE:",
        "",
        png,
        "",
        "```",
        str(post.summary()),
        "```",
        "",
    ]


def regression_section(out: Path, quick: bool) -> list[str]:
    """Logistic regression with inference, then its L1 path and cross-validated alpha."""
    from .models.glm import LogisticRegression
    from .regularization.cv import LassoCV
    from .regularization.estimators import Lasso
    from .regularization.path import regularization_path

    anes = data.load("anes96")
    X, y = anes.drop(columns=["vote", "popul"]), anes["vote"]
    logit = LogisticRegression().fit(X, y)
    n_alphas, folds = (20, 5) if quick else (100, 10)
    path = regularization_path(X, y, family="bernoulli", standardize=True, n_alphas=n_alphas)
    cv = LassoCV(
        family="bernoulli", standardize=True, n_alphas=n_alphas, cv=folds, random_state=0
    ).fit(X, y)
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.6), layout="constrained")
    plotting.regularization_path(path, ax=axes[0], label_top=6)
    axes[0].axvline(cv.alpha_1se_, color="grey", ls=":", lw=1)
    plotting.cv_curve(cv, ax=axes[1])
    png = _save(fig, out, "l1_logistic_path_and_cv.png")
    kept = Lasso(cv.alpha_1se_, family="bernoulli", standardize=True).fit(X, y)
    names = [name for name, c in zip(X.columns, kept.coef_) if c != 0]
    return [
        "## Regression as likelihood: logistic regression and its lasso",
        "",
        "The 1996 U.S. election (944 voters; vote = 1 for Dole). `ll.LogisticRegression()` is the "
        "unpenalised MLE, fitted by Newton, with statsmodels-style inference:",
        "",
        "```",
        str(logit.summary()),
        "```",
        "",
        "The L1-penalised fit is the MAP under a Laplace prior. Its path over 100 alphas "
        "(standardised predictors, coefficients on the original scale) and the "
        f"{folds}-fold cross-validated deviance (`ll.LassoCV`) with its standard-error band:",
        "",
        png,
        "",
        f"alpha_min = {cv.alpha_min_:.4g}, alpha_1se = {cv.alpha_1se_:.4g}; the lasso at "
        f"alpha_1se keeps {', '.join(names)}.",
        "",
    ]


def neural_section(out: Path, quick: bool) -> list[str]:
    """An MLP whose head is a heteroscedastic Gaussian likelihood, on Engel's food data."""
    from .models.neural import MLPRegressor

    engel = data.load("engel")
    income = engel["income"].to_numpy(dtype=float)
    food = engel["foodexp"].to_numpy(dtype=float)
    x_mean, x_sd, y_mean, y_sd = income.mean(), income.std(), food.mean(), food.std()
    X, y = ((income - x_mean) / x_sd)[:, None], (food - y_mean) / y_sd
    settings = dict(
        hidden_layers=(16,),
        activation="relu",
        learning_rate=0.01,
        batch_size=32,
        max_epochs=60 if quick else 400,
        early_stopping=True,
        validation_fraction=0.2,
        patience=50,
        random_state=0,
    )
    models = {
        "gaussian": MLPRegressor(likelihood="gaussian", **settings),
        "heteroscedastic": MLPRegressor(likelihood="heteroscedastic", **settings),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for model in models.values():
            model.fit(X, y)
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
    plotting.loss_curve(models["heteroscedastic"], ax=axes[0])
    axes[0].set_title("Heteroscedastic MLP: training and validation NLL")
    grid = np.linspace(income.min(), income.max(), 300)
    axes[1].scatter(income, food, s=8, color="grey", alpha=0.6, label="households")
    for (name, model), colour in zip(models.items(), ("tab:orange", "tab:blue")):
        params = model.predict_params(((grid - x_mean) / x_sd)[:, None])
        mu, sigma = params["mu"] * y_sd + y_mean, np.broadcast_to(params["sigma"], grid.shape)
        sigma = sigma * y_sd
        axes[1].plot(grid, mu, color=colour, lw=2, label=f"{name}: mean")
        axes[1].fill_between(
            grid, mu - 2 * sigma, mu + 2 * sigma, color=colour, alpha=0.15, label=f"{name}: ±2σ"
        )
    axes[1].set(
        xlabel="household income",
        ylabel="food expenditure",
        title="Engel's data: predictive mean and ±2σ band",
    )
    axes[1].legend(fontsize="small", loc="upper left")
    png = _save(fig, out, "mlp_heteroscedastic.png")
    rows = [
        f"| {name} | {m.n_epochs_} | {m.best_epoch_} | {m.log_likelihood(X, y):.2f} |"
        for name, m in models.items()
    ]
    return [
        "## A neural network as a likelihood maximiser",
        "",
        "Two MLPs (16 ReLU units, Adam, mini-batches of 32, early stopping on a 20% validation "
        "split) predict food expenditure from income. One has a Gaussian head with a single σ; "
        "the other predicts σ per household (a softplus-floored second output), so its "
        "likelihood can follow the noise growing with income:",
        "",
        png,
        "",
        "| head | epochs | restored epoch | log-likelihood (standardised data) |",
        "|---|---|---|---|",
        *rows,
        "",
    ]


SECTIONS = [
    distributions_section,
    likelihood_section,
    optimizer_paths_section,
    map_section,
    regression_section,
    neural_section,
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
