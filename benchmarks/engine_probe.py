"""Would another engine meet issue 17's CSV/Parquet target? A measured probe, not product code.

    pip install -e '.[bench]'
    python benchmarks/engine_probe.py benchmarks/data/ho-so-1000000.parquet [--runs 3]

Runs, each in a fresh process and alternating: the bare `pyarrow.parquet` read the issue measures
against, `dxcheck evaluate` (both packs) and `--probe`: polars doing the *shape* of dxcheck's work
after the read on the same file — every text column trimmed (blank = null), the ten category
columns folded and mapped once per distinct spelling, ids upper-cased and repeated ids found, and
53 share-style counts (a population mask and a compliant mask each, inside the period), the first
15 broken down by field. It leaves out what dxcheck does besides (finding the header and planning
rows, NFC, unknown-value reports, warnings, samples, JSON), so it is a floor, not a forecast.
Prints CPU and wall medians and the ratios against the bare read.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: the columns of the benchmark's dossier export that dxcheck reads as categories
CATEGORIES = ["Hình thức nộp", "Mức độ", "Trạng thái", "Tiến độ", "Số hóa", "Kết quả điện tử",
              "Tái sử dụng dữ liệu", "Hình thức thanh toán", "Đánh giá", "Lĩnh vực"]
RECEIVED, DUE, DONE = "Ngày › Tiếp nhận", "Ngày › Hẹn trả", "Ngày › Có kết quả"


def probe(path: str) -> None:
    import unicodedata

    import polars as pl
    import pydantic  # noqa: F401 - what the CLI imports besides its engine
    import rich.console  # noqa: F401
    import typer  # noqa: F401

    def fold(text: str) -> str:
        text = unicodedata.normalize("NFD", text.strip())
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
        return text.replace("đ", "d").replace("Đ", "D").lower().replace(" ", "_")

    frame = pl.read_parquet(path)
    typed = []
    for name in CATEGORIES:  # once per distinct spelling, as dxcheck does
        spellings = frame.get_column(name).unique().drop_nulls().to_list()
        codes = {spelling: fold(spelling) or None for spelling in spellings}
        typed.append(pl.col(name).replace_strict(codes, default=None, return_dtype=pl.String)
                     .cast(pl.Categorical).alias(name))
    others = [name for name, kind in frame.schema.items() if kind == pl.String and name not in CATEGORIES]
    typed += [pl.col(name).str.strip_chars().replace("", None).alias(name) for name in others]
    frame = frame.with_columns(typed)
    frame = frame.with_columns(pl.col("Mã hồ sơ").str.to_uppercase().is_duplicated().alias("_repeated"))
    in_period = (pl.col(DONE) >= pl.datetime(2026, 10, 1)) & (pl.col(DONE) < pl.datetime(2026, 11, 1))
    conditions = [
        pl.col("Hình thức nộp") == "truc_tuyen", pl.col("Mức độ") == "toan_trinh", pl.col("Số hóa") == "co",
        pl.col("Kết quả điện tử") == "co", pl.col("Tái sử dụng dữ liệu") == "co", pl.col(DONE) <= pl.col(DUE),
        pl.col("Đánh giá").is_in(["rat_hai_long", "hai_long"]), pl.col("Trạng thái") == "da_tra_ket_qua",
        pl.col("Hình thức thanh toán").is_not_null(), pl.col("Phí, lệ phí (đồng)") > 0,
    ]
    counts = []
    for k in range(53):
        population = in_period & (conditions[(k + 3) % 10].is_not_null() if k % 2 else pl.lit(True))
        compliant = conditions[k % 10] & conditions[(k * 7) % 10] if k % 3 == 0 else conditions[k % 10]
        counts += [population.sum().alias(f"p{k}"), (population & compliant).fill_null(False).sum().alias(f"n{k}")]
    frame.select(counts)
    frame.filter(in_period).group_by("Lĩnh vực").agg(
        [conditions[k % 10].fill_null(False).sum().alias(f"g{k}") for k in range(15)])


def measure(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.path)
        return
    commands = {
        "bare pyarrow.parquet": [sys.executable, "-c", "import pyarrow.parquet as q, sys\nq.read_table(sys.argv[1])",
                                 args.path],
        "dxcheck evaluate": [sys.executable, "-m", "dxcheck", "evaluate", args.path, "--period", "2026-10",
                             "--format", "json", "--no-timestamp", "--rules", "binh-minh-2030",
                             "--rules", "hoang-son-2030"],
        "polars probe": [sys.executable, __file__, args.path, "--probe"],
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(max(1, args.runs)):
        for name, command in commands.items():  # alternating: a busy neighbour slows all alike
            runs[name].append(measure(command))
    bare_wall = statistics.median(wall for wall, _ in runs["bare pyarrow.parquet"])
    bare_cpu = statistics.median(cpu for _, cpu in runs["bare pyarrow.parquet"])
    print(f"{Path(args.path).name}, {args.runs} runs each, load average {os.getloadavg()[0]:.2f}")
    print(f"{'command':24} {'wall s':>8} {'CPU s':>8} {'ratio':>7} {'CPU ratio':>10}")
    for name, values in runs.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        print(f"{name:24} {wall:8.2f} {cpu:8.2f} {wall / bare_wall:6.2f}x {cpu / bare_cpu:9.2f}x")


if __name__ == "__main__":
    main()
