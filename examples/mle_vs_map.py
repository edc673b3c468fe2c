"""MLE against MAP on small data: what a prior does, and how it fades as data arrive.

Usage: python examples/mle_vs_map.py OUTDIR [--quick]

Writes
  * ``summaries.txt``: the MLE and MAP summaries for 12 coin flips under a Beta(2, 2) prior and
    for 8 normal observations under a normal-inverse-gamma prior;
  * ``map_vs_mle.csv``: the MAP (with its 95% credible interval) and the MLE of a normal mean as
    the sample grows, and as the prior widens;
  * ``map_vs_mle.png``: prior, likelihood and posterior of the coin's p; the MAP moving to the
    MLE as n grows; the same as the prior widens.
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import integrate

import loglik as ll
from loglik import plotting


def coin(ax, flips, prior):
    mle = ll.fit(flips, "bernoulli")
    post = ll.fit_map(flips, "bernoulli", {"p": prior})
    p = np.linspace(0.001, 0.999, 400)
    likelihood = np.exp([ll.Bernoulli(v).loglik(flips) - mle.loglik for v in p])
    likelihood /= integrate.trapezoid(likelihood, p)  # scaled to a density, for the eye
    ax.plot(p, prior.pdf(p), ls="--", label=f"prior {prior!r}")
    ax.plot(p, likelihood, ls=":", label="likelihood (normalised)")
    ax.plot(p, post.posterior.pdf(p), label=f"posterior {post.posterior!r}")
    ax.axvline(mle.params["p"], color="k", lw=0.8, label=f"MLE {mle.params['p']:.3f}")
    ax.axvline(post.params["p"], color="C2", lw=0.8, ls="-.", label=f"MAP {post.params['p']:.3f}")
    ax.set(xlabel="p", ylabel="density", title=f"{int(flips.sum())} heads in {flips.size} flips")
    ax.legend(fontsize=7)
    return mle, post


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--quick", action="store_true", help="fewer points on the curves")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(1)

    flips = (rng.random(12) < 0.3).astype(float)
    x = rng.normal(2.0, 1.0, 200 if args.quick else 2000)
    normal_prior = {("mu", "sigma"): ll.NormalInverseGamma(0.0, 1.0, 2.0, 2.0)}

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    mle, post = coin(axes[0], flips, ll.Beta(2.0, 2.0))
    lines = [str(mle.summary()), "", str(post.summary()), ""]
    lines += [
        str(ll.fit(x[:8], "normal").summary()),
        "",
        str(ll.fit_map(x[:8], "normal", normal_prior).summary()),
    ]
    (args.out / "summaries.txt").write_text("\n".join(lines) + "\n")

    sizes = np.unique(np.geomspace(1, x.size, 8 if args.quick else 20).round().astype(int))
    growing = ll.map_vs_mle(
        x, "normal", {"mu": ll.Normal(0.0, 0.5)}, sizes=sizes, fixed={"sigma": 1.0}
    )
    scales = np.geomspace(0.01, 10.0, 8 if args.quick else 25)
    widening = ll.map_vs_mle(
        x[:10], "normal", lambda s: {"mu": ll.Normal(0.0, s)}, scales=scales, fixed={"sigma": 1.0}
    )
    plotting.map_vs_mle(growing, ax=axes[1], title="prior N(0, 0.5) on mu: the data take over")
    plotting.map_vs_mle(widening, ax=axes[2], title="n = 10, prior N(0, scale): the prior lets go")
    fig.tight_layout()
    fig.savefig(args.out / "map_vs_mle.png", dpi=120)
    plt.close(fig)
    pd.concat({"sample grows": growing, "prior widens": widening}, names=["setting"]).to_csv(
        args.out / "map_vs_mle.csv"
    )
    print(post.summary())
    print(f"\nwrote {args.out / 'map_vs_mle.png'}, map_vs_mle.csv and summaries.txt")


if __name__ == "__main__":
    main()
