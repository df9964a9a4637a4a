"""dxcheck against a bare read of the same file: wall time (median) and peak memory.

    pip install -e '.[bench]'
    python benchmarks/bench.py                 # 1,000,000-row export, CSV, parquet, 100 communes
    python benchmarks/bench.py --rows 200000 --communes 20 --runs 3   # a quicker pass

Inputs are generated deterministically into benchmarks/data/ (not committed) on the first run
and reused afterwards. Every measured command runs in a fresh Python process, so interpreter and
import time count on both sides, and its peak resident memory is read from the kernel (wait4).
Targets (issue #8): xlsx within 1.3x of the fastest bare read, CSV and parquet within 2x of
pandas' pyarrow read, peak memory under 2 GiB, `--jobs 2` at most 0.6x the time of `--jobs 1`.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the data generator lives with the tests

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PERIOD = "2026-10"
_PAGE = os.sysconf("SC_PAGE_SIZE")

BARE = {
    "fastexcel": "import fastexcel, sys\nr = fastexcel.read_excel(sys.argv[1])\n"
                 "[r.load_sheet(n, header_row=None).to_pandas() for n in r.sheet_names]",
    "calamine": "import pandas, sys\npandas.read_excel(sys.argv[1], sheet_name=None, header=None, engine='calamine')",
    "csv-pyarrow": "import pandas, sys\npandas.read_csv(sys.argv[1], sep=';', engine='pyarrow')",
    "parquet": "import pandas, sys\npandas.read_parquet(sys.argv[1])",
}


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants now (Linux /proc), 0 where unreadable."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(command: list[str]) -> tuple[float, float]:
    """(seconds, peak MiB) of one run of `command` in its own process. The peak is the larger of
    the kernel's figure for the biggest single process and the sum over the process tree (the
    --jobs workers included), sampled every 50 ms."""
    import threading

    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    tree_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        while not done.wait(0.05):
            tree_peak = max(tree_peak, _tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):  # dxcheck exits 1 when a target fails: that is a result
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {process.stderr.read().decode()[-2000:]}")
    return elapsed, max(usage.ru_maxrss * 1024, tree_peak) / 2**20


def median_of(command: list[str], runs: int) -> tuple[float, float]:
    times, peaks = zip(*(measure(command) for _ in range(runs)))
    return statistics.median(times), max(peaks)


def dxcheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "dxcheck", "evaluate", *args, "--period", PERIOD, "--format", "json",
            "--no-timestamp", "--rules", "binh-minh-2030", "--rules", "hoang-son-2030"]


def bare(name: str, path: Path) -> list[str]:
    return [sys.executable, "-c", BARE[name], str(path)]


# --- inputs ----------------------------------------------------------------------------------------

def _report_xlsx(path: Path, frame) -> None:
    """A report-style export (banners, merged two-level header, numbered row, groups, total,
    signature) written with xlsxwriter's constant-memory mode: a million rows in about a minute."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet("Danh sách hồ sơ")
    bold = book.add_format({"bold": True, "align": "center", "text_wrap": True, "border": 1})
    date = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    columns = list(frame.columns)
    groups = [column.split(" › ")[0] if " › " in column else column for column in columns]
    subs = [column.split(" › ")[1] if " › " in column else "" for column in columns]
    for row, text in enumerate(["ỦY BAN NHÂN DÂN XÃ BÌNH MINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                "Độc lập - Tự do - Hạnh phúc", "DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH",
                                "(Từ ngày 01/10/2026 đến ngày 31/10/2026)"]):
        sheet.write(row, 0, text)
    # Cell by cell as merged headers read back (xlsxwriter's constant-memory mode writes rows in
    # order, so merge_range is not available): a group's name in its first column only, the
    # sub-headers below; plain columns in the top row with a blank below.
    top, bottom = 6, 7
    sheet.write(top, 0, "STT", bold)
    for index, (group, sub) in enumerate(zip(groups, subs), start=1):
        if not sub or index == 1 or groups[index - 2] != group:
            sheet.write(top, index, group, bold)
    for index, sub in enumerate(subs, start=1):
        if sub:
            sheet.write(bottom, index, sub, bold)
    for index in range(len(columns) + 1):
        sheet.write(bottom + 1, index, f"({index + 1})")
    row = bottom + 2
    field = "Lĩnh vực" if "Lĩnh vực" in frame.columns else None
    current = None
    values = frame.to_numpy(dtype=object)
    field_index = columns.index(field) if field else None
    number = 0
    for record in values:
        if field_index is not None and record[field_index] != current:
            current = record[field_index]
            sheet.write(row, 0, f"Lĩnh vực: {current}")
            row += 1
        number += 1
        sheet.write_number(row, 0, number)
        for index, value in enumerate(record, start=1):
            if value is None or value != value:
                continue
            if hasattr(value, "to_pydatetime"):
                sheet.write_datetime(row, index, value.to_pydatetime(), date)
            elif isinstance(value, (int, float)):
                sheet.write_number(row, index, value)
            else:
                sheet.write_string(row, index, str(value))
        row += 1
    sheet.write(row, 1, "Tổng cộng")
    sheet.write(row + 2, 2, "NGƯỜI LẬP BIỂU")
    sheet.write(row + 2, 8, "THỦ TRƯỞNG ĐƠN VỊ")
    book.close()


