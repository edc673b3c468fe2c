"""The machinery every benchmark shares: CPU timing, interleaving, warnings, targets, the baseline
and the results that ``report.py`` turns into ``results.md``.

A benchmark builds :class:`Row` objects — loglik against one anchor on the same problem: both
times, their ratio, the objective gap, the target — and hands them to a :class:`Report`. The
report prints each row as it comes (with the baseline's ratio beside it), writes them all to
``benchmarks/out/<bench>.json`` and gives the exit status: 1 when a target is missed, an objective
is worse than the anchor's, or a ratio dropped by more than 10% against ``baseline.json``.

Conventions (the same in every benchmark):

ratio
    Always a speed-up: the anchor's time over loglik's; above 1 loglik is faster. A target is a
    lower bound on it: "loglik at most 3x one pass over the data" is ``ratio >= 1/3``.
gap
    How much worse loglik's objective (whatever is minimised: a negative log-likelihood, a
    penalised objective, a training NLL) is than the anchor's, relative:
    ``(f_loglik - f_anchor) / max(1, |f_anchor|)``. Above the row's ``gap_tol`` the row fails.
time
    CPU seconds of this process (``time.process_time``), BLAS and OpenMP pinned to one thread on
    both sides (:func:`pin_threads`), so the time measures the work and not the neighbours on a
    shared machine. Each side is timed the same number of times, in interleaved rounds (A B A B
    ...), and the best time is kept; a fast call is repeated within a round so that a round lasts
    at least ``min_time`` (as ``timeit`` does), and the time per call is reported.
warnings
    Never filtered globally: the first (untimed) call of each side records its warnings, which
    the row prints and counts; the timed calls record theirs too, so they do not flood the
    output, and they are the same calls.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import platform
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
BASELINE = HERE / "baseline.json"
DROP = 0.10  # a ratio below (1 - DROP) x its baseline is a drop (issue 11's done-when)
RETRIES = 2  # fresh interleaved timings before a drop is reported
GAP_TOL = 1e-10  # default relative objective gap above which loglik's objective is "worse"


# --------------------------------------------------------------------------- threads, machine


def pin_threads(n=1):
    """Limit every BLAS and OpenMP pool loaded so far to ``n`` threads; call it after importing
    the libraries to compare (a library loaded later keeps its own default). Returns a list of
    the pools (for the results' machine line)."""
    from threadpoolctl import threadpool_info, threadpool_limits

    threadpool_limits(n)
    pools = {(p["internal_api"], p.get("version"), p["num_threads"]) for p in threadpool_info()}
    return [f"{api} {version} x{threads}" for api, version, threads in sorted(pools, key=str)]


def cpu_model():
    """The CPU's model name (Linux), else the platform's processor string."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def versions(names):
    """``{distribution: version}``; a missing one is reported as such, never skipped."""
    from importlib import metadata

    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def optional_import(module):
    """``(module, None)`` or ``(None, reason)`` for a peer that is not importable here: the
    benchmark prints the reason in the rows that needed it instead of skipping them silently."""
    import importlib

    try:
        return importlib.import_module(module), None
    except Exception as exc:  # any import failure is a finding to report
        return None, f"{module} not importable: {type(exc).__name__}: {exc}"


# --------------------------------------------------------------------------------- timing


@dataclass
class Timing:
    """The best CPU seconds per call, the result and the warnings of the recorded call."""

    seconds: float
    result: object
    warnings: Counter
    loops: int = 1
    samples: list = field(default_factory=list)


def call_recorded(fn):
    """``(result, Counter of warnings, CPU seconds)`` of one call of ``fn``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.process_time()
        out = fn()
        seconds = time.process_time() - t0
    return out, Counter(_warning_text(w) for w in caught), seconds


def _warning_text(w):
    first = str(w.message).strip().splitlines()[0] if str(w.message).strip() else ""
    return f"{w.category.__name__}: {first[:90]}"


def _cpu_per_call(fn, loops):
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        t0 = time.process_time()
        for _ in range(loops):
            fn()
        return (time.process_time() - t0) / loops


def time_interleaved(fns, repeats=5, min_time=0.02, first=None, budget=20.0):
    """Time several callables against each other.

    Parameters
    ----------
    fns : dict
        Name -> callable of no argument.
    repeats : int
        Timed rounds; every callable is timed once per round, the order alternating between
        rounds (A B C, C B A, ...), so each gets exactly ``repeats`` samples.
    min_time : float
        A callable faster than this is called ``ceil(min_time / t)`` times per sample.
    budget : float
        Fewer rounds (at least 2, the same for every callable) when ``repeats`` rounds would
        take longer than this many CPU seconds (scipy's student_t fit at n = 1e6 takes 25 s).
    first : dict, optional
        Name -> ``(result, warnings, seconds)`` of a first call already made, which is then not
        repeated. The first call (made here otherwise) gives the result and the warnings and
        sets the loop count; its time is never one of the samples.

    Returns
    -------
    dict
        Name -> :class:`Timing` (best seconds per call over the samples).
    """
    first = dict(first or {})
    for name, fn in fns.items():
        if name not in first:
            first[name] = call_recorded(fn)
    loops = {name: _loops(first[name][2], min_time) for name in fns}
    per_round = sum(max(first[name][2], min_time) for name in fns)
    repeats = max(min(repeats, 2), min(repeats, int(budget / max(per_round, 1e-9))))
    samples = {name: [] for name in fns}
    names = list(fns)
    for r in range(repeats):
        for name in names if r % 2 == 0 else names[::-1]:
            samples[name].append(_cpu_per_call(fns[name], loops[name]))
    return {
        name: Timing(min(samples[name]), first[name][0], first[name][1], loops[name], samples[name])
        for name in fns
    }


def remeasure_pair(ours, theirs, repeats=5, min_time=0.02):
    """A ``Row.remeasure``: a fresh interleaved timing of two callables."""

    def again():
        t = time_interleaved({"ours": ours, "theirs": theirs}, repeats, min_time)
        return t["ours"].seconds, t["theirs"].seconds

    return again


def _loops(seconds, min_time):
    if seconds >= min_time:
        return 1
    return min(100_000, math.ceil(min_time / max(seconds, 1e-7)))


def warnings_text(counter):
    """``"3x ConvergenceWarning: ..."``, one entry per distinct warning, or ``""``."""
    return "; ".join(f"{n}x {text}" for text, n in counter.most_common())


# --------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Target:
    """A lower bound on a row's ratio. ``enforced=False``: a later issue's target, printed for
    the record but not failing ``make bench``."""

    min_ratio: float
    text: str
    enforced: bool = True


@dataclass
class Row:
    """loglik against one anchor on one problem (see the module's conventions).

    ``bound`` is ``">="`` when the anchor did not finish within its budget, so the ratio is a
    lower bound. ``remeasure`` (optional) returns fresh ``(ours, theirs)`` times, used to
    confirm a drop against the baseline (the better of the two measurements is kept). ``fail``
    is the reason of a benchmark's own check that failed (the row then fails whatever its
    ratio).
    """

    key: str
    label: str
    anchor: str
    ours: float
    theirs: float
    gap: float | None = None
    target: Target | None = None
    note: str = ""
    gap_tol: float = GAP_TOL
    bound: str = ""
    ratio: float | None = None
    remeasure: Callable | None = None
    fail: str = ""  # a benchmark's own failed check (e.g. accuracy below the anchor's)

    def __post_init__(self):
        if self.ratio is None:
            self.ratio = _ratio(self.theirs, self.ours)


def _ratio(theirs, ours):
    if not (ours > 0 and math.isfinite(ours)):
        return 0.0 if not math.isfinite(ours) else math.inf
    return theirs / ours


def relative_gap(f_ours, f_theirs):
    """``(f_ours - f_theirs) / max(1, |f_theirs|)``; for arrays (a path) the worst entry."""
    import numpy as np

    f_ours, f_theirs = np.atleast_1d(f_ours), np.atleast_1d(f_theirs)
    return float(np.max((f_ours - f_theirs) / np.maximum(1.0, np.abs(f_theirs))))


def status(row):
    """``"pass"``, ``"info"`` (no enforced target) or the reasons the row fails."""
    problems = [row.fail] if row.fail else []
    if row.gap is not None and not row.gap <= row.gap_tol:
        problems.append("objective worse")
    if row.target is not None and row.target.enforced and not row.ratio >= row.target.min_ratio:
        problems.append("undecided (censored)" if row.bound == ">=" else "MISS")
    if problems:
        return ", ".join(problems)
    return "pass" if row.target is not None and row.target.enforced else "info"


def fmt_time(seconds):
    """Seconds in a readable unit."""
    if seconds is None or not math.isfinite(seconds):
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale or unit == "µs":
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds:.3g} s"


