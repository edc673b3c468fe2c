"""Each layer's backward against finite differences of its forward; dropout and batch norm."""

import numpy as np
import pytest

from loglik.estimation.gradcheck import check_gradient
from loglik.models.neural.layers import (
    ActivationLayer,
    BatchNorm,
    Dense,
    Dropout,
    PReLU,
    layer_of,
)


def _check_layer(layer, n_in=4, rows=7, training=True, seed=0, fixed_rng_seed=None, eps=1e-6):
    """Check d(sum(G * y))/d(x) and /d(params) for a random G."""
    rng = np.random.default_rng(seed)
    params, n_out = layer.build(n_in, rng)
    params = [p + 0.3 * rng.normal(size=p.shape) for p in params]
    x = rng.normal(size=(rows, n_in))
    x[np.abs(x) < 1e-2] = 0.3
    G = rng.normal(size=(rows, n_out))
    sizes = [x.size] + [p.size for p in params]

    def unpack(v):
        parts = np.split(v, np.cumsum(sizes)[:-1])
        xs = parts[0].reshape(x.shape)
        return xs, [q.reshape(p.shape) for q, p in zip(parts[1:], params)]

    def run(v):
        xs, ps = unpack(v)
        r = None if fixed_rng_seed is None else np.random.default_rng(fixed_rng_seed)
        return layer.forward(ps, xs, training, r), ps

    def fun(v):
        (y, _), _ = run(v)
        return float(np.sum(G * y))

    def grad(v):
        (_, cache), ps = run(v)
        gx, gp = layer.backward(ps, cache, G)
        return np.concatenate([gx.ravel()] + [g.ravel() for g in gp])

    v0 = np.concatenate([x.ravel()] + [p.ravel() for p in params])
    result = check_gradient(fun, grad, v0, eps=eps, rtol=1e-6, atol=1e-8)
    assert result.ok, str(result)
    return params


def test_dense():
    _check_layer(Dense(3))


@pytest.mark.parametrize("name", ["relu", "tanh", "sigmoid", "swish", "leaky_relu", "softmax"])
def test_activation_layer(name):
    _check_layer(ActivationLayer(name))


def test_prelu_learns_its_slope():
    _check_layer(PReLU(0.1))
    layer = PReLU()
    (slope,), _ = layer.build(3, None)
    np.testing.assert_array_equal(slope, 0.25)
    y, _ = layer.forward([np.array([0.5, 1.0, 2.0])], np.array([[-1.0, -1.0, 3.0]]))
    np.testing.assert_allclose(y, [[-0.5, -1.0, 3.0]])


def test_dropout_with_a_fixed_mask():
    _check_layer(Dropout(0.4), fixed_rng_seed=7)


def test_batch_norm_training_and_inference():
    _check_layer(BatchNorm(), training=True)
    layer = BatchNorm()
    layer.build(4, None)
    layer.running_mean = np.array([0.1, -0.2, 0.3, 0.0])
    layer.running_var = np.array([1.5, 0.5, 2.0, 1.0])
    rng = np.random.default_rng(0)
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    x = rng.normal(size=(5, 4))
    y, cache = layer.forward([gamma, beta], x, training=False)
    expected = gamma * (x - layer.running_mean) / np.sqrt(layer.running_var + 1e-5) + beta
    np.testing.assert_allclose(y, expected)
    G = rng.normal(size=y.shape)
    gx, _ = layer.backward([gamma, beta], cache, G)
    np.testing.assert_allclose(gx, G * gamma / np.sqrt(layer.running_var + 1e-5))


def test_batch_norm_normalises_and_tracks_running_statistics():
    rng = np.random.default_rng(1)
    layer = BatchNorm(momentum=0.5)
    params, _ = layer.build(3, rng)
    x = rng.normal(loc=[1.0, -2.0, 5.0], scale=[1.0, 3.0, 0.5], size=(400, 3))
    y, _ = layer.forward(params, x, training=True)
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(y.std(axis=0), 1.0, rtol=1e-4)
    np.testing.assert_allclose(layer.running_mean, 0.5 * x.mean(axis=0))
    np.testing.assert_allclose(layer.running_var, 0.5 + 0.5 * x.var(axis=0, ddof=1))
    state = layer.get_state()
    layer.forward(params, x + 1.0, training=True)
    assert not np.allclose(layer.running_mean, state[0])
    layer.set_state(state)
    # exact: set_state restores the saved copy
    np.testing.assert_array_equal(layer.running_mean, state[0])
    # inference does not move the statistics
    layer.forward(params, x + 10.0, training=False)
    np.testing.assert_array_equal(layer.running_mean, state[0])


def test_dropout_is_inverted_and_off_at_inference():
    layer = Dropout(0.25)
    x = np.ones((2000, 50))
    y, _mask = layer.forward([], x, training=True, rng=np.random.default_rng(0))
    assert set(np.unique(y)) == {0.0, 1 / 0.75}
    assert y.mean() == pytest.approx(1.0, abs=0.01)
    assert (y == 0).mean() == pytest.approx(0.25, abs=0.01)
    same, cache = layer.forward([], x, training=False)
    assert same is x and cache is None
    with pytest.raises(ValueError, match="random generator"):
        layer.forward([], x, training=True)


def test_first_layer_skips_the_input_gradient():
    layer = Dense(2)
    params, _ = layer.build(3, np.random.default_rng(0))
    _y, cache = layer.forward(params, np.ones((4, 3)))
    gx, grads = layer.backward(params, cache, np.ones((4, 2)), need_input_grad=False)
    assert gx is None and len(grads) == 2


def test_bad_layer_arguments():
    with pytest.raises(ValueError, match="units"):
        Dense(0)
    with pytest.raises(ValueError, match="rate"):
        Dropout(1.0)
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm(momentum=1.5)
    with pytest.raises(ValueError, match="initializer returned shape"):
        Dense(2, initializer=lambda i, o, rng: np.zeros((o, i))).build(3, None)
    with pytest.raises(ValueError, match="activation must be"):
        layer_of(3.0)
    assert isinstance(layer_of("prelu"), PReLU)
    assert "Dense(units=2" in repr(Dense(2))
