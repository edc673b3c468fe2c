"""Every activation: values, derivative and backward against finite differences."""

import numpy as np
import pytest
from scipy import special

from loglik.estimation.gradcheck import check_gradient
from loglik.models.neural.activations import (
    ACTIVATIONS,
    ElementwiseActivation,
    LeakyReLU,
    Softmax,
    Swish,
    get_activation,
    softmax,
)

# name -> the function written out independently
REFERENCE = {
    "identity": lambda z: z,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "swish": lambda z: z / (1 + np.exp(-z)),
    "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),
}


def _points(seed=0):
    z = np.random.default_rng(seed).normal(scale=2.0, size=(6, 4))
    z[np.abs(z) < 1e-2] = 0.5  # keep finite differences away from the ReLU kink
    return z


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_forward_matches_the_written_out_function(name):
    z = _points()
    np.testing.assert_allclose(get_activation(name).forward(z), REFERENCE[name](z), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_backward_is_the_vector_jacobian_product(name):
    act = get_activation(name)
    z = _points(1)
    g = np.random.default_rng(2).normal(size=z.shape)

    def fun(x):
        return float(np.sum(g * act.forward(x.reshape(z.shape))))

    def grad(x):
        zz = x.reshape(z.shape)
        return act.backward(zz, act.forward(zz), g).ravel()

    result = check_gradient(fun, grad, z.ravel(), eps=1e-6, rtol=1e-7, atol=1e-9)
    assert result.ok, str(result)


@pytest.mark.parametrize(
    "name", [k for k, v in ACTIVATIONS.items() if issubclass(v, ElementwiseActivation)]
)
def test_elementwise_derivative(name):
    act = get_activation(name)
    z = _points(3).ravel()
    num = (act.forward(z + 1e-6) - act.forward(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(act.derivative(z), num, rtol=1e-6, atol=1e-9)


def test_aliases_and_parameters():
    assert get_activation("logistic") == get_activation("sigmoid")
    assert get_activation("silu") == Swish(1.0)
    assert get_activation("linear").name == "identity"
    z = _points()
    np.testing.assert_allclose(LeakyReLU(0.2).forward(z), np.where(z > 0, z, 0.2 * z))
    np.testing.assert_allclose(Swish(2.0).forward(z), z * special.expit(2 * z))
    leaky = LeakyReLU(0.3)
    assert repr(leaky) == "LeakyReLU(slope=0.3)" and leaky == LeakyReLU(0.3)
    assert hash(leaky) == hash(LeakyReLU(0.3)) and leaky != LeakyReLU(0.2)


def test_softmax_is_stable_and_normalised():
    z = np.array([[1000.0, 1000.0, -1000.0], [-1e308, 0.0, 1.0]])
    a = softmax(z)
    assert np.all(np.isfinite(a))
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a[0], [0.5, 0.5, 0.0])
    np.testing.assert_allclose(Softmax().forward(z + 123.0), a)


def test_saturating_activations_do_not_overflow():
    z = np.array([-1000.0, 1000.0])
    for name in ("sigmoid", "tanh", "swish"):
        act = get_activation(name)
        assert np.all(np.isfinite(act.forward(z))) and np.all(np.isfinite(act.derivative(z)))


def test_default_initializers():
    assert get_activation("relu").default_initializer.startswith("he")
    assert get_activation("tanh").default_initializer.startswith("glorot")


@pytest.mark.parametrize(
    ("arg", "match"),
    [("gelu", "known: 'identity'"), (3, "unknown activation"), (None, "unknown activation")],
)
def test_unknown_activation(arg, match):
    with pytest.raises(ValueError, match=match):
        get_activation(arg)


def test_bad_parameters():
    with pytest.raises(ValueError, match="slope"):
        LeakyReLU(-0.1)
    with pytest.raises(ValueError, match="beta"):
        Swish(0.0)