def fmt_ratio(ratio, bound=""):
    if ratio is None:
        return "-"
    if not math.isfinite(ratio):
        return "inf" if ratio > 0 else "-"
    return f"{bound}{ratio:.3g}x"


def fmt_gap(gap):
    return "-" if gap is None else f"{gap:+.1e}"


# --------------------------------------------------------------------------------- baseline


def load_baseline(path=BASELINE):
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {"rows": {}}


def write_baseline(bench, rows, meta, path=BASELINE):
    """Store this benchmark's ratios in ``baseline.json`` (other benchmarks' entries kept)."""
    data = load_baseline(path)
    data.setdefault("rows", {})[bench] = {row.key: row.ratio for row in rows}
    data.setdefault("meta", {})[bench] = meta
    Path(path).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def drop_of(row, base):
    """True when ``row.ratio`` is more than ``DROP`` below the baseline ratio ``base``."""
    return base is not None and base > 0 and row.ratio < (1 - DROP) * base


# --------------------------------------------------------------------------------- report


def parse_args(description, argv=None, add=None, repeats=5):
    """The options every benchmark has (plus those ``add(parser)`` adds)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--repeats", type=int, default=repeats, help="timed rounds per side")
    parser.add_argument(
        "--write-baseline",
        action="store_true",
        help="store this run's ratios in benchmarks/baseline.json (before a refactor)",
    )
    parser.add_argument("--no-baseline", action="store_true", help="do not compare with it")
    if add is not None:
        add(parser)
    return parser.parse_args(argv)


HEAD = (
    f"{'row':<50} {'anchor':<26} {'loglik':>9} {'anchor':>9} {'ratio':>8} {'baseline':>9} "
    f"{'gap':>8} {'target':>9}  status"
)


class Report:
    """Collects, prints and stores one benchmark's rows; :meth:`finish` returns the exit code."""

    def __init__(self, bench, args, pools=()):
        self.bench, self.args = bench, args
        self.rows, self.notes = [], []
        self.started = time.time()
        self.pools = list(pools)
        base = {} if args.no_baseline or args.write_baseline else load_baseline()
        self.baseline = base.get("rows", {}).get(bench, {})
        print(f"# {bench}: {dt.datetime.now().isoformat(timespec='seconds')}")
        print(f"# CPU time, threads: {', '.join(self.pools) or 'unknown'}")
        print(HEAD)
        print("-" * len(HEAD), flush=True)

    def note(self, text):
        """A line for the output and results.md (e.g. a peer that could not be installed)."""
        self.notes.append(text)
        print(f"note: {text}", flush=True)

    def add(self, row):
        base = self.baseline.get(row.key)
        for _ in range(RETRIES):  # confirm a drop: time again (noise only makes things slower)
            if not drop_of(row, base) or row.remeasure is None:
                break
            ours, theirs = row.remeasure()
            if _ratio(theirs, ours) > row.ratio:
                row.ours, row.theirs, row.ratio = ours, theirs, _ratio(theirs, ours)
                row.note = (row.note + "; " if row.note else "") + "re-timed after a drop"
        self.rows.append(row)
        print(self._line(row, base), flush=True)
        for line in (row.note,) if row.note else ():
            print(f"{'':<4}{line}", flush=True)

    def _line(self, row, base):
        flag = "  DROP" if drop_of(row, base) else ""
        target = "-" if row.target is None else row.target.text
        return (
            f"{row.label[:50]:<50} {row.anchor[:26]:<26} {fmt_time(row.ours):>9} "
            f"{fmt_time(row.theirs):>9} {fmt_ratio(row.ratio, row.bound):>8} "
            f"{fmt_ratio(base):>9} {fmt_gap(row.gap):>8} {target:>9}  {status(row)}{flag}"
        )

    def failures(self):
        """The rows that make the benchmark fail, each with its reason."""
        out = []
        for row in self.rows:
            s = status(row)
            if s not in ("pass", "info"):
                out.append((row, s))
            if drop_of(row, self.baseline.get(row.key)):
                out.append((row, f"ratio dropped >10% vs baseline {self.baseline[row.key]:.3g}"))
        return out

    def finish(self):
        """Print the summary, write ``out/<bench>.json`` (and the baseline when asked) and
        return the exit status."""
        meta = {
            "bench": self.bench,
            "argv": sys.argv[1:],
            "started": dt.datetime.fromtimestamp(self.started).isoformat(timespec="seconds"),
            "seconds": round(time.time() - self.started, 1),
            "threads": self.pools,
        }
        failures = self.failures()
        print(f"\n{self.bench}: {len(self.rows)} rows in {meta['seconds']:.0f} s")
        for row, why in failures:
            print(f"  FAIL {row.label} vs {row.anchor}: {why} (ratio {fmt_ratio(row.ratio)})")
        self._write(meta)
        if self.args.write_baseline:
            write_baseline(self.bench, self.rows, meta)
            print(f"baseline written: {len(self.rows)} ratios in {BASELINE.name}")
        print(f"{self.bench}: {'FAILED' if failures else 'passed'}", flush=True)
        return 1 if failures else 0

    def _write(self, meta):
        OUT.mkdir(exist_ok=True)
        rows = []
        for row in self.rows:
            d = asdict(row)
            d.pop("remeasure")
            d["status"] = status(row)
            d["baseline"] = self.baseline.get(row.key)
            d["drop"] = drop_of(row, d["baseline"])
            rows.append(_jsonable(d))
        doc = {"meta": meta, "notes": self.notes, "rows": rows}
        (OUT / f"{self.bench}.json").write_text(json.dumps(doc, indent=1) + "\n")


