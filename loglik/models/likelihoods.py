r"""Likelihoods of a linear predictor, written once: GLMs, penalised regression, neural heads and
the ``*_with_logits`` losses all evaluate these.

A likelihood says how a response :math:`y` depends on a linear predictor :math:`\eta` (a GLM's
:math:`x^Tw + b + o`, a network's output layer). Per row it gives the negative log-likelihood
:math:`\ell(y, \eta)` and its first two derivatives in :math:`\eta`, the inverse link
:math:`\mu(\eta)` and the link, the unit deviance, the intercept-only fit, the support of
:math:`y` and the distribution family of :mod:`loglik.models.distributions` whose parameters
:meth:`Likelihood.dist_params` gives:

=============== ======== ===================================================== =================
likelihood      link     :math:`\ell(y, \eta)`                                 family
=============== ======== ===================================================== =================
gaussian        identity :math:`\tfrac12 (y - \eta)^2` (σ profiled out)        Normal
heteroscedastic identity :math:`\tfrac12 r^2 + \log\sigma + \tfrac12\log 2\pi`, Normal
                         :math:`r = (y-\eta_1)/\sigma`,
                         :math:`\sigma = \mathrm{softplus}(\eta_2) + \sigma_\min`
bernoulli       logit    :math:`\log(1 + e^\eta) - y\eta`                      Bernoulli
poisson         log      :math:`e^\eta - y\eta + \log y!`                      Poisson
categorical     softmax  :math:`\log\sum_k e^{\eta_k} - \eta_y` (one           Categorical
                         :math:`\eta_k` per class)
=============== ======== ===================================================== =================

For the canonical links :math:`\partial\ell/\partial\eta = \mu - y` and
:math:`\partial^2\ell/\partial\eta^2 = V(\mu)`, the variance function (1, :math:`\mu(1-\mu)`,
:math:`\mu`); for the categorical likelihood the Hessian in :math:`\eta` of a row is
:math:`\mathrm{diag}(\mu) - \mu\mu^T`. The logistic function, softplus and logit are
:mod:`loglik.estimation.transforms`' (``Logit``, ``Softplus``); the row-wise log-sum-exp and
softmax are :func:`log_sum_exp` and :func:`softmax` here.

A new GLM likelihood (a gamma with log link, say) is one subclass of :class:`Likelihood`:
``terms``, ``mean``, ``link_fn``, ``unit_deviance``, ``outside_support`` and the class
attributes; the intercept-only fit and the log-likelihood come from the base class
(docs/architecture.md, "How to add a GLM likelihood", works it through).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from scipy import special

from .._validation import check_choice
from ..estimation.newton import newton_step
from ..estimation.transforms import Logit, Softplus
from .distributions import Bernoulli, Categorical, Normal, Poisson

__all__ = [
    "LIKELIHOODS",
    "BernoulliLikelihood",
    "CategoricalLikelihood",
    "GaussianLikelihood",
    "HeteroscedasticGaussianLikelihood",
    "Likelihood",
    "PoissonLikelihood",
    "get_likelihood",
    "log_sum_exp",
    "softmax",
]

_HALF_LOG_2PI = 0.5 * np.log(2.0 * np.pi)
_SIGMOID = Logit()  # forward: the logistic function; inverse: the logit
_SOFTPLUS = Softplus()


def _softmax_parts(z):
    """``(log-sum-exp, softmax)`` of ``z`` over its last axis, from one exponential (max-shift:
    never overflows)."""
    z = np.asarray(z)
    m = z.max(axis=-1, keepdims=True)
    e = np.exp(z - m)
    total = e.sum(axis=-1, keepdims=True)
    e /= total
    return (np.log(total) + m)[..., 0], e


def log_sum_exp(z):
    r""":math:`\log\sum_k e^{z_k}` over the last axis of ``z``, stably."""
    return _softmax_parts(z)[0]


def softmax(z):
    r""":math:`e^{z_j}/\sum_k e^{z_k}` over the last axis of ``z``, stably."""
    return _softmax_parts(z)[1]


def _weighted_mean(y, weights):
    """The column means of ``y`` with case weights (None: equal)."""
    return np.average(y, axis=0, weights=weights)


class Likelihood(ABC):
    r"""A likelihood of a linear predictor :math:`\eta` (module docstring).

    Class attributes describe what solvers and estimators may rely on:

    ``name``, ``link``
        As in the module table; ``name`` is what ``family=`` takes.
    ``distribution``
        The :mod:`~loglik.models.distributions` family :meth:`dist_params` parameterises.
    ``classification``, ``binary``
        y holds class codes; at most two classes.
    ``multinomial``
        One linear predictor per class: ``eta`` has shape (n, K).
    ``least_squares``
        :math:`\ell = \tfrac12(y - \eta)^2` with the dispersion profiled out: fits are (penalised)
        least squares solved exactly, and the dispersion is estimated from the residuals.
    ``accepts_exposure``
        The link is the log, so an exposure enters as :math:`\log(\text{exposure})` in the offset.
    ``nonnegative_y``
        Regression on responses that cannot be negative (counts, amounts).
    ``curvature_bound``
        :math:`\sup \partial^2\ell/\partial\eta^2` (for the categorical likelihood, of the
        Hessian's largest eigenvalue), None when unbounded: gradient methods' step sizes.
    ``requirement``
        What the responses must be, for error messages (``y must <requirement>``).
    """

    name = ""
    link = ""
    distribution: type | None = None
    classification = False
    binary = False
    multinomial = False
    least_squares = False
    accepts_exposure = False
    nonnegative_y = False
    curvature_bound: float | None = None
    requirement = "be real numbers"
    null_floor = 0.0  # the floor on the intercept-only mean (an all-zero response has no MLE)

    def __repr__(self):
        return f"{type(self).__name__}()"

    # -- the negative log-likelihood and its derivatives --------------------------------------

    @abstractmethod
    def terms(self, eta, y):
        r"""``(nll, dnll/deta, d2nll/deta2)`` per row (the categorical likelihood returns its
        probabilities :math:`\mu` in place of the second derivative, which is a matrix)."""

    def nll(self, eta, y):
        """Per-row negative log-likelihood (every constant included)."""
        return self.terms(eta, y)[0]

    def loss(self, eta, y):
        """:meth:`nll` up to terms that depend on y only (cheaper: for line searches)."""
        return self.nll(eta, y)

    def gradient(self, eta, y):
        r""":math:`\partial\ell/\partial\eta` per row."""
        return self.terms(eta, y)[1]

    def curvature(self, eta, y):
        r"""The diagonal of the Hessian in :math:`\eta` per row, shape (n, K) (K = 1 for one
        linear predictor): the IRLS weights."""
        d2 = self.terms(eta, y)[2]
        return d2 if d2.ndim == 2 else d2[:, None]

    # -- links and the distribution ------------------------------------------------------------

    @abstractmethod
    def mean(self, eta):
        r"""The inverse link :math:`\mu(\eta)`."""

    def link_fn(self, mu):
        r"""The link :math:`\eta(\mu)`."""
        return mu

    def clip_mean(self, mu, floor):
        """``mu`` moved at least ``floor`` inside the boundary of the mean's range."""
        return mu

    def dist_params(self, eta) -> dict:
        """The parameters of :attr:`distribution` at ``eta`` (one value per entry)."""
        raise NotImplementedError(f"the {self.name} likelihood has no distribution parameters")

    # -- fit statistics ------------------------------------------------------------------------

    def unit_deviance(self, y, eta):
        r""":math:`d(y, \mu) = 2(\ell(y, \eta) - \ell_{\text{saturated}}(y))` per row."""
        return 2.0 * self.nll(eta, y)

    def deviance(self, y, eta, s) -> float:
        r""":math:`\sum_i s_i d(y_i, \mu_i)`."""
        return float(s @ self.unit_deviance(y, eta))

    def log_likelihood(self, y, eta, s) -> float:
        r"""The weighted log-likelihood :math:`\sum_i s_i \log p(y_i \mid \eta_i)` (rows with
        positive weight)."""
        rows = s > 0
        return float(-(s[rows] @ self.nll(eta[rows], y[rows])))

    # -- the intercept-only fit ----------------------------------------------------------------

    def intercept_only(self, y, weights=None, offset=None, *, n_classes=None, floor=None):
        r"""The maximum-likelihood intercept :math:`b` of the model :math:`\eta = o + b`.

        Without an offset (or with a zero one) it is :math:`\eta(\bar y)`, the link of the
        weighted mean (the score equation of a constant mean, whatever the link; kept ``floor``
        inside the mean's range, default :attr:`null_floor`), column by column for a 2-D ``y``;
        with an offset, Newton's method on :math:`b` from there
        (:func:`loglik.estimation.newton.newton_step`). ``weights`` are case weights (None:
        equal).
        """
        floor = self.null_floor if floor is None else floor
        b = self.link_fn(self.clip_mean(_weighted_mean(y, weights), floor))
        if offset is None or not np.any(offset):
            return b
        sw = np.full(y.shape[0], 1.0 / y.shape[0]) if weights is None else weights / weights.sum()
        return self._newton_intercept(y, sw, offset, float(b))

    def _newton_intercept(self, y, sw, offset, b, max_iter=50):
        """Newton on the scalar intercept of ``eta = offset + b`` (weights ``sw`` sum to 1)."""

        def value_at(c):
            return float(sw @ self.loss(offset + c, y))

        for _ in range(max_iter):
            _, d1, d2 = self.terms(offset + b, y)
            g, h = float(sw @ d1), max(float(sw @ d2), 1e-300)
            step, _, _ = newton_step(g, h, value_at(b), value_at, b)
            b += step
            if abs(step) < 1e-14 * max(1.0, abs(b)):
                break
        return b

    def null_eta(self, y, s, offset, n_classes=None):
        r"""The linear predictor of the intercept-only fit for every row (null deviance, R²)."""
        return offset + self.intercept_only(y, s, offset, n_classes=n_classes)

    # -- responses -----------------------------------------------------------------------------

    def observed_mean(self, y, n_classes=None):
        """``y`` in the units of :meth:`mean` (the one-hot rows for class codes)."""
        return y

    def predict_class(self, eta):
        """Classification: the most probable class code per row."""
        raise NotImplementedError(f"the {self.name} likelihood does not classify")

    def log_proba(self, eta):
        """Classification: the log-probability of each class (last axis), computed stably."""
        raise NotImplementedError(f"the {self.name} likelihood does not classify")

    def outside_support(self, y, n_classes=None):
        """A mask of the entries of ``y`` the likelihood gives no probability."""
        return np.zeros(np.shape(y), dtype=bool)

    def check_y(self, y, name="y"):
        """Raise a ValueError naming the first row of ``y`` outside the support."""
        bad = self.outside_support(y)
        if bad.any():
            row = int(np.argmax(bad))
            raise ValueError(f"{name} must {self.requirement}; row {row} is {y[row]}")
        return y


class GaussianLikelihood(Likelihood):
    r""":math:`\ell = \tfrac12(y - \eta)^2`: the Gaussian with σ profiled out (the scikit-learn /
    glmnet convention :math:`\|y - Xw - b\|^2/2n`); the log-likelihood has σ² at its MLE."""

    name, link, distribution = "gaussian", "identity", Normal
    least_squares = True
    curvature_bound = 1.0

    def terms(self, eta, y):
        r = eta - y
        return 0.5 * r * r, r, np.ones_like(eta)

    def gradient(self, eta, y):
        return eta - y

    def mean(self, eta):
        return eta

    def dist_params(self, eta, sigma=1.0):
        return {"mu": eta, "sigma": np.broadcast_to(sigma, np.shape(eta)).copy()}

    def unit_deviance(self, y, eta):
        return (y - eta) ** 2

    def log_likelihood(self, y, eta, s) -> float:
        """With :math:`\\hat\\sigma^2` = the weighted mean squared residual (statsmodels'
        OLS/WLS ``llf``)."""
        rows = s > 0
        n = rows.sum()
        ssr = float(s[rows] @ (y[rows] - eta[rows]) ** 2)
        return profiled_gaussian_loglik(ssr, n, s[rows])

    def intercept_only(self, y, weights=None, offset=None, *, n_classes=None, floor=None):
        return _weighted_mean(y if offset is None else y - offset, weights)


def profiled_gaussian_loglik(ssr, n, positive_weights) -> float:
    r""":math:`-\tfrac n2(\log 2\pi + \log(\mathrm{SSR}/n) + 1) + \tfrac12\sum\log s_i`: the
    Gaussian log-likelihood with σ² at its MLE, from the weighted residual sum of squares."""
    return float(
        -0.5 * n * (np.log(2 * np.pi) + np.log(ssr / n) + 1.0)
        + 0.5 * np.log(positive_weights).sum()
    )


class HeteroscedasticGaussianLikelihood(Likelihood):
    r"""Normal with a mean and a standard deviation per row: ``eta`` has 2k columns for k
    responses, :math:`\mu = \eta_{1..k}`, :math:`\sigma = \mathrm{softplus}(\eta_{k+1..2k}) +
    \sigma_\min` (``min_sigma``, in the units of y; it keeps the likelihood bounded).

    :math:`\partial\ell/\partial\eta_1 = (\mu - y)/\sigma^2`,
    :math:`\partial\ell/\partial\eta_2 = (1/\sigma - (y-\mu)^2/\sigma^3)\,\mathrm{expit}(\eta_2)`.
    The NLL is per entry (n, k).
    """

    name, link, distribution = "heteroscedastic", "identity", Normal

    def __init__(self, min_sigma: float = 1e-3):
        self.min_sigma = float(min_sigma)

    def __repr__(self):
        return f"{type(self).__name__}(min_sigma={self.min_sigma!r})"

    def split(self, eta):
        """``(mean part, scale part)`` of the columns of ``eta``."""
        k = eta.shape[1] // 2
        return eta[:, :k], eta[:, k:]

    def sigma(self, eta):
        r""":math:`\sigma = \mathrm{softplus}(\eta_2) + \sigma_\min` per row and response."""
        return _SOFTPLUS.forward(self.split(eta)[1]) + self.min_sigma

    def nll(self, eta, y):
        mu, _ = self.split(eta)
        sigma = self.sigma(eta)
        r = (y - mu) / sigma
        return 0.5 * r * r + np.log(sigma) + _HALF_LOG_2PI

    def gradient(self, eta, y):
        mu, scale = self.split(eta)
        sigma = self.sigma(eta)
        r = (mu - y) / sigma
        d_sigma = (1.0 - r * r) / sigma
        return np.concatenate([r / sigma, d_sigma * _SOFTPLUS.derivative(scale)], axis=1)

    def terms(self, eta, y):
        raise NotImplementedError("the heteroscedastic likelihood has two linear predictors")

    def mean(self, eta):
        return self.split(eta)[0]

    def dist_params(self, eta):
        return {"mu": self.mean(eta), "sigma": self.sigma(eta)}

    def intercept_only(self, y, weights=None, offset=None, *, n_classes=None, floor=1e-8):
        """The mean, and the scale predictor at which σ is the weighted standard deviation."""
        mean = _weighted_mean(y, weights)
        sd = np.sqrt(_weighted_mean((y - mean) ** 2, weights))
        return np.concatenate([mean, _SOFTPLUS.inverse(np.maximum(sd - self.min_sigma, floor))])


class BernoulliLikelihood(Likelihood):
    r""":math:`\ell = \log(1 + e^\eta) - y\eta` (softplus: never overflows), y in {0, 1}."""

    name, link, distribution = "bernoulli", "logit", Bernoulli
    classification = binary = True
    curvature_bound = 0.25
    requirement = "be 0 or 1 for the bernoulli family"
    null_floor = 1e-12

    def nll(self, eta, y):
        return _SOFTPLUS.forward(eta) - y * eta

    def terms(self, eta, y):
        mu = self.mean(eta)
        return self.nll(eta, y), mu - y, mu * (1.0 - mu)

    def gradient(self, eta, y):
        return self.mean(eta) - y

    def mean(self, eta):
        return _SIGMOID.forward(eta)

    def link_fn(self, mu):
        return _SIGMOID.inverse(mu)

    def clip_mean(self, mu, floor):
        return np.clip(mu, floor, 1.0 - floor)

    def dist_params(self, eta):
        return {"p": self.mean(eta)}

    def predict_class(self, eta):
        return (eta > 0).astype(np.float64)

    def log_proba(self, eta):
        r""":math:`(\log(1 - \mu), \log\mu) = (-\mathrm{softplus}(\eta),
        -\mathrm{softplus}(-\eta))` along a new last axis."""
        return np.stack([-_SOFTPLUS.forward(eta), -_SOFTPLUS.forward(-eta)], axis=-1)

    def outside_support(self, y, n_classes=None):
        return (y != 0) & (y != 1)


class PoissonLikelihood(Likelihood):
    r""":math:`\ell = e^\eta - y\eta + \log y!`, y a non-negative count (log link)."""

    name, link, distribution = "poisson", "log", Poisson
    accepts_exposure = nonnegative_y = True
    requirement = "be non-negative counts for the poisson family"
    null_floor = 1e-300

    @staticmethod
    def _kernel(mu, eta, y):
        return mu - y * eta

    def terms(self, eta, y):
        mu = np.exp(eta)
        return self._kernel(mu, eta, y) + special.gammaln(y + 1.0), mu - y, mu

    def loss(self, eta, y):
        return self._kernel(np.exp(eta), eta, y)

    def gradient(self, eta, y):
        return np.exp(eta) - y

    def mean(self, eta):
        return np.exp(eta)

    def link_fn(self, mu):
        return np.log(mu)

    def clip_mean(self, mu, floor):
        return np.maximum(mu, floor)

    def dist_params(self, eta):
        return {"rate": self.mean(eta)}

    def unit_deviance(self, y, eta):
        return self.mean_deviance(y, np.exp(eta))

    @staticmethod
    def mean_deviance(y, mu):
        r"""The unit deviance at the mean :math:`\mu`: :math:`2(y\log(y/\mu) - y + \mu)`."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return 2.0 * (special.xlogy(y, y / mu) - y + mu)

    def intercept_only(self, y, weights=None, offset=None, *, n_classes=None, floor=None):
        r""":math:`\log(\bar y / \overline{e^o})` in closed form."""
        floor = self.null_floor if floor is None else floor
        mean = np.maximum(_weighted_mean(y, weights), floor)
        if offset is None:
            return np.log(mean)
        return float(np.log(float(mean) / float(_weighted_mean(np.exp(offset), weights))))

    def outside_support(self, y, n_classes=None):
        return y < 0


class CategoricalLikelihood(Likelihood):
    r""":math:`\ell = \log\sum_k e^{\eta_k} - \eta_y` for class codes ``y`` (1-D), or
    :math:`\sum_k y_k(\log\sum_m e^{\eta_m} - \eta_k)` for one-hot or soft labels ``y`` (n, K);
    ``eta`` has one column per class (softmax link)."""

    name, link, distribution = "categorical", "softmax", Categorical
    classification = multinomial = True
    curvature_bound = 0.5
    requirement = "hold class codes 0, 1, ..."
    null_floor = 1e-300

    def nll(self, eta, y):
        return self._nll(log_sum_exp(eta), eta, y)

    @staticmethod
    def _observed(y):
        """The index of the observed class in each row: ``(rows, codes)``."""
        return np.arange(y.shape[0]), np.asarray(y, dtype=np.intp)

    def _nll(self, lse, eta, y, observed=None):
        if y.ndim == 2:
            return lse * y.sum(axis=1) - np.einsum("ij,ij->i", y, eta)
        return lse - eta[observed or self._observed(y)]

    def terms(self, eta, y):
        lse, mu = _softmax_parts(eta)
        observed = self._observed(y)
        resid = mu.copy()
        resid[observed] -= 1.0
        return self._nll(lse, eta, y, observed), resid, mu

    def nll_and_gradient(self, eta, y):
        r"""``(nll, dnll/deta)`` from one softmax (the gradient overwrites it in place)."""
        lse, mu = _softmax_parts(eta)
        observed = self._observed(y)
        nll = self._nll(lse, eta, y, observed)
        mu[observed] -= 1.0
        return nll, mu

    def gradient(self, eta, y):
        mu = softmax(eta)
        mu[self._observed(y)] -= 1.0
        return mu

    def curvature(self, eta, y):
        mu = softmax(eta)
        return mu * (1.0 - mu)

    def mean(self, eta):
        return softmax(eta)

    def dist_params(self, eta):
        return {"probs": self.mean(eta)}

    def predict_class(self, eta):
        return np.argmax(eta, axis=1)

    def log_proba(self, eta):
        return eta - log_sum_exp(eta)[:, None]

    def observed_mean(self, y, n_classes=None):
        codes = y.astype(np.intp)
        onehot = np.zeros((codes.size, n_classes or codes.max() + 1))
        onehot[np.arange(codes.size), codes] = 1.0
        return onehot

    def intercept_only(self, y, weights=None, offset=None, *, n_classes=None, floor=None):
        r""":math:`b_k = \log f_k`, :math:`f_k` the weighted class frequencies (floored); the
        softmax is invariant to a common shift, so this is one of many maximisers. An offset
        shifts every class alike and cancels."""
        floor = self.null_floor if floor is None else floor
        codes = y.astype(np.intp)
        counts = np.bincount(codes, weights=weights, minlength=n_classes or codes.max() + 1)
        return np.log(np.maximum(counts / counts.sum(), floor))

    def null_eta(self, y, s, offset, n_classes=None):
        b = self.intercept_only(y, s, n_classes=n_classes)
        return np.broadcast_to(b, (y.size, b.size))

    def outside_support(self, y, n_classes=None):
        bad = (y < 0) | (y != np.round(y))
        return bad if n_classes is None else bad | (y >= n_classes)


LIKELIHOODS: dict[str, Likelihood] = {
    lik.name: lik
    for lik in (
        GaussianLikelihood(),
        BernoulliLikelihood(),
        PoissonLikelihood(),
        CategoricalLikelihood(),
    )
}


def get_likelihood(family) -> Likelihood:
    """A GLM likelihood by name (``"gaussian"``, ``"bernoulli"``, ``"poisson"``,
    ``"categorical"``) or as given."""
    if isinstance(family, Likelihood):
        return family
    return LIKELIHOODS[check_choice(family, "family", tuple(LIKELIHOODS))]
