"""Write ``benchmarks/results.md`` from the benchmarks' output, and the README's section from it.

``python benchmarks/report.py [--slow-tests passed|FAILED]`` reads ``benchmarks/out/*.json``
(written by each ``bench_*.py``) and writes ``results.md``: the date, the machine (CPU model,
cores), Python and package versions, which peers are installed, then every row of every
benchmark with its times, ratio, baseline ratio, objective gap, target and status; it exits 1
when a row failed.

``python benchmarks/report.py --readme`` rewrites the README's ``## Benchmarks (make bench)``
section from ``results.md`` alone (a summary per target and the list of misses), so the README's
figures are the ones in that file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import textwrap

from _harness import HERE, OUT, cpu_model, fmt_gap, fmt_ratio, fmt_time, versions

RESULTS = HERE / "results.md"
README = HERE.parent / "README.md"
SECTION = "## Benchmarks (`make bench`)"
PACKAGES = (
    "numpy",
    "scipy",
    "pandas",
    "scikit-learn",
    "glum",
    "skglm",
    "celer",
    "distfit",
    "fitter",
    "numba",
    "threadpoolctl",
)
PEERS = ("scikit-learn", "glum", "skglm", "celer", "distfit", "fitter")
COLUMNS = ("row", "anchor", "loglik", "anchor time", "ratio", "baseline", "gap", "target", "status")


def commit():
    try:
        out = subprocess.run(
            ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def load_runs():
    return [json.loads(p.read_text()) for p in sorted(OUT.glob("bench_*.json"))]


def as_float(value):
    return float(value) if value is not None else None


def cells(row):
    """The table cells of one row (the same formatting as the benchmarks' own output)."""
    flag = " (DROP)" if row["drop"] else ""
    return (
        row["label"],
        row["anchor"],
        fmt_time(as_float(row["ours"])),
        fmt_time(as_float(row["theirs"])),
        fmt_ratio(as_float(row["ratio"]), row["bound"]),
        fmt_ratio(as_float(row["baseline"])),
        fmt_gap(row["gap"]),
        (row["target"] or {}).get("text", "-")
        + ("" if (row["target"] or {}).get("enforced", True) else " (issue 15)"),
        row["status"] + flag,
    )


def table(rows):
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in cells(r)) + " |" for r in rows]
    return lines


def failed(row):
    return row["status"] not in ("pass", "info") or row["drop"]


