r"""Penalised GLM estimators: :class:`ElasticNet`, :class:`Lasso`, :class:`Ridge` (any family).

One objective (DESIGN.md's convention, glmnet's and scikit-learn's ``ElasticNet``'s):

.. math:: \min_{w, b}\; \frac{1}{\sum_i s_i}\sum_i s_i\,\ell(y_i, x_i^Tw + b + o_i)
          + \alpha\sum_j f_j\Big(\rho|w_j| + \frac{1-\rho}{2}w_j^2\Big)
          \quad\text{s.t. } l_j \le w_j \le u_j,

:math:`\ell` the family's negative log-likelihood per row (Gaussian: :math:`\tfrac12(y-\eta)^2`),
the intercept unpenalised. It is the MAP estimate under Laplace (L1) / Gaussian (L2) priors
(:meth:`loglik.regularization.Penalty.prior`). With ``standardize=True`` the penalty applies to
:math:`\sigma_jw_j` (:math:`\sigma_j` the weighted population standard deviation of column j) and
the coefficients are reported on the original scale.

Correspondences with scikit-learn (unit weights, no penalty factors):

* ``Lasso(alpha)`` = ``sklearn.linear_model.Lasso(alpha)``; ``ElasticNet(alpha, l1_ratio)`` =
  ``sklearn.linear_model.ElasticNet(alpha, l1_ratio=l1_ratio)``;
* ``Ridge(alpha)`` = ``sklearn.linear_model.Ridge(alpha * n_samples)``;
* ``Ridge(alpha, family="poisson")`` = ``sklearn.linear_model.PoissonRegressor(alpha=alpha)``;
* ``LogisticRegression(penalty, alpha=a)`` = scikit-learn's ``LogisticRegression(C=1 / (n * a))``
  with the same penalty (intercept unpenalised, unlike liblinear).

Solvers (``solver=``): ``"auto"`` picks an exact one — for the Gaussian family the active-set
quadratic solver on the Gram matrix (n ≥ p) or on a growing working set of columns (p > n),
ridge in closed form; for the other families proximal Newton (IRLS weights, the exact quadratic
solver inside, line search). Any shared first-order optimizer can be named instead (``"ista"``,
``"fista"``, ``"gd"``, ``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adagrad"``, ``"rmsprop"``,
``"adam"``; with ``batch_size`` for mini-batches), and for a smooth penalty (pure L2)
``"lbfgs"`` and ``"newton"``. Every solver stops on the same criterion — the largest KKT residual
(the distance of :math:`0` from :math:`\nabla F + \partial h`, in gradient units) at most
``tol`` times the largest gradient entry of the null model — so all reach the same optimum.
"""

from __future__ import annotations

import warnings

import numpy as np

from .._blas import single_threaded
from .._validation import ConvergenceWarning, check_choice, check_random_state, check_scalar
from ..estimation.optimizer_names import OPTIMIZERS
from ..models.glm import GLMEstimator, _target, encode_labels, get_family, prepare_data
from .problem import Fit, PenalizedGLM
from .solvers import first_order, lipschitz_bound

__all__ = ["ElasticNet", "Lasso", "Ridge", "fit_penalized"]

EXACT_SOLVERS = ("auto", "active_set", "prox_newton", "closed_form")
FIRST_ORDER = tuple(name for name in OPTIMIZERS if name != "adamw")
SOLVERS = EXACT_SOLVERS + FIRST_ORDER


def _penalty_settings(est):
    """The penalty arguments of any penalised estimator (LogisticRegression has fewer)."""
    return {
        "l1_ratio": est._l1_ratio(),
        "penalty_factor": getattr(est, "penalty_factor", None),
        "positive": bool(getattr(est, "positive", False)),
        "bounds": getattr(est, "bounds", None),
    }


def _resolve_family(est, y, family):
    if family is not None:
        return get_family(family)
    y = _target(est, y)
    n_classes = encode_labels(y)[0].size if y.size else 2
    return get_family("categorical" if n_classes > 2 else "bernoulli")


