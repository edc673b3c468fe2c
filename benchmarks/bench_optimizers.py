"""The shared optimizers against scipy.optimize on the same objectives, side by side.

Prints, for each problem, loglik's time and scipy's time for the same method and the ratio
(loglik / scipy: below 1 is faster), with the objective both reached.
"""

import time
import warnings

import numpy as np
from scipy import optimize

import loglik as ll
from loglik.models.glm import GLMObjective


def _best_time(fn, repeat=5):
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _logistic(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    eta = X @ (rng.normal(size=p) / np.sqrt(p)) + 0.2
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return GLMObjective(X, y, "bernoulli")


def main():
    rows = []
    for n, p in [(10_000, 20), (100_000, 50)]:
        obj = _logistic(n, p)
        start = [np.zeros(p), np.zeros(())]
        x0 = np.zeros(p + 1)

        def fg(x, obj=obj, p=p):
            f, g = obj.value_and_grad([x[:p], x[p]])
            return f, np.concatenate([g[0], np.atleast_1d(g[1])])

        def hess(x, obj=obj, p=p):
            return obj.hessian([x[:p], x[p]])

        for ours, theirs, label in [
            (
                "lbfgs",
                lambda fg=fg, x0=x0: optimize.minimize(
                    fg, x0, jac=True, method="L-BFGS-B", options={"gtol": 1e-6}
                ),
                "L-BFGS-B",
            ),
            (
                "newton",
                lambda fg=fg, hess=hess, x0=x0: optimize.minimize(
                    lambda x: fg(x)[0],
                    x0,
                    jac=lambda x: fg(x)[1],
                    hess=hess,
                    method="Newton-CG",
                    options={"xtol": 1e-10},
                ),
                "Newton-CG",
            ),
        ]:
            t_ll, r_ll = _best_time(
                lambda obj=obj, start=start, ours=ours: ll.minimize(obj, start, ours, gtol=1e-6)
            )
            t_sp, r_sp = _best_time(theirs)
            rows.append((f"logistic {n}x{p}", ours, label, t_ll, t_sp, r_ll.value, r_sp.fun))
    # per-step overhead of the loop: 2000 Adam steps on a cheap objective
    quad = ll.FunctionObjective(lambda x: 0.5 * x @ x, lambda x: x)

    def raw_adam(lr=1e-3):
        x = np.ones(10)
        m = np.zeros_like(x)
        v = np.zeros_like(x)
        for t in range(1, 2001):
            g = x
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            x = x - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        return x

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_ll, _ = _best_time(
            lambda: ll.minimize(
                quad,
                np.ones(10),
                ll.optimizers.adam(1e-3),
                max_iter=2000,
                tol=0,
                gtol=0,
                warn=False,
            )
        )
    t_raw, _ = _best_time(raw_adam)
    rows.append(
        ("2000 adam steps, d=10", "adam", "hand-written numpy loop", t_ll, t_raw, np.nan, np.nan)
    )

    print(
        f"{'problem':24s} {'loglik':8s} {'anchor':24s} {'loglik s':>9s} {'anchor s':>9s} "
        f"{'ratio':>6s} {'f loglik':>12s} {'f anchor':>12s}"
    )
    for prob, ours, theirs, t_ll, t_sp, f_ll, f_sp in rows:
        print(
            f"{prob:24s} {ours:8s} {theirs:24s} {t_ll:9.4f} {t_sp:9.4f} {t_ll / t_sp:6.2f} "
            f"{f_ll:12.9g} {f_sp:12.9g}"
        )


if __name__ == "__main__":
    main()
