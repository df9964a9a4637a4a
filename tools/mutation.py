"""Mutation score of dxcheck's core modules (docs/mutation-testing.md).

    python tools/mutation.py                      # every module below
    python tools/mutation.py expr evaluation/period --max-children 2
    python tools/mutation.py --report-only        # score the last run again, run nothing
    python tools/mutation.py expr --tests tests/test_expr.py tests/test_engine.py   # a narrower selection

Runs mutmut (the `mutation` extra; configured in pyproject.toml `[tool.mutmut]`) on the named
modules, then prints one line per module: mutants, killed, survived, equivalent (listed with a
reason in tools/mutation-equivalent.txt) and the score killed / (mutants - equivalent).
Survivors not listed as equivalent are printed by name: `mutmut show NAME` shows the change.
`--summary FILE` appends the table as Markdown (CI: $GITHUB_STEP_SUMMARY); `--json FILE` writes it.
`--tests` replaces the configured test selection for this run (mutmut still runs each mutant only
against the selected tests that execute its function): much faster for modules such as expr.py whose
functions every test runs, and a lower bound of the full selection's score.
Exit 0 whatever the score: it is measured and published, not a gate (yet).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = ROOT / "tools" / "mutation-equivalent.txt"
#: the modules issue 19 asks to measure, as paths under src/dxcheck without `.py`
MODULES = [
    "expr", "evaluation/period", "load/values", "load/rows", "load/headers",
    *sorted(f"evaluation/{p.stem}" for p in (ROOT / "src/dxcheck/evaluation").glob("*.py")
            if p.stem not in ("__init__", "period")),
]


#: the fast tests mapped to each module: mutmut runs a mutant only against the tests of this list that
#: execute its function, so a narrow list keeps one mutant to seconds. Modules not listed use
#: pyproject.toml's `pytest_add_cli_args_test_selection`.
MODULE_TESTS: dict[str, list[str]] = {
    "expr": ["tests/test_expr.py", "tests/test_user_conditions.py", "tests/test_engine.py"],
    "evaluation/response": ["tests/test_user_measures.py"],
    "evaluation/trajectory": ["tests/test_trajectory.py", "tests/test_user_measures.py"],
    "evaluation/rollup": ["tests/test_user_measures.py", "tests/test_rollup.py"],
    "evaluation/exact": ["tests/test_engine.py", "tests/test_user_targets.py", "tests/test_definitions_catalogue.py", "tests/test_user_evaluation.py"],
    "evaluation/unknown": ["tests/test_engine.py", "tests/test_user_targets.py", "tests/test_definitions_catalogue.py", "tests/test_user_evaluation.py"],
    "evaluation/nodata": ["tests/test_engine.py", "tests/test_user_targets.py", "tests/test_definitions_catalogue.py", "tests/test_user_evaluation.py"],
    "evaluation/join": ["tests/test_engine.py", "tests/test_user_targets.py", "tests/test_definitions_catalogue.py", "tests/test_user_evaluation.py"],
    "evaluation/measures": ["tests/test_user_measures.py", "tests/test_user_time_cuts.py", "tests/test_engine.py",
                            "tests/test_user_targets.py", "tests/test_staff_accounts.py",
                            "tests/test_definitions_catalogue.py"],
    # engine and data run in every evaluation test: against all of them one mutant took ~20 s, so
    # they are measured against their own user-level tests (a lower bound of the wider selection)
    "evaluation/engine": ["tests/test_user_engine.py", "tests/test_user_evaluation.py"],
    "evaluation/data": ["tests/test_user_engine.py"],
    "load/values": ["tests/test_load_values.py", "tests/test_load_values_cells.py", "tests/test_user_loading.py"],
    "load/rows": ["tests/test_load_rows.py", "tests/test_load_headers.py", "tests/test_user_loading.py"],
    "load/headers": ["tests/test_load_headers.py"],
}
#: each module's verdicts are kept here after its run: mutmut resets every verdict in mutants/
#: when the test selection changes, which it does from one module to the next
RESULTS = ROOT / "mutation-results"


def _mutant_glob(module: str) -> str:
    return "dxcheck." + module.replace("/", ".") + ".*"


def equivalents() -> dict[str, str]:
    """`mutant-name  # why it cannot change what a user sees`, one a line."""
    found = {}
    if EQUIVALENT_FILE.exists():
        for line in EQUIVALENT_FILE.read_text(encoding="utf-8").splitlines():
            name, _, reason = line.partition("#")
            if name.strip():
                found[name.strip()] = reason.strip()
    return found


def module_result(module: str, equivalent: dict[str, str]) -> dict | None:
    from mutmut.stats import status_by_exit_code

    meta = RESULTS / f"{module.replace('/', '.')}.meta"
    if not meta.exists():
        return None
    exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    statuses = {name: status_by_exit_code[code] for name, code in exit_codes.items()}
    if any(status == "not checked" for status in statuses.values()):
        return None  # generated but not run: no measurement
    counts = Counter(statuses.values())
    survivors = sorted(n for n, s in statuses.items() if s not in ("killed", "timeout", "caught by type check"))
    listed = [n for n in survivors if n in equivalent]
    unexplained = [n for n in survivors if n not in equivalent]
    killed = counts["killed"] + counts["timeout"] + counts["caught by type check"]
    scored = len(statuses) - len(listed)
    return {"module": f"src/dxcheck/{module}.py", "mutants": len(statuses), "killed": killed,
            "survived": len(survivors), "equivalent": len(listed),
            "score": round(100 * killed / scored, 1) if scored else None,
            "not_killed": unexplained}


# mutmut reads its configuration from pyproject.toml only: set the selection in-process, then run
_RUN_WITH_TESTS = """
import json, sys
import mutmut.configuration as configuration
from mutmut.__main__ import cli
chosen = configuration.config()
chosen.pytest_add_cli_args_test_selection = json.loads(sys.argv[1])
cli(["run", *sys.argv[2:]])
"""


def _run_module(module: str, tests: list[str] | None, max_children: int) -> int:
    """Run one module's mutants against `tests` (None: pyproject's list); keep its verdicts."""
    options = ["--max-children", str(max_children), _mutant_glob(module)]
    # mutmut keeps which tests run which function in this file and does not notice a function added
    # since: that function's mutants are then never tested and pass for survivors. Collect it anew.
    (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    command = ([sys.executable, "-c", _RUN_WITH_TESTS, json.dumps(tests), *options] if tests
               else [sys.executable, "-m", "mutmut", "run", *options])
    run = subprocess.run(command, cwd=ROOT)
    if run.returncode not in (0, 1):
        return run.returncode
    meta = ROOT / "mutants/src/dxcheck" / f"{module}.py.meta"
    if meta.exists():
        RESULTS.mkdir(exist_ok=True)
        verdicts = json.loads(meta.read_text(encoding="utf-8"))
        verdicts["tests"] = tests
        (RESULTS / f"{module.replace('/', '.')}.meta").write_text(json.dumps(verdicts, indent=1), encoding="utf-8")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"default: {' '.join(MODULES)}")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument("--tests", nargs="+", help="test files to select instead of pyproject's list")
    parser.add_argument("--summary", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    modules = args.modules or MODULES
    unknown = [m for m in modules if not (ROOT / "src/dxcheck" / f"{m}.py").exists()]
    if unknown:
        parser.error(f"no module src/dxcheck/{unknown[0]}.py")
    if not args.report_only:
        for module in modules:
            code = _run_module(module, args.tests or MODULE_TESTS.get(module), args.max_children)
            if code:
                return code

    equivalent = equivalents()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    measured = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    rows = [module_result(m, equivalent) for m in modules]
    selection = " against " + " ".join(args.tests) if args.tests else " (each module against its MODULE_TESTS)"
    lines = [f"Mutation score (mutmut), {measured}, commit {commit}{selection}", "",
             "| module | mutants | killed | survived | equivalent | score |", "|---|---:|---:|---:|---:|---:|"]
    for module, row in zip(modules, rows):
        if row is None:
            lines.append(f"| src/dxcheck/{module}.py | not measured | | | | |")
        else:
            score = "–" if row["score"] is None else f"{row['score']}%"
            lines.append(f"| {row['module']} | {row['mutants']} | {row['killed']} | {row['survived']} "
                         f"| {row['equivalent']} | {score} |")
    table = "\n".join(lines)
    print(table)
    for row in filter(None, rows):
        for name in row["not_killed"]:
            print(f"survived, not listed as equivalent: {name}")
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as out:
            out.write(table + "\n")
    if args.json:
        args.json.write_text(json.dumps({"date": measured, "commit": commit, "tests": args.tests, "modules": rows}, indent=2,
                                        ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
