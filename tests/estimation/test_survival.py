"""Kaplan-Meier and Turnbull's NPMLE: the textbook values on the leukemia data, closed forms of
the NPMLE, and the figure a censored fit draws."""

import matplotlib
import numpy as np
import pytest

import loglik as ll
from loglik.estimation.censored_data import as_censored_data
from loglik.estimation.survival import kaplan_meier, npmle, turnbull


def six_mp():
    frame = ll.data.load("leukemia")
    arm = frame[frame["treatment"] == "6-MP"]
    return np.column_stack([arm["time"], np.where(arm["relapse"] == 1, arm["time"], np.inf)])


def test_kaplan_meier_reproduces_the_published_6mp_curve():
    # Kaplan-Meier estimate for the 6-MP arm (e.g. Klein & Moeschberger, Survival Analysis,
    # 2nd ed., 2003, Table 4.1A): survival and Greenwood standard errors
    km = kaplan_meier(as_censored_data(six_mp(), censored=True))
    assert km["lower"].tolist() == [6, 7, 10, 13, 16, 22, 23]
    # (published to three decimals)
    np.testing.assert_allclose(
        km["survival"], [0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448], atol=5e-4
    )
    np.testing.assert_allclose(
        km["se"], [0.076, 0.087, 0.096, 0.107, 0.114, 0.128, 0.135], atol=5e-4
    )
    assert km["at_risk"].tolist() == [21, 17, 15, 12, 11, 7, 6]


def test_turnbull_equals_kaplan_meier_under_right_censoring():
    data = as_censored_data(six_mp(), censored=True)
    km, tb = kaplan_meier(data), turnbull(data)
    tb = tb[tb["mass"] > 1e-9]
    np.testing.assert_allclose(tb["survival"].to_numpy()[:-1], km["survival"], atol=1e-8)
    assert tb.attrs["converged"]


def test_turnbull_closed_forms():
    # disjoint bins: the masses are the proportions
    rows = np.array([[0.0, 1.0]] * 3 + [[1.0, 2.0]] * 5 + [[2.0, 4.0]] * 2)
    tb = turnbull(as_censored_data(rows, censored=True))
    np.testing.assert_allclose(tb["mass"], [0.3, 0.5, 0.2], atol=1e-9)
    # current status data: d of n failed before c
    rows = np.array([[-np.inf, 3.0]] * 4 + [[3.0, np.inf]] * 6)
    tb = npmle(as_censored_data(rows, censored=True))
    np.testing.assert_allclose(tb["mass"], [0.4, 0.6], atol=1e-9)
    assert tb["upper"].tolist() == [3.0, np.inf]
    # overlapping intervals: (0, 2], (1, 3], exact 1.5: all mass on the point 1.5
    rows = np.array([[0.0, 2.0], [1.0, 3.0], [1.5, 1.5]])
    tb = turnbull(as_censored_data(rows, censored=True))
    assert tb.loc[tb["mass"].idxmax(), ["lower", "upper"]].tolist() == [1.5, 1.5]
    assert tb["mass"].max() == pytest.approx(1.0, abs=1e-6)


def test_censored_fit_diagnostics_draw_the_npmle_and_the_fit(tmp_path):
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from loglik import plotting

    res = ll.fit(six_mp(), "weibull", censored=True)
    axes = plotting.fit_diagnostics(res)
    labels = [line.get_label() for line in axes[0].get_lines()]
    assert labels == ["Kaplan-Meier", "fitted weibull"]
    fitted = axes[0].get_lines()[1]
    x, y = fitted.get_data()
    np.testing.assert_allclose(y, res.dist.sf(x), rtol=1e-12)
    axes[0].figure.savefig(tmp_path / "km.png")
    x = ll.Weibull(1.5, 2.0).sample(200, 1)
    lo = np.floor(x * 2) / 2
    rows = np.column_stack([lo, lo + 0.5])
    axes = plotting.fit_diagnostics(ll.fit(rows, "weibull", censored=True))
    assert axes[0].get_lines()[0].get_label() == "Turnbull NPMLE"
    plt.close("all")
