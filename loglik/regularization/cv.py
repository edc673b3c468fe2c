r"""Cross-validated alpha (and l1_ratio): :class:`LassoCV` and :class:`ElasticNetCV`.

For each l1_ratio the alpha grid comes from the full data (glmnet's convention); each fold's
training part is the full data with the held-out rows' weights set to 0 (no copy of X; for the
Gaussian family the fold's Gram matrix is the full one minus the held-out rows'), fitted along
the whole grid with warm starts, and scored on the held-out rows with a family-suited loss.
The CV curve is the fold-weighted mean loss with its standard error; ``alpha_min_`` minimises it
and ``alpha_1se_`` is the largest alpha within one standard error of that minimum (the
"one-standard-error rule").
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from .._blas import single_threaded
from .._validation import check_choice, check_random_state, check_scalar
from ..models.likelihoods import LIKELIHOODS
from .estimators import PenalizedEstimator
from .gaussian import GaussianStats
from .path import alpha_grid, check_alphas, progress_bar

__all__ = ["SCORINGS", "ElasticNetCV", "LassoCV", "cv_loss"]

SCORINGS = ("deviance", "mse", "mae", "misclassification", "auc")


def _weighted_auc(y, score, w):
    """The area under the ROC curve, :math:`P(\\text{score}_+ > \\text{score}_-) + \\tfrac12
    P(\\text{tie})` over weighted pairs."""
    order = np.argsort(score, kind="mergesort")
    score, y, w = score[order], y[order], w[order]
    pos, neg = w * (y == 1), w * (y == 0)
    _, start = np.unique(score, return_index=True)
    pos_g = np.add.reduceat(pos, start)
    neg_g = np.add.reduceat(neg, start)
    neg_below = np.cumsum(neg_g) - neg_g
    total = pos_g.sum() * neg_g.sum()
    if total == 0:
        return 0.5
    return float((pos_g @ neg_below + 0.5 * pos_g @ neg_g) / total)


def cv_loss(scoring, likelihood, y, eta, s):
    """The weighted mean held-out loss (``"auc"``: the AUC, to be maximised) of linear
    predictors ``eta`` for responses ``y`` (class codes for classifiers); for the likelihoods
    with one linear predictor, ``eta`` may hold one column per fit (``y`` of shape (n, 1)) and
    the losses come back per column."""
    if scoring == "deviance":
        return s @ likelihood.unit_deviance(y, eta) / s.sum()
    if scoring == "auc":
        return _weighted_auc(y, eta, s)
    if scoring == "misclassification":
        return s @ (likelihood.predict_class(eta) != y) / s.sum()
    mu = likelihood.mean(eta)
    resid = likelihood.observed_mean(y, mu.shape[-1]) - mu
    err = resid**2 if scoring == "mse" else np.abs(resid)
    if likelihood.multinomial:  # an error per class: summed over the classes of a row
        return float(s @ err.sum(axis=1) / s.sum())
    return s @ err / s.sum()


def _splits(cv, data, classification, random_state):
    """``[(train_mask, test_mask), ...]`` from ``cv``: a number of folds (random, stratified
    by class for classifiers), a fold label per row, or (train, test) index pairs."""
    n = data.n
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        k = check_scalar(cv, "cv", low=2, integer=True)
        if k > data.n_eff:
            raise ValueError(f"cv={k} folds but only {data.n_eff} rows have positive weight")
        rng = check_random_state(random_state)
        ids = np.empty(n, dtype=np.intp)
        groups = (
            [np.flatnonzero(data.y == c) for c in np.unique(data.y)]
            if classification
            else [np.arange(n)]
        )
        start = 0
        for rows in groups:  # stratified for classifiers: each class dealt round-robin
            perm = rng.permutation(rows)
            ids[perm] = (np.arange(perm.size) + start) % k
            start += perm.size
        return [(ids != f, ids == f) for f in range(k)]
    items = list(cv)
    if len(items) == n and all(np.ndim(item) == 0 for item in items):
        _, ids = np.unique(np.asarray(items), return_inverse=True)
        if ids.max() < 1:
            raise ValueError("cv fold labels name a single fold; at least 2 are needed")
        return [(ids != f, ids == f) for f in range(int(ids.max()) + 1)]
    splits = []
    for item in items:
        try:
            train, test = item
        except (TypeError, ValueError):
            raise ValueError(
                "cv must be a number of folds, a fold label per row, or (train, test) index "
                f"pairs; got an item {item!r}"
            ) from None
        masks = []
        for idx in (train, test):
            mask = np.zeros(n, dtype=bool)
            mask[np.asarray(idx, dtype=np.intp)] = True
            masks.append(mask)
        splits.append(tuple(masks))
    if len(splits) < 1:
        raise ValueError("cv has no splits")
    return splits


class ElasticNetCV(PenalizedEstimator):
    r"""Elastic-net GLM with alpha (and l1_ratio) chosen by K-fold cross-validation.

    The objective is :class:`loglik.ElasticNet`'s. For every l1_ratio, ``n_alphas`` alphas
    from its :math:`\alpha_{\max}` down to ``eps`` times it (or the given ``alphas``) are fitted on
    each fold with warm starts and scored on the held-out rows.

    Parameters
    ----------
    l1_ratio : float or sequence of floats
        :math:`\rho` values to search over.
    family : {"gaussian", "bernoulli", "poisson", "categorical"}
    alphas : array, optional
        The alpha grid (default: per l1_ratio, from the full data).
    n_alphas, eps
        The default grid.
    cv : int or array of fold labels
        Number of folds (random from ``random_state``; stratified by class for classifiers), or
        a fold label per row.
    scoring : {"deviance", "mse", "mae", "misclassification", "auc"}
        The held-out loss: mean deviance (Gaussian: the MSE), squared or absolute error of the
        fitted mean (probabilities for classifiers), misclassification rate, or the AUC
        (bernoulli; maximised).
    refit : {"min", "1se"}
        Refit on all the data at ``alpha_min_`` or at ``alpha_1se_``.
    fit_intercept, standardize, penalty_factor, positive, bounds, tol, max_iter
        As :class:`loglik.ElasticNet`.
    random_state : None, int or Generator
        The fold assignment.
    progress : bool
        A tqdm progress bar over (l1_ratio, fold) fits.

    Attributes
    ----------
    alpha_, l1_ratio_ : float
        The chosen values (the final fit's).
    alpha_min_, alpha_1se_ : float
        The minimising alpha and the one-standard-error alpha (for the best l1_ratio).
    alphas_ : array (n_l1_ratio, n_alphas)
    cv_mean_, cv_se_ : arrays (n_l1_ratio, n_alphas)
        The CV curve and its standard error (fold-weighted).
    cv_folds_ : array (n_l1_ratio, n_alphas, n_folds)
    cv_results_ : pandas.DataFrame
        l1_ratio, alpha, mean, se: one row per grid point.
    coef_, intercept_, and the fit attributes of :class:`loglik.ElasticNet` at the chosen alpha.
    """

    def __init__(
        self,
        l1_ratio=0.5,
        *,
        family="gaussian",
        alphas=None,
        n_alphas=100,
        eps=1e-3,
        cv=5,
        scoring="deviance",
        refit="min",
        fit_intercept=True,
        standardize=False,
        penalty_factor=None,
        positive=False,
        bounds=None,
        tol=1e-7,
        max_iter=1000,
        random_state=None,
        progress=False,
    ):
        self.l1_ratio = l1_ratio
        self.family = family
        self.alphas = alphas
        self.n_alphas = n_alphas
        self.eps = eps
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.positive = positive
        self.bounds = bounds
        self.tol = tol
        self.max_iter = max_iter
        self.random_state = random_state
        self.progress = progress

    def _family_name(self):
        return check_choice(self.family, "family", tuple(LIKELIHOODS))

    def _l1_ratios(self):
        ratios = np.atleast_1d(np.asarray(self.l1_ratio, dtype=np.float64))
        if ratios.ndim != 1 or ratios.size == 0:
            raise ValueError(f"l1_ratio must be a number or a 1-d sequence, got {self.l1_ratio}")
        return [check_scalar(float(r), "l1_ratio", low=0.0, high=1.0) for r in ratios]

    def _problem(self, data, likelihood, rho, stats=None):
        return self._penalized_problem(
            data,
            likelihood,
            self._penalty_settings(rho),
            gram=True if stats is not None else None,
            stats=stats,
        )

    def _check_scoring(self, likelihood):
        check_choice(self.scoring, "scoring", SCORINGS)
        check_choice(self.refit, "refit", ("min", "1se"))
        if self.scoring == "auc" and not likelihood.binary:
            raise ValueError("scoring='auc' is for the bernoulli family")
        if self.scoring == "misclassification" and not likelihood.classification:
            raise ValueError("scoring='misclassification' is for classifier families")

    @single_threaded
    def fit(self, X, y, sample_weight=None, offset=None, exposure=None):
        """Cross-validate, then refit on all rows at the chosen alpha; returns self."""
        likelihood = self._likelihood()
        ratios = self._l1_ratios()
        self._check_scoring(likelihood)
        tol = check_scalar(self.tol, "tol", low=0.0)
        max_iter = check_scalar(self.max_iter, "max_iter", low=1, integer=True)
        data = self._prepare_data(X, y, sample_weight, offset, exposure, likelihood)
        splits = _splits(self.cv, data, likelihood.classification, self.random_state)
        stats = None
        if likelihood.least_squares and data.p <= data.n:  # one Gram matrix, folds subtract
            stats = _gaussian_fold_stats(data, splits, self.fit_intercept)
        bar = progress_bar(len(ratios) * len(splits), self.progress, "cross-validation")
        grids, folds = [], []
        for rho in ratios:
            grid, losses = self._cross_validate(
                data, likelihood, rho, splits, stats, tol, max_iter, bar
            )
            grids.append(grid)
            folds.append(losses)
        if bar is not None:
            bar.close()
        fold_weight = np.array([data.sample_weight[held].sum() for _, held in splits])
        self._summarise(ratios, np.array(grids), np.array(folds), fold_weight)
        full_stats = None if stats is None else stats[0]
        problem = self._problem(data, likelihood, self.l1_ratio_, full_stats)
        grid = self.alphas_[self._best_index]
        fit = problem.path(grid[grid >= self.alpha_], tol=tol, max_iter=max_iter)[-1]
        self._store_fit(problem, fit, self.alpha_)
        return self

    def _cross_validate(self, data, likelihood, rho, splits, stats, tol, max_iter, bar):
        """The alpha grid at ``rho`` and the held-out loss per (alpha, fold)."""
        full_stats, fold_stats = (None, None) if stats is None else stats
        problem = self._problem(data, likelihood, rho, full_stats)
        grid = (
            alpha_grid(problem.alpha_max(), self.n_alphas, self.eps)
            if self.alphas is None
            else check_alphas(self.alphas)
        )
        losses = np.empty((grid.size, len(splits)))
        for fold, (train_mask, held) in enumerate(splits):
            train_w = np.where(train_mask, data.sample_weight, 0.0)
            if not np.any(train_w > 0) or not np.any(data.sample_weight[held] > 0):
                raise ValueError(f"cv split {fold} has no weighted training or test rows")
            train_stats = None if stats is None else (fold_stats[fold], *full_stats[1:])
            fold_problem = self._problem(data.with_weights(train_w), likelihood, rho, train_stats)
            fits = fold_problem.path(grid, tol=tol, max_iter=max_iter)
            losses[:, fold] = _held_out_losses(self.scoring, fold_problem, fits, data, held)
            if bar is not None:
                bar.update(1)
        return grid, losses

    def _summarise(self, ratios, grids, folds, fold_weight):
        wts = fold_weight / fold_weight.sum()
        mean = folds @ wts
        var = ((folds - mean[..., None]) ** 2) @ wts * (len(wts) / max(len(wts) - 1, 1))
        se = np.sqrt(var / len(wts))
        maximise = self.scoring == "auc"
        best = np.unravel_index(np.argmax(mean) if maximise else np.argmin(mean), mean.shape)
        i, j = int(best[0]), int(best[1])
        limit = mean[i, j] - se[i, j] if maximise else mean[i, j] + se[i, j]
        within = mean[i] >= limit if maximise else mean[i] <= limit
        self.l1_ratio_ = float(ratios[i])
        self.alpha_min_ = float(grids[i, j])
        self.alpha_1se_ = float(grids[i][within].max())
        self.alpha_ = self.alpha_min_ if self.refit == "min" else self.alpha_1se_
        self.alphas_, self.cv_mean_, self.cv_se_, self.cv_folds_ = grids, mean, se, folds
        self.cv_results_ = pd.DataFrame(
            {
                "l1_ratio": np.repeat(ratios, grids.shape[1]),
                "alpha": grids.ravel(),
                "mean": mean.ravel(),
                "se": se.ravel(),
            }
        )
        self._best_index = i


def _gaussian_fold_stats(data, splits, fit_intercept):
    """Sufficient statistics of all rows, and of each split's training rows (all rows minus the
    held-out ones when the split is a partition), about one common shift."""
    X, y, s = data.X, data.y - data.offset, data.sample_weight
    full, shift_x, shift_y = GaussianStats.about_means(X, y, s, fit_intercept)
    train = []
    for train_mask, held in splits:
        if np.array_equal(train_mask, ~held):
            st = full - GaussianStats.compute(X, y, s, shift_x, shift_y, np.flatnonzero(held))
        else:
            st = GaussianStats.compute(X, y, s, shift_x, shift_y, np.flatnonzero(train_mask))
        train.append(st)
    return (full, shift_x, shift_y), train


def _held_out_losses(scoring, problem, fits, data, held):
    X, y, s, o = data.X[held], data.y[held], data.sample_weight[held], data.offset[held]
    likelihood = problem.likelihood
    coefs, intercepts = zip(*(problem.original(fit) for fit in fits))
    if likelihood.multinomial:
        return np.array(
            [cv_loss(scoring, likelihood, y, X @ c.T + b, s) for c, b in zip(coefs, intercepts)]
        )
    eta = X @ np.array(coefs).T + np.array(intercepts) + o[:, None]  # one column per alpha
    if scoring == "auc":
        return np.array([_weighted_auc(y, eta[:, a], s) for a in range(eta.shape[1])])
    return cv_loss(scoring, likelihood, y[:, None], eta, s)


class LassoCV(ElasticNetCV):
    r""":class:`ElasticNetCV` with ``l1_ratio=1``: the lasso with cross-validated alpha (for the
    Gaussian family the analogue of scikit-learn's ``LassoCV``; the grid is the same)."""

    def __init__(
        self,
        *,
        family="gaussian",
        alphas=None,
        n_alphas=100,
        eps=1e-3,
        cv=5,
        scoring="deviance",
        refit="min",
        fit_intercept=True,
        standardize=False,
        penalty_factor=None,
        positive=False,
        bounds=None,
        tol=1e-7,
        max_iter=1000,
        random_state=None,
        progress=False,
    ):
        super().__init__(
            1.0,
            family=family,
            alphas=alphas,
            n_alphas=n_alphas,
            eps=eps,
            cv=cv,
            scoring=scoring,
            refit=refit,
            fit_intercept=fit_intercept,
            standardize=standardize,
            penalty_factor=penalty_factor,
            positive=positive,
            bounds=bounds,
            tol=tol,
            max_iter=max_iter,
            random_state=random_state,
            progress=progress,
        )
        del self.l1_ratio

    def _l1_ratios(self):
        return [1.0]
