"""The ``loglik`` command line."""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="loglik", description="Statistics and estimation centred on the likelihood."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the demo and write its report and figures")
    demo.add_argument("--out", default="demo-output", help="output folder (default demo-output)")
    demo.add_argument("--quick", action="store_true", help="smaller budgets, for tests")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        from .demo import run

        run(args.out, quick=args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