def _jsonable(obj):
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    return obj


# --------------------------------------------------------------------------- time to accuracy


@dataclass
class Solver:
    """One solver of a time-to-accuracy comparison (benchopt's way of reporting solvers).

    ``fit(tol)`` solves the problem at the solver's own tolerance ``tol`` and returns what the
    benchmark's objective function reads; ``tols`` runs from loose to tight. ``unavailable``
    says why the solver cannot take part (not installed, solves a different problem); such a
    solver is printed with its reason and never timed.
    """

    name: str
    fit: Callable | None
    tols: tuple = ()
    warmup: Callable | None = None
    unavailable: str = ""


@dataclass
class Run:
    tol: float
    seconds: float
    value: object  # the objective: a float, or an array (one entry per alpha of a path)
    warnings: Counter


@dataclass
class Reached:
    """A solver's time to one accuracy: the fastest run whose suboptimality is below it, or
    (``seconds=inf``) the time of its most accurate run as a lower bound."""

    seconds: float
    tol: float | None
    subopt: float
    bound_seconds: float


def suboptimality(value, best):
    """Relative suboptimality ``(f - f*) / |f*|``; for a path the worst alpha."""
    import numpy as np

    value, best = np.atleast_1d(value), np.atleast_1d(best)
    return float(np.max((value - best) / np.maximum(np.abs(best), 1e-300)))


