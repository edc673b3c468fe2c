"""The README's claims about the families, derived from the code, so the text cannot drift: the
list and its count, the methods every family has, and the exceptions the README names."""

import re
from pathlib import Path

import numpy as np
import pytest

import loglik as ll

from .models.distributions.cases import CASES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
TEXT = " ".join(README.split())  # the prose with its line breaks undone
FAMILIES = ll.family_names()


def _named(pattern: str) -> set:
    """The backquoted family names the README puts before ``pattern``."""
    return set(re.findall(r"`(\w+)`(?:'s)? " + pattern, TEXT))


def _raises(call, error, match) -> bool:
    """True when ``call()`` raises ``error`` with ``match``; False when it works; else fail."""
    try:
        call()
    except error as exc:
        assert re.search(match, str(exc)), str(exc)
        return True
    return False


def test_the_family_list_and_its_count():
    listed = re.search(r"(\d+) families \(`ll.family_names\(\)`\) — ([a-z_, ]+) —", TEXT)
    assert listed, "the README lists the families"
    names = [n.strip() for n in listed[2].split(",")]
    assert int(listed[1]) == len(names) == len(FAMILIES) == 19
    assert sorted(names) == sorted(FAMILIES)
    assert set(CASES) == set(FAMILIES)  # the family tests cover each one


@pytest.mark.parametrize("name", FAMILIES)
def test_every_family_has_the_methods_the_readme_claims(name):
    d = CASES[name].dist
    x = d.sample(5, 0)
    assert np.all(np.isfinite(d.logpdf(x))) and np.allclose(d.pdf(x), np.exp(d.logpdf(x)))
    assert np.all((d.cdf(x) >= 0) & (d.cdf(x) <= 1))
    assert d.sample(3, 1).shape[0] == 3
    score = d.score(x)
    assert list(score) == list(d.estimable_names)
    frozen = d.to_scipy()
    reference = frozen.logpmf(x) if d.discrete else frozen.logpdf(x)
    np.testing.assert_allclose(d.logpdf(x), reference, rtol=1e-10)
    moments = np.r_[np.ravel(d.mean()), np.ravel(d.var())]
    if name in _named("mean and variance are NaN"):
        assert np.isnan(moments).all()
    else:
        assert np.isfinite(moments).all()


def test_the_families_without_a_quantile_function_are_the_ones_the_readme_names():
    def ppf(d):
        q = d.ppf(np.array([0.1, 0.5, 0.9]))
        assert np.all(np.diff(q) >= 0) and np.allclose(d.cdf(q[1]), 0.5, atol=0.5)
        return q

    without = {
        name
        for name in FAMILIES
        if _raises(lambda name=name: ppf(CASES[name].dist), TypeError, "no quantile function")
    }
    assert without == _named("has no quantile function") == {"multivariate_normal"}
    marginal = CASES["multivariate_normal"].dist.marginal(0)  # the way the error message points
    assert marginal.ppf(0.5) == pytest.approx(marginal.mean(), rel=1e-12)


def test_the_families_without_fisher_information_are_the_ones_the_readme_names():
    def information(d):
        info = d.fisher_information()
        assert np.all(np.linalg.eigvalsh(info) > 0)
        return info

    without = {
        name
        for name in FAMILIES
        if _raises(
            lambda name=name: information(CASES[name].dist), ValueError, "no Fisher information"
        )
    }
    assert without == _named("has no Fisher information") == {"uniform"}
    assert without == {name for name in FAMILIES if not CASES[name].dist.regular}


def test_optimizer_fits_work_for_every_family_but_the_ones_the_readme_names():
    named = set(re.findall(r"for every family but `(\w+)`", TEXT))
    assert named == {name for name in FAMILIES if not CASES[name].dist.regular}
    for name in named:
        x = CASES[name].dist.sample(50, 0)
        with pytest.raises(ValueError, match="gradient-based optimizers do not apply"):
            ll.fit(x, name, optimizer="adam")


def test_the_priors_the_readme_names_are_the_exported_distributions_that_are_not_families():
    named = set(re.findall(r"((?:`\w+`,? (?:and )?)+)are priors for `fit_map`", TEXT)[0].split("`"))
    named = {n for n in named if n.isidentifier()}
    exported = {
        n
        for n in ll.__all__
        if isinstance(getattr(ll, n), type)
        and (hasattr(getattr(ll, n), "logpdf") and n != "Distribution")
    }
    families = {ll.estimation.get_family(name).__name__ for name in FAMILIES}
    assert named == exported - families == {"Dirichlet", "NormalInverseGamma", "Flat"}
    for name in named:
        with pytest.raises(ValueError, match="unknown family"):
            ll.fit([1.0, 2.0], name.lower())


def _checked_elsewhere() -> set:
    """The estimator classes scikit-learn's check_estimator runs on in the other test files."""
    from .models.neural import test_estimators as neural
    from .regularization import test_sklearn_contract as regression

    marks = [m for m in neural.test_check_estimator.pytestmark if m.name == "parametrize"]
    return {type(e).__name__ for e in regression.ESTIMATORS + list(marks[0].args[1])}


SCALERS = [ll.StandardScaler(), ll.MinMaxScaler()]


def test_every_public_estimator_is_checked_by_scikit_learn():
    """The README: "Every estimator passes scikit-learn's check_estimator"."""
    assert "Every estimator passes scikit-learn's `check_estimator`" in TEXT
    public = {
        n
        for n in ll.__all__
        if isinstance(getattr(ll, n), type)
        and all(hasattr(getattr(ll, n), m) for m in ("fit", "get_params", "set_params"))
    }
    assert public == _checked_elsewhere() | {type(s).__name__ for s in SCALERS}


@pytest.mark.parametrize("estimator", SCALERS, ids=repr)
def test_the_scalers_pass_check_estimator(estimator):
    from sklearn.utils.estimator_checks import check_estimator

    results = check_estimator(estimator, on_fail=None)
    failed = [(r["check_name"], r["exception"]) for r in results if r["status"] == "failed"]
    assert not failed, failed
    assert sum(r["status"] == "passed" for r in results) > 30
