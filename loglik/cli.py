"""The ``loglik`` command line.

Bad input (a missing file or column, a non-numeric column, an unknown family, data a family cannot
fit) ends with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

EXIT_USAGE = 2


class CLIError(Exception):
    """A problem with what the user asked for; reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CLIError(message)


# --------------------------------------------------------------------------------------------
# Reading data
# --------------------------------------------------------------------------------------------


def read_table(path: str):
    """Read a CSV, TSV or Parquet file (or ``-`` for CSV on stdin) into a DataFrame."""
    if path == "-":
        return pd.read_csv(sys.stdin)
    file = Path(path)
    if not file.is_file():
        raise CLIError(f"no such file: {path}")
    suffixes = "".join(file.suffixes).lower()
    try:
        if ".parquet" in suffixes or ".pq" in suffixes:
            try:
                return pd.read_parquet(file)
            except ImportError:
                raise CLIError("reading Parquet needs pyarrow: pip install pyarrow") from None
        if ".tsv" in suffixes or ".tab" in suffixes:
            return pd.read_csv(file, sep="\t")
        if ".csv" in suffixes:
            return pd.read_csv(file)
        return pd.read_csv(file, sep=None, engine="python")  # sniff the delimiter
    except CLIError:
        raise
    except Exception as exc:  # pandas raises many types for unreadable files
        raise CLIError(f"cannot read {path}: {exc}".splitlines()[0]) from None


def numeric_column(frame, name: str, path: str = "data") -> np.ndarray:
    """The column ``name`` as float64, or a CLIError naming what is wrong."""
    if name not in frame.columns:
        known = ", ".join(map(str, frame.columns))
        raise CLIError(f"no column {name!r} in {path}; columns: {known}")
    column = frame[name]
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(values) & column.notna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise CLIError(f"column {name!r} is not numeric: row {row} is {column.iloc[row]!r}")
    if np.isnan(values).any():
        row = int(np.flatnonzero(np.isnan(values))[0])
        raise CLIError(f"column {name!r} has a missing value at row {row}")
    return values


# --------------------------------------------------------------------------------------------
# Subcommands
# --------------------------------------------------------------------------------------------


def _parse_fixed(items) -> dict:
    fixed = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise CLIError(f"--fixed takes NAME=VALUE, got {item!r}")
        try:
            fixed[name.strip()] = float(value)
        except ValueError:
            raise CLIError(f"--fixed {name}: {value!r} is not a number") from None
    return fixed


def _sample(args):
    """``(x, weights, censoring)``: the observations (``(lower, upper)`` rows with
    ``--censor-column``), the weights, and the keywords that say how to read them."""
    frame = read_table(args.file)
    x = numeric_column(frame, args.column, args.file)
    weights = numeric_column(frame, args.weights, args.file) if args.weights else None
    censoring = {}
    if getattr(args, "truncation", None):
        censoring["truncation"] = tuple(args.truncation)
    if getattr(args, "censor_column", None):
        event = numeric_column(frame, args.censor_column, args.file)
        bad = (event != 0) & (event != 1)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise CLIError(
                f"column {args.censor_column!r} must hold 1 (observed) or 0 (right-censored): "
                f"row {row} is {event[row]:g}"
            )
        x = np.column_stack([x, np.where(event == 1, x, np.inf)])
        censoring["censored"] = True
    return x, weights, censoring


def _save(fig, path: str) -> None:
    import matplotlib.pyplot as plt

    out = Path(path)
    if not out.parent.exists():
        raise CLIError(f"cannot write {path}: folder {out.parent} does not exist")
    fig.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(fig)
    print(f"figure written to {out}", file=sys.stderr)


def _emit(frame, fmt: str, text: str | None = None, extra: dict | None = None) -> None:
    if fmt == "csv":
        sys.stdout.write(frame.to_csv())
    elif fmt == "json":
        import json

        payload = {"table": json.loads(frame.to_json(orient="index")), **(extra or {})}
        sys.stdout.write(json.dumps(payload, indent=2, default=float) + "\n")
    else:
        print(text if text is not None else frame.to_string())


def _cmd_fit(args) -> int:
    from .estimation.mle import fit

    x, weights, censoring = _sample(args)
    result = fit(x, args.family, fixed=_parse_fixed(args.fixed), weights=weights, **censoring)
    summary = result.summary(level=args.level, method=args.ci, random_state=args.seed)
    extra = {
        "family": result.family,
        "n": result.n,
        "loglik": result.loglik,
        "aic": result.aic,
        "aicc": result.aicc,
        "bic": result.bic,
        "converged": result.converged,
        "fixed": result.fixed,
        "intervals": args.ci,
        "level": args.level,
        "data": summary.info["data"],
    }
    _emit(summary.table, args.format, str(summary), extra)
    if args.plot:
        from .plotting import fit_diagnostics

        axes = fit_diagnostics(result)
        _save(axes[0].figure, args.plot)
    return 0


