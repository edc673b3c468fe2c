"""The README's Python blocks run as a user would paste them: every block, in order, in one
namespace, nothing elided; a ConvergenceWarning fails the run (pytest's filterwarnings)."""

import io
import re
import tokenize
from pathlib import Path

import matplotlib
import numpy as np
import pytest

import loglik as ll

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")
BLOCKS = [
    (TEXT[: m.start()].count("\n") + 2, m.group(1))  # (README line of the block's first line, code)
    for m in re.finditer(r"^```python\n(.*?)^```", TEXT, flags=re.S | re.M)
]


def test_the_readme_has_python_blocks_and_elides_nothing():
    assert len(BLOCKS) >= 6
    for line, code in BLOCKS:
        tokens = tokenize.generate_tokens(io.StringIO(code).readline)
        ellipses = [t.start[0] for t in tokens if t.type == tokenize.OP and t.string == "..."]
        assert not ellipses, f"README.md line {line + ellipses[0] - 1}: `...` elides code"


def test_every_block_runs_in_order_in_one_namespace(tmp_path, monkeypatch):
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)  # figures a block saves land here
    namespace = {"__name__": "__readme__"}
    try:
        for line, code in BLOCKS:
            # padded so that a traceback names the README's own line numbers
            exec(compile("\n" * (line - 1) + code, str(README), "exec"), namespace)
    finally:
        plt.close("all")
    assert (tmp_path / "optimizer_paths.png").stat().st_size > 0


def test_the_numbers_the_readme_shows_are_the_fit():
    shown = re.search(r"res\.params +# \{'shape': ([0-9.]+), 'scale': ([0-9.]+)\}", TEXT)
    assert shown, "the README shows the gamma fit's parameters"
    res = ll.fit(ll.data.load("strikes")["duration"], "gamma")
    for name, text in zip(("shape", "scale"), shown.groups()):
        decimals = len(text.split(".")[1])
        assert np.round(res.params[name], decimals) == pytest.approx(float(text), abs=1e-12)
    assert "62 U.S. strike durations" in TEXT and res.n == 62


def test_the_command_lines_run(tmp_path, monkeypatch, capsys):
    """The README's command-line block, on the shipped data sets written as the CSV files it
    names (``loglik demo`` is run by tests/test_cli.py::test_demo_writes_a_report)."""
    import shlex

    from loglik import cli

    section = TEXT[TEXT.index("## The command line") :]
    block = re.search(r"^```\n(.*?)^```", section, flags=re.S | re.M).group(1)
    lines = [shlex.split(line) for line in block.splitlines() if line.strip()]
    assert all(line[0] == "loglik" for line in lines) and ["loglik", "demo"] in [
        line[:2] for line in lines
    ]
    monkeypatch.chdir(tmp_path)
    for name in ("strikes", "nile", "anes96", "leukemia"):
        ll.data.load(name).to_csv(f"{name}.csv", index=False)
    matplotlib.use("Agg")
    for line in lines:
        if line[1] == "demo":
            continue
        assert cli.main(line[1:]) == 0, " ".join(line)
        figure = line[line.index("--plot" if "--plot" in line else "--out") + 1]
        assert (tmp_path / figure).stat().st_size > 0
    assert '"estimate": 0.89' in capsys.readouterr().out  # the gamma fit, as JSON
