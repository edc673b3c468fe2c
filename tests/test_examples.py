"""Every example runs (small settings) and writes what it says it writes."""

import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

OUTPUTS = {
    "mle_vs_map.py": ["summaries.txt", "map_vs_mle.csv", "map_vs_mle.png"],
    "optimizers_compared.py": ["optimizers.csv", "rosenbrock_paths.png"],
    "neural_likelihoods.py": ["loss_curves.png", "heteroscedastic_fit.png"],
    "regression_anes96.py": ["logit_summary.txt", "l1_path.png", "cv.csv"],
}


def test_every_example_is_listed():
    assert {p.name for p in EXAMPLES.glob("*.py")} == set(OUTPUTS)


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_example_runs(name, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "argv", [name, str(tmp_path), "--quick"])
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    for output in OUTPUTS[name]:
        assert (tmp_path / output).stat().st_size > 0
