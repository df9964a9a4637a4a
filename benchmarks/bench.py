"""dxcheck against a bare read of the same file: wall time (median) and peak memory.

    pip install -e '.[bench]'
    python benchmarks/bench.py                 # 1,000,000-row export, CSV, parquet, 100 communes
    python benchmarks/bench.py --rows 200000 --communes 20 --runs 3   # a quicker pass

Inputs are generated deterministically into benchmarks/data/ (not committed) on the first run
and reused afterwards. Every measured command runs in a fresh Python process, so interpreter and
import time count on both sides, and its peak resident memory is read from the kernel (wait4).
Targets (issue 17, "Done when"): against the bare read of the same file into Arrow: xlsx 1M
rows at most 1.3x fastexcel (with and without a shared-strings table), 200k at most 1.4x, CSV 1M
at most 2x pyarrow.csv, parquet 1M at most 2x pyarrow.parquet; peak memory under 2 GiB at 1M rows.
Each ratio is the median of the paired ratios over the runs (baseline and dxcheck alternate, so a
busy neighbour slows both alike); the spread (min-max of those ratios) is printed as the noise.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
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
    # the bare reads into Arrow that issue 17 measures against: the fastest fastexcel offers
    # (eager: straight into Arrow, ≈ 10% less CPU and 20% less memory than load_sheet().to_arrow())
    "fastexcel-arrow": "import fastexcel, sys\nr = fastexcel.read_excel(sys.argv[1])\n"
                       "[r.load_sheet(n, header_row=None, eager=True) for n in r.sheet_names]",
    "pyarrow-csv": "import pyarrow.csv as c, sys\n"
                   "c.read_csv(sys.argv[1], parse_options=c.ParseOptions(delimiter=';'))",
    "pyarrow-parquet": "import pyarrow.parquet as q, sys\nq.read_table(sys.argv[1])",
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


def measure(command: list[str]) -> tuple[float, float, float]:
    """(seconds, peak MiB, CPU seconds) of one run of `command` in its own process. The peak is the larger of
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
    return elapsed, max(usage.ru_maxrss * 1024, tree_peak) / 2**20, usage.ru_utime + usage.ru_stime


def median_of(command: list[str], runs: int) -> tuple[float, float]:
    times, peaks, _ = zip(*(measure(command) for _ in range(runs)))
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


_INLINE = re.compile(rb'<c ([^>]*?) ?t="inlineStr"><is>(<t(?: [^>]*)?>.*?</t>|<t/>)</is></c>', re.S)
_SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _with_shared_strings(source: Path, target: Path) -> None:
    """The same workbook with its text in a shared-strings table, as Excel itself saves it
    (xlsxwriter's constant-memory mode writes inline strings): the sheet is rewritten as a
    stream, row block by row block, so a million rows fit in memory."""
    import zipfile

    index: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        text = match.group(2)
        number = index.setdefault(text, len(index))
        return b'<c ' + match.group(1) + b' t="s"><v>' + str(number).encode() + b'</v></c>'

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename.startswith("xl/worksheets/"):
                with old.open(info) as stream, new.open(info.filename, "w", force_zip64=True) as out:
                    rest = b""
                    while chunk := stream.read(1 << 24):
                        block = rest + chunk
                        cut = block.rfind(b"</row>") + len(b"</row>")
                        rest = block[cut:] if cut >= len(b"</row>") else block
                        if cut >= len(b"</row>"):
                            out.write(_INLINE.sub(shared, block[:cut]))
                    out.write(_INLINE.sub(shared, rest))
            elif info.filename == "[Content_Types].xml":
                text = old.read(info).replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                              b'ContentType="' + _SST_TYPE + b'"/></Types>')
                new.writestr(info.filename, text)
            elif info.filename == "xl/_rels/workbook.xml.rels":
                text = old.read(info).replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="' + _SST_REL
                                              + b'" Target="sharedStrings.xml"/></Relationships>')
                new.writestr(info.filename, text)
            else:
                new.writestr(info, old.read(info))
        with new.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.'
                      b'openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">' % (len(index), len(index)))
            for text in index:
                out.write(b"<si>" + (text if text != b"<t/>" else b"<t></t>") + b"</si>")
            out.write(b"</sst>")


