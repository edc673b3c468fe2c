"""Penalised regression: loglik against scikit-learn, side by side, at the same objective.

Rows (the issue's list): Lasso and ElasticNet (l1_ratio=0.5) at one alpha and along a
100-alpha path on 10000x200, 200000x100 and 500x5000 synthetic data; LassoCV (5 folds, 100
alphas); L1 and elastic-net logistic regression on 20000x100 against saga and liblinear.

Each cell is the best of ``--repeats`` wall-clock runs; ``ratio`` is scikit-learn's time over
loglik's (> 1: loglik faster). ``objective`` is (loglik - sklearn) / sklearn of the penalised
objective in loglik's convention (negative: loglik's optimum is better; for paths the worst
alpha). scikit-learn runs with its defaults (tol=1e-4); loglik with its defaults (exact
solvers, KKT residual 1e-7 relative). LassoCV uses the same 5 folds in both; its objective
column compares each at its own chosen alpha. ``peak/X`` is the peak of new memory during the
fit over the size of X (tracemalloc; --memory). By default both libraries run on one BLAS thread
(``--blas-threads``): on shared cores a threaded BLAS makes every timing erratic.

Run: ``python benchmarks/bench_regression.py [--quick] [--repeats 3] [--memory]``.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

import numpy as np
from scipy import special

import loglik as ll

warnings.filterwarnings("ignore")


def data(n, p, seed=0, k=20):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    w = np.zeros(p)
    w[:k] = rng.normal(size=k) * 2
    return X, X @ w + rng.normal(size=n)


def logistic_data(n, p, seed=0, k=10):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    w = np.zeros(p)
    w[:k] = rng.normal(size=k)
    return X, (rng.random(n) < special.expit(X @ w)).astype(float)


def gaussian_objective(X, y, coef, intercept, alpha, rho):
    r = y - X @ coef - intercept
    return r @ r / (2 * len(y)) + alpha * (rho * np.abs(coef).sum() + (1 - rho) / 2 * coef @ coef)


def logistic_objective(X, y, coef, intercept, alpha, rho):
    eta = X @ coef + intercept
    nll = np.mean(np.logaddexp(0, eta) - y * eta)
    return nll + alpha * (rho * np.abs(coef).sum() + (1 - rho) / 2 * coef @ coef)


def best_time(fn, repeats):
    out, best = None, np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def peak_memory(fn):
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def alpha_max(X, y):
    return np.abs((X - X.mean(0)).T @ (y - y.mean())).max() / len(y)


def rows(quick):
    from sklearn import linear_model as sk
    from sklearn.model_selection import KFold

    shapes = [(10_000, 200), (200_000, 100), (500, 5000)]
    if quick:
        shapes = [(2000, 100), (20_000, 50), (200, 1000)]
    for n, p in shapes:
        X, y = data(n, p)
        a = alpha_max(X, y) / 20
        for name, rho in (("Lasso", 1.0), ("ElasticNet", 0.5)):

            def ours(X=X, y=y, a=a, rho=rho):
                return ll.ElasticNet(a, rho).fit(X, y)

            def theirs(X=X, y=y, a=a, rho=rho):
                return sk.ElasticNet(alpha=a, l1_ratio=rho).fit(X, y)

            def objective(model, X=X, y=y, a=a, rho=rho):
                return gaussian_objective(X, y, model.coef_, model.intercept_, a, rho)

            yield f"{name} 1 alpha {n}x{p}", ours, theirs, objective, X

        for name, rho in (("Lasso", 1.0), ("ElasticNet", 0.5)):

            def ours_path(X=X, y=y, rho=rho):
                return ll.regularization_path(X, y, l1_ratio=rho, n_alphas=100)

            def theirs_path(X=X, y=y, rho=rho):
                Xc, yc = X - X.mean(0), y - y.mean()  # lasso_path has no intercept
                return sk.enet_path(Xc, yc, l1_ratio=rho, n_alphas=100)

            def path_objective(result, X=X, y=y, rho=rho):
                if isinstance(result, ll.regularization.RegularizationPath):
                    return [
                        gaussian_objective(X, y, c, b, a_, rho)
                        for a_, c, b in zip(result.alphas, result.coefs, result.intercepts)
                    ]
                alphas, coefs, _ = result
                Xm, ym = X.mean(0), y.mean()
                return [
                    gaussian_objective(X, y, c, ym - Xm @ c, a_, rho)
                    for a_, c in zip(alphas, coefs.T)
                ]

            yield f"{name} path x100 {n}x{p}", ours_path, theirs_path, path_objective, X

    n, p = (2000, 100) if quick else (10_000, 200)
    X, y = data(n, p)
    folds = list(KFold(5, shuffle=True, random_state=0).split(X))
    yield (
        f"LassoCV 5x100 {n}x{p}",
        lambda: ll.LassoCV(cv=folds).fit(X, y),
        lambda: sk.LassoCV(cv=folds).fit(X, y),
        lambda m: gaussian_objective(X, y, m.coef_, m.intercept_, m.alpha_, 1.0),
        X,
    )

    n, p = (4000, 50) if quick else (20_000, 100)
    X, y = logistic_data(n, p)
    a = 0.01
    for penalty, rho, solver in (
        ("l1", 1.0, "saga"),
        ("l1", 1.0, "liblinear"),
        ("elasticnet", 0.5, "saga"),
    ):

        def ours_logit(penalty=penalty, rho=rho):
            return ll.LogisticRegression(penalty=penalty, alpha=a, l1_ratio=rho).fit(X, y)

        def theirs_logit(penalty=penalty, rho=rho, solver=solver):
            kw = {"l1_ratio": rho} if penalty == "elasticnet" else {}
            return sk.LogisticRegression(
                penalty=penalty, C=1 / (n * a), solver=solver, max_iter=1000, **kw
            ).fit(X, y)

        def logit_objective(m, rho=rho):
            coef, b = np.ravel(m.coef_), float(np.ravel(m.intercept_)[0])
            return logistic_objective(X, y, coef, b, a, rho)

        yield (
            f"{penalty} logistic vs {solver} {n}x{p}",
            ours_logit,
            theirs_logit,
            logit_objective,
            X,
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data (a smoke run)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory", action="store_true", help="also measure peak memory")
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="BLAS threads for both libraries (threadpoolctl; loglik's penalised fits use one "
        "thread internally anyway); 0 leaves the BLAS alone",
    )
    args = parser.parse_args(argv)
    if args.blas_threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.blas_threads)
    head = f"{'case':<38}{'loglik s':>10}{'sklearn s':>11}{'ratio':>8}{'objective':>12}"
    if args.memory:
        head += f"{'peak/X ll':>11}{'peak/X sk':>11}"
    print(head)
    ratios = []
    for label, ours, theirs, objective, X in rows(args.quick):
        t_ours, m_ours = best_time(ours, args.repeats)
        t_theirs, m_theirs = best_time(theirs, args.repeats)
        f_ours, f_theirs = np.atleast_1d(objective(m_ours)), np.atleast_1d(objective(m_theirs))
        rel = float(np.max((f_ours - f_theirs) / np.abs(f_theirs)))
        ratio = t_theirs / t_ours
        ratios.append(ratio)
        line = f"{label:<38}{t_ours:>10.3f}{t_theirs:>11.3f}{ratio:>8.2f}{rel:>12.1e}"
        if args.memory:
            nbytes = X.nbytes
            line += f"{peak_memory(ours) / nbytes:>11.2f}{peak_memory(theirs) / nbytes:>11.2f}"
        print(line, flush=True)
    print(
        f"geometric mean ratio {np.exp(np.mean(np.log(ratios))):.2f}; "
        f"rows >= 2x: {sum(r >= 2 for r in ratios)}/{len(ratios)}"
    )


if __name__ == "__main__":
    main()
