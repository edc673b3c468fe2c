r"""Penalised GLM estimators: :class:`ElasticNet`, :class:`Lasso`, :class:`Ridge` (any family),
and :class:`LogisticRegression` with ``penalty=``. Each is a thin wrapper: it validates its
parameters, builds the engine (:class:`~loglik.regularization.problem.PenalizedGLM`), solves it
at ``alpha`` and stores what it found (:class:`PenalizedEstimator`).

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

from .._blas import single_threaded
from .._validation import ConvergenceWarning, check_choice, check_scalar
from ..estimation.optimizer_names import OPTIMIZERS
from ..models.glm import GLMEstimator
from ..models.glm import LogisticRegression as MLELogisticRegression
from ..models.likelihoods import LIKELIHOODS, Likelihood
from .first_order import solve_first_order
from .problem import Fit, PenalizedGLM

__all__ = ["ElasticNet", "Lasso", "LogisticRegression", "PenalizedEstimator", "Ridge"]

EXACT_SOLVERS = ("auto", "active_set", "prox_newton", "closed_form")
FIRST_ORDER = tuple(name for name in OPTIMIZERS if name != "adamw")
SOLVERS = EXACT_SOLVERS + FIRST_ORDER


def _check_solver(solver, likelihood, l1_ratio, settings):
    check_choice(solver, "solver", SOLVERS)
    if solver == "closed_form" and (
        not likelihood.least_squares or l1_ratio != 0 or settings["positive"] or settings["bounds"]
    ):
        raise ValueError(
            "solver='closed_form' is Gaussian ridge without bounds (family='gaussian', "
            "l1_ratio=0); use solver='auto'"
        )
    if solver == "active_set" and not likelihood.least_squares:
        raise ValueError(
            "solver='active_set' solves the Gaussian quadratic; use 'prox_newton' for "
            f"family={likelihood.name!r}"
        )
    if solver in ("lbfgs", "newton") and l1_ratio > 0:
        raise ValueError(
            f"solver={solver!r} needs a smooth penalty (l1_ratio=0, ridge); for an L1 part use "
            "'auto', 'fista', 'ista' or a first-order optimizer with the proximal step"
        )


class PenalizedEstimator(GLMEstimator):
    """What the penalised estimators share: building the :class:`PenalizedGLM` from their
    parameters, solving it at ``alpha`` (exactly, or with a shared first-order optimizer), and
    storing the fitted attributes."""

    def _penalty_settings(self, l1_ratio=None) -> dict:
        """The penalty arguments (LogisticRegression has fewer), at ``l1_ratio`` when given."""
        return {
            "l1_ratio": self._l1_ratio() if l1_ratio is None else l1_ratio,
            "penalty_factor": getattr(self, "penalty_factor", None),
            "positive": bool(getattr(self, "positive", False)),
            "bounds": getattr(self, "bounds", None),
        }

    def _penalized_problem(self, data, likelihood, settings, **options) -> PenalizedGLM:
        return PenalizedGLM(
            likelihood,
            data,
            fit_intercept=self.fit_intercept,
            standardize=self.standardize,
            n_classes=data.classes.size if likelihood.multinomial else None,
            **settings,
            **options,
        )

    @single_threaded
    def _fit_penalized(self, X, y, sample_weight, offset, exposure, likelihood: Likelihood):
        """Fit the penalised likelihood at ``alpha`` and store the fitted attributes."""
        alpha = check_scalar(self.alpha, "alpha", low=0.0)
        tol = check_scalar(self.tol, "tol", low=0.0)
        max_iter = check_scalar(self.max_iter, "max_iter", low=1, integer=True)
        settings = self._penalty_settings()
        solver = self.solver
        _check_solver(solver, likelihood, settings["l1_ratio"], settings)
        data = self._prepare_data(X, y, sample_weight, offset, exposure, likelihood)
        problem = self._penalized_problem(
            data, likelihood, settings, single_alpha=solver not in FIRST_ORDER
        )
        start = self._warm_fit(problem)
        if solver in FIRST_ORDER:
            fit = solve_first_order(
                problem,
                alpha,
                solver,
                start,
                rate=getattr(self, "learning_rate", "auto"),
                batch_size=getattr(self, "batch_size", None),
                tol=tol,
                max_iter=max_iter,
                random_state=getattr(self, "random_state", None),
            )
        else:
            fit = problem.solve(alpha, start, tol=tol, max_iter=max_iter)
        self._store_fit(problem, fit, alpha)
        return self

    def _warm_fit(self, problem: PenalizedGLM) -> Fit | None:
        """The previous solution as a start, when ``warm_start`` and the shapes agree."""
        if not getattr(self, "warm_start", False) or not hasattr(self, "coef_"):
            return None
        return problem.fit_from(self.coef_, self.intercept_)

    def _store_fit(self, problem: PenalizedGLM, fit: Fit, alpha):
        """The fitted attributes of the solution ``fit`` at ``alpha``; warns when it did not
        converge."""
        self.coef_, self.intercept_ = problem.coefficients(fit)
        self.n_iter_ = max(int(fit.n_iter), 1)
        self.kkt_violation_ = float(fit.kkt)
        self.converged_ = bool(fit.converged)
        stats = problem.assess(fit, alpha)
        self.objective_ = stats["objective"]
        self.loglik_ = stats["loglik"]
        self.deviance_ = stats["deviance"]
        self.df_ = stats["df"]
        self.aic_, self.bic_ = stats["aic"], stats["bic"]
        self.dual_gap_ = stats["dual_gap"]
        self.alpha_max_ = problem.alpha_max()
        if not self.converged_:
            warnings.warn(
                f"{type(self).__name__} did not converge in {self.n_iter_} iterations: the KKT "
                f"residual is {fit.kkt:.3g}, above tol={self.tol:g} x "
                f"{problem.grad_scale():.3g}; increase max_iter or use solver='auto'",
                ConvergenceWarning,
                stacklevel=3,
            )


class ElasticNet(PenalizedEstimator):
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
        return check_choice(self.family, "family", tuple(LIKELIHOODS))

    def fit(self, X, y, sample_weight=None, offset=None, exposure=None):
        """Fit the penalised likelihood; ``offset`` adds to the linear predictor, ``exposure``
        (poisson) adds its log. Returns self."""
        return self._fit_penalized(X, y, sample_weight, offset, exposure, self._likelihood())


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


class LogisticRegression(PenalizedEstimator, MLELogisticRegression):
    r"""Logistic regression: the Bernoulli MLE (2 classes) or softmax (more), optionally penalised.

    Unpenalised (``penalty=None``, the default) it is statsmodels' ``Logit``: Newton's method,
    standard errors from the observed information, z statistics, ``summary()``
    (:class:`loglik.models.glm.LogisticRegression`). With a penalty it minimises
    (scikit-learn's ``LogisticRegression(C=1/(n*alpha))`` objective divided by n)

    .. math:: \frac{1}{\sum s}\sum_i s_i\big(\log(1 + e^{\eta_i}) - y_i\eta_i\big)
              + \alpha\Big(\rho\|w\|_1 + \frac{1-\rho}{2}\|w\|_2^2\Big)

    (:math:`\rho` = 1 for ``"l1"``, 0 for ``"l2"``, ``l1_ratio`` for ``"elasticnet"``; intercept
    unpenalised) with the solvers of :class:`loglik.ElasticNet` (see there for ``solver``,
    ``standardize``, ``warm_start`` and the convergence report). With more than two classes the
    likelihood is the softmax (categorical) one: unpenalised with the first class as reference,
    penalised with one coefficient vector per class (glmnet's convention).

    Binary ``coef_`` has shape (p,) and ``intercept_`` is a float (statsmodels' layout);
    multiclass ``coef_`` has shape (K, p). The default ``alpha=0.01`` (used with a penalty only)
    is scikit-learn's ``C=1`` at n = 100.
    """

    def __init__(
        self,
        penalty=None,
        *,
        alpha=0.01,
        l1_ratio=0.5,
        fit_intercept=True,
        standardize=False,
        solver="auto",
        tol=1e-10,
        max_iter=100,
        warm_start=False,
    ):
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.standardize = standardize
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start

    def _l1_ratio(self):
        if self.penalty == "elasticnet":
            return check_scalar(self.l1_ratio, "l1_ratio", low=0.0, high=1.0)
        return 1.0 if self.penalty == "l1" else 0.0

    def fit(self, X, y, sample_weight=None, offset=None):
        """Fit by maximum likelihood (``penalty=None``) or penalised likelihood; returns self."""
        check_choice(self.penalty, "penalty", (None, "l1", "l2", "elasticnet"))
        if self.penalty is None:
            check_choice(self.solver, "solver", ("auto", "newton"))
            return super().fit(X, y, sample_weight, offset)
        for attr in ("params_", "cov_params_"):
            self.__dict__.pop(attr, None)
        likelihood, yv = self._likelihood_for(y)
        return self._fit_penalized(X, yv, sample_weight, offset, None, likelihood)