def _check_solver(solver, family, l1_ratio, settings):
    check_choice(solver, "solver", SOLVERS)
    if solver == "closed_form" and (
        family.name != "gaussian" or l1_ratio != 0 or settings["positive"] or settings["bounds"]
    ):
        raise ValueError(
            "solver='closed_form' is Gaussian ridge without bounds (family='gaussian', "
            "l1_ratio=0); use solver='auto'"
        )
    if solver == "active_set" and family.name != "gaussian":
        raise ValueError(
            "solver='active_set' solves the Gaussian quadratic; use 'prox_newton' for "
            f"family={family.name!r}"
        )
    if solver in ("lbfgs", "newton") and l1_ratio > 0:
        raise ValueError(
            f"solver={solver!r} needs a smooth penalty (l1_ratio=0, ridge); for an L1 part use "
            "'auto', 'fista', 'ista' or a first-order optimizer with the proximal step"
        )


def _warm_start(est, problem: PenalizedGLM):
    """The previous solution in solver coordinates, when ``warm_start`` and shapes agree."""
    if not getattr(est, "warm_start", False) or not hasattr(est, "coef_"):
        return None
    coef = np.asarray(est.coef_, dtype=np.float64)
    categorical = problem.family.name == "categorical"
    expected = (problem.n_classes, problem.data.p) if categorical else (problem.data.p,)
    if coef.shape != expected:
        return None
    v = (coef.T * problem.scale[:, None]) if categorical else coef * problem.scale
    intercept = np.asarray(est.intercept_, dtype=np.float64)
    c = intercept + problem.mean @ (coef.T if categorical else coef)
    if problem.family.name == "gaussian":
        c = None
    return Fit(v, c, 0, np.inf, False)


def _learning_rate(est, solver, problem, Z):
    rate = getattr(est, "learning_rate", "auto")
    if callable(rate):
        return rate  # a schedule of the step count
    if not isinstance(rate, str) or rate != "auto":
        return check_scalar(rate, "learning_rate", low=0.0, low_inclusive=False)
    if solver in ("adam", "rmsprop", "adagrad"):
        return 1e-2
    family = problem.family
    s = problem.data.sample_weight
    sw = s / s.sum()
    if family.name == "poisson":
        eta = problem.linear_predictor(problem.null_fit())
        weights = sw * np.exp(eta)
        return 1.0 / lipschitz_bound(Z, weights / weights.sum(), 4.0 * weights.sum())
    factor = {"gaussian": 1.0, "bernoulli": 0.25, "categorical": 0.5}[family.name]
    return 1.0 / lipschitz_bound(Z, sw, factor)


def _first_order_fit(est, problem: PenalizedGLM, solver, alpha, start, tol, max_iter):
    data = problem.data
    Z = (data.X - problem.mean) / problem.scale
    Z[:, problem.excluded] = 0.0
    null = problem.null_fit()
    v0 = None if start is None else start.v
    if start is not None and start.c is not None:
        c0 = start.c
    elif problem.family.name == "gaussian":
        c0 = problem.gaussian.mean_y if problem.fit_intercept else 0.0
    else:
        c0 = null.c
    batch_size = getattr(est, "batch_size", None)
    if batch_size is not None:
        batch_size = check_scalar(batch_size, "batch_size", low=1, integer=True)
    rate = _learning_rate(est, solver, problem, Z)
    coef, intercept, n_iter, kkt, _, _ = first_order(
        problem.family,
        Z,
        data.y,
        data.sample_weight,
        data.offset,
        problem.penalty(alpha),
        v0,
        c0,
        solver=solver,
        learning_rate=rate,
        batch_size=batch_size,
        fit_intercept=problem.fit_intercept,
        tol=tol * problem.grad_scale(),
        max_iter=max_iter,
        n_classes=problem.n_classes,
        random_state=check_random_state(getattr(est, "random_state", None)),
    )
    converged = kkt <= tol * problem.grad_scale()
    return Fit(coef, np.asarray(intercept, dtype=np.float64), n_iter, kkt, converged)