def _cmd_compare(args) -> int:
    from .estimation.mle import compare

    x, weights, censoring = _sample(args)
    table = compare(x, args.families, criterion=args.criterion, weights=weights, **censoring)
    shown = table.drop(columns=["params"], errors="ignore")
    _emit(shown, args.format)
    if args.plot and censoring:
        raise CLIError(
            "compare --plot draws histograms of complete data; for censored data draw one fit "
            "against the Kaplan-Meier curve with: loglik fit ... --censor-column ... --plot PNG"
        )
    if args.plot:
        from .estimation.mle import fit
        from .plotting import compare as compare_plot

        ranked = [f for f in table.index[table["applicable"]]][: args.top]
        ax = compare_plot(
            [fit(x, f, weights=weights) for f in ranked],
            criterion=args.criterion if args.criterion != "ks" else "aic",
        )
        _save(ax.figure, args.plot)
    return 0


def _cmd_surface(args) -> int:
    from .estimation.mle import fit
    from .plotting import likelihood_surface

    x, weights, censoring = _sample(args)
    result = fit(x, args.family, fixed=_parse_fixed(args.fixed), weights=weights, **censoring)
    ax = likelihood_surface(
        result,
        tuple(args.params),
        profile=args.profile,
        bootstrap=args.bootstrap,
        random_state=args.seed,
    )
    _save(ax.figure, args.out)
    return 0


_ESTIMATORS = {
    "gaussian": "LinearRegression",
    "bernoulli": "LogisticRegression",
    "poisson": "PoissonRegression",
    "categorical": "SoftmaxRegression",
}


def _design(args):
    frame = read_table(args.file)
    if args.response not in frame.columns:
        numeric_column(frame, args.response, args.file)  # the "no column ... columns: ..." error
    names = args.predictors or [c for c in frame.columns if c != args.response]
    if not names:
        raise CLIError("no predictor columns: give --predictors or a file with more columns")
    X = pd.DataFrame({name: numeric_column(frame, name, args.file) for name in names})
    if args.family in ("bernoulli", "categorical"):
        y = frame[args.response].to_numpy()
        if pd.isna(y).any():
            raise CLIError(
                f"column {args.response!r} has a missing value at row "
                f"{int(np.flatnonzero(pd.isna(y))[0])}"
            )
    else:
        y = numeric_column(frame, args.response, args.file)
    return X, y


def _cmd_regress(args) -> int:
    import loglik as ll

    X, y = _design(args)
    family = args.family
    if args.penalty == "none":
        est = getattr(ll, _ESTIMATORS[family])()
        est.fit(X, y)
        summary = est.summary(level=args.level)
        _emit(summary.coefficients, args.format, str(summary), dict(summary.info))
        return 0
    rho = {"l1": 1.0, "l2": 0.0, "elasticnet": args.l1_ratio}[args.penalty]
    common = {"family": family, "standardize": args.standardize}
    if args.alpha is None:
        est = ll.ElasticNetCV(rho, cv=args.cv, random_state=args.seed, **common).fit(X, y)
        alpha = est.alpha_
    else:
        alpha = args.alpha
        est = ll.ElasticNet(alpha, rho, **common).fit(X, y)
    coef = np.atleast_2d(est.coef_)
    index = list(X.columns)
    if coef.shape[0] == 1:
        table = pd.DataFrame({"coef": coef[0]}, index=index)
        table.loc["intercept"] = float(est.intercept_)
    else:
        table = pd.DataFrame(coef.T, index=index, columns=[str(c) for c in est.classes_])
        table.loc["intercept"] = est.intercept_
    info = {
        "family": family,
        "penalty": args.penalty,
        "alpha": float(alpha),
        "l1_ratio": rho,
        "nonzero": int(np.count_nonzero(coef)),
        "loglik": float(est.loglik_),
        "deviance": float(est.deviance_),
        "df": float(est.df_),
        "aic": float(est.aic_),
        "bic": float(est.bic_),
        "converged": bool(est.converged_),
    }
    if args.alpha is None:
        info.update(alpha_min=float(est.alpha_min_), alpha_1se=float(est.alpha_1se_))
    text = "\n".join(f"{k}: {v}" for k, v in info.items()) + "\n\n" + table.to_string()
    _emit(table, args.format, text, info)
    if args.plot:
        import matplotlib.pyplot as plt

        from .plotting import cv_curve, regularization_path

        path = ll.regularization_path(
            X, y, family=family, l1_ratio=rho, standardize=args.standardize
        )
        fig, axes = plt.subplots(1, 2 if args.alpha is None else 1, figsize=(11, 4), squeeze=False)
        regularization_path(path, ax=axes[0, 0])
        axes[0, 0].axvline(alpha, color="black", ls="--", lw=1)
        if args.alpha is None:
            cv_curve(est, ax=axes[0, 1])
        _save(fig, args.plot)
    return 0


