"""The multi-layer perceptron estimators: :class:`MLPRegressor` and :class:`MLPClassifier`
(the objective and the training are :mod:`~loglik.models.neural.base`'s)."""

from __future__ import annotations

import numpy as np

from ..._validation import check_choice
from .._estimator import as_float_array, check_finite, column_or_1d
from ..metrics import d2_poisson_score, r2_score
from .base import BaseMLP
from .heads import (
    BernoulliHead,
    CategoricalHead,
    GaussianHead,
    HeteroscedasticGaussianHead,
    PoissonHead,
)

__all__ = ["MLPClassifier", "MLPRegressor"]


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


class MLPRegressor(BaseMLP):
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


class MLPClassifier(BaseMLP):
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
        Z = self._output(X)
        log_proba = self.head_.likelihood.log_proba
        if self._multilabel:
            return log_proba(Z)[..., 1]
        return log_proba(Z[:, 0] if Z.shape[1] == 1 else Z)

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
