"""Splitting (stratified, reproducible) and scalers that remember their fit."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import preprocessing as skp

from loglik.models.preprocessing import (
    MinMaxScaler,
    StandardScaler,
    split_indices,
    train_validation_test_split,
)

RNG = np.random.default_rng(2)


def test_three_way_split_is_a_stratified_partition():
    X = RNG.normal(size=(1000, 3))
    y = np.repeat([0, 1, 2], [700, 200, 100])
    parts = train_validation_test_split(
        X, y, validation_size=0.2, test_size=0.1, stratify=y, random_state=0
    )
    X_tr, X_va, X_te, y_tr, y_va, y_te = parts
    assert (len(y_tr), len(y_va), len(y_te)) == (700, 200, 100)
    rows = np.concatenate([X_tr, X_va, X_te])
    assert np.unique(rows, axis=0).shape[0] == 1000
    for part, size in ((y_tr, 700), (y_va, 200), (y_te, 100)):
        np.testing.assert_array_equal(
            np.bincount(part, minlength=3), np.array([70, 20, 10]) * size // 100
        )
    again = train_validation_test_split(
        X, y, validation_size=0.2, test_size=0.1, stratify=y, random_state=0
    )
    # exact: the same random_state gives the same rows
    np.testing.assert_array_equal(again[0], X_tr)


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 30), min_size=1, max_size=5),
    val=st.floats(0.05, 0.4),
    test=st.floats(0.0, 0.4),
    seed=st.integers(0, 10),
)
def test_split_property(sizes, val, test, seed):
    labels = np.repeat(np.arange(len(sizes)), sizes)
    n = labels.size
    parts = split_indices(n, [1 - val - test, val, test], stratify=labels, random_state=seed)
    joined = np.sort(np.concatenate(parts))
    np.testing.assert_array_equal(joined, np.arange(n))  # a partition
    exact = n * np.array([1 - val - test, val, test])
    assert all(abs(len(p) - e) < 1 + 1e-9 for p, e in zip(parts, exact))
    for c, size in enumerate(sizes):  # every class near its share in every part
        for p, frac in zip(parts, (1 - val - test, val, test)):
            assert abs(np.sum(labels[p] == c) - size * frac) <= len(sizes) + 1


def test_split_keeps_pandas_and_counts():
    df = pd.DataFrame({"a": np.arange(20)})
    s = pd.Series(np.arange(20))
    tr, va, te, _s_tr, _s_va, s_te = train_validation_test_split(
        df, s, validation_size=4, test_size=6, random_state=1
    )
    assert isinstance(tr, pd.DataFrame) and isinstance(s_te, pd.Series)
    assert (len(tr), len(va), len(te)) == (10, 4, 6)
    unshuffled = train_validation_test_split(np.arange(10), shuffle=False, test_size=0.2)
    np.testing.assert_array_equal(unshuffled[2], [8, 9])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"validation_size": 0.6, "test_size": 0.5}, "leave rows"),
        ({"validation_size": 1.5}, "validation_size"),
        ({"test_size": 50}, "smaller than"),
        ({"stratify": np.arange(3)}, "labels for"),
        ({"stratify": np.arange(10), "shuffle": False}, "shuffle"),
    ],
)
def test_bad_splits(kwargs, match):
    with pytest.raises(ValueError, match=match):
        train_validation_test_split(np.arange(10), **kwargs)


def test_bad_split_arrays():
    with pytest.raises(ValueError, match="at least one"):
        train_validation_test_split()
    with pytest.raises(ValueError, match="rows"):
        train_validation_test_split(np.arange(3), np.arange(4))


def test_standard_scaler_matches_sklearn_and_inverts():
    X = RNG.normal(loc=5, scale=[1, 10, 0.1], size=(50, 3))
    X[:, 2] = 4.0  # constant column
    ours = StandardScaler().fit(X)
    theirs = skp.StandardScaler().fit(X)
    new = RNG.normal(size=(5, 3))
    np.testing.assert_allclose(ours.transform(new), theirs.transform(new))
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(new)), new)
    # exact: the mean of a constant column is that constant, so centring gives exact zeros
    assert np.all(ours.transform(X)[:, 2] == 0)
    sample = StandardScaler(ddof=1).fit(X)
    np.testing.assert_allclose(sample.scale_[:2], X[:, :2].std(axis=0, ddof=1))


def test_min_max_scaler_matches_sklearn_and_clips():
    X = RNG.normal(size=(30, 2))
    ours = MinMaxScaler((-1, 1)).fit(X)
    theirs = skp.MinMaxScaler((-1, 1)).fit(X)
    new = RNG.normal(scale=3, size=(6, 2))
    np.testing.assert_allclose(ours.transform(new), theirs.transform(new))
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(new)), new)
    clipped = MinMaxScaler(clip=True).fit(X).transform(new)
    assert clipped.min() >= 0 and clipped.max() <= 1


def test_scalers_remember_the_fit_and_check_input():
    scaler = StandardScaler()
    with pytest.raises(ValueError, match="not fitted"):
        scaler.transform(np.ones((2, 2)))
    scaler.fit(pd.DataFrame({"u": [1.0, 2.0], "v": [3.0, 5.0]}))
    assert list(scaler.feature_names_in_) == ["u", "v"]
    with pytest.raises(ValueError, match="expecting 2 features"):
        scaler.transform(np.ones((2, 3)))
    with pytest.raises(ValueError, match="NaN"):
        scaler.transform(np.array([[np.nan, 1.0]]))
    with pytest.raises(ValueError, match="feature_range"):
        MinMaxScaler((1, 0)).fit(np.ones((2, 2)))


def test_scalers_pass_check_estimator():
    import warnings

    from sklearn.utils.estimator_checks import check_estimator

    for scaler in (StandardScaler(), MinMaxScaler()):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*does not inherit from")
            results = check_estimator(scaler, on_fail=None, on_skip=None)
        failed = [r["check_name"] for r in results if r["status"] == "failed"]
        assert not failed, failed
