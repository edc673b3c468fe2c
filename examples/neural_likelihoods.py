"""Neural networks as likelihood maximisers: training curves, gradients, and a noise model.

Usage: python examples/neural_likelihoods.py OUTDIR [--quick]

Writes ``loss_curves.png``: (left) the training and validation negative log-likelihood of an
MLP classifier on the digits, with the epoch early stopping restored; (right) the per-layer
gradient norms of a deep sigmoid network against a deep ReLU network with He initialisation
(vanishing gradients). Writes ``heteroscedastic_fit.png``: data whose noise grows with |x|,
fitted by a Gaussian MLP with constant σ and by a heteroscedastic MLP that predicts σ per row,
with their ±2σ predictive bands and the σ profiles against the truth.
"""

import argparse
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits

import loglik as ll
from loglik.models.neural import MLPClassifier, MLPRegressor
from loglik.models.preprocessing import StandardScaler, train_validation_test_split


def digits_curves(ax, quick):
    X, y = load_digits(return_X_y=True)
    X_tr, X_va, X_te, y_tr, y_va, y_te = train_validation_test_split(
        X / 16.0, y, validation_size=0.2, test_size=0.2, stratify=y, random_state=0
    )
    model = MLPClassifier(
        (128, 64),
        learning_rate=3e-3,
        batch_size=64,
        max_epochs=15 if quick else 150,
        early_stopping=True,
        patience=10 if quick else 15,
        dropout=0.1,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ll.ConvergenceWarning)
        model.fit(X_tr, y_tr, validation_data=(X_va, y_va))
    epochs = np.arange(1, model.n_epochs_ + 1)
    ax.semilogy(epochs, model.loss_curve_, label="training (mean mini-batch NLL)")
    ax.semilogy(epochs, model.val_loss_curve_, label="validation NLL")
    best = model.best_epoch_
    ax.axvline(best, color="grey", ls=":", lw=1)
    ax.plot(best, model.val_loss_curve_[best - 1], "ko", ms=5, label=f"restored epoch {best}")
    ax.set(
        xlabel="epoch",
        ylabel="mean negative log-likelihood",
        title=f"Digits MLP, early stopping: test accuracy {model.score(X_te, y_te):.3f}",
    )
    ax.legend(fontsize="small")
    print(
        f"digits: {model.n_epochs_} epochs, best {model.best_epoch_}, "
        f"test accuracy {model.score(X_te, y_te):.4f}, test NLL {model.nll(X_te, y_te):.4f}"
    )


def gradient_norms(ax, quick):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(256 if quick else 1024, 20))
    y = (np.sin(X[:, 0]) + X[:, 1] * X[:, 2] > 0).astype(int)
    styles = {"sigmoid": ("glorot_uniform", "tab:red"), "relu": ("he_uniform", "tab:blue")}
    for activation, (init, colour) in styles.items():
        model = MLPClassifier(
            (64,) * 8,
            activation=activation,
            initializer=init,
            max_epochs=2 if quick else 10,
            batch_size=64,
            random_state=0,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ll.ConvergenceWarning)
            model.fit(X, y)
        norms = model.gradient_norms_
        depth = np.arange(1, norms.shape[1] + 1)
        ax.semilogy(depth, norms.iloc[0], "o-", color=colour, label=f"{activation}, epoch 1")
        ax.semilogy(
            depth,
            norms.iloc[-1],
            "s--",
            color=colour,
            alpha=0.6,
            label=f"{activation}, epoch {norms.index[-1]}",
        )
    ax.set_xticks(depth, [f"{k}" for k in depth])
    ax.set(
        xlabel="dense layer (input → output)",
        ylabel="gradient norm (mean over batches)",
        title="Vanishing gradients: 8 sigmoid layers vs ReLU + He init",
    )
    ax.legend(fontsize="small")


def heteroscedastic(out, quick):
    rng = np.random.default_rng(2)
    n = 300 if quick else 2000
    x = rng.uniform(-3, 3, n)
    true_sigma = 0.1 + 0.3 * np.abs(x)
    y = np.sin(x) + true_sigma * rng.normal(size=n)
    X = StandardScaler().fit_transform(x[:, None])
    common = dict(
        hidden_layers=(32, 32),
        activation="tanh",
        optimizer="lbfgs",
        max_epochs=100 if quick else 600,
        tol=0,
        random_state=0,
    )
    models = {
        "constant σ (gaussian)": MLPRegressor(likelihood="gaussian", **common),
        "σ per row (heteroscedastic)": MLPRegressor(likelihood="heteroscedastic", **common),
    }
    grid = np.linspace(-3, 3, 300)
    G = (grid[:, None] - x.mean()) / x.std()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    left.scatter(x, y, s=4, color="grey", alpha=0.4, label="data")
    for (label, model), colour, style in zip(
        models.items(), ("tab:orange", "tab:blue"), ("--", "-")
    ):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ll.ConvergenceWarning)
            model.fit(X, y)
        params = model.predict_params(G)
        mu, sigma = params["mu"], params["sigma"]
        left.plot(grid, mu, style, color=colour, lw=2, zorder=3, label=f"{label}: mean")
        left.fill_between(
            grid, mu - 2 * sigma, mu + 2 * sigma, color=colour, alpha=0.15, label=f"{label}: ±2σ"
        )
        right.plot(grid, sigma, color=colour, lw=2, label=label)
        print(f"{label}: log-likelihood {model.log_likelihood(X, y):.1f}")
    right.plot(grid, 0.1 + 0.3 * np.abs(grid), "k--", lw=1.5, label="true σ(x)")
    left.set(xlabel="x", ylabel="y", title="Predictive mean and ±2σ band")
    right.set(xlabel="x", ylabel="σ(x)", title="Noise profile")
    left.legend(fontsize="x-small", loc="upper left", framealpha=0.8)
    right.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(out / "heteroscedastic_fit.png", dpi=120)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    digits_curves(left, args.quick)
    gradient_norms(right, args.quick)
    fig.tight_layout()
    fig.savefig(args.out / "loss_curves.png", dpi=120)
    plt.close(fig)
    heteroscedastic(args.out, args.quick)


if __name__ == "__main__":
    main()