class BudgetExceeded(Exception):
    """Raised by :func:`check_budget` inside a long solver run (a warm-started loop over a
    path's alphas) once the run has used its CPU budget."""


_deadline = [math.inf]


def check_budget():
    """Call between the steps of a long run: raises :class:`BudgetExceeded` past the budget."""
    if time.process_time() > _deadline[0]:
        raise BudgetExceeded


def _run_rung(solver, tol, objective, cap):
    import numpy as np

    _deadline[0] = time.process_time() + cap
    try:
        out, caught, seconds = call_recorded(lambda: solver.fit(tol))
        value = np.asarray(objective(out), dtype=float)
    except BudgetExceeded:
        caught, seconds, value = Counter(), cap, np.array(math.inf)
    except Exception as exc:  # a peer's failure is a finding: recorded, the others go on
        caught, seconds, value = Counter({f"error: {type(exc).__name__}: {exc}"[:120]: 1}), 0, None
    finally:
        _deadline[0] = math.inf
    return Run(tol, seconds, np.array(math.inf) if value is None else value, caught)


def climb(solvers, objective, *, stop_at=1e-11, factor=5.0, cap=(1.0, 30.0)):
    """Run every available solver up its ladder of tolerances, once per rung.

    The first solver (loglik) runs its whole ladder and sets the reference. Every other one
    stops at the first rung within ``stop_at`` of the best objective found so far (by any
    solver), or once a run takes half its cap or more (the next, tighter run would likely pass
    the cap; a warm-started loop is stopped at the cap, other runs cannot be interrupted). The
    cap is ``factor`` times loglik's slowest run, within ``cap = (low, high)`` CPU seconds, so a
    peer stopped by it is at least ``factor / 2`` times slower than loglik at every accuracy it
    did not reach: enough to decide a ``>= 2x`` target. Returns ``{name: [Run, ...]}``.
    """
    import numpy as np

    best, runs, limit = None, {}, cap[1]
    for i, solver in enumerate(s for s in solvers if not s.unavailable):
        if solver.warmup is not None:  # JIT compilation (numba) is not the solver's time
            with contextlib.suppress(Exception):  # a failing solver fails on its first rung
                call_recorded(solver.warmup)
        runs[solver.name] = []
        for tol in solver.tols:
            run = _run_rung(solver, tol, objective, limit)
            if best is not None and run.value.shape != best.shape:  # a failed or stopped run
                run.value = np.full_like(best, np.inf)
            runs[solver.name].append(run)
            best = run.value if best is None else np.minimum(best, run.value)
            sub = suboptimality(run.value, best)
            print(
                f"    {solver.name:<8} tol {tol:<7.0e} {fmt_time(run.seconds):>9}  "
                f"subopt vs best so far {sub:.1e}",
                flush=True,
            )
            if not np.all(np.isfinite(run.value)) or (
                i > 0 and (run.seconds >= limit / 2 or sub <= stop_at)
            ):
                break
        if i == 0:
            slowest = max(r.seconds for r in runs[solver.name])
            limit = min(cap[1], max(cap[0], factor * slowest))
    return runs


