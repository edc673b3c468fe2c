"""The network objective: whole-network gradient checks, penalty, weights, precision, logs."""

import numpy as np
import pytest

from loglik.estimation.gradcheck import check_gradient
from loglik.estimation.objective import flatten, unflatten
from loglik.models.neural.heads import (
    BernoulliHead,
    CategoricalHead,
    GaussianHead,
    HeteroscedasticGaussianHead,
    PoissonHead,
)
from loglik.models.neural.layers import ActivationLayer, BatchNorm, Dense, Dropout, PReLU
from loglik.models.neural.network import Network, NetworkObjective, mlp

RNG = np.random.default_rng(0)
X = RNG.normal(size=(24, 3))
TARGETS = {
    "gaussian": (GaussianHead(0.7), RNG.normal(size=(24, 2))),
    "heteroscedastic": (HeteroscedasticGaussianHead(0.1), RNG.normal(size=(24, 1))),
    "bernoulli": (BernoulliHead(), (RNG.random((24, 2)) < 0.5).astype(float)),
    "categorical": (CategoricalHead(3), RNG.integers(0, 3, 24)),
    "poisson": (PoissonHead(), RNG.poisson(2.0, (24, 1)).astype(float)),
}


def _every_layer_network(n_out):
    return Network(
        [
            Dense(5, "he_normal"),
            BatchNorm(),
            PReLU(),
            Dense(4, "glorot_normal"),
            ActivationLayer("swish"),
            Dropout(0.3),
            Dense(4),
            ActivationLayer("tanh"),
            Dense(n_out),
        ]
    )


def _check(objective, params, batch=None):
    def fun(v):
        objective.rng = np.random.default_rng(5)  # the same dropout mask at every evaluation
        return objective.value_and_grad(unflatten(v, params), batch)[0]

    def grad(v):
        objective.rng = np.random.default_rng(5)
        return flatten(objective.value_and_grad(unflatten(v, params), batch)[1])

    return check_gradient(fun, grad, flatten(params), eps=1e-6, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_whole_network_gradient(name):
    head, y = TARGETS[name]
    net = _every_layer_network(head.n_outputs(y.shape[1] if y.ndim == 2 else 1))
    params = net.build(3, np.random.default_rng(1))
    obj = NetworkObjective(net, head, X, y, sample_weight=RNG.random(24), alpha=0.2)
    for batch in (None, np.array([3, 1, 4, 15, 9, 2, 6])):
        result = _check(obj, params, batch)
        assert result.ok, f"{name} batch={batch is not None}: {result}"


def test_value_is_forward_only_and_matches():
    head, y = TARGETS["categorical"]
    net = mlp((6,), 3, activation="tanh")
    params = net.build(3, np.random.default_rng(2))
    obj = NetworkObjective(net, head, X, y, alpha=0.1)
    assert obj.value(params) == pytest.approx(obj.value_and_grad(params)[0], rel=1e-14)
    assert obj.hessian is None and obj.n_samples == 24


def test_penalty_is_on_dense_weights_only():
    head, y = TARGETS["gaussian"]
    net = _every_layer_network(2)
    params = net.build(3, np.random.default_rng(3))
    plain = NetworkObjective(net, head, X, y, training=False)
    pen = NetworkObjective(net, head, X, y, training=False, alpha=0.5)
    weights = [params[k] for k in net.penalized]
    assert [w.shape for w in weights] == [(3, 5), (5, 4), (4, 4), (4, 2)]
    expected = 0.25 * sum(float(np.sum(w * w)) for w in weights)
    assert pen.value(params) - plain.value(params) == pytest.approx(expected, rel=1e-12)
    g0, g1 = plain.value_and_grad(params)[1], pen.value_and_grad(params)[1]
    for k, (a, b) in enumerate(zip(g0, g1)):
        np.testing.assert_allclose(b - a, 0.5 * params[k] if k in net.penalized else 0.0)


def test_weighted_mini_batches_are_unbiased():
    head, y = TARGETS["poisson"]
    net = mlp((4,), 1, activation="tanh")
    params = net.build(3, np.random.default_rng(4))
    s = RNG.random(24) * 3
    obj = NetworkObjective(net, head, X, y, sample_weight=s)
    full, grads = obj.value_and_grad(params)
    assert full == pytest.approx(np.average(head.nll(obj.output(params, X), y), weights=s))
    parts = np.split(np.arange(24), 4)
    values = [obj.value_and_grad(params, b) for b in parts]
    assert np.mean([v for v, _ in values]) == pytest.approx(full, rel=1e-12)
    for k in range(len(params)):
        np.testing.assert_allclose(np.mean([g[k] for _, g in values], axis=0), grads[k])


def test_float32_passes_agree_with_float64():
    head, y = TARGETS["categorical"]
    net = mlp((16, 8), 3)
    params = net.build(3, np.random.default_rng(5))
    f64 = NetworkObjective(net, head, X, y)
    f32 = NetworkObjective(net, head, X, y, dtype=np.float32)
    v64, g64 = f64.value_and_grad(params)
    v32, g32 = f32.value_and_grad(params)
    assert v32 == pytest.approx(v64, rel=1e-5)
    assert all(g.dtype == np.float64 for g in g32)
    for a, b in zip(g32, g64):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5)
    assert f32.output(params, X).dtype == np.float64


def test_gradient_norms_are_logged_per_parameterised_layer():
    head, y = TARGETS["bernoulli"]
    net = _every_layer_network(2)
    params = net.build(3, np.random.default_rng(6))
    groups = net.parameter_groups()
    assert list(groups) == ["dense_1", "batch_norm_1", "prelu_1", "dense_2", "dense_3", "dense_4"]
    obj = NetworkObjective(net, head, X, y, alpha=3.0, record_gradient_norms=True, random_state=0)
    obj.rng = np.random.default_rng(9)
    _, _grads = obj.value_and_grad(params)
    (row,) = obj.gradient_norm_log
    obj.alpha, obj.rng = 0.0, np.random.default_rng(9)
    _, nll_grads = obj.value_and_grad(params)
    for norm, idx in zip(row, groups.values()):
        assert norm == pytest.approx(np.sqrt(sum(np.sum(nll_grads[k] ** 2) for k in idx)))


def test_chunked_output_equals_one_pass():
    head, y = TARGETS["gaussian"]
    net = mlp((5,), 2, batch_norm=True)
    params = net.build(3, np.random.default_rng(7))
    obj = NetworkObjective(net, head, X, y)
    np.testing.assert_allclose(obj.output(params, X, chunk_size=5), obj.output(params, X))


def test_network_needs_building_and_layers():
    net = mlp((3,), 1)
    with pytest.raises(ValueError, match="not built"):
        net.forward([], X)
    with pytest.raises(ValueError, match="Layer"):
        Network([Dense(2), "relu"])
    assert "Dense" in repr(net)


def test_mlp_layout():
    net = mlp((8, 4), 3, activation="prelu", dropout=[0.1, 0.0], batch_norm=True)
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds == [
        "Dense",
        "BatchNorm",
        "PReLU",
        "Dropout",
        "Dense",
        "BatchNorm",
        "PReLU",
        "Dense",
    ]
    assert net.layers[0].initializer == "he_uniform" and net.layers[-1].units == 3
    assert mlp((4,), 1, activation="tanh").layers[0].initializer == "glorot_uniform"
