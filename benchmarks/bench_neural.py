"""loglik's MLPClassifier against scikit-learn's: epoch time, training NLL and test accuracy.

Same architecture (one hidden layer of 100 ReLU units), Adam with learning rate 1e-3, batch size,
number of epochs (no early stopping, ``tol=0``: both run every epoch and both warn that they
stopped at the epoch limit; the warnings are counted), the same L2 penalty (scikit-learn's
``alpha=a`` with batch size B is ``alpha=a/B`` here). Data: the digits (1797 8x8 images shipped
with scikit-learn, 75/25 stratified split), the same with batches of 32 (the training loop's
per-step overhead shows there), and a synthetic MNIST-sized set (60000 x 784, 10 classes, 10000
test rows) in float64 and float32.

Per seed (initial weights and shuffling) each library fits once, interleaved (loglik, sklearn,
loglik, ...): the same number of fits per side. Reported side by side:

* epoch time: CPU seconds of ``fit`` (one BLAS thread) over the epochs, the best over the seeds;
  ratio = scikit-learn's over loglik's;
* training NLL: the mean categorical negative log-likelihood of the training set under each
  fitted model's ``predict_proba``, computed by one function here; the gap is loglik's minus
  scikit-learn's, mean over seeds;
* test accuracy, mean over seeds, with the standard error of the paired difference.

Target (issue 10): epoch time at most scikit-learn's (ratio >= 1) with accuracy at least
scikit-learn's. Seeds move both accuracy and NLL by more than the libraries differ, so "at
least" is tested on the paired difference over the seeds: a row fails when loglik's mean
accuracy is below scikit-learn's, or its training NLL above, by more than two standard errors.

Run: ``python benchmarks/bench_neural.py [--quick]``.
"""

from __future__ import annotations

import sys
import time
import warnings
from collections import Counter

import numpy as np
from _harness import Report, Row, Target, parse_args, pin_threads, warnings_text
from sklearn.datasets import load_digits
from sklearn.neural_network import MLPClassifier as SkMLP

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


def training_nll(model, X, y):
    """Mean categorical NLL of ``y`` under ``model.predict_proba(X)`` (both libraries)."""
    proba = model.predict_proba(X)
    cols = np.searchsorted(model.classes_, y)
    return float(-np.mean(np.log(np.clip(proba[np.arange(len(y)), cols], 1e-300, None))))


def models(batch_size, epochs, seed, dtype):
    alpha = 1e-4
    ours = MLPClassifier(
        (100,),
        optimizer="adam",
        learning_rate=1e-3,
        batch_size=batch_size,
        max_epochs=epochs,
        alpha=alpha / batch_size,
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
        alpha=alpha,
        tol=0,
        n_iter_no_change=10**9,
        random_state=seed,
    )
    return {"loglik": ours, "sklearn": theirs}


def fit_timed(model, X, y):
    """CPU seconds of ``model.fit(X, y)`` and the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.process_time()
        model.fit(X, y)
        seconds = time.process_time() - t0
    return seconds, Counter(f"{w.category.__name__}: {str(w.message)[:70]}" for w in caught)


def paired(a, b):
    """Mean of ``a - b`` and its standard error (nan with one seed)."""
    d = np.asarray(a) - np.asarray(b)
    se = d.std(ddof=1) / np.sqrt(d.size) if d.size > 1 else np.nan
    return float(d.mean()), float(se)


def run(key, label, data, batch_size, epochs, seeds, dtype="float64"):
    X, y, X_te, y_te = data
    X, X_te = X.astype(dtype), X_te.astype(dtype)
    best = {"loglik": np.inf, "sklearn": np.inf}
    nll, acc, caught = {k: [] for k in best}, {k: [] for k in best}, {k: Counter() for k in best}
    for i, seed in enumerate(seeds):
        pair = list(models(batch_size, epochs, seed, dtype).items())
        for name, model in pair if i % 2 == 0 else pair[::-1]:
            seconds, warned = fit_timed(model, X, y)
            best[name] = min(best[name], seconds / epochs)
            caught[name].update(warned)
            nll[name].append(training_nll(model, X, y))
            acc[name].append(float(np.mean(model.predict(X_te) == y_te)))
    d_nll, se_nll = paired(nll["loglik"], nll["sklearn"])
    d_acc, se_acc = paired(acc["loglik"], acc["sklearn"])
    fail = []
    if d_acc < -2 * np.nan_to_num(se_acc):
        fail.append("accuracy below scikit-learn's by > 2 SE")
    note = (
        f"training NLL {np.mean(nll['loglik']):.3g} / {np.mean(nll['sklearn']):.3g} "
        f"(diff {d_nll:+.2g} ± {se_nll:.2g}); test accuracy {np.mean(acc['loglik']):.4f} / "
        f"{np.mean(acc['sklearn']):.4f} (diff {d_acc:+.4f} ± {se_acc:.4f}); {len(seeds)} seeds"
    )
    for name in best:
        if caught[name]:
            note += f"; warnings {name}: {warnings_text(caught[name])}"
    return Row(
        key,
        f"{label} epoch",
        "scikit-learn MLPClassifier",
        best["loglik"],
        best["sklearn"],
        gap=d_nll,
        gap_tol=2 * se_nll if np.isfinite(se_nll) else 0.0,
        target=Target(1.0, ">=1x"),
        note=note,
        fail=", ".join(fail),
    )


def main(argv=None):
    args = parse_args(__doc__.splitlines()[0], argv)
    report = Report("bench_neural", args, pin_threads(1))
    seeds = [0, 1, 2] if args.quick else list(range(8))
    big = synthetic(12_000, 2_000) if args.quick else synthetic()
    size = f"{len(big[1])}x{big[0].shape[1]}"
    big_seeds, epochs = ([0, 1], 2) if args.quick else ([0, 1, 2], 10)
    rows = [
        ("digits-b200-e100", "digits batch 200, 100 epochs", digits(), 200, 100, seeds),
        ("digits-b32-e30", "digits batch 32, 30 epochs", digits(), 32, 30, seeds),
        (f"synthetic-{size}-f64", f"synthetic {size} float64", big, 200, epochs, big_seeds),
    ]
    for key, label, data, batch, n_epochs, row_seeds in rows:
        report.add(run(key, label, data, batch, n_epochs, row_seeds))
    f32 = ([0, 1], 2) if args.quick else ([0, 1, 2], 5)
    label = f"synthetic {size} float32"
    report.add(run(f"synthetic-{size}-f32", label, big, 200, f32[1], f32[0], "float32"))
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
