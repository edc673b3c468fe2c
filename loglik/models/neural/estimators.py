r"""Multi-layer perceptrons as likelihood maximisers, with the scikit-learn contract.

:class:`MLPRegressor` and :class:`MLPClassifier` minimise, with any shared optimizer through the
one training loop :func:`loglik.minimize`,

.. math:: F(\theta) = \frac{\sum_i s_i\,\ell\big(y_i, f_\theta(x_i)\big)}{\sum_i s_i}
          + \frac{\alpha}{2}\sum_W\|W\|_F^2 + \lambda_1\sum_W\|W\|_1,

the weighted mean negative log-likelihood of a likelihood head
(:mod:`~loglik.models.neural.heads`: Gaussian, heteroscedastic Gaussian or Poisson for
regression; Bernoulli or categorical on logits for classification) plus a Gaussian prior
(``alpha``, coupled weight decay, in the gradient) and a Laplace prior (``l1``, by its proximal
operator, soft-thresholding after each step) on the weight matrices; biases are unpenalised.

Conventions against scikit-learn's MLPs: scikit-learn's penalty is
:math:`\tfrac{a}{2B}\|W\|^2` per mini-batch of size :math:`B`, so its ``alpha=a`` is
``alpha=a/B`` here; ``hidden_layer_sizes`` is ``hidden_layers``, ``learning_rate_init`` is
``learning_rate``, ``max_iter`` is ``max_epochs``. ``loss_curve_`` holds the epoch's mean
mini-batch objective (NLL including its constants, plus the L2 term; the L1 term is not
included), ``val_loss_curve_`` the validation NLL (no penalty) after each epoch.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd

from ..._validation import ConvergenceWarning, check_choice, check_random_state, check_scalar
from ...estimation.lbfgs import ScipySolver
from ...estimation.minimize import minimize
from ...estimation.optimizer_names import get_optimizer
from ...estimation.optimizers import Optimizer
from ...estimation.proximal import proximal, proximal_optimizer
from ...estimation.schedules import as_schedule
from .._estimator import BaseEstimator, as_float_array, check_finite, column_or_1d
from ..distributions import Bernoulli, Categorical, Normal, Poisson
from ..metrics import d2_poisson_score, r2_score
from ..preprocessing import split_indices
from .heads import (
    BernoulliHead,
    CategoricalHead,
    GaussianHead,
    HeteroscedasticGaussianHead,
    PoissonHead,
)
from .network import NetworkObjective, mlp

FAMILIES = {
    "normal": Normal,
    "poisson": Poisson,
    "bernoulli": Bernoulli,
    "categorical": Categorical,
}

__all__ = ["MLPClassifier", "MLPRegressor"]

_DTYPES = ("float64", "float32")


def _dtype_name(dtype):
    try:
        return np.dtype(dtype).name
    except TypeError:
        return dtype


def _l1_prox(strength, blocks):
    r"""``prox(params, t)``: soft-thresholding of the weight blocks at :math:`t\lambda_1`, the
    proximal operator of the L1 penalty (Laplace prior) of :mod:`loglik.regularization`."""
    from ...regularization.penalties import L1

    return L1(strength).as_prox(blocks=blocks)


class _BaseMLP(BaseEstimator):
    """Shared fitting machinery; subclasses define the head and the target encoding."""

    def __init__(
        self,
        hidden_layers=(100,),
        activation="relu",
        *,
        optimizer="adam",
        learning_rate=1e-3,
        batch_size="auto",
        max_epochs=200,
        alpha=0.0,
        l1=0.0,
        dropout=0.0,
        batch_norm=False,
        early_stopping=False,
        patience=10,
        validation_fraction=0.1,
        tol=1e-4,
        n_iter_no_change=10,
        initializer=None,
        warm_start=False,
        dtype="float64",
        random_state=None,
        progress=False,
    ):
        self.hidden_layers = hidden_layers
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.alpha = alpha
        self.l1 = l1
        self.dropout = dropout
        self.batch_norm = batch_norm
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.initializer = initializer
        self.warm_start = warm_start
        self.dtype = dtype
        self.random_state = random_state
        self.progress = progress

    def _check_hyperparameters(self):
        if isinstance(self.hidden_layers, numbers.Integral):
            hidden = (int(self.hidden_layers),)
        else:
            try:
                hidden = tuple(self.hidden_layers)
            except TypeError:
                raise ValueError(
                    f"hidden_layers must be a sequence of positive integers, got "
                    f"{self.hidden_layers!r}"
                ) from None
        for k, units in enumerate(hidden):
            check_scalar(units, f"hidden_layers[{k}]", low=1, integer=True)
        rates = np.atleast_1d(np.asarray(self.dropout, dtype=np.float64))
        if rates.size not in (1, len(hidden)) or rates.ndim != 1:
            raise ValueError(
                f"dropout must be one rate or one per hidden layer ({len(hidden)}), got "
                f"{self.dropout!r}"
            )
        for rate in rates:
            check_scalar(float(rate), "dropout", low=0.0, high=1.0, high_inclusive=False)
        if isinstance(self.batch_size, str):
            check_choice(self.batch_size, "batch_size", ("auto",))
        elif self.batch_size is not None:
            check_scalar(self.batch_size, "batch_size", low=1, integer=True)
        check_scalar(self.max_epochs, "max_epochs", low=1, integer=True)
        check_scalar(self.alpha, "alpha", low=0.0)
        check_scalar(self.l1, "l1", low=0.0)
        check_scalar(self.tol, "tol", low=0.0)
        check_scalar(self.n_iter_no_change, "n_iter_no_change", low=1, integer=True)
        check_scalar(self.patience, "patience", low=1, integer=True)
        check_scalar(
            self.validation_fraction,
            "validation_fraction",
            low=0.0,
            high=1.0,
            low_inclusive=False,
            high_inclusive=False,
        )
        check_choice(_dtype_name(self.dtype), "dtype", _DTYPES)
        if not (isinstance(self.learning_rate, numbers.Real) or callable(self.learning_rate)):
            raise ValueError(
                f"learning_rate must be a positive float or a schedule, got {self.learning_rate!r}"
            )
        if isinstance(self.learning_rate, numbers.Real):
            check_scalar(self.learning_rate, "learning_rate", low=0.0, low_inclusive=False)
        mlp((1,), 1, activation=self.activation, initializer=self.initializer)  # names valid
        return hidden, rates

    def _make_optimizer(self, penalized):
        opt = self.optimizer
        if isinstance(opt, str):
            if opt in ("newton",):
                raise ValueError(
                    "optimizer 'newton' needs a Hessian, which a network objective does not "
                    "have; use 'lbfgs' for a full-batch second-order-like method"
                )
            kwargs = {} if opt == "lbfgs" else {"learning_rate": self.learning_rate}
            if self.l1 > 0 and opt != "lbfgs":
                return proximal_optimizer(opt, self.learning_rate, _l1_prox(self.l1, penalized))
            opt = get_optimizer(opt, **kwargs)
        elif not isinstance(opt, Optimizer | ScipySolver):
            raise ValueError(
                f"optimizer must be a name or a loglik optimizer, got {self.optimizer!r}"
            )
        if self.l1 > 0:
            if isinstance(opt, ScipySolver) or opt.full_batch:
                raise ValueError(
                    f"l1 > 0 needs a proximal step after a first-order update; optimizer "
                    f"{opt.name!r} cannot take one (use 'adam', 'sgd', 'fista', ...)"
                )
            opt = proximal(opt, _l1_prox(self.l1, penalized), as_schedule(self.learning_rate))
        return opt

    def _batch_size(self, n):
        if self.batch_size is None:
            return None
        if self.batch_size == "auto":
            return min(200, n)
        return int(self.batch_size)

    # -- fitting -----------------------------------------------------------------------------

    def _fit(self, X, y, sample_weight, validation_data, incremental, classes=None):
        hidden, rates = self._check_hyperparameters()
        fitted = self.__sklearn_is_fitted__() and hasattr(self, "params_")
        continuing = fitted and (incremental or self.warm_start)
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None"
            )
        X = self._validate_X(X, reset=not continuing, dtype=self._dtype())
        Y = self._encode_target(y, X.shape[0], fit=not continuing, classes=classes)
        weights = self._validate_sample_weight(sample_weight, X.shape[0])
        if weights is not None and np.all(weights == weights[0]):
            weights = None  # equal weights are no weights: identical arithmetic
        dtype = self._dtype()
        if not continuing:
            self._rng = check_random_state(self.random_state)
            self._build(X, Y, weights, hidden, rates)
            self._opt_state = None
            self.loss_curve_, self.val_loss_curve_ = [], None
            self.n_epochs_, self.best_epoch_ = 0, None
            self._grad_rows = []
        X_train, Y_train, w_train, validation = self._validation_split(
            X, Y, weights, validation_data, incremental
        )
        batch_size = self._batch_size(X_train.shape[0])
        n_batches = 1 if batch_size is None else -(-X_train.shape[0] // batch_size)
        objective = NetworkObjective(
            self.network_,
            self.head_,
            X_train,
            Y_train,
            sample_weight=w_train,
            alpha=self.alpha,
            random_state=self._rng,
            dtype=dtype,
            record_gradient_norms=max(1, n_batches // 16),
        )
        optimizer = self._make_optimizer(self.network_.penalized)
        if isinstance(optimizer, ScipySolver) or optimizer.full_batch:
            batch_size = None
        bn_states = {0: self.network_.get_state()}
        best_seen = [np.inf]

        def on_epoch(info):
            log = objective.gradient_norm_log
            if log:
                self._grad_rows.append(np.mean(np.asarray(log), axis=0))
                log.clear()
            if validation is not None and info.val_value < best_seen[0]:
                best_seen[0] = info.val_value
                bn_states[info.iteration] = self.network_.get_state()
            return False

        early = self.early_stopping and validation is not None
        state = self._opt_state if incremental else None
        if isinstance(optimizer, ScipySolver):
            state = None
        result = minimize(
            objective,
            self.params_,
            optimizer,
            batch_size=batch_size,
            max_iter=1 if incremental else int(self.max_epochs),
            tol=float(self.tol),
            gtol=1e-8,
            n_iter_no_change=int(self.n_iter_no_change),
            validation=validation,
            patience=int(self.patience) if early else None,
            restore_best=early,
            callback=on_epoch,
            progress=bool(self.progress),
            random_state=self._rng,
            warn=False,
            initial_state=state,
            evaluate_ends=False,
        )
        if result.message.startswith("diverged") or not all(
            np.all(np.isfinite(p)) for p in result.params
        ):
            raise ValueError(
                f"{type(self).__name__} training diverged ({result.message}); lower "
                f"learning_rate (now {self.learning_rate!r}) or scale the features"
            )
        self._record(result, objective, validation, early, bn_states)
        if not result.converged and not incremental:
            reason = (
                f"max_epochs={self.max_epochs} reached"
                if result.message.startswith("maximum")
                else result.message
            )
            warnings.warn(
                f"{type(self).__name__} stopped without converging ({reason}): the training "
                f"objective still changed by more than tol={self.tol} within "
                f"{self.n_iter_no_change} epochs; raise max_epochs or tol",
                ConvergenceWarning,
                stacklevel=3,
            )
        return self

    def _build(self, X, Y, weights, hidden, rates):
        self.head_ = self._make_head(Y)
        n_out = self.head_.n_outputs(Y.shape[1] if Y.ndim == 2 else 1)
        self.network_ = mlp(
            hidden,
            n_out,
            activation=self.activation,
            initializer=self.initializer,
            dropout=rates if rates.size > 1 else float(rates[0]),
            batch_norm=bool(self.batch_norm),
        )
        params = self.network_.build(X.shape[1], self._rng)
        normalised = None if weights is None else weights / weights.sum()
        params[-1] = np.asarray(self.head_.initial_bias(Y, normalised), dtype=np.float64)
        self.params_ = params

    def _validation_split(self, X, Y, weights, validation_data, incremental):
        """Training rows and the validation objective (None without early stopping or
        ``validation_data``)."""
        if validation_data is not None:
            X_val, y_val = validation_data
            X_val = self._validate_X(X_val, reset=False, name="validation X", dtype=self._dtype())
            Y_val = self._encode_target(y_val, X_val.shape[0], fit=False, name="validation y")
            return X, Y, weights, self._validation_objective(X_val, Y_val, None)
        if not self.early_stopping or incremental:
            return X, Y, weights, None
        n = X.shape[0]
        if n < 2:
            raise ValueError("early_stopping needs at least 2 rows (a validation split)")
        stratify = self._stratify(Y)
        train, val = split_indices(
            n,
            [1 - self.validation_fraction, self.validation_fraction],
            stratify=stratify,
            random_state=self._rng,
        )
        if val.size == 0 or train.size == 0:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} of {n} rows leaves an empty "
                "training or validation part"
            )
        w_val = None if weights is None else weights[val]
        w_train = None if weights is None else weights[train]
        return X[train], Y[train], w_train, self._validation_objective(X[val], Y[val], w_val)

    def _validation_objective(self, X_val, Y_val, w_val):
        return NetworkObjective(
            self.network_,
            self.head_,
            X_val,
            Y_val,
            sample_weight=w_val,
            training=False,
            dtype=self._dtype(),
        )

    def _stratify(self, Y):
        return None

    def _record(self, result, objective, validation, early, bn_states):
        self.params_ = [np.asarray(p, dtype=np.float64) for p in result.params]
        self._opt_state = result.state
        epochs = result.history.value[1:]
        self.loss_curve_ = list(self.loss_curve_) + [float(v) for v in epochs]
        if validation is not None:
            previous = list(self.val_loss_curve_ or [])
            self.val_loss_curve_ = previous + [float(v) for v in result.history.val_value[1:]]
        start = self.n_epochs_
        self.n_epochs_ = start + int(result.n_iter)
        self.converged_ = bool(result.converged)
        self.stop_message_ = result.message
        if early and result.best_iteration is not None:
            self.best_epoch_ = start + int(result.best_iteration)
            best = result.best_iteration
            if best in bn_states:
                self.network_.set_state(bn_states[best])
        groups = list(self.network_.parameter_groups())
        rows = np.asarray(self._grad_rows, dtype=np.float64).reshape(-1, len(groups))
        self.gradient_norms_ = pd.DataFrame(
            rows, columns=groups, index=pd.RangeIndex(1, rows.shape[0] + 1, name="epoch")
        )

    # -- prediction --------------------------------------------------------------------------

    def _dtype(self):
        return np.dtype(_dtype_name(self.dtype))

    def _output(self, X):
        self._check_is_fitted()
        X = self._validate_X(X, reset=False, dtype=self._dtype())
        objective = NetworkObjective(
            self.network_, self.head_, X[:0], None, training=False, dtype=self._dtype()
        )
        return objective.output(self.params_, X)

    @property
    def coefs_(self) -> list:
        """The weight matrices of the dense layers, input to output (as scikit-learn's)."""
        self._check_is_fitted()
        return [self.params_[k] for k in self.network_.penalized]

    @property
    def intercepts_(self) -> list:
        """The bias vectors of the dense layers, input to output."""
        self._check_is_fitted()
        return [self.params_[k + 1] for k in self.network_.penalized]

    @property
    def n_iter_(self) -> int:
        """Epochs run (scikit-learn's name for ``n_epochs_``)."""
        self._check_is_fitted()
        return self.n_epochs_

    @property
    def loss_(self) -> float:
        """The last epoch's training objective."""
        self._check_is_fitted()
        return self.loss_curve_[-1]

    def _likelihood_head(self):
        """The head of the fitted likelihood (for the Gaussian: at the estimated ``sigma_``)."""
        return self.head_

    def predict_dist(self, X):
        """The predictive distribution of y given each row of ``X``: a family of
        :mod:`loglik.models.distributions` (Normal, Poisson, Bernoulli or Categorical over the
        class codes ``0..len(classes_)-1``) whose ``params`` hold one value per row (one row of
        values for several targets or classes), with ``logpdf``, ``cdf``, ``ppf``, ``mean``,
        ``var``, ``sample`` and ``to_scipy``."""
        params = self.predict_params(X)
        return FAMILIES[self.head_.family](**params)

    def nll(self, X, y, sample_weight=None) -> float:
        """The weighted mean negative log-likelihood of ``y`` given ``X`` (no penalty)."""
        Z = self._output(X)
        Y = self._encode_target(y, Z.shape[0], fit=False)
        s = self._validate_sample_weight(sample_weight, Z.shape[0])
        per_row = self._likelihood_head().nll(Z, Y)
        return float(np.average(per_row, weights=s))

    def log_likelihood(self, X, y) -> float:
        """The total log-likelihood :math:`\\sum_i \\log p(y_i \\mid x_i)` of the fitted model."""
        Z = self._output(X)
        Y = self._encode_target(y, Z.shape[0], fit=False)
        return -float(np.sum(self._likelihood_head().nll(Z, Y)))


_COMMON_DOC = """
    hidden_layers : sequence of int
        Units of each hidden layer; ``()`` gives a generalised linear model.
    activation : str, Activation or Layer
        ``"relu"``, ``"leaky_relu"``, ``"prelu"``, ``"swish"``/``"silu"``, ``"tanh"``,
        ``"sigmoid"``/``"logistic"``, ``"identity"``, ``"softmax"``.
    optimizer : str or optimizer
        Any shared optimizer: a name (``"adam"``, ``"sgd"``, ``"momentum"``, ``"nesterov"``,
        ``"rmsprop"``, ``"adagrad"``, ``"adamw"``, ``"gd"``, ``"ista"``, ``"fista"``,
        ``"lbfgs"``) built with ``learning_rate``, or a configured one
        (``loglik.optimizers.sgd(0.1, momentum=0.9)``; then ``learning_rate`` is used only by
        the L1 proximal step). ``"lbfgs"`` is full batch.
    learning_rate : float or schedule
    batch_size : int, "auto" or None
        Rows per mini-batch; ``"auto"`` is ``min(200, n)``; None is full batch.
    max_epochs : int
        Passes over the training rows (iterations for full batch).
    alpha : float
        L2 penalty :math:`\\tfrac{\\alpha}{2}\\|W\\|^2` (Gaussian prior
        :math:`N(0, 1/(n\\alpha))` on every weight), in the gradient (coupled decay).
    l1 : float
        L1 penalty :math:`\\lambda_1\\|W\\|_1` (Laplace prior), applied by soft-thresholding
        after each step (proximal gradient), so weights become exactly 0. The threshold is the
        step each optimizer takes (:func:`loglik.optimizers.proximal_optimizer`):
        :math:`\\eta\\lambda_1` for ``"sgd"``, ``"ista"``, ``"fista"``,
        :math:`\\eta\\lambda_1/(1-\\beta)` for momentum, per coordinate
        :math:`\\eta\\lambda_1/(\\sqrt{\\hat v_i}+\\epsilon)` for ``"adam"`` (the prox in
        Adam's metric), ``"rmsprop"`` and ``"adagrad"``. An optimizer given as an instance gets
        the scalar :math:`\\eta\\lambda_1` (exact only for plain gradient steps).
    dropout : float or sequence of float
        Inverted-dropout rate after each hidden layer (training only).
    batch_norm : bool
        Batch normalisation before each hidden activation.
    early_stopping : bool
        Hold out ``validation_fraction`` of the rows (stratified for classifiers), stop when
        the validation NLL has not improved for ``patience`` epochs and restore the best epoch
        (weights and batch-norm statistics).
    patience : int
    validation_fraction : float in (0, 1)
    tol, n_iter_no_change :
        Stop when the relative change of the epoch's training objective is at most ``tol``
        for ``n_iter_no_change`` consecutive epochs (``tol=0`` disables it).
    initializer : str or callable, optional
        Hidden-layer weight initialiser; default from the activation (He for the ReLU family,
        Glorot otherwise).
    warm_start : bool
        ``fit`` continues from the current weights (a fresh optimizer state); the curves grow.
    dtype : "float64" or "float32"
        Precision of the forward/backward passes (the weights stay float64).
    random_state : None, int or numpy.random.Generator
        Initial weights, shuffling, dropout masks and the validation split.
    progress : bool
        A tqdm progress bar over the epochs.
"""

_ATTRIBUTES_DOC = """
    Attributes
    ----------
    params_ : list of arrays
        All parameter blocks (weights, biases, slopes, batch-norm scales) in layer order.
    coefs_, intercepts_ : lists of arrays
        The dense layers' weights and biases.
    network_ : Network
    head_ : Head
    loss_curve_ : list of float
        Training objective per epoch.
    val_loss_curve_ : list of float or None
        Validation NLL per epoch (with early stopping or ``validation_data``).
    n_epochs_, n_iter_ : int
    best_epoch_ : int or None
        The restored epoch when early stopping was used.
    gradient_norms_ : pandas.DataFrame
        Per epoch (rows) and layer (columns), the mean over mini-batches of the Euclidean norm
        of the layer's NLL gradient (over every batch, or an evenly spaced sample of about 16
        per epoch when there are more): vanishing or exploding gradients show here.
    converged_ : bool
    n_features_in_, feature_names_in_
"""


class MLPRegressor(_BaseMLP):
    __doc__ = (
        r"""A multi-layer perceptron fitted by maximum likelihood for a continuous or count
    target.

    Parameters
    ----------
    likelihood : {"gaussian", "heteroscedastic", "poisson"}
        ``"gaussian"``: Normal with a constant σ (least squares; σ is then estimated as the
        root mean squared residual, ``sigma_``). ``"heteroscedastic"``: the network outputs a
        mean and a σ per row (σ = softplus + ``min_sigma``). ``"poisson"``: counts with a
        log-rate output.
    min_sigma : float
        The heteroscedastic head's floor on σ, in the units of y.
"""
        + _COMMON_DOC
        + _ATTRIBUTES_DOC
        + """    sigma_ : float or array
        The Gaussian likelihood's σ (per target).

    Examples
    --------
    >>> import numpy as np
    >>> import loglik as ll
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-2.0, 2.0, (400, 1))
    >>> y = X[:, 0] + (0.1 + 0.3 * np.abs(X[:, 0])) * rng.standard_normal(400)  # noisier far out
    >>> model = ll.MLPRegressor(likelihood="heteroscedastic", hidden_layers=(16,),
    ...                         learning_rate=0.01, early_stopping=True, random_state=0)
    >>> model = model.fit(X, y)
    >>> dist = model.predict_dist(np.array([[0.0], [1.9]]))   # a Normal: a mean and a σ per row
    >>> dist.batch_shape, bool(dist.std()[1] > 2 * dist.std()[0])
    ((2,), True)
    """
    )

    _estimator_type = "regressor"

    def __init__(
        self,
        hidden_layers=(100,),
        activation="relu",
        *,
        likelihood="gaussian",
        optimizer="adam",
        learning_rate=1e-3,
        batch_size="auto",
        max_epochs=200,
        alpha=0.0,
        l1=0.0,
        dropout=0.0,
        batch_norm=False,
        early_stopping=False,
        patience=10,
        validation_fraction=0.1,
        tol=1e-4,
        n_iter_no_change=10,
        min_sigma=1e-3,
        initializer=None,
        warm_start=False,
        dtype="float64",
        random_state=None,
        progress=False,
    ):
        super().__init__(
            hidden_layers,
            activation,
            optimizer=optimizer,
            learning_rate=learning_rate,
            batch_size=batch_size,
            max_epochs=max_epochs,
            alpha=alpha,
            l1=l1,
            dropout=dropout,
            batch_norm=batch_norm,
            early_stopping=early_stopping,
            patience=patience,
            validation_fraction=validation_fraction,
            tol=tol,
            n_iter_no_change=n_iter_no_change,
            initializer=initializer,
            warm_start=warm_start,
            dtype=dtype,
            random_state=random_state,
            progress=progress,
        )
        self.likelihood = likelihood
        self.min_sigma = min_sigma

    def _update_tags(self, tags):
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = True
        return tags

    def _make_head(self, Y):
        check_choice(self.likelihood, "likelihood", ("gaussian", "heteroscedastic", "poisson"))
        if self.likelihood == "heteroscedastic":
            return HeteroscedasticGaussianHead(self.min_sigma)
        return PoissonHead() if self.likelihood == "poisson" else GaussianHead(1.0)

    def _encode_target(self, y, n, *, fit, classes=None, name="y"):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None"
            )
        Y = as_float_array(y, name)
        if Y.ndim == 1:
            Y = Y[:, None]
            if fit:
                self._y_1d = True
        elif Y.ndim == 2:
            if fit:
                self._y_1d = False
        else:
            raise ValueError(f"{name} must be 1- or 2-dimensional, got shape {Y.shape}")
        if Y.shape[0] != n:
            raise ValueError(f"X has {n} rows but {name} has {Y.shape[0]}")
        check_finite(Y, name)
        if fit:
            self.n_outputs_ = Y.shape[1]
            check_choice(self.likelihood, "likelihood", ("gaussian", "heteroscedastic", "poisson"))
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"{name} has {Y.shape[1]} targets, the model was fitted on {self.n_outputs_}"
            )
        head = self.head_ if hasattr(self, "head_") and not fit else self._make_head(Y)
        head.check_target(Y, name)
        return Y

    def fit(self, X, y, sample_weight=None, validation_data=None):
        """Fit by minimising the penalised mean NLL; ``validation_data=(X_val, y_val)``
        replaces the internal split for the validation curve and early stopping."""
        return self._fit(X, y, sample_weight, validation_data, incremental=False)

    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``(X, y)``, continuing the weights and the optimizer state."""
        return self._fit(X, y, sample_weight, None, incremental=True)

    def _record(self, result, objective, validation, early, bn_states):
        super()._record(result, objective, validation, early, bn_states)
        if self.likelihood == "gaussian":
            Z = objective.output(self.params_, objective.X)
            r = objective.y - Z
            w = objective.weights
            # floored: a perfect fit (zero residuals) would have sigma = 0 and infinite density
            self.sigma_ = np.maximum(np.sqrt(np.average(r * r, axis=0, weights=w)), 1e-12)
            if self._y_1d:
                self.sigma_ = float(self.sigma_[0])

    def _shape(self, M):
        return M[:, 0] if self._y_1d else M

    def predict(self, X):
        """The predictive mean :math:`E[y \\mid x]`."""
        Z = self._output(X)
        return self._shape(self.head_.inverse_link(Z))

    def predict_params(self, X) -> dict:
        """The predictive distribution's parameters per row (``mu``/``sigma`` or ``rate``)."""
        Z = self._output(X)
        params = self._likelihood_head().dist_params(Z)
        return {k: self._shape(v) for k, v in params.items()}

    def _likelihood_head(self):
        if self.likelihood == "gaussian":
            return GaussianHead(self.sigma_)
        return self.head_

    def score(self, X, y, sample_weight=None):
        r""":math:`R^2` (Gaussian likelihoods) or :math:`D^2`, the fraction of Poisson deviance
        explained (Poisson), averaged over targets; 1 is perfect, 0 is the constant model."""
        pred = self.predict(X)
        Y = self._encode_target(y, np.shape(pred)[0], fit=False)
        P = pred[:, None] if pred.ndim == 1 else pred
        s = self._validate_sample_weight(sample_weight, Y.shape[0])
        score = d2_poisson_score if self.likelihood == "poisson" else r2_score
        return float(np.mean([score(Y[:, k], P[:, k], s) for k in range(Y.shape[1])]))