def header(runs, slow_tests):
    vers = versions(("loglik", *PACKAGES))
    started = min((r["meta"]["started"] for r in runs), default="-")
    threads = sorted({t for r in runs for t in r["meta"].get("threads", [])})
    peers = ", ".join(f"{p} {vers[p]}" for p in PEERS)
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/report.py` from the output of `make bench`.",
        "",
        f"- Run: started {started}, commit {commit()}.",
        f"- Machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}.",
        f"- Packages: loglik {vers['loglik']}, "
        + ", ".join(f"{p} {vers[p]}" for p in PACKAGES if p not in PEERS)
        + ".",
        f"- Peers: {peers}.",
        f"- Thread pools (pinned to one thread): {', '.join(threads) or '-'}.",
        f"- Statistical simulations (`pytest -m slow`): {slow_tests}.",
        "- Ratio = the anchor's CPU time over loglik's (above 1: loglik faster); gap = how much "
        "worse loglik's objective is, relative (negative: better); `>=`: the anchor was stopped "
        "at its time cap, the ratio is a lower bound; baseline = the ratio in "
        "`benchmarks/baseline.json` (DROP: more than 10% below it).",
    ]
    return lines


def write_results(slow_tests):
    runs = load_runs()
    if not runs:
        sys.exit(f"no benchmark output in {OUT}: run `make bench`")
    lines = header(runs, slow_tests)
    all_rows = [row for run in runs for row in run["rows"]]
    bad = [r for r in all_rows if failed(r)]
    lines += ["", f"**{len(all_rows)} rows, {len(bad)} failing.**"]
    for run in runs:
        meta = run["meta"]
        lines += ["", f"## {meta['bench']}", ""]
        lines += [f"{len(run['rows'])} rows in {meta['seconds']:.0f} s ({' '.join(meta['argv'])})."]
        lines += [f"Note: {n}" for n in run["notes"]]
        lines += ["", *table(run["rows"]), ""]
        lines += [f"- {r['label']} ({r['anchor']}): {r['note']}" for r in run["rows"] if r["note"]]
    RESULTS.write_text("\n".join(lines) + "\n")
    print(f"wrote {RESULTS} ({len(all_rows)} rows, {len(bad)} failing)")
    return 1 if bad else 0


# ------------------------------------------------------------------------ README from results.md


def parse_results(text):
    """``(header lines, {bench: [row dict]})`` from results.md."""
    benches, bench, head = {}, None, []
    for line in text.splitlines():
        if line.startswith("## "):
            bench = line[3:].strip()
            benches[bench] = []
        elif bench is None and line.startswith("- "):
            head.append(line)
        elif bench and line.startswith("| ") and not line.startswith("| row |"):
            benches[bench].append(
                dict(zip(COLUMNS, (c.strip() for c in line.strip("|").split("|"))))
            )
    return head, benches


def group_of(bench, row):
    anchor = row["anchor"].split(":")[0]
    return f"{bench}: vs {anchor}, target {row['target']}"


def ratio_value(text):
    m = re.search(r"[\d.]+(e[+-]?\d+)?", text)
    return float(m.group(0)) if m else float("nan")


INTRO = (
    "`make bench` installs the `bench` extra (scikit-learn, glum, skglm, celer, distfit, fitter) "
    "into `.venv`, runs the statistical simulations and every `benchmarks/bench_*.py` — loglik "
    "and the tools users would pick instead, side by side on the same problem, timed "
    "interleaved with the same repetitions, CPU time on one thread — writes "
    "`benchmarks/results.md` and exits non-zero when a target is missed, loglik's objective is "
    "worse than the anchor's, or a ratio falls more than 10% below `benchmarks/baseline.json`. "
    "Ratio = anchor time / loglik time (above 1: loglik faster). Penalised regression is timed "
    "to accuracy: the time to a relative suboptimality of 1e-4 and 1e-10 against the best "
    "objective any solver reached. The tables below are generated from `results.md` by "
    "`python benchmarks/report.py --readme`."
)


def readme_section(text):
    head, benches = parse_results(text)
    facts = {h[2:].split(":", 1)[0]: h[2:].split(":", 1)[1].strip() for h in head}
    lines = [SECTION, "", *textwrap.wrap(INTRO, 100), ""]
    lines += textwrap.wrap(
        f"Latest run: {facts.get('Run', '-')} Machine: {facts.get('Machine', '-')} "
        f"Peers: {facts.get('Peers', '-')}",
        100,
    )
    lines += ["", "| benchmark: anchor, target | rows | pass | lowest ratio |", "|---|---|---|---|"]
    misses = []
    for bench, rows in benches.items():
        groups = {}
        for row in rows:
            if row["target"] != "-" and "issue 15" not in row["target"]:
                groups.setdefault(group_of(bench, row), []).append(row)
            if row["status"] not in ("pass", "info") or "DROP" in row["status"]:
                misses.append((bench, row))
        for name, members in groups.items():
            worst = min(members, key=lambda r: ratio_value(r["ratio"]))
            passed = sum(r["status"] == "pass" for r in members)
            lines.append(
                f"| {name} | {len(members)} | {passed} | {worst['ratio']} ({worst['row']}) |"
            )
    lines += ["", f"Failing rows ({len(misses)}; every row is in `benchmarks/results.md`):", ""]
    lines += [
        "| benchmark | row | anchor | ratio | gap | target | status |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {b} | {r['row']} | {r['anchor']} | {r['ratio']} | {r['gap']} | {r['target']} | "
        f"{r['status']} |"
        for b, r in misses
    ]
    return lines


def write_readme():
    text = README.read_text()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    end = len(text) if end < 0 else end + 1
    section = "\n".join(readme_section(RESULTS.read_text())) + "\n\n"
    README.write_text(text[:start] + section + text[end:])
    print(f"rewrote the README's benchmark section from {RESULTS.name}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="rewrite the README's section")
    parser.add_argument("--slow-tests", default="not run")
    args = parser.parse_args(argv)
    if args.readme:
        write_readme()
        return 0
    return write_results(args.slow_tests)


if __name__ == "__main__":
    sys.exit(main())
