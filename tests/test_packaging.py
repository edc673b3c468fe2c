"""What `make test-oldest` installs is what pyproject.toml declares: one pin per lower bound."""

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]


def _lower_bounds() -> dict:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    out = {}
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        spec = spec.replace(" ", "")
        if spec.startswith("ruff"):  # the one cap: a new ruff minor may change rules and style,
            spec = spec.split(",<")[0]  # which would fail `make lint` on unchanged code
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9.]+)", spec)
        assert match, f"{spec!r}: every requirement has one lower bound and no upper cap"
        out[match[1].lower()] = match[2]
    return out


def _pins() -> dict:
    out = {}
    for line in (ROOT / "constraints-oldest.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            out[name.strip().lower()] = version.strip()
    return out


def test_constraints_pin_each_lower_bound_of_pyproject():
    bounds, pins = _lower_bounds(), _pins()
    assert set(pins) == set(bounds)
    for name, bound in bounds.items():
        pinned = pins[name].split(".")
        assert pinned[: len(bound.split("."))] == bound.split("."), (name, bound, pins[name])
        assert all(part == "0" for part in pinned[len(bound.split(".")) :]), (name, pins[name])
