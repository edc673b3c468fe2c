"""The ``loglik`` command line.

Bad input (a missing file or column, a non-numeric column, an unknown family, data a family cannot
fit) ends with one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

EXIT_USAGE = 2


class CLIError(Exception):
    """A problem with what the user asked for; reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CLIError(message)


# --------------------------------------------------------------------------------------------
# Reading data
# --------------------------------------------------------------------------------------------


def read_table(path: str):
    """Read a CSV, TSV or Parquet file (or ``-`` for CSV on stdin) into a DataFrame."""
    if path == "-":
        return pd.read_csv(sys.stdin)
    file = Path(path)
    if not file.is_file():
        raise CLIError(f"no such file: {path}")
    suffixes = "".join(file.suffixes).lower()
    try:
        if ".parquet" in suffixes or ".pq" in suffixes:
            try:
                return pd.read_parquet(file)
            except ImportError:
                raise CLIError("reading Parquet needs pyarrow: pip install pyarrow") from None
        sep = "\t" if (".tsv" in suffixes or ".tab" in suffixes) else None
        return pd.read_csv(file, sep=sep, engine="python" if sep is None else "c")
    except CLIError:
        raise
    except Exception as exc:  # pandas raises many types for unreadable files
        raise CLIError(f"cannot read {path}: {exc}".splitlines()[0]) from None


def numeric_column(frame, name: str, path: str = "data") -> np.ndarray:
    """The column ``name`` as float64, or a CLIError naming what is wrong."""
    if name not in frame.columns:
        known = ", ".join(map(str, frame.columns))
        raise CLIError(f"no column {name!r} in {path}; columns: {known}")
    column = frame[name]
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(values) & column.notna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise CLIError(f"column {name!r} is not numeric: row {row} is {column.iloc[row]!r}")
    if np.isnan(values).any():
        row = int(np.flatnonzero(np.isnan(values))[0])
        raise CLIError(f"column {name!r} has a missing value at row {row}")
    return values


# --------------------------------------------------------------------------------------------
# Subcommands
# --------------------------------------------------------------------------------------------


def _cmd_demo(args) -> int:
    from .demo import run

    run(args.out, quick=args.quick)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="loglik", description="Statistics and estimation centred on the likelihood."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    demo = sub.add_parser("demo", help="run the demo and write its report and figures")
    demo.add_argument("--out", default="demo-output", help="output folder (default demo-output)")
    demo.add_argument("--quick", action="store_true", help="smaller budgets, for tests")
    demo.set_defaults(run=_cmd_demo)
    return parser


def main(argv=None) -> int:
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except CLIError as exc:
        print(f"loglik: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError as exc:  # the library's clear input errors
        print(f"loglik: error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