def _cmd_demo(args) -> int:
    from .demo import run

    run(args.out, quick=args.quick)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="loglik", description="Statistics and estimation centred on the likelihood."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    formats = ("table", "csv", "json")

    def data_args(p, family=True):
        p.add_argument("file", help="CSV, TSV or Parquet file ('-' for CSV on stdin)")
        p.add_argument("--column", "-c", required=True, help="the column of observations")
        p.add_argument("--weights", help="a column of frequency weights")
        p.add_argument(
            "--censor-column",
            metavar="EVENT",
            help="right-censored data: a column of event indicators, 1 = the value was "
            "observed (the event happened then), 0 = right-censored (the value is only known "
            "to exceed it: still running when last seen), as in survival data",
        )
        p.add_argument(
            "--truncation",
            nargs=2,
            type=float,
            metavar=("A", "B"),
            help="truncated data: only values in (A, B] could be observed (inf or -inf for an "
            "open side; for counts both ends are included)",
        )
        if family:
            p.add_argument("--family", "-f", required=True, help="distribution family name")
            p.add_argument(
                "--fixed", nargs="*", metavar="NAME=VALUE", help="parameters held fixed, e.g. loc=0"
            )

    fit_p = sub.add_parser("fit", help="fit a distribution by maximum likelihood")
    data_args(fit_p)
    fit_p.add_argument("--ci", choices=("wald", "profile", "bootstrap"), default="wald")
    fit_p.add_argument("--level", type=float, default=0.95)
    fit_p.add_argument("--seed", type=int, default=0, help="random seed for the bootstrap")
    fit_p.add_argument("--plot", metavar="PNG", help="write the fit diagnostics figure")
    fit_p.add_argument("--format", choices=formats, default="table")
    fit_p.set_defaults(run=_cmd_fit)

    cmp_p = sub.add_parser("compare", help="fit several families and rank them")
    data_args(cmp_p, family=False)
    cmp_p.add_argument("--families", nargs="+", help="default: all that suit the data")
    cmp_p.add_argument("--criterion", choices=("aic", "aicc", "bic", "ks"), default="aic")
    cmp_p.add_argument("--plot", metavar="PNG", help="write the best fits over a histogram")
    cmp_p.add_argument("--top", type=int, default=4, help="how many fits the plot shows")
    cmp_p.add_argument("--format", choices=formats, default="table")
    cmp_p.set_defaults(run=_cmd_compare)

    srf_p = sub.add_parser("surface", help="draw the log-likelihood over two parameters")
    data_args(srf_p)
    srf_p.add_argument("--params", nargs=2, required=True, metavar=("A", "B"))
    srf_p.add_argument("--out", required=True, metavar="PNG")
    srf_p.add_argument("--profile", action="store_true", help="profile out other parameters")
    srf_p.add_argument(
        "--bootstrap",
        type=int,
        default=0,
        metavar="B",
        help="overlay B parametric-bootstrap estimates",
    )
    srf_p.add_argument("--seed", type=int, default=0)
    srf_p.set_defaults(run=_cmd_surface)

    reg_p = sub.add_parser(
        "regress", help="regression: a GLM with inference, or lasso / ridge / elastic net"
    )
    reg_p.add_argument("file", help="CSV, TSV or Parquet file ('-' for CSV on stdin)")
    reg_p.add_argument(
        "--target", "--response", "-y", dest="response", required=True, help="the response column"
    )
    reg_p.add_argument(
        "--features",
        "--predictors",
        "-x",
        dest="predictors",
        nargs="+",
        help="default: every other column",
    )
    reg_p.add_argument(
        "--family", "-f", default="gaussian", choices=tuple(_ESTIMATORS), help="the likelihood"
    )
    reg_p.add_argument(
        "--penalty",
        choices=("none", "l1", "l2", "elasticnet"),
        default="none",
        help="none: maximum likelihood with standard errors (default)",
    )
    reg_p.add_argument("--alpha", type=float, help="penalty strength (default: cross-validated)")
    reg_p.add_argument("--l1-ratio", type=float, default=0.5, help="elastic net mixing")
    reg_p.add_argument("--cv", type=int, default=5, help="folds when alpha is cross-validated")
    reg_p.add_argument("--standardize", action="store_true", help="penalise standardised columns")
    reg_p.add_argument("--level", type=float, default=0.95, help="confidence level")
    reg_p.add_argument("--seed", type=int, default=0, help="random seed for the folds")
    reg_p.add_argument("--plot", metavar="PNG", help="write the path (and CV curve) figure")
    reg_p.add_argument("--format", choices=formats, default="table")
    reg_p.set_defaults(run=_cmd_regress)

    demo = sub.add_parser("demo", help="run the demo and write its report and figures")
    demo.add_argument("--out", default="demo-output", help="output folder (default demo-output)")
    demo.add_argument("--quick", action="store_true", help="smaller budgets, for tests")
    demo.set_defaults(run=_cmd_demo)
    return parser


def main(argv=None) -> int:
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except CLIError as exc:
        print(f"loglik: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:  # the library's clear input errors
        print(f"loglik: error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