@single_threaded
def fit_penalized(est, X, y, sample_weight=None, offset=None, exposure=None, *, family):
    """Fit a penalised estimator ``est`` (its parameters give alpha, the penalty, the solver)
    and store the fitted attributes on it; ``family=None`` picks bernoulli/categorical from
    the number of classes (LogisticRegression). Returns ``est``."""
    family = _resolve_family(est, y, family)
    alpha = check_scalar(est.alpha, "alpha", low=0.0)
    tol = check_scalar(est.tol, "tol", low=0.0)
    max_iter = check_scalar(est.max_iter, "max_iter", low=1, integer=True)
    settings = _penalty_settings(est)
    solver = est.solver
    _check_solver(solver, family, settings["l1_ratio"], settings)
    data = prepare_data(est, X, y, sample_weight, offset, exposure, family=family)
    n_classes = len(est.classes_) if family.name == "categorical" else None
    problem = PenalizedGLM(
        family,
        data,
        fit_intercept=est.fit_intercept,
        standardize=est.standardize,
        n_classes=n_classes,
        single_alpha=solver not in FIRST_ORDER,
        **settings,
    )
    start = _warm_start(est, problem)
    if solver in FIRST_ORDER:
        fit = _first_order_fit(est, problem, solver, alpha, start, tol, max_iter)
    else:
        fit = problem.solve(alpha, start, tol=tol, max_iter=max_iter)
    _store(est, problem, fit, alpha)
    return est


def _store(est, problem: PenalizedGLM, fit: Fit, alpha):
    coef, intercept = problem.original(fit)
    if problem.family.name == "categorical":
        intercept = intercept - intercept.mean()  # the softmax is invariant to a common shift
    est.coef_, est.intercept_ = coef, intercept
    est.n_iter_ = max(int(fit.n_iter), 1)
    est.kkt_violation_ = float(fit.kkt)
    est.converged_ = bool(fit.converged)
    stats = problem.assess(fit, alpha)
    est.objective_ = stats["objective"]
    est.loglik_ = stats["loglik"]
    est.deviance_ = stats["deviance"]
    est.df_ = stats["df"]
    est.aic_, est.bic_ = stats["aic"], stats["bic"]
    est.dual_gap_ = stats["dual_gap"]
    est.alpha_max_ = problem.alpha_max()
    if not est.converged_:
        warnings.warn(
            f"{type(est).__name__} did not converge in {est.n_iter_} iterations: the KKT "
            f"residual is {fit.kkt:.3g}, above tol={est.tol:g} x {problem.grad_scale():.3g}; "
            "increase max_iter or use solver='auto'",
            ConvergenceWarning,
            stacklevel=3,
        )


