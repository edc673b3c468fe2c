"""Initialisers: the variances they promise, shapes, reproducibility, names."""

import numpy as np
import pytest

from loglik.models.neural.initializers import INITIALIZERS, get_initializer

VARIANCE = {
    "glorot": lambda i, o: 2 / (i + o),
    "xavier": lambda i, o: 2 / (i + o),
    "he": lambda i, o: 2 / i,
    "kaiming": lambda i, o: 2 / i,
    "lecun": lambda i, o: 1 / i,
}


@pytest.mark.parametrize("name", sorted(k for k in INITIALIZERS if k != "zeros"))
def test_variance_and_support(name):
    fan_in, fan_out = 300, 200
    W = get_initializer(name)(fan_in, fan_out, np.random.default_rng(0))
    assert W.shape == (fan_in, fan_out)
    var = VARIANCE[name.split("_")[0]](fan_in, fan_out)
    # 60000 draws: the sample variance is within a few percent
    assert W.var() == pytest.approx(var, rel=0.03)
    assert abs(W.mean()) < 4 * np.sqrt(var / W.size)
    if name.endswith("uniform"):
        assert np.abs(W).max() <= np.sqrt(3 * var)


def test_reproducible_and_zeros():
    a = get_initializer("he_normal")(5, 3, np.random.default_rng(1))
    b = get_initializer("he_normal")(5, 3, np.random.default_rng(1))
    # exact: the same seed gives the same draws
    np.testing.assert_array_equal(a, b)
    assert not get_initializer("zeros")(4, 2, None).any()


def test_callable_passes_through_and_unknown_name():
    def custom(i, o, rng):
        return np.ones((i, o))

    assert get_initializer(custom) is custom
    with pytest.raises(ValueError, match="known: 'glorot_uniform'"):
        get_initializer("orthogonal")
