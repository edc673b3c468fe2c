"""compare(): ranking, criteria, the KS distance, families that do not apply."""

import numpy as np
import pytest
from scipy import stats

import loglik as ll

RNG = np.random.default_rng(5)
GAMMA = RNG.gamma(2.0, 3.0, 800)


def test_ranks_by_the_criterion_and_reports_every_column():
    table = ll.compare(GAMMA, ["normal", "gamma", "weibull", "lognormal", "exponential"])
    assert table.index[0] == "gamma"
    assert list(table["aic"]) == sorted(table["aic"])
    assert table["delta"].iloc[0] == 0 and table["weight"].sum() == pytest.approx(1.0)
    row = table.loc["weibull"]
    fit = ll.fit(GAMMA, "weibull")
    assert row["loglik"] == pytest.approx(fit.loglik) and row["k"] == 2
    assert row["aic"] == pytest.approx(fit.aic) and row["bic"] == pytest.approx(fit.bic)
    assert row["aicc"] == pytest.approx(fit.aicc)
    assert row["params"] == pytest.approx(fit.params)
    by_bic = ll.compare(GAMMA, ["normal", "gamma", "exponential"], criterion="bic")
    assert list(by_bic["bic"]) == sorted(by_bic["bic"])


@pytest.mark.parametrize("family", ["gamma", "normal", "cauchy", "uniform"])
def test_ks_distance_matches_scipy(family):
    table = ll.compare(GAMMA, [family])
    dist = ll.fit(GAMMA, family).to_scipy()
    assert table.loc[family, "ks"] == pytest.approx(stats.kstest(GAMMA, dist.cdf).statistic)


def test_ks_distance_for_discrete_data():
    counts = RNG.poisson(3.0, 300).astype(float)
    table = ll.compare(counts, ["poisson", "geometric"])
    assert not table.loc["geometric", "applicable"]
    dist = ll.fit(counts, "poisson").dist
    values = np.arange(0.0, counts.max() + 2)
    ecdf = np.array([(counts <= v).mean() for v in values])
    ecdf_below = np.array([(counts < v).mean() for v in values])
    expected = max(
        np.abs(ecdf - dist.cdf(values)).max(), np.abs(ecdf_below - dist.cdf(values - 1)).max()
    )
    assert table.loc["poisson", "ks"] == pytest.approx(expected)


def test_families_that_do_not_apply_are_listed_with_the_reason_not_ranked():
    x = np.r_[GAMMA, -1.0]
    table = ll.compare(x, ["normal", "gamma", "beta", "laplace"])
    assert set(table.index[:2]) == {"laplace", "normal"}
    gamma = table.loc["gamma"]
    assert not gamma["applicable"] and np.isnan(gamma["aic"])
    assert "1 value, the first -1.0 at row 800" in gamma["note"]
    assert table.loc["beta", "note"].startswith("x has values outside the support of beta")
    assert list(table.index[-2:]) == ["gamma", "beta"]


def test_defaults_and_discrete_data():
    table = ll.compare(GAMMA)
    assert set(table.index) == set(ll.estimation.mle.DEFAULT_CONTINUOUS)
    counts = RNG.negative_binomial(3, 0.4, 500).astype(float)
    table = ll.compare(counts)
    assert set(table.index) == set(ll.estimation.mle.DEFAULT_DISCRETE)
    assert table.index[0] == "negative_binomial"
    binom = ll.compare(counts, ["poisson", "binomial"], fixed={"binomial": {"n": 40}})
    assert binom.loc["binomial", "applicable"]
    with pytest.raises(ValueError, match="not comparable"):
        ll.compare(counts, ["poisson", "normal"])


def test_bad_input():
    with pytest.raises(ValueError, match="unknown criterion"):
        ll.compare(GAMMA, ["gamma"], criterion="r2")
    with pytest.raises(ValueError, match="NaN at row 1"):
        ll.compare([1.0, np.nan], ["gamma"])
    with pytest.raises(ValueError, match="unknown family"):
        ll.compare(GAMMA, ["gamma", "gamm"])
    table = ll.compare(GAMMA, ["normal", "multivariate_normal"])
    assert "multivariate" in table.loc["multivariate_normal", "note"]
