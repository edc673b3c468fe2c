"""Every family's log density and fitted log-likelihood against a 40-digit mpmath evaluation,
at ordinary and extreme parameters (see ``exact_cases.REGIMES``).

The error of a log density is measured against ``max(1, |log p|)`` (absolute below 1): the size
of the terms of a well-conditioned formula (R's saddle-point forms have terms of that size), so
1e-12 demands the exactness R's ``d*`` functions have. A log-likelihood's error is measured
against the sum of its terms' magnitudes, ``sum max(1, |log p_i|)``, since the total may cancel.

The exceptions, with the bound asserted instead:

* the gamma at shape 1e15: ``x/scale`` is rounded once, as in R's ``dgamma``; the log density's
  slope in it is ``1 - a/lambda ~ z/sqrt(a)``, so that rounding (``lambda eps``) costs about
  ``sqrt(a) |z| eps`` = 3e-9 |z| there (1e-12 holds up to shapes around 1e8, tested); the sum
  from sufficient statistics rounds ``mean/scale`` once likewise, which costs
  ``n |mean/scale - a| eps`` away from the fit (at the fit itself 1e-12 holds);
* a near-singular multivariate normal covariance: a log density's Mahalanobis term carries the
  covariance's condition number times the rounding (tested at condition number 2e6 with that
  bound; the fitted log-likelihood switches to the rows above 1e4 and stays at 1e-12).
"""

import warnings

import numpy as np
import pytest

import loglik as ll
from loglik.estimation.data import FitData
from loglik.estimation.family import get_family

from . import mp_reference as ref
from .exact_cases import REGIMES, points

RTOL = 1e-12
EPS = np.finfo(np.float64).eps

# regime label -> the bound asserted instead of RTOL (see the module doc)
LOOSER = {
    "shape 1e15": 1e-9,
    "strongly correlated": 2e6 * EPS * 10,
}

IDS = [f"{r.family}: {r.label}" for r in REGIMES]


def test_every_registered_family_is_covered():
    covered = {r.family for r in REGIMES}
    assert set(ll.family_names()) <= covered
    assert set(ll.family_names()) <= set(ref.FORMULAS) | {"categorical", "multivariate_normal"}
    for family in ll.family_names():
        labels = [r.label for r in REGIMES if r.family == family]
        assert "ordinary" in labels and len(labels) >= 2, family  # and at least one extreme


@pytest.mark.parametrize("regime", REGIMES, ids=IDS)
def test_logpdf_matches_40_digits(regime):
    dist, x = points(regime)
    exact = ref.logpdf(regime.family, x, dist._theta)
    mine = np.atleast_1d(dist.logpdf(x))
    assert np.all(np.isfinite(mine)) and np.all(np.isfinite(exact))
    err = np.abs(mine - exact) / np.maximum(1.0, np.abs(exact))
    assert err.max() <= LOOSER.get(regime.label, RTOL), (x[np.argmax(err)], err.max())


def _fit_sample(regime, n=200, seed=1):
    dist, _ = points(regime)
    x = dist.sample(n, np.random.default_rng(seed))
    if not dist.multivariate:
        x = x[np.isfinite(x) & dist._inside(x)]
    return x


# Regimes whose samples a fit cannot take: a normal sample at scale 1e200 has a sum of squares
# beyond the largest float (the MLE of sigma is representable, its square is not).
NOT_FITTED = {("normal", "huge scale")}
FITTABLE = []
for _r in REGIMES:
    _x = _fit_sample(_r)
    usable = _r.family == "multivariate_normal" or (len(_x) > 2 and np.ptp(_x) > 0)
    if usable and (_r.family, _r.label) not in NOT_FITTED:
        FITTABLE.append(_r)


@pytest.mark.parametrize("regime", FITTABLE, ids=[f"{r.family}: {r.label}" for r in FITTABLE])
def test_fitted_loglik_matches_40_digits(regime):
    x = _fit_sample(regime)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # boundary notices are tested elsewhere
        res = ll.fit(x, regime.family, fixed=regime.fixed)
    total, scale = ref.loglik(regime.family, x, res.theta)
    assert abs(res.loglik - total) <= RTOL * scale, (res.loglik, total, res.params)
    pointwise = float(np.sum(res.dist.logpdf(x)))
    assert abs(pointwise - total) <= LOOSER.get(regime.label, RTOL) * scale


SUFFICIENT = ["normal", "lognormal", "exponential", "gamma", "beta", "laplace", "uniform"]
SUFFICIENT += ["categorical", "multivariate_normal"]


@pytest.mark.parametrize(
    "regime", [r for r in FITTABLE if r.family in SUFFICIENT], ids=lambda r: r.label
)
@pytest.mark.parametrize("shift", [1.0, 1.0 + 1e-6, 0.999])
def test_totals_from_sufficient_statistics_match_the_pointwise_sum(regime, shift):
    """A family that sums its log-likelihood from sufficient statistics gives the exact
    pointwise sum at the fit and away from it (the scale-type parameters moved by ``shift``),
    to 1e-12 of the terms' magnitudes."""
    x = _fit_sample(regime)
    cls = get_family(regime.family)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        theta = list(ll.fit(x, cls, fixed=regime.fixed).theta)
    if cls.name == "uniform":  # widened (a narrower interval would exclude data)
        width = theta[1] - theta[0]
        theta = [theta[0] - abs(shift - 1.0) * width, theta[1] + abs(shift - 1.0) * width]
    elif cls.name != "categorical":
        theta[-1] = theta[-1] * shift
    total, scale = ref.loglik(cls.name, x, theta)
    mine = float(cls.loglik_total(FitData(x), *(np.asarray(t) for t in theta)))
    assert abs(mine - total) <= LOOSER.get(regime.label, RTOL) * scale, (mine, total)


