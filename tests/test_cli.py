"""The command line: every subcommand, and every bad input ends with one line and exit 2."""

import json
import subprocess
import sys
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from loglik import cli

DATA = resources.files("loglik.data")
STRIKES = str(DATA / "strikes.csv")
NILE = str(DATA / "nile.csv")


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_fit_prints_the_summary(capsys):
    code, out, _ = run(
        capsys, "fit", STRIKES, "--column", "duration", "--family", "gamma", "--ci", "profile"
    )
    assert code == 0
    assert "gamma maximum likelihood" in out and "shape" in out and "lower 95%" in out


def test_fit_json_and_csv(capsys):
    code, out, _ = run(capsys, "fit", NILE, "-c", "volume", "-f", "normal", "--format", "json")
    payload = json.loads(out)
    assert code == 0 and payload["family"] == "normal"
    volume = pd.read_csv(NILE)["volume"]
    assert payload["table"]["mu"]["estimate"] == pytest.approx(volume.mean())
    assert payload["table"]["sigma"]["estimate"] == pytest.approx(volume.std(ddof=0))
    code, out, _ = run(capsys, "fit", NILE, "-c", "volume", "-f", "normal", "--format", "csv")
    assert out.splitlines()[0] == ",estimate,se,lower 95%,upper 95%"


def test_fit_with_fixed_weights_bootstrap_and_plot(capsys, tmp_path):
    table = pd.DataFrame({"x": [1.0, 2.0, 3.5, 0.7, 2.2], "w": [1, 2, 1, 3, 1]})
    path = tmp_path / "d.tsv"
    table.to_csv(path, sep="\t", index=False)
    png = tmp_path / "fit.png"
    code, out, err = run(
        capsys,
        "fit",
        str(path),
        "-c",
        "x",
        "-f",
        "normal",
        "--weights",
        "w",
        "--fixed",
        "mu=2",
        "--ci",
        "bootstrap",
        "--plot",
        str(png),
    )
    assert code == 0 and png.stat().st_size > 0 and "figure written" in err
    assert "sigma" in out and "mu" not in out.split("intervals")[1].split("\n", 2)[2]


def test_compare_ranks_and_plots(capsys, tmp_path):
    png = tmp_path / "cmp.png"
    code, out, _ = run(
        capsys,
        "compare",
        STRIKES,
        "-c",
        "duration",
        "--families",
        "gamma",
        "weibull",
        "lognormal",
        "--format",
        "csv",
        "--plot",
        str(png),
    )
    assert code == 0 and png.stat().st_size > 0
    ranked = pd.read_csv(pd.io.common.StringIO(out), index_col=0)
    assert list(ranked.index) == list(ranked.sort_values("aic").index)


def test_surface_writes_a_figure(capsys, tmp_path):
    png = tmp_path / "s.png"
    code, _, _ = run(
        capsys,
        "surface",
        NILE,
        "-c",
        "volume",
        "-f",
        "normal",
        "--params",
        "mu",
        "sigma",
        "--out",
        str(png),
    )
    assert code == 0 and png.stat().st_size > 0


def test_demo_writes_a_report(tmp_path, capsys):
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path / "out"), "--quick")
    assert code == 0 and "report written" in out
    report = (tmp_path / "out" / "report.md").read_text()
    for name in (
        "gd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "fista",
        "newton",
        "lbfgs",
    ):
        assert name in report


@pytest.mark.parametrize(
    "argv, message",
    [
        (["fit", "missing.csv", "-c", "x", "-f", "gamma"], "no such file: missing.csv"),
        (["fit", STRIKES, "-c", "dur", "-f", "gamma"], "no column 'dur'"),
        (["fit", STRIKES, "-c", "duration", "-f", "gammma"], "unknown family 'gammma'"),
        (["fit", NILE, "-c", "volume", "-f", "beta"], "outside the support of beta"),
        (["fit", STRIKES, "-c", "duration", "-f", "gamma", "--fixed", "shape"], "NAME=VALUE"),
        (["fit", STRIKES, "-c", "duration", "-f", "gamma", "--fixed", "shape=a"], "not a number"),
        (["fit", STRIKES, "-c", "duration"], "--family"),
        (
            [
                "surface",
                NILE,
                "-c",
                "volume",
                "-f",
                "normal",
                "--params",
                "mu",
                "rate",
                "--out",
                "x.png",
            ],
            "rate",
        ),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert out == ""
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("loglik: error: ") and message in err


def test_non_numeric_column(capsys, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("x\n1.5\n2.0\nabc\n")
    code, _, err = run(capsys, "fit", str(path), "-c", "x", "-f", "normal")
    assert code == 2 and "not numeric: row 2 is 'abc'" in err


def test_missing_value_and_unwritable_plot(capsys, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("x\n1.5\n\n2.0\n3.0\n")
    pd.DataFrame({"x": [1.5, None, 2.0]}).to_csv(path, index=False)
    code, _, err = run(capsys, "fit", str(path), "-c", "x", "-f", "normal")
    assert code == 2 and "missing value at row 1" in err
    code, _, err = run(
        capsys,
        "fit",
        NILE,
        "-c",
        "volume",
        "-f",
        "normal",
        "--plot",
        str(tmp_path / "no" / "such" / "dir.png"),
    )
    assert code == 2 and "does not exist" in err


def test_console_script_has_no_traceback_on_bad_input():
    out = subprocess.run(
        [sys.executable, "-m", "loglik.cli", "fit", "nope.csv", "-c", "x", "-f", "normal"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip() == "loglik: error: no such file: nope.csv"


def _regression_file(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 3))
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["y"] = 1.0 + 2.0 * frame["a"] - frame["b"] + rng.normal(size=120)
    frame["label"] = np.where(frame["y"] > 1.0, "high", "low")
    path = tmp_path / "reg.csv"
    frame.to_csv(path, index=False)
    return path


def test_regress_prints_the_glm_summary(capsys, tmp_path):
    path = _regression_file(tmp_path)
    assert cli.main(["regress", str(path), "-y", "y", "-x", "a", "b", "c"]) == 0
    out = capsys.readouterr().out
    assert "LinearRegression results" in out and "P>|t|" in out and "intercept" in out
    assert (
        cli.main(
            [
                "regress",
                str(path),
                "-y",
                "label",
                "-x",
                "a",
                "b",
                "-f",
                "bernoulli",
                "--format",
                "json",
            ]
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert set(payload["table"]) == {"intercept", "a", "b"}
    assert payload["family"] == "bernoulli"


def test_regress_lasso_with_cross_validation_and_plot(capsys, tmp_path):
    path = _regression_file(tmp_path)
    png = tmp_path / "path.png"
    argv = [
        "regress",
        str(path),
        "--target",
        "y",
        "--features",
        "a",
        "b",
        "c",
        "--penalty",
        "l1",
        "--cv",
        "3",
        "--plot",
        str(png),
    ]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "alpha_1se" in out and "nonzero" in out
    assert png.exists()
    assert (
        cli.main(
            [
                "regress",
                str(path),
                "-y",
                "y",
                "-x",
                "a",
                "b",
                "--penalty",
                "l2",
                "--alpha",
                "0.1",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.startswith(",coef")


def test_regress_bad_input(capsys, tmp_path):
    path = _regression_file(tmp_path)
    assert cli.main(["regress", str(path), "-y", "nope"]) == 2
    assert "no column 'nope'" in capsys.readouterr().err
    assert (
        cli.main(["regress", str(path), "-y", "y", "-x", "a", "--penalty", "l1", "--alpha", "-1"])
        == 2
    )
    assert "alpha must be in" in capsys.readouterr().err
