"""The shipped data sets load, with provenance."""

import numpy as np
import pytest

import loglik as ll


def test_every_data_set_loads_with_provenance():
    table = ll.data.list_datasets()
    assert set(table.index) == {
        "strikes",
        "nile",
        "randhie",
        "longley",
        "anes96",
        "leukemia",
        "engel",
    }
    assert (table["rows"] > 0).all()
    for name in table.index:
        text = ll.data.describe(name)
        assert "Source:" in text and "Licence: public domain" in text


def test_contents_match_their_descriptions():
    strikes = ll.data.load("strikes")
    assert strikes.shape == (62, 2) and (strikes["duration"] > 0).all()
    longley = ll.data.load("longley")
    assert longley.loc[0, "TOTEMP"] == 60323 and longley.shape == (16, 7)
    visits = ll.data.load("randhie")["mdvis"]
    assert visits.dtype.kind == "i" and visits.min() == 0 and visits.var() > visits.mean()
    assert set(np.unique(ll.data.load("anes96")["vote"])) == {0, 1}
    leukemia = ll.data.load("leukemia")
    assert leukemia.shape == (42, 3)
    counts = leukemia.groupby("treatment")["relapse"].agg(["size", "sum"])
    assert counts.loc["6-MP"].tolist() == [21, 9] and counts.loc["placebo"].tolist() == [21, 21]
    assert leukemia.loc[leukemia["treatment"] == "6-MP", "time"].sum() == 359


def test_load_returns_a_fresh_frame():
    a = ll.data.load("nile")
    a.loc[0, "volume"] = -1
    assert ll.data.load("nile").loc[0, "volume"] == 1120


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="known: strikes, nile"):
        ll.data.load("iris")