class ElasticNet(GLMEstimator):
    r"""Elastic-net penalised GLM (MAP under a Laplace-Gaussian prior); any family.

    Minimises the mean negative log-likelihood plus
    :math:`\alpha\sum_j f_j(\rho|w_j| + \tfrac{1-\rho}{2}w_j^2)` (module docstring; equals
    scikit-learn's ``ElasticNet(alpha, l1_ratio)`` for the Gaussian family).

    Parameters
    ----------
    alpha : float
        Penalty strength :math:`\alpha \ge 0`.
    l1_ratio : float
        :math:`\rho \in [0, 1]`: 1 lasso, 0 ridge.
    family : {"gaussian", "bernoulli", "poisson", "categorical"}
    fit_intercept : bool
        The intercept is never penalised.
    standardize : bool
        Penalise :math:`\sigma_jw_j` (glmnet's default); coefficients reported on the original
        scale.
    penalty_factor : array of shape (p,), optional
        :math:`f_j \ge 0`; 0 leaves a column unpenalised.
    positive : bool
        Constrain the coefficients to be >= 0.
    bounds : (lower, upper), optional
        Box constraints on the coefficients (scalars or arrays, must contain 0).
    solver : str
        ``"auto"``, ``"active_set"``, ``"prox_newton"``, ``"closed_form"`` or a shared
        optimizer name (module docstring).
    learning_rate : float, schedule or "auto"
        First-order solvers: the step size, or a schedule (a callable of the step, see
        :mod:`loglik.schedules`); auto: 1/L (L the gradient's Lipschitz bound) for gradient
        methods, 0.01 for adaptive ones.
    batch_size : int, optional
        First-order solvers: mini-batch size (None: full batch).
    tol : float
        Stop when the largest KKT residual is at most ``tol`` times the largest gradient entry
        of the null model.
    max_iter : int
        Newton iterations (exact solvers) or iterations/epochs (first-order solvers).
    warm_start : bool
        Start from the previous ``coef_`` (e.g. along a sequence of alphas).
    random_state : None, int or Generator
        Mini-batch shuffling.

    Attributes
    ----------
    coef_ : array (p,) or (K, p)
    intercept_ : float or array (K,)
    classes_ : array (classifier families)
    n_iter_, converged_ : int, bool
    kkt_violation_ : float
        The largest KKT residual at the solution (gradient units, standardised scale).
    dual_gap_ : float or None
        Gaussian family: the duality gap (objective units), as scikit-learn reports.
    objective_, loglik_, deviance_ : float
        The penalised objective, the full log-likelihood (Gaussian: with σ² at its MLE),
        the deviance.
    df_, aic_, bic_ : float
        Effective degrees of freedom (trace of the ridge-shrunk hat matrix on the nonzero
        coefficients, plus the intercept), and the AIC/BIC built on them.
    alpha_max_ : float
        The smallest alpha at which every penalised coefficient is 0.
    """

    def __init__(
        self,
        alpha=1.0,
        l1_ratio=0.5,
        *,
        family="gaussian",
        fit_intercept=True,
        standardize=False,
        penalty_factor=None,
        positive=False,
        bounds=None,
        solver="auto",
        learning_rate="auto",
        batch_size=None,
        tol=1e-7,
        max_iter=1000,
        warm_start=False,
        random_state=None,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.family = family
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.penalty_factor = penalty_factor
        self.positive = positive
        self.bounds = bounds
        self.solver = solver
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start
        self.random_state = random_state

    def _l1_ratio(self):
        return check_scalar(self.l1_ratio, "l1_ratio", low=0.0, high=1.0)

    def _family_name(self):
        return check_choice(
            self.family, "family", ("gaussian", "bernoulli", "poisson", "categorical")
        )

    def fit(self, X, y, sample_weight=None, offset=None, exposure=None):
        """Fit the penalised likelihood; ``offset`` adds to the linear predictor, ``exposure``
        (poisson) adds its log. Returns self."""
        return fit_penalized(
            self, X, y, sample_weight, offset, exposure, family=self._family_name()
        )


class _FixedRatio(ElasticNet):
    """:class:`ElasticNet` with ``l1_ratio`` fixed by the class (not a parameter)."""

    _RATIO = 1.0

    def __init__(
        self,
        alpha=1.0,
        *,
        family="gaussian",
        fit_intercept=True,
        standardize=False,
        penalty_factor=None,
        positive=False,
        bounds=None,
        solver="auto",
        learning_rate="auto",
        batch_size=None,
        tol=1e-7,
        max_iter=1000,
        warm_start=False,
        random_state=None,
    ):
        super().__init__(
            alpha,
            self._RATIO,
            family=family,
            fit_intercept=fit_intercept,
            standardize=standardize,
            penalty_factor=penalty_factor,
            positive=positive,
            bounds=bounds,
            solver=solver,
            learning_rate=learning_rate,
            batch_size=batch_size,
            tol=tol,
            max_iter=max_iter,
            warm_start=warm_start,
            random_state=random_state,
        )
        del self.l1_ratio

    def _l1_ratio(self):
        return self._RATIO


class Lasso(_FixedRatio):
    r"""L1-penalised GLM (MAP under a Laplace prior): :class:`ElasticNet` with
    :math:`\rho = 1`; ``Lasso(alpha)`` equals scikit-learn's ``Lasso(alpha)`` (Gaussian)."""

    _RATIO = 1.0


class Ridge(_FixedRatio):
    r"""L2-penalised GLM (MAP under a Gaussian prior): :class:`ElasticNet` with :math:`\rho = 0`,
    i.e. the mean NLL plus :math:`\tfrac{\alpha}{2}\sum_j f_jw_j^2`. For the Gaussian family
    ``Ridge(alpha)`` equals scikit-learn's ``Ridge(alpha * n_samples)`` and is solved in closed
    form (a Cholesky solve of the p×p or, for p > n, the n×n system); for poisson it equals
    ``PoissonRegressor(alpha=alpha)``."""

    _RATIO = 0.0
