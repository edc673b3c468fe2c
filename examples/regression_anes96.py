"""Regression as likelihood on the 1996 American National Election Study (vote: Dole or Clinton).

Usage: python examples/regression_anes96.py OUTDIR [--quick]

Writes ``logit_summary.txt``: the unpenalised logistic regression (maximum likelihood) with
standard errors, z statistics, p-values and intervals, as statsmodels reports them.
Writes ``l1_path.png``: (left) the L1-penalised logistic regression path on standardised
predictors, coefficients against alpha; (right) the 10-fold cross-validated deviance with its
standard error band, alpha_min and the one-standard-error alpha_1se. Writes ``cv.csv``: the
CV curve. The lasso at alpha_1se keeps the few predictors the data really support.
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import loglik as ll
from loglik import plotting


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--quick", action="store_true", help="fewer alphas and folds")
    args = parser.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)

    data = ll.data.load("anes96")
    X = data.drop(columns=["vote", "popul"])  # logpopul replaces popul
    y = data["vote"]

    logit = ll.LogisticRegression().fit(X, y)
    (out / "logit_summary.txt").write_text(str(logit.summary()) + "\n")

    n_alphas, folds = (20, 5) if args.quick else (100, 10)
    path = ll.regularization_path(
        X, y, family="bernoulli", standardize=True, n_alphas=n_alphas, eps=1e-3
    )
    cv = ll.LassoCV(
        family="bernoulli", standardize=True, n_alphas=n_alphas, cv=folds, random_state=0
    ).fit(X, y)
    cv.cv_results_.to_csv(out / "cv.csv", index=False)

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    plotting.regularization_path(path, ax=left, label_top=6)
    left.axvline(cv.alpha_1se_, color="grey", ls=":", lw=1)
    plotting.cv_curve(cv, ax=right)
    fig.tight_layout()
    fig.savefig(out / "l1_path.png", dpi=120)
    plt.close(fig)
    at_1se = ll.Lasso(cv.alpha_1se_, family="bernoulli", standardize=True).fit(X, y)
    kept = [name for name, c in zip(X.columns, at_1se.coef_) if c != 0]
    print(f"alpha_min={cv.alpha_min_:.4g} alpha_1se={cv.alpha_1se_:.4g}; kept at alpha_1se: {kept}")
    print(f"wrote {out / 'logit_summary.txt'}, {out / 'l1_path.png'}, {out / 'cv.csv'}")


if __name__ == "__main__":
    main()
