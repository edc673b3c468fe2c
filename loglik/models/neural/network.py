r"""A feed-forward network and its negative log-likelihood as an :class:`Objective`.

A :class:`Network` is a sequence of layers; its parameters are the concatenation of the layers'
blocks (a plain list of float64 arrays, so every shared optimizer and :func:`loglik.minimize`
work on it unchanged). :class:`NetworkObjective` is the network plus a likelihood head plus data:

.. math:: F(\theta) = \frac{\sum_i s_i\,\ell\big(y_i, f_\theta(x_i)\big)}{\sum_i s_i}
          + \frac{\alpha}{2}\sum_{\text{dense } W}\|W\|_F^2,

the weighted mean NLL of the head (see :mod:`~loglik.models.neural.heads`) plus the L2 penalty
on the weight matrices, which is :math:`-\tfrac1n` times the log density of a Gaussian prior
:math:`W_{jk} \sim N(0, 1/(n\alpha))` (biases, slopes and batch-norm scales are unpenalised).
On a mini-batch :math:`B` the case weights are rescaled to mean 1 over all rows,
:math:`\tilde s_i = s_i / \bar s`, and the batch value is :math:`\sum_{i\in B}\tilde s_i\ell_i /
|B|`: an unbiased estimate of the full-batch value and gradient.
"""

from __future__ import annotations

import numpy as np

from ..._validation import check_random_state
from .layers import BatchNorm, Dense, Dropout, Layer, layer_of

__all__ = ["Network", "NetworkObjective", "mlp"]


class Network:
    """A sequence of :mod:`~loglik.models.neural.layers` with one flat parameter list.

    ``build(n_in, rng)`` returns the initial parameters; ``forward`` and ``backward`` run the
    layers in order and in reverse, each layer applying its own chain rule.
    """

    def __init__(self, layers):
        self.layers = list(layers)
        for layer in self.layers:
            if not isinstance(layer, Layer):
                raise ValueError(f"every layer must be a Layer, got {layer!r}")
        self.n_in = self.n_out = None
        self._slices = None

    def __repr__(self):
        inner = ",\n    ".join(repr(layer) for layer in self.layers)
        return f"Network([\n    {inner},\n])"

    def build(self, n_in: int, rng=None) -> list:
        """Initial parameters for ``n_in`` input features (resets batch-norm statistics)."""
        rng = check_random_state(rng)
        params, slices, width = [], [], int(n_in)
        for layer in self.layers:
            blocks, width = layer.build(width, rng)
            slices.append((len(params), len(params) + len(blocks)))
            params.extend(blocks)
        self.n_in, self.n_out, self._slices = int(n_in), width, slices
        return params

    def _check_built(self):
        if self._slices is None:
            raise ValueError("the network is not built: call build(n_in) first")

    @property
    def penalized(self) -> list[int]:
        """Indices (into the flat parameter list) of the blocks the L1/L2 penalties apply to."""
        self._check_built()
        return [a + k for layer, (a, _) in zip(self.layers, self._slices) for k in layer.penalized]

    def parameter_groups(self) -> dict[str, list[int]]:
        """Layer label (``dense_1``, ``prelu_1``, ...) -> indices of its blocks, for the layers
        that have parameters."""
        self._check_built()
        groups, counts = {}, {}
        for layer, (a, b) in zip(self.layers, self._slices):
            if b > a:
                counts[layer.name] = counts.get(layer.name, 0) + 1
                groups[f"{layer.name}_{counts[layer.name]}"] = list(range(a, b))
        return groups

    def forward(self, params, x, training=False, rng=None, keep_caches=True):
        """The output for the batch ``x`` and the layers' caches (for :meth:`backward`)."""
        self._check_built()
        caches = [] if keep_caches else None
        for layer, (a, b) in zip(self.layers, self._slices):
            x, cache = layer.forward(params[a:b], x, training, rng)
            if keep_caches:
                caches.append(cache)
        return x, caches

    def backward(self, params, caches, grad) -> list:
        """Gradients of every block from ``grad`` = dL/d(output); the input gradient of the first
        layer is never formed."""
        grads = [None] * len(params)
        for k in range(len(self.layers) - 1, -1, -1):
            a, b = self._slices[k]
            grad, block_grads = self.layers[k].backward(
                params[a:b], caches[k], grad, need_input_grad=k > 0
            )
            grads[a:b] = block_grads
        return grads

    def get_state(self):
        """A copy of the non-parameter state (batch-norm running statistics)."""
        return [layer.get_state() for layer in self.layers if isinstance(layer, BatchNorm)]

    def set_state(self, state):
        norms = [layer for layer in self.layers if isinstance(layer, BatchNorm)]
        for layer, s in zip(norms, state):
            layer.set_state(s)


