"""The command line on censored and truncated data: --censor-column (1 = observed, 0 =
right-censored) and --truncation."""

import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import loglik as ll
from loglik import cli

from .test_cli import run

LEUKEMIA = str(resources.files("loglik.data") / "leukemia.csv")
CENSORED = (LEUKEMIA, "-c", "time", "--censor-column", "relapse")  # 1 = relapse seen, 0 = not


def expected_fit(family):
    frame = pd.read_csv(LEUKEMIA)
    rows = np.column_stack([frame["time"], np.where(frame["relapse"] == 1, frame["time"], np.inf)])
    return ll.fit(rows, family, censored=True)


def test_fit_with_a_censor_column_is_the_censored_fit(capsys, tmp_path):
    png = tmp_path / "km.png"
    code, out, _ = run(
        capsys,
        "fit",
        *CENSORED,
        "-f",
        "weibull",
        "--format",
        "json",
        "--plot",
        str(png),
    )
    assert code == 0 and png.stat().st_size > 0
    payload = json.loads(out)
    res = expected_fit("weibull")
    assert payload["loglik"] == pytest.approx(res.loglik, rel=1e-12)
    # the table goes through pandas' JSON (10 significant digits)
    assert payload["table"]["shape"]["estimate"] == pytest.approx(res.params["shape"], rel=1e-9)
    assert payload["data"] == "42 rows: 30 exact, 12 right-censored"


def test_compare_ranks_censored_fits_by_aic(capsys):
    code, out, _ = run(
        capsys,
        "compare",
        *CENSORED,
        "--families",
        "weibull",
        "lognormal",
        "--format",
        "csv",
    )
    assert code == 0
    table = pd.read_csv(__import__("io").StringIO(out), index_col=0)
    assert table.loc["weibull", "aic"] == pytest.approx(expected_fit("weibull").aic, rel=1e-12)
    assert table["aic"].is_monotonic_increasing


def test_truncation_and_bad_event_columns(capsys, tmp_path):
    code, out, _ = run(
        capsys, "fit", LEUKEMIA, "-c", "time", "-f", "exponential", "--truncation", "0.5", "inf"
    )
    assert code == 0 and "truncated to (0.5, inf]" in out
    code, _, err = run(
        capsys, "fit", LEUKEMIA, "-c", "time", "--censor-column", "time", "-f", "weibull"
    )
    assert code == 2 and "must hold 1 (observed) or 0 (right-censored): row 0 is 6" in err
    code, _, err = run(
        capsys,
        "compare",
        *CENSORED,
        "--plot",
        str(tmp_path / "x.png"),
    )
    assert code == 2 and "Kaplan-Meier" in err


def test_help_states_the_event_convention(capsys):
    with pytest.raises(SystemExit):
        cli.main(["fit", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the help text
    assert "1 = the value was" in out and "0 = right-censored" in out