def prepare(rows: int, communes: int, commune_rows: int, with_communes: bool = True) -> dict[str, Path]:
    from dxcheck_synth import records

    DATA.mkdir(exist_ok=True)
    paths = {"xlsx": DATA / f"ho-so-{rows}.xlsx", "xlsx-sst": DATA / f"ho-so-{rows}-sst.xlsx", "csv": DATA / f"ho-so-{rows}.csv",
             "parquet": DATA / f"ho-so-{rows}.parquet", "communes": DATA / f"communes-{communes}x{commune_rows}"}
    if not all(path.exists() for key, path in paths.items() if key not in ("communes", "xlsx-sst")):
        print(f"generating {rows:,} dossiers …", flush=True)
        frame = records.dossiers(rows, PERIOD, seed=2026).sort_values("Lĩnh vực", kind="stable")
        _report_xlsx(paths["xlsx"], frame)
        frame.to_csv(paths["csv"], sep=";", index=False, encoding="utf-8-sig")
        frame.astype({column: "string" for column in frame.columns if frame[column].dtype == object}).to_parquet(
            paths["parquet"], index=False)
    if not paths["xlsx-sst"].exists():
        print("rewriting the workbook with a shared-strings table …", flush=True)
        staging = paths["xlsx-sst"].with_suffix(".tmp")
        _with_shared_strings(paths["xlsx"], staging)
        staging.rename(paths["xlsx-sst"])
    folder = paths["communes"]
    if with_communes and not folder.exists():
        print(f"generating {communes} communes × {commune_rows:,} dossiers …", flush=True)
        staging = folder.with_suffix(".tmp")
        staging.mkdir(exist_ok=True)
        for index in range(communes):
            frame = records.dossiers(commune_rows, PERIOD, seed=index).sort_values("Lĩnh vực", kind="stable")
            _report_xlsx(staging / f"xa-{index + 1:03d}.xlsx", frame)
        staging.rename(folder)
    return paths


# --- run -------------------------------------------------------------------------------------------

def paired(baseline: list[str], subject: list[str], runs: int) -> dict:
    """Baseline and subject run alternately `runs` times: medians, peaks, and the ratio's median
    and spread over the pairs (the noise a shared machine adds)."""
    base, mine = [], []
    for _ in range(runs):
        base.append(measure(baseline))
        mine.append(measure(subject))
    ratios = sorted(m[0] / b[0] for b, m in zip(base, mine))
    return {"base": statistics.median(t for t, _, _ in base), "base_peak": max(p for _, p, _ in base),
            "time": statistics.median(t for t, _, _ in mine), "peak": max(p for _, p, _ in mine),
            "ratio": statistics.median(ratios), "low": ratios[0], "high": ratios[-1],
            # CPU seconds (all threads) vary less than wall time on a busy machine
            "cpu": statistics.median(m[2] / b[2] for b, m in zip(base, mine))}


#: issue 17's "Done when": (case, rows at least) -> the ratio to reach
TARGETS = {"xlsx": 1.3, "xlsx-sst": 1.3, "csv": 2.0, "parquet": 2.0}


def target(case: str, rows: int) -> float | None:
    if case.startswith("xlsx") and rows < 1_000_000:
        return 1.4
    return TARGETS.get(case)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--commune-rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="runs per command (the median is reported; at least 3)")
    parser.add_argument("--only", default="xlsx,xlsx-sst,csv,parquet,jobs",
                        help="cases to run, comma-separated: xlsx, xlsx-sst, csv, parquet, jobs")
    args = parser.parse_args()
    only = set(args.only.split(","))
    paths = prepare(args.rows, args.communes, args.commune_rows, "jobs" in only)
    runs = max(3, args.runs)
    cases = {"xlsx": ("fastexcel-arrow", "xlsx report, inline strings"),
             "xlsx-sst": ("fastexcel-arrow", "xlsx report, shared strings"),
             "csv": ("pyarrow-csv", "csv"), "parquet": ("pyarrow-parquet", "parquet")}
    lines = []
    for case, (reader, label) in cases.items():
        if case not in only:
            continue
        found = paired(bare(reader, paths[case]), dxcheck(str(paths[case])), runs)
        goal = target(case, args.rows)
        verdict = "" if goal is None else ("ok" if found["ratio"] <= goal else "over") + f" (<= {goal}x)"
        lines.append((f"{label}, {args.rows:,} rows", reader, found, verdict))
    jobs = None
    if "jobs" in only:
        files = sorted(str(path) for path in paths["communes"].glob("*.xlsx"))
        jobs = (len(files), paired(dxcheck(*files, "--jobs", "1"), dxcheck(*files, "--jobs", "2"), runs))

    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}, load average {os.getloadavg()[0]:.2f}; {runs} runs each")
    print(f"{'case':44} {'bare read':16} {'bare s':>7} {'MiB':>6} {'dxcheck s':>9} {'MiB':>6} "
          f"{'ratio':>6} {'noise (min-max)':>16} {'CPU ratio':>9}  target")
    for label, reader, found, verdict in lines:
        print(f"{label:44} {reader:16} {found['base']:7.2f} {found['base_peak']:6.0f} {found['time']:9.2f} "
              f"{found['peak']:6.0f} {found['ratio']:5.2f}x {found['low']:7.2f}-{found['high']:.2f}x {found['cpu']:8.2f}x  {verdict}")
    if jobs:
        count, found = jobs
        print(f"{f'{count} communes × {args.commune_rows:,} rows':44} {'--jobs 1':16} {found['base']:7.2f} "
              f"{found['base_peak']:6.0f} {found['time']:9.2f} {found['peak']:6.0f} {found['ratio']:5.2f}x "
              f"{found['low']:7.2f}-{found['high']:.2f}x {'n/a':>9}  (--jobs 2)")  # workers are the forkserver's children


if __name__ == "__main__":
    main()
