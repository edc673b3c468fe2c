"""loglik's MLPClassifier against scikit-learn's, same architecture, Adam, batch size, epochs.

Data: the digits (1797 8x8 images shipped with scikit-learn; 75/25 stratified split), the same
with small batches (32 rows: the per-step overhead of the training loop shows there), and a
synthetic MNIST-sized set (60000 x 784 training rows, 10 classes, 10000 test rows). Both
libraries run the full number of epochs (no early stopping, ``tol=0``), one hidden layer of 100
ReLU units, Adam with learning rate 1e-3 and the same L2 penalty (scikit-learn's ``alpha=a`` with
batch size B is ``alpha=a/B`` here). Each fit is timed a few times, interleaved, best wall time
kept (the CPU-time ratio is printed too: on a shared machine it is the steadier of the two);
accuracies are the mean over the seeds, with the standard error of the difference (the seeds
change the initial weights and the shuffling, so a difference within about two standard errors is
noise). Prints the ratio loglik / scikit-learn (below 1: faster).

Usage: python benchmarks/bench_neural.py [--quick] [--threads N]
(``--threads 1`` limits BLAS to one thread: steadier timings on a shared machine).
"""

import sys
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning
from sklearn.neural_network import MLPClassifier as SkMLP

import loglik as ll
from loglik.models.neural import MLPClassifier
from loglik.models.preprocessing import train_validation_test_split


def synthetic(n_train=60_000, n_test=10_000, p=784, k=10, latent=20, seed=0):
    """Classes as Gaussian clusters in a latent space, seen through a random nonlinear map."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=1.2, size=(k, latent))
    A = rng.normal(scale=1 / np.sqrt(latent), size=(latent, p))
    y = rng.integers(0, k, n_train + n_test)
    z = centres[y] + rng.normal(size=(y.size, latent))
    X = np.tanh(z @ A) + 1.5 * rng.normal(size=(y.size, p))
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def digits(seed=0):
    X, y = load_digits(return_X_y=True)
    X_tr, _, X_te, y_tr, _, y_te = train_validation_test_split(
        X / 16.0, y, validation_size=0, test_size=0.25, stratify=y, random_state=seed
    )
    return X_tr, y_tr, X_te, y_te


def fit_pair(X, y, batch_size, epochs, seed, dtype="float64"):
    sk_alpha = 1e-4
    ours = MLPClassifier(
        (100,),
        optimizer="adam",
        learning_rate=1e-3,
        batch_size=batch_size,
        max_epochs=epochs,
        alpha=sk_alpha / batch_size,
        tol=0,
        random_state=seed,
        dtype=dtype,
    )
    theirs = SkMLP(
        (100,),
        solver="adam",
        learning_rate_init=1e-3,
        batch_size=batch_size,
        max_iter=epochs,
        alpha=sk_alpha,
        tol=0,
        n_iter_no_change=10**9,
        random_state=seed,
    )
    X_fit = X.astype(dtype)
    times = {}
    for label, model in (("loglik", ours), ("sklearn", theirs)):
        t0, c0 = time.perf_counter(), time.process_time()
        model.fit(X_fit, y)
        times[label] = (time.perf_counter() - t0, time.process_time() - c0)
    return ours, theirs, times


def run(name, data, batch_size, epochs, seeds, dtype="float64"):
    X, y, X_te, y_te = data
    best = {"loglik": np.inf, "sklearn": np.inf}
    cpu = {"loglik": np.inf, "sklearn": np.inf}
    acc = {"loglik": [], "sklearn": []}
    for seed in seeds:
        ours, theirs, times = fit_pair(X, y, batch_size, epochs, seed, dtype)
        for label, model in (("loglik", ours), ("sklearn", theirs)):
            best[label] = min(best[label], times[label][0])
            cpu[label] = min(cpu[label], times[label][1])
            acc[label].append(float(np.mean(model.predict(X_te.astype(dtype)) == y_te)))
    diff = np.asarray(acc["loglik"]) - np.asarray(acc["sklearn"])
    se = float(diff.std(ddof=1) / np.sqrt(diff.size)) if diff.size > 1 else float("nan")
    row = {
        "data": name,
        "dtype": dtype,
        "batch": batch_size,
        "epochs": epochs,
        "loglik_s": best["loglik"],
        "sklearn_s": best["sklearn"],
        "ratio": best["loglik"] / best["sklearn"],
        "cpu_ratio": cpu["loglik"] / cpu["sklearn"],
        "loglik_acc": np.mean(acc["loglik"]),
        "sklearn_acc": np.mean(acc["sklearn"]),
        "acc_diff": float(diff.mean()),
        "acc_diff_se": se,
    }
    print(
        f"{name:<22} {dtype:<8} batch {batch_size:>3} epochs {epochs:>3}: "
        f"loglik {row['loglik_s']:7.3f}s  sklearn {row['sklearn_s']:7.3f}s  "
        f"ratio {row['ratio']:.2f} (CPU time {row['cpu_ratio']:.2f})   "
        f"accuracy loglik {row['loglik_acc']:.4f} "
        f"sklearn {row['sklearn_acc']:.4f} (difference {row['acc_diff']:+.4f} "
        f"± {row['acc_diff_se']:.4f}, {len(seeds)} seeds)",
        flush=True,
    )
    return row


def main(quick=False):
    warnings.simplefilter("ignore", ll.ConvergenceWarning)
    warnings.simplefilter("ignore", SkConvergenceWarning)
    seeds = [0, 1] if quick else list(range(8))
    rows = [
        run("digits", digits(), 200, 100, seeds),
        run("digits small batches", digits(), 32, 30, seeds),
    ]
    big = synthetic(n_train=12_000, n_test=2_000) if quick else synthetic()
    big_seeds = seeds[:1] if quick else seeds[:3]
    rows.append(run("synthetic 60000x784", big, 200, 3 if quick else 10, big_seeds))
    rows.append(run("synthetic 60000x784", big, 200, 3 if quick else 10, big_seeds, "float32"))
    worst = max(r["ratio"] for r in rows if r["dtype"] == "float64")
    at_least = sum(r["loglik_acc"] >= r["sklearn_acc"] for r in rows)
    within_noise = all(r["acc_diff"] >= -2 * r["acc_diff_se"] for r in rows)
    print(
        f"worst float64 time ratio {worst:.2f} (target <= 1.0); accuracy at least "
        f"scikit-learn's in {at_least} of {len(rows)} rows, never below by more than two "
        f"standard errors: {within_noise}"
    )
    return rows


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    if "--threads" in sys.argv:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(int(sys.argv[sys.argv.index("--threads") + 1])):
            main(quick)
    else:
        main(quick)
