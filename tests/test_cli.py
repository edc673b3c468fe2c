"""The command line."""

import subprocess
import sys

from loglik import cli


def test_demo_writes_a_report(tmp_path, capsys):
    assert cli.main(["demo", "--out", str(tmp_path / "out"), "--quick"]) == 0
    report = (tmp_path / "out" / "report.md").read_text()
    assert "Rosenbrock" in report and "logistic NLL" in report
    for name in (
        "gd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
        "fista",
        "newton",
        "lbfgs",
    ):
        assert name in report
    assert "report written" in capsys.readouterr().out


def test_console_script_entry_point_runs():
    out = subprocess.run(
        [sys.executable, "-m", "loglik.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "demo" in out.stdout
