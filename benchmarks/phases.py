"""Where `dxcheck evaluate` spends its time on one file, phase by phase (issue 17).

    python benchmarks/phases.py benchmarks/data/ho-so-200000.xlsx [--runs 3]

Runs the evaluation in this process under cProfile, on one thread (DXCHECK_THREADS=1, so that
every phase is seen and none overlaps another), and adds up the cumulative CPU time of the
functions that make each phase. CPU time, not wall time: on a machine shared with other work
the CPU a phase uses varies far less than its wall time. Profiling slows Python-level code more
than the readers' native code, so the shares matter more than the seconds; the median over the
runs is printed with its spread.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from contextlib import redirect_stdout

#: phase -> (file suffix, function name) whose cumulative time makes it; a function counts once
PHASES: dict[str, list[tuple[str, str]]] = {
    "reader parse": [("", "load_sheet"), ("formats.py", "_read_csv_arrow"), ("parquet/core.py", "read_table")],
    "reader → Arrow": [("fastexcel/__init__.py", "to_arrow")],
    "size guard": [("guard.py", "scan_xlsx"), ("guard.py", "scan_ods"), ("formats.py", "_valid_utf8"),
                   ("formats.py", "_contains_nul")],
    "trimming columns": [("text.py", "clean_text_arrow"), ("formats.py", "_clean_dictionary_text")],
    "row planning": [("sheet.py", "_head"), ("headers.py", "find_header"), ("by_values.py", "claim_by_values"),
                     ("rows.py", "plan_rows"), ("rows.py", "plan_given")],
    "field typing": [("sheet.py", "_build")],
    "rules": [("engine.py", "evaluate_packs")],
}


def profile_once(path: str, packs: list[str], period: str) -> dict[str, float]:
    from dxcheck.cli import app

    args = ["evaluate", path, "--period", period, "--format", "json", "--no-timestamp"]
    for pack in packs:
        args += ["--rules", pack]
    profiler = cProfile.Profile(time.process_time)
    start = time.process_time()
    profiler.enable()
    try:
        with redirect_stdout(io.StringIO()):
            app(args, standalone_mode=False)
    except SystemExit:
        pass
    finally:
        profiler.disable()
    total = time.process_time() - start
    stats = pstats.Stats(profiler).stats
    out = {}
    for phase, names in PHASES.items():
        seconds = 0.0
        for (filename, _line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
            if any(function == name and filename.endswith(suffix) for suffix, name in names):
                seconds += cumulative
        out[phase] = seconds
    out["total (after imports)"] = total
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--rules", action="append", default=None)
    args = parser.parse_args()
    os.environ.setdefault("DXCHECK_THREADS", "1")
    start = time.process_time()
    import dxcheck.api  # noqa: F401 - timed: what every run pays first
    import dxcheck.cli  # noqa: F401

    imports = time.process_time() - start
    packs = args.rules or ["binh-minh-2030", "hoang-son-2030"]
    runs = [profile_once(args.path, packs, args.period) for _ in range(max(1, args.runs))]
    print(f"{args.path}: {len(runs)} runs under cProfile, one thread; load average {os.getloadavg()[0]:.2f}")
    print(f"{'phase (CPU s)':24} {'median s':>9} {'min-max':>13} {'share':>6}")
    total = statistics.median(run["total (after imports)"] for run in runs) + imports
    for phase in PHASES:
        values = [run[phase] for run in runs]
        median = statistics.median(values)
        print(f"{phase:24} {median:9.2f} {min(values):6.2f}-{max(values):<6.2f} {median / total:6.0%}")
    print(f"{'imports':24} {imports:9.2f} {'(once)':>13} {imports / total:6.0%}")
    rest = total - imports - sum(statistics.median(run[p] for run in runs) for p in PHASES)
    print(f"{'everything else':24} {rest:9.2f} {'':13} {rest / total:6.0%}")
    print(f"{'total':24} {total:9.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