def test_student_t_on_el_nino_is_exact():
    """The issue's case: statsmodels' El Niño temperatures are essentially normal, the t's df
    runs off to infinity; the reported log-likelihood is the exact one at the fitted values."""
    sm = pytest.importorskip("statsmodels.api")
    x = sm.datasets.elnino.load_pandas().data.drop(columns="YEAR").to_numpy().ravel()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = ll.fit(x, "student_t")
    total, scale = ref.loglik("student_t", x, res.theta)
    assert res.params["df"] > 1e6
    assert abs(res.loglik - total) <= RTOL * scale
    assert abs(res.loglik - total) <= 1e-10  # absolute, on a log-likelihood of -1630


def test_grids_and_points_agree():
    """loglik_total over a grid of parameters (surfaces, profiles) gives each point's value."""
    x = _fit_sample(next(r for r in REGIMES if r.label.startswith("shape 1e8")))
    data = FitData(x)
    shapes = np.array([1e7, 1e8, 1.5e8])
    scales = np.array([3e-7, 3e-8, 2e-8])
    grid = ll.Gamma.loglik_total(data, shapes[:, None], scales[None, :])
    for i, a in enumerate(shapes):
        for j, s in enumerate(scales):
            one = ll.Gamma.loglik_total(data, float(a), float(s))
            assert grid[i, j] == pytest.approx(one, rel=1e-13, abs=1e-9)


# --------------------------------------------------------------------------------------------
# The building blocks (loglik.models.distributions.exact), each against mpmath
# --------------------------------------------------------------------------------------------

ARGS = [1e-300, 1e-8, 0.3, 1.0, 2.5, 9.99, 10.0, 15.0, 37.2, 1e3, 1e7, 1e15, 1e100]


def _mp(f, *args):
    digits = 80 + 2 * int(np.log10(max(1.0, *map(abs, args))))  # lgamma(1e100) has 102 digits
    with ref.mp.workdps(digits):
        return float(f(*(ref.mp.mpf(a) for a in args)))


@pytest.mark.parametrize("n", ARGS)
def test_stirling_error_and_the_digamma_remainders(n):
    from loglik.models.distributions import exact

    mp = ref.mp

    def stirlerr(v):
        return mp.loggamma(v + 1) - (v + mp.mpf(0.5)) * mp.log(v) + v - mp.log(2 * mp.pi) / 2

    expected = [
        (exact.stirlerr, exact.stirlerr_float, _mp(stirlerr, n), 1e-14),  # absolute below 10
        (
            exact.digamma_minus_log,
            exact.digamma_minus_log_float,
            _mp(lambda v: mp.digamma(v) - mp.log(v), n),
            1e-15,
        ),
        (
            exact.trigamma_minus_inv,
            exact.trigamma_minus_inv_float,
            _mp(lambda v: mp.psi(1, v) - 1 / v, n),
            1e-14,
        ),
    ]
    for vectorised, scalar, value, rtol in expected:
        if not np.isfinite(value):  # trigamma(1e-300) = 1e600 overflows
            assert float(vectorised(n)) == value == scalar(n)
            continue
        tol = rtol * (abs(value) if n >= 10 else max(1.0, abs(value)))
        assert abs(float(vectorised(n)) - value) <= tol
        assert abs(scalar(n) - value) <= tol
        assert float(vectorised(np.array([n, 3.0]))[0]) == pytest.approx(scalar(n), rel=1e-15)


@pytest.mark.parametrize("t", [-0.9999, -0.5, -0.3, -1e-3, -1e-9, 1e-12, 1e-5, 0.2, 0.5, 3.0, 1e10])
def test_log1pmx(t):
    from loglik.models.distributions import exact

    value = _mp(lambda v: ref.mp.log1p(v) - v, t)
    assert float(exact.log1pmx(t)) == pytest.approx(value, rel=4 * EPS)
    assert exact.log1pmx_float(t) == pytest.approx(value, rel=4 * EPS)


@pytest.mark.parametrize(
    ("x", "m"),
    [
        (0.0, 3.0),
        (1e9 + 3e4, 1e9),
        (1e9, 1e9),
        (3.0, 1e-300),
        (1e15 + 1, 1e15),
        (5.0, 7.0),
        (1e-300, 1.0),
        (1e300, 1e-300),
        (2.0, 1.0),
        (0.4, 1.0),
    ],
)
def test_bd0_is_the_deviance_term_to_rounding(x, m):
    from loglik.models.distributions import exact

    value = _mp(lambda a, b: (a * ref.mp.log(a / b) if a else 0) + b - a, x, m)
    assert float(exact.bd0(x, m)) == pytest.approx(value, rel=8 * EPS, abs=1e-300)
    assert exact.bd0_float(x, m) == pytest.approx(value, rel=8 * EPS, abs=1e-300)


@pytest.mark.parametrize("df", [1e-300, 1e-3, 0.5, 1.0, 4.0, 30.0, 1e7, 1e12, 1e300])
def test_the_student_t_constant(df):
    from loglik.models.distributions import exact

    mp = ref.mp
    with mp.workdps(700):
        d = mp.mpf(df)
        value = float(mp.loggamma((d + 1) / 2) - mp.loggamma(d / 2) - mp.log(d * mp.pi) / 2)
    assert float(exact.student_t_log_const(df)) == pytest.approx(value, rel=1e-15, abs=1e-15)