def reached(runs, best, level):
    """The first (loosest) run of ``runs`` within ``level`` of ``best``."""
    for run in runs:
        sub = suboptimality(run.value, best)
        if sub <= level:
            return Reached(run.seconds, run.tol, sub, run.seconds)
    last = min(runs, key=lambda r: suboptimality(r.value, best))
    return Reached(math.inf, None, suboptimality(last.value, best), max(r.seconds for r in runs))


@dataclass
class Accuracy:
    """The outcome of :func:`time_to_accuracy`."""

    solvers: list
    runs: dict
    best: object
    times: dict  # (name, level) -> Reached, its seconds the best of the timed repetitions
    retime: Callable  # retime([(name, level), ...]) -> {(name, level): seconds}, timed afresh

    def best_value(self, name):
        import numpy as np

        return np.min([r.value for r in self.runs[name]], axis=0)

    def warnings(self, name):
        total = Counter()
        for run in self.runs.get(name, []):
            total.update(run.warnings)
        return total


def time_to_accuracy(solvers, objective, levels, *, repeats=3, cap=(1.0, 30.0), slow=3.0):
    """For each solver and accuracy level, the CPU time to reach a relative suboptimality of
    ``level`` against the best objective any solver reached.

    Each solver first climbs its ladder of tolerances (:func:`climb`); then, for every level,
    the loosest tolerance that reached it is timed again, all solvers' chosen runs interleaved,
    ``repeats`` rounds (1 when one of them takes longer than ``slow`` seconds), the same number
    for every solver; the time is the best of those and of the ladder's run.
    """
    import numpy as np

    runs = climb(solvers, objective, cap=cap)
    finite = [r.value for rs in runs.values() for r in rs if np.all(np.isfinite(r.value))]
    best = np.min(finite, axis=0)
    times = {(name, lv): reached(rs, best, lv) for name, rs in runs.items() for lv in levels}
    fits = {s.name: s.fit for s in solvers if not s.unavailable}
    found = {key: r for key, r in times.items() if r.tol is not None}
    slowest = max((r.seconds for r in found.values()), default=0.0)
    rounds = repeats if slowest <= slow else 1

    def retime(keys):
        """Fresh interleaved timings of the chosen runs of ``keys`` ((name, level) pairs)."""
        configs = {f"{n}@{found[(n, lv)].tol}": (n, found[(n, lv)]) for n, lv in keys}
        fns = {c: (lambda n=n, tol=r.tol: fits[n](tol)) for c, (n, r) in configs.items()}
        first = {c: (None, Counter(), r.seconds) for c, (n, r) in configs.items()}
        timed = time_interleaved(fns, rounds, 0.0, first)
        return {key: timed[f"{key[0]}@{found[key].tol}"].seconds for key in keys}

    for key, seconds in retime(list(found)).items():
        found[key].seconds = min(found[key].seconds, seconds)
    return Accuracy(solvers, runs, best, times, retime)


def remeasure_accuracy(acc, level, name):
    """A ``Row.remeasure`` for a time-to-accuracy row: loglik's and ``name``'s chosen runs timed
    afresh, interleaved; None when either never reached ``level`` (nothing to re-time)."""
    if acc.times[("loglik", level)].tol is None or acc.times[(name, level)].tol is None:
        return None

    def again():
        fresh = acc.retime([("loglik", level), (name, level)])
        return fresh[("loglik", level)], fresh[(name, level)]

    return again
