"""Classification and regression metrics against scikit-learn."""

import numpy as np
import pytest
from scipy import integrate
from sklearn import metrics as skm

from loglik.models import metrics as M

RNG = np.random.default_rng(1)
N = 200
YB = RNG.integers(0, 2, N)
PB = np.where(RNG.random(N) < 0.8, YB, 1 - YB)
YM = RNG.integers(0, 3, N)
PM = np.where(RNG.random(N) < 0.7, YM, RNG.integers(0, 3, N))
W = RNG.random(N)


def test_accuracy_and_confusion_matrix():
    assert M.accuracy(YM, PM) == pytest.approx(skm.accuracy_score(YM, PM))
    assert M.accuracy(YM, PM, W) == pytest.approx(skm.accuracy_score(YM, PM, sample_weight=W))
    # exact: integer counts
    np.testing.assert_array_equal(M.confusion_matrix(YM, PM), skm.confusion_matrix(YM, PM))
    np.testing.assert_allclose(
        M.confusion_matrix(YM, PM, sample_weight=W),
        skm.confusion_matrix(YM, PM, sample_weight=W),
    )
    frame = M.confusion_matrix(["a", "b", "a"], ["a", "a", "a"], as_frame=True)
    assert frame.loc["b", "a"] == 1 and frame.index.name == "true"


@pytest.mark.parametrize("average", ["binary", "macro", "weighted", "micro", None])
def test_precision_recall_f1(average):
    y, p = (YB, PB) if average == "binary" else (YM, PM)
    for ours, theirs in [
        (M.precision, skm.precision_score),
        (M.recall, skm.recall_score),
        (M.f1_score, skm.f1_score),
    ]:
        np.testing.assert_allclose(
            ours(y, p, average=average, sample_weight=W),
            theirs(y, p, average=average, sample_weight=W),
        )


def test_sensitivity_and_specificity():
    tn, fp, fn, tp = skm.confusion_matrix(YB, PB).ravel()
    assert M.sensitivity(YB, PB) == pytest.approx(tp / (tp + fn))
    assert M.specificity(YB, PB) == pytest.approx(tn / (tn + fp))
    assert M.specificity(YB, PB, pos_label=0) == pytest.approx(tp / (tp + fn))


def test_roc_auc_and_curve():
    score = YB + RNG.normal(scale=1.5, size=N)
    score[:20] = np.round(score[:20])  # ties
    assert M.roc_auc(YB, score) == pytest.approx(skm.roc_auc_score(YB, score))
    assert M.roc_auc(YB, score, sample_weight=W) == pytest.approx(
        skm.roc_auc_score(YB, score, sample_weight=W)
    )
    probs = RNG.dirichlet(np.ones(3), N) + np.eye(3)[YM]
    probs /= probs.sum(axis=1, keepdims=True)
    assert M.roc_auc(YM, probs) == pytest.approx(skm.roc_auc_score(YM, probs, multi_class="ovr"))
    fpr, tpr, thr = M.roc_curve(YB, score)
    sk_fpr, sk_tpr, _ = skm.roc_curve(YB, score, drop_intermediate=False)
    np.testing.assert_allclose(fpr, sk_fpr)
    np.testing.assert_allclose(tpr, sk_tpr)
    # scipy's trapezoid: numpy has it only from 2.0 (np.trapz before)
    assert integrate.trapezoid(tpr, fpr) == pytest.approx(M.roc_auc(YB, score), rel=1e-12)
    assert thr[0] == np.inf


def test_regression_scores():
    y = RNG.normal(size=N)
    p = y + RNG.normal(scale=0.5, size=N)
    assert M.r2_score(y, p) == pytest.approx(skm.r2_score(y, p))
    assert M.r2_score(y, p, W) == pytest.approx(skm.r2_score(y, p, sample_weight=W))
    counts = RNG.poisson(3, N)
    rate = np.exp(RNG.normal(scale=0.2, size=N)) * 3
    assert M.d2_poisson_score(counts, rate) == pytest.approx(
        skm.d2_tweedie_score(counts, rate, power=1)
    )
    assert M.r2_score([1, 1], [1, 1]) == 1.0


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: M.precision(YM, PM), "average='binary' needs two classes"),
        (lambda: M.precision(YB, PB, pos_label=7), "pos_label=7"),
        (lambda: M.recall(YB, PB, average="mean"), "unknown average"),
        (lambda: M.accuracy([1, 2], [1]), "rows"),
        (lambda: M.accuracy([], []), "empty"),
        (lambda: M.roc_auc([1, 1, 1], [0.2, 0.3, 0.4]), "both classes"),
        (lambda: M.roc_auc(YM, RNG.random(N)), "2-D"),
        (lambda: M.roc_auc(YB, np.r_[np.nan, np.ones(N - 1)]), "NaN"),
        (lambda: M.accuracy(YB, PB, -W), "non-negative"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