def mlp(
    hidden_layers=(100,),
    n_outputs=1,
    *,
    activation="relu",
    initializer=None,
    dropout=0.0,
    batch_norm=False,
) -> Network:
    """A multi-layer perceptron: per hidden layer ``Dense -> [BatchNorm] -> activation ->
    [Dropout]``, then a ``Dense`` output layer of ``n_outputs`` (the head's pre-activation).

    ``initializer`` defaults to the one the activation names (He for the ReLU family, Glorot
    for the saturating ones); the output layer uses Glorot. ``dropout`` is one rate or one per
    hidden layer.
    """
    hidden_layers = tuple(hidden_layers)
    rates = np.broadcast_to(np.asarray(dropout, dtype=np.float64), (len(hidden_layers),))
    layers = []
    for units, rate in zip(hidden_layers, rates):
        act = layer_of(activation)
        fallback = getattr(getattr(act, "activation", act), "default_initializer", None)
        layers.append(Dense(units, initializer or fallback or "glorot_uniform"))
        if batch_norm:
            layers.append(BatchNorm())
        layers.append(act)
        if rate > 0:
            layers.append(Dropout(float(rate)))
    layers.append(Dense(n_outputs, "glorot_uniform"))
    return Network(layers)


class NetworkObjective:
    r"""The penalised mean NLL of a network with a likelihood head (module docstring).

    Parameters
    ----------
    network : Network
        Built (its parameters are what ``value_and_grad`` receives).
    head : Head
    X : array (n, p)
    y : array
        As the head expects: (n, k) floats, or class codes (n,) for the categorical head.
    sample_weight : array (n,), optional
    alpha : float
        L2 strength on the dense weight matrices (Gaussian prior, coupled weight decay).
    training : bool
        Training mode (dropout active, batch norm on batch statistics, running statistics
        updated) or inference mode (for validation data).
    random_state : None, int or Generator
        Dropout masks.
    dtype : float64 or float32
        The precision of the forward and backward passes. Parameters and gradients stay
        float64 (the optimizer's master copy); float32 halves the cost of the matrix products.
    record_gradient_norms : bool or int
        Append the Euclidean norm of each parameterised layer's NLL gradient (penalty
        excluded) to ``gradient_norm_log`` at every training evaluation (True), or at every
        k-th one (an int k: a sample of the mini-batches, cheaper). Vanishing and exploding
        gradients show there.
    """

    def __init__(
        self,
        network,
        head,
        X,
        y,
        *,
        sample_weight=None,
        alpha=0.0,
        training=True,
        random_state=None,
        dtype=np.float64,
        record_gradient_norms=False,
    ):
        self.network, self.head = network, head
        self.dtype = np.dtype(dtype)
        self.X = np.asarray(X, dtype=self.dtype)
        self.y = y
        self.n_samples = self.X.shape[0]
        if sample_weight is None:
            self.weights = None
        else:
            s = np.asarray(sample_weight, dtype=np.float64)
            self.weights = s / s.mean()
        self.alpha = float(alpha)
        self.training = training
        self.rng = check_random_state(random_state)
        self._penalized = network.penalized
        self._groups = list(network.parameter_groups().values())
        self.record_gradient_norms = int(record_gradient_norms)
        self.gradient_norm_log = []
        self._calls = 0
        self.hessian = None  # no closed-form Hessian: first-order methods and L-BFGS

    def _rows(self, batch):
        if batch is None:
            X, y, s = self.X, self.y, self.weights
        else:
            X, y = self.X[batch], self.y[batch]
            s = None if self.weights is None else self.weights[batch]
        return X, y, None if s is None else s / s.shape[0]

    def _cast(self, params):
        if self.dtype == np.float64:
            return params
        return [p.astype(self.dtype) for p in params]

    def _penalty(self, params):
        if self.alpha == 0.0:
            return 0.0
        return 0.5 * self.alpha * sum(float(np.vdot(params[k], params[k])) for k in self._penalized)

    def value(self, params, batch=None) -> float:
        X, y, w = self._rows(batch)
        out, _ = self.network.forward(
            self._cast(params), X, self.training, self.rng, keep_caches=False
        )
        return float(
            np.sum(w * self.head.nll(out, y)) if w is not None else np.mean(self.head.nll(out, y))
        ) + self._penalty(params)

    def value_and_grad(self, params, batch=None):
        X, y, w = self._rows(batch)
        cast = self._cast(params)
        out, caches = self.network.forward(cast, X, self.training, self.rng)
        f, g = self.head.loss(out, y, w)
        grads = self.network.backward(cast, caches, g.astype(self.dtype, copy=False))
        if self.dtype != np.float64:
            grads = [np.asarray(gr, dtype=np.float64) for gr in grads]
        if self.record_gradient_norms and self.training and self._due():
            self.gradient_norm_log.append(
                [
                    np.sqrt(sum(float(np.vdot(grads[k], grads[k])) for k in idx))
                    for idx in self._groups
                ]
            )
        if self.alpha != 0.0:
            for k in self._penalized:
                grads[k] += self.alpha * params[k]
        return f + self._penalty(params), grads

    def _due(self) -> bool:
        self._calls += 1
        return (self._calls - 1) % self.record_gradient_norms == 0

    def output(self, params, X, chunk_size=8192):
        """The network output (head pre-activation) for ``X`` in inference mode, in chunks."""
        X = np.asarray(X, dtype=self.dtype)
        cast = self._cast(params)
        parts = [
            self.network.forward(cast, X[i : i + chunk_size], False, None, keep_caches=False)[0]
            for i in range(0, max(X.shape[0], 1), chunk_size)
        ]
        return np.asarray(np.concatenate(parts), dtype=np.float64)