def prepare(rows: int, communes: int, commune_rows: int) -> dict[str, Path]:
    from dxcheck_synth import records

    DATA.mkdir(exist_ok=True)
    paths = {"xlsx": DATA / f"ho-so-{rows}.xlsx", "csv": DATA / f"ho-so-{rows}.csv",
             "parquet": DATA / f"ho-so-{rows}.parquet", "communes": DATA / f"communes-{communes}x{commune_rows}"}
    if not all(path.exists() for key, path in paths.items() if key != "communes"):
        print(f"generating {rows:,} dossiers …", flush=True)
        frame = records.dossiers(rows, PERIOD, seed=2026).sort_values("Lĩnh vực", kind="stable")
        _report_xlsx(paths["xlsx"], frame)
        frame.to_csv(paths["csv"], sep=";", index=False, encoding="utf-8-sig")
        frame.astype({column: "string" for column in frame.columns if frame[column].dtype == object}).to_parquet(
            paths["parquet"], index=False)
    folder = paths["communes"]
    if not folder.exists():
        print(f"generating {communes} communes × {commune_rows:,} dossiers …", flush=True)
        staging = folder.with_suffix(".tmp")
        staging.mkdir(exist_ok=True)
        for index in range(communes):
            frame = records.dossiers(commune_rows, PERIOD, seed=index).sort_values("Lĩnh vực", kind="stable")
            _report_xlsx(staging / f"xa-{index + 1:03d}.xlsx", frame)
        staging.rename(folder)
    return paths


# --- run -------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--commune-rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per command (the median is reported)")
    parser.add_argument("--only", default="xlsx,csv,parquet,jobs",
                        help="cases to run, comma-separated: xlsx, csv, parquet, jobs")
    args = parser.parse_args()
    only = set(args.only.split(","))
    paths = prepare(args.rows, args.communes, args.commune_rows)
    big_runs = max(1, min(args.runs, 3)) if args.rows >= 500_000 else args.runs
    rows: list[tuple[str, str, float, float, float | None]] = []

    def compare(label: str, baseline: list[str], subject: list[str], runs: int) -> None:
        base_time, base_peak = median_of(baseline, runs)
        time_, peak = median_of(subject, runs)
        rows.append((label, "bare read", base_time, base_peak, None))
        rows.append((label, "dxcheck evaluate", time_, peak, time_ / base_time))

    if "xlsx" in only:
        compare(f"xlsx report, {args.rows:,} rows (vs fastexcel)", bare("fastexcel", paths["xlsx"]),
                dxcheck(str(paths["xlsx"])), big_runs)
    if "csv" in only:
        compare(f"csv, {args.rows:,} rows (vs pandas pyarrow)", bare("csv-pyarrow", paths["csv"]),
                dxcheck(str(paths["csv"])), args.runs)
    if "parquet" in only:
        compare(f"parquet, {args.rows:,} rows (vs pandas)", bare("parquet", paths["parquet"]),
                dxcheck(str(paths["parquet"])), args.runs)
    if "jobs" in only:
        files = sorted(str(path) for path in paths["communes"].glob("*.xlsx"))
        one, one_peak = median_of(dxcheck(*files, "--jobs", "1"), max(1, min(args.runs, 3)))
        two, two_peak = median_of(dxcheck(*files, "--jobs", "2"), max(1, min(args.runs, 3)))
        label = f"{len(files)} communes × {args.commune_rows:,} rows"
        rows.append((label, "--jobs 1", one, one_peak, None))
        rows.append((label, "--jobs 2", two, two_peak, two / one))

    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    print(f"{'case':48} {'command':18} {'median s':>9} {'peak MiB':>9} {'ratio':>7}")
    for label, command, seconds, peak, ratio in rows:
        print(f"{label:48} {command:18} {seconds:9.2f} {peak:9.0f} {'' if ratio is None else f'{ratio:6.2f}x':>7}")


if __name__ == "__main__":
    main()