class MLPClassifier(_BaseMLP):
    __doc__ = (
        r"""A multi-layer perceptron classifier fitted by maximum likelihood.

    Two classes: one Bernoulli output on the logit (binary cross-entropy); more: a categorical
    output on the logits (softmax cross-entropy); a 0/1 indicator matrix ``y`` (multilabel):
    one Bernoulli output per column.

    Parameters
    ----------
"""
        + _COMMON_DOC
        + _ATTRIBUTES_DOC
        + """    classes_ : array
        The labels seen in fit (for multilabel: the column indices).
    """
    )

    _estimator_type = "classifier"

    def _update_tags(self, tags):
        tags.classifier_tags.multi_label = True
        return tags

    # -- targets -----------------------------------------------------------------------------

    def _encode_target(self, y, n, *, fit, classes=None, name="y"):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None"
            )
        y = np.asarray(y.to_numpy() if hasattr(y, "to_numpy") else y)
        if y.dtype.kind == "c":
            raise ValueError(f"Complex data not supported: {name} is complex")
        if y.ndim == 2 and y.shape[1] > 1:
            return self._encode_multilabel(y, n, fit, name)
        y = column_or_1d(y, name)
        if y.shape[0] != n:
            raise ValueError(f"X has {n} rows but {name} has {y.shape[0]}")
        _check_labels(y, name)
        if fit:
            self._multilabel = False
            labels = np.unique(y) if classes is None else np.unique(np.asarray(classes))
            if classes is not None:
                _check_known(y, labels, name, "classes")
            if labels.size < 2:
                raise ValueError(
                    f"{name} has one class only ({labels[0]!r}); a classifier needs at least 2 "
                    "classes"
                )
            self.classes_ = labels
        else:
            if self._multilabel:
                raise ValueError(
                    f"the model was fitted on a multilabel indicator matrix; {name} must be one too"
                )
            if classes is not None and not np.array_equal(np.unique(classes), self.classes_):
                raise ValueError(
                    f"classes={list(classes)!r} differ from the classes of the first call "
                    f"{list(self.classes_)!r}"
                )
            _check_known(y, self.classes_, name, "fit")
        codes = np.searchsorted(self.classes_, y)
        if self.classes_.size == 2:
            return codes.astype(np.float64)[:, None]
        return codes.astype(np.intp)

    def _encode_multilabel(self, y, n, fit, name):
        Y = as_float_array(y, name)
        if Y.shape[0] != n:
            raise ValueError(f"X has {n} rows but {name} has {Y.shape[0]}")
        BernoulliHead().check_target(Y, name)
        if fit:
            self._multilabel = True
            self.classes_ = np.arange(Y.shape[1])
        elif not self._multilabel or Y.shape[1] != self.classes_.size:
            raise ValueError(f"{name} must have the label columns seen in fit")
        return Y

    def _make_head(self, Y):
        if self._multilabel or self.classes_.size == 2:
            return BernoulliHead()
        return CategoricalHead(self.classes_.size)

    def _stratify(self, Y):
        return None if self._multilabel else (Y[:, 0] if Y.ndim == 2 else Y)

    # -- fitting -----------------------------------------------------------------------------

    def fit(self, X, y, sample_weight=None, validation_data=None):
        """Fit by minimising the penalised mean NLL; ``validation_data=(X_val, y_val)``
        replaces the internal split for the validation curve and early stopping."""
        return self._fit(X, y, sample_weight, validation_data, incremental=False)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch over ``(X, y)``, continuing the weights and the optimizer state.

        ``classes`` (all labels that will ever appear) is required on the first call, as in
        scikit-learn; labels outside it are an error.
        """
        if not hasattr(self, "params_") and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit")
        return self._fit(X, y, sample_weight, None, incremental=True, classes=classes)

    # -- prediction --------------------------------------------------------------------------

    def decision_function(self, X):
        """The logits: shape (n,) for two classes, (n, n_classes) otherwise."""
        Z = self._output(X)
        return Z[:, 0] if Z.shape[1] == 1 and not self._multilabel else Z

    def predict_proba(self, X):
        """Class probabilities, shape (n, n_classes) (multilabel: P(label) per column)."""
        Z = self._output(X)
        P = self.head_.inverse_link(Z)
        if P.shape[1] == 1 and not self._multilabel:
            return np.column_stack([1.0 - P[:, 0], P[:, 0]])
        return P

    def predict_log_proba(self, X):
        """Log class probabilities, computed from the logits (no log of a rounded 0)."""
        from scipy import special

        Z = self._output(X)
        if self._multilabel:
            return -np.logaddexp(0.0, -Z)
        if Z.shape[1] == 1:
            return np.column_stack([-np.logaddexp(0.0, Z[:, 0]), -np.logaddexp(0.0, -Z[:, 0])])
        return Z - special.logsumexp(Z, axis=1, keepdims=True)

    def predict(self, X):
        """The most probable class (multilabel: the labels with probability > 1/2)."""
        Z = self._output(X)
        if self._multilabel:
            return (Z > 0).astype(int)
        if Z.shape[1] == 1:
            return self.classes_[(Z[:, 0] > 0).astype(int)]
        return self.classes_[np.argmax(Z, axis=1)]

    def predict_params(self, X) -> dict:
        """The predictive distribution's parameters per row: ``p`` (Bernoulli: the probability
        of ``classes_[1]``, shape (n,); multilabel: (n, labels)) or ``probs`` (categorical,
        (n, n_classes) over ``classes_``)."""
        Z = self._output(X)
        params = self.head_.dist_params(Z)
        if "p" in params and not self._multilabel:
            params["p"] = params["p"][:, 0]
        return params

    def score(self, X, y, sample_weight=None):
        """Accuracy (the fraction of rows predicted exactly; for multilabel, every label)."""
        pred = self.predict(X)
        n = pred.shape[0]
        Y = self._encode_target(y, n, fit=False)
        s = self._validate_sample_weight(sample_weight, n)
        if self._multilabel:
            hits = np.all(pred == Y, axis=1)
        else:
            codes = Y[:, 0].astype(int) if Y.ndim == 2 else Y
            hits = self.classes_[codes] == pred
        return float(np.average(hits, weights=s))


def _check_labels(y, name):
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise ValueError(f"{name} contains NaN or inf")
        if np.any(y != np.round(y)):
            raise ValueError(
                f"Unknown label type: continuous {name} (non-integer values such as "
                f"{y[np.argmax(y != np.round(y))]}); a classifier needs class labels"
            )
    elif y.dtype.kind == "O":
        kinds = {type(v) for v in y}
        if any(isinstance(v, float) and not float(v).is_integer() for v in y):
            raise ValueError(f"Unknown label type: continuous {name}")
        if str in kinds and len(kinds) > 1:
            raise ValueError(f"Unknown label type: {name} mixes strings and numbers")
    elif y.dtype.kind not in "biuUS":
        raise ValueError(f"Unknown label type: {name} of dtype {y.dtype}")


def _check_known(y, labels, name, where):
    unseen = np.setdiff1d(np.unique(y), labels)
    if unseen.size:
        shown = ", ".join(repr(v) for v in unseen[:5].tolist())
        raise ValueError(
            f"{name} contains labels not seen in {where}: {shown}"
            f"{' ...' if unseen.size > 5 else ''}; known: {list(labels.tolist())}"
        )
