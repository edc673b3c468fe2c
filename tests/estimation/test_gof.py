"""Goodness of fit with estimated parameters: the statistics against scipy's, the bootstrap
p-values against ``scipy.stats.goodness_of_fit`` within Monte-Carlo error, the vectorised fits
against one-at-a-time fits, and where the tests do not apply."""

import numpy as np
import pytest
from scipy import stats

import loglik as ll
from loglik.estimation.data import FitData
from loglik.estimation.fitting import estimate

B = 999
SCIPY = {  # family -> (sampler, scipy distribution, the parameters scipy holds fixed)
    "normal": (lambda r, n: r.normal(1.0, 2.0, n), stats.norm, {}),
    "gamma": (lambda r, n: r.gamma(2.5, 1.5, n), stats.gamma, {"loc": 0.0}),
    "weibull": (lambda r, n: 2.0 * r.weibull(1.5, n), stats.weibull_min, {"loc": 0.0}),
}


def mc_tolerance(p, b=B, sigmas=4.0):
    """Two independent Monte-Carlo p-values from ``b`` replicates each differ by a binomial
    error of standard deviation sqrt(2 p (1 - p) / b); allow ``sigmas`` of it plus the
    (1 + count)/(b + 1) discreteness."""
    return sigmas * np.sqrt(2.0 * p * (1.0 - p) / b) + 2.0 / (b + 1.0)


@pytest.mark.parametrize("statistic", ["ks", "cvm", "ad"])
@pytest.mark.parametrize("name", list(SCIPY))
def test_pvalues_agree_with_scipy_goodness_of_fit(name, statistic):
    sample, dist, known = SCIPY[name]
    # n = 200: scipy's normal uses the n - 1 standard deviation, loglik the MLE; at this n the
    # two statistics differ by far less than the Monte-Carlo error
    x = sample(np.random.default_rng(11), 200 if name == "normal" else 60)
    # a slightly wrong model too, so that p-values away from the middle are compared
    if statistic == "ad":
        x = np.r_[x, np.quantile(x, [0.995, 0.999])]
    res = ll.fit(x, name)
    b = 299 if name == "weibull" else B  # scipy refits a Weibull in about 4 ms
    ours = res.gof(statistic, n_boot=b, random_state=1).loc[statistic]
    theirs = stats.goodness_of_fit(
        dist, x, known_params=known, statistic=statistic, n_mc_samples=b, random_state=2
    )
    if name != "normal":  # same MLE (scipy's optimizer stops within ~1e-4), same statistic
        assert ours["statistic"] == pytest.approx(theirs.statistic, rel=1e-3)
    p = 0.5 * (ours["pvalue"] + theirs.pvalue)
    assert abs(ours["pvalue"] - theirs.pvalue) <= mc_tolerance(p, b)
    assert ours["n_boot"] == b


def test_statistics_equal_scipys_for_a_known_distribution():
    x = np.random.default_rng(3).normal(0.2, 1.1, 80)
    dist = ll.Normal(0.0, 1.0)
    from loglik.estimation.gof import edf_statistics

    ours = edf_statistics(dist, np.sort(x), ["ks", "cvm", "ad"])
    assert ours["ks"] == pytest.approx(stats.kstest(x, stats.norm.cdf).statistic, rel=1e-12)
    assert ours["cvm"] == pytest.approx(stats.cramervonmises(x, "norm").statistic, rel=1e-12)
    known = {"loc": 0.0, "scale": 1.0}
    ad = stats.goodness_of_fit(stats.norm, x, known_params=known, statistic="ad", n_mc_samples=9)
    assert ours["ad"] == pytest.approx(ad.statistic, rel=1e-12)


@pytest.mark.parametrize("name", ["normal", "lognormal", "exponential", "gamma", "weibull"])
def test_batch_fits_equal_one_at_a_time_fits(name):
    cls = ll.estimation.family.get_family(name)
    dist = {
        "normal": ll.Normal(1.0, 2.0),
        "lognormal": ll.LogNormal(0.3, 0.7),
        "exponential": ll.Exponential(2.0),
        "gamma": ll.Gamma(0.7, 1.5),
        "weibull": ll.Weibull(0.8, 2.0),
    }[name]
    samples = dist.sample((20, 30), np.random.default_rng(4))
    batch = cls.fit_batch(samples, {})
    for b in range(samples.shape[0]):
        values = estimate(cls, FitData(samples[b]), {}).values
        for j, param in enumerate(cls.param_names):
            assert batch[j][b] == pytest.approx(values[param], rel=1e-9)


def test_pvalues_are_uniform_under_the_null():
    # 300 normal samples of 25, each tested with 99 replicates: P(p <= 0.1) = 0.1 exactly for
    # (1 + count)/(B + 1) p-values under the null; binomial sd of the rate sqrt(.09/300)=0.017
    rng = np.random.default_rng(5)
    rejections = 0
    for _ in range(300):
        res = ll.fit(rng.normal(size=25), "normal")
        rejections += res.gof("ad", n_boot=99, random_state=rng).loc["ad", "pvalue"] <= 0.1
    assert abs(rejections / 300 - 0.1) < 4 * 0.017


def test_a_wrong_family_is_rejected():
    x = np.random.default_rng(6).lognormal(0.0, 1.0, 200)
    table = ll.fit(x, "normal").gof(n_boot=199, random_state=0)
    assert list(table.index) == ["ks", "cvm", "ad"]
    assert (table["pvalue"] <= 1 / 200 + 1e-12).all()


def test_compare_adds_gof_columns_when_asked():
    x = np.random.default_rng(7).gamma(2.0, 1.0, 100)
    plain = ll.compare(x, ["gamma", "lognormal"])
    assert not [c for c in plain.columns if c.startswith("gof_")]
    table = ll.compare(x, ["gamma", "lognormal", "weibull"], gof=True, n_boot=99, random_state=0)
    for column in ("gof_ks", "gof_cvm", "gof_ad"):
        assert table[column].between(0.01, 1.0).all()
    only_ad = ll.compare(x, ["gamma"], gof="ad", n_boot=99, random_state=0)
    assert "gof_ad" in only_ad.columns and "gof_ks" not in only_ad.columns


def test_where_the_tests_do_not_apply_they_say_why():
    rows = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, np.inf], [0.5, 0.5]])
    censored = ll.fit(rows, "exponential", censored=True)
    with pytest.raises(ValueError, match="do not apply to censored"):
        censored.gof()
    with pytest.raises(ValueError, match="do not apply to censored"):
        ll.compare(rows, ["exponential"], censored=True, gof=True)
    with pytest.raises(ValueError, match="continuous univariate"):
        ll.fit(np.array([1.0, 2.0, 2.0, 5.0]), "poisson").gof()
    with pytest.raises(ValueError, match="unweighted"):
        ll.fit(np.array([1.0, 2.0, 3.0]), "normal", weights=[1, 2, 1]).gof()
    with pytest.raises(ValueError, match="statistic must be one of"):
        ll.fit(np.array([1.0, 2.0, 3.0]), "normal").gof("chi2")
