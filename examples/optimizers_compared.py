"""Every shared optimizer on the Rosenbrock function and on a logistic negative log-likelihood.

Usage: python examples/optimizers_compared.py OUTDIR [--quick]

Writes ``optimizers.csv`` (iterations, final value, gradient norm, error, seconds per optimizer
and problem) and ``rosenbrock_paths.png`` (the paths of GD, momentum, Adam, Newton and L-BFGS over
the function's contours).
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import optimize as so

import loglik as ll
from loglik.demo import optimizer_tables
from loglik.optimizers import adam, gd, momentum


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    tables = optimizer_tables(max_iter=2000 if args.quick else 20_000)
    pd.concat(tables, names=["problem"]).to_csv(args.out / "optimizers.csv")

    rosen = ll.FunctionObjective(so.rosen, so.rosen_der, hess=so.rosen_hess)
    start = np.array([-1.2, 1.0])
    runs = {
        "gd": gd(2e-3),
        "momentum": momentum(2e-4),
        "adam": adam(0.05),
        "newton": "newton",
        "lbfgs": "lbfgs",
    }
    _, results = ll.compare_optimizers(rosen, start, runs, max_iter=3000, record_params=True)
    fig, ax = plt.subplots(figsize=(7, 5))
    u, v = np.meshgrid(np.linspace(-1.6, 1.6, 300), np.linspace(-0.6, 2.2, 300))
    ax.contour(
        u,
        v,
        so.rosen(np.stack([u, v])),
        levels=np.logspace(-1, 3, 14),
        cmap="Greys",
        linewidths=0.6,
    )
    for label, res in results.items():
        path = res.history.params
        ax.plot(path[:, 0], path[:, 1], ".-", ms=2, lw=1, label=f"{label} ({res.n_iter} it)")
    ax.plot(1, 1, "k*", ms=12, label="minimum")
    ax.set(xlabel="x", ylabel="y", title="Optimizer paths on the Rosenbrock function")
    ax.legend(fontsize=8)
    fig.savefig(args.out / "rosenbrock_paths.png", dpi=120, bbox_inches="tight")
    plt.close(fig)
    for title, table in tables.items():
        print(f"{title}\n{table.to_string(float_format=lambda v: f'{v:.3g}')}\n")


if __name__ == "__main__":
    main()
