r"""The training machinery of the multi-layer perceptrons (:class:`BaseMLP`).

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
from .._estimator import BaseEstimator
from ..preprocessing import split_indices
from ..proximal_blocks import l1_prox
from .network import NetworkObjective, mlp

__all__ = ["BaseMLP"]

_DTYPES = ("float64", "float32")


def _dtype_name(dtype):
    try:
        return np.dtype(dtype).name
    except TypeError:
        return dtype


class BaseMLP(BaseEstimator):
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
                return proximal_optimizer(opt, self.learning_rate, l1_prox(self.l1, penalized))
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
            opt = proximal(opt, l1_prox(self.l1, penalized), as_schedule(self.learning_rate))
        return opt

    def _batch_size(self, n):
        if self.batch_size is None:
            return None
        if self.batch_size == "auto":
            return min(200, n)
        return int(self.batch_size)

    # -- fitting -----------------------------------------------------------------------------

    def _fit(self, X, y, sample_weight, validation_data, incremental, classes=None):
        X, Y, weights = self._start(X, y, sample_weight, incremental, classes)
        X_train, Y_train, w_train, validation = self._validation_split(
            X, Y, weights, validation_data, incremental
        )
        batch_size = self._batch_size(X_train.shape[0])
        objective = self._training_objective(X_train, Y_train, w_train, batch_size)
        optimizer = self._make_optimizer(self.network_.penalized)
        if isinstance(optimizer, ScipySolver) or optimizer.full_batch:
            batch_size = None
        early = self.early_stopping and validation is not None
        bn_states = {0: self.network_.get_state()}
        result = self._train(
            objective, optimizer, batch_size, validation, early, incremental, bn_states
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
            self._warn_not_converged(result)
        return self

    def _start(self, X, y, sample_weight, incremental, classes):
        """Validated ``(X, Y, weights)``; a fresh network (and curves) unless continuing."""
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
        if not continuing:
            self._rng = check_random_state(self.random_state)
            self._build(X, Y, weights, hidden, rates)
            self._opt_state = None
            self.loss_curve_, self.val_loss_curve_ = [], None
            self.n_epochs_, self.best_epoch_ = 0, None
            self._grad_rows = []
        return X, Y, weights

    def _training_objective(self, X, Y, weights, batch_size):
        n_batches = 1 if batch_size is None else -(-X.shape[0] // batch_size)
        return NetworkObjective(
            self.network_,
            self.head_,
            X,
            Y,
            sample_weight=weights,
            alpha=self.alpha,
            random_state=self._rng,
            dtype=self._dtype(),
            record_gradient_norms=max(1, n_batches // 16),
        )

    def _train(self, objective, optimizer, batch_size, validation, early, incremental, bn_states):
        """Run :func:`loglik.minimize`; per epoch, log the gradient norms and keep the batch-norm
        state of the best validation epoch in ``bn_states``."""
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

        state = self._opt_state if incremental else None
        if isinstance(optimizer, ScipySolver):
            state = None
        return minimize(
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

    def _warn_not_converged(self, result):
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
            stacklevel=4,
        )

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
        return self.head_.likelihood.distribution(**params)

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
