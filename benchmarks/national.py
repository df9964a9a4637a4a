"""A national roll-up on dask.distributed: communes per second and peak memory per worker.

    pip install -e '.[dask]'
    python benchmarks/national.py                      # 3,321 communes, on 1 and 2 workers
    python benchmarks/national.py --communes 200       # a quicker pass: the first 200 of them
    python benchmarks/national.py --workers 1,2,4 --address tcp://HOST:8786   # a running cluster

Each commune is one month of exports (dxcheck_synth.national: 600 to 2,400 dossiers, 60 to 200
outgoing documents, 18 to 45 staff, report-style xlsx), generated deterministically once into
benchmarks/data/national/ (not committed) and reused; commune i is the same on every machine.
The run is `dxcheck.evaluate(folders, executor=client)`, the library call behind
`dxcheck evaluate … --executor dask`: one task per commune (`evaluate_file`), folded with `merge`.
Cluster start-up is timed apart from the evaluation. Peak memory per worker is the worker
process's own peak resident size (getrusage, read on each worker after the run).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the data generator lives with the tests

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "national"
PERIOD = "2026-10"
PACKS = ["binh-minh-2030", "hoang-son-2030"]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run(folders: list[Path], workers: int, address: str | None) -> dict:
    import distributed

    import dxcheck
    from dxcheck.executors import local_cluster_options

    started = time.perf_counter()
    cluster = None if address else distributed.LocalCluster(**local_cluster_options(workers))
    client = distributed.Client(address or cluster)
    try:
        if address:
            client.wait_for_workers(workers)
        ready = time.perf_counter()
        result = dxcheck.evaluate(folders, rules=PACKS, period=PERIOD, timestamp=False, executor=client, lang="en")
        seconds = time.perf_counter() - ready
        peaks = sorted(client.run(_peak_mib).values())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    assert len(result.units) == len(folders), "every commune is a unit of the roll-up"
    return {"workers": len(peaks), "startup": ready - started, "seconds": seconds,
            "per_second": len(folders) / seconds, "worker_seconds": len(peaks) * seconds / len(folders),
            "peak_max": max(peaks), "peak_min": min(peaks), "client_peak": _peak_mib()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--communes", type=int, default=3321, help="how many communes (the first N of 3,321)")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    parser.add_argument("--address", help="a running scheduler (tcp://HOST:PORT) instead of a cluster here")
    args = parser.parse_args()
    from dxcheck_synth import national

    started = time.perf_counter()
    print(f"communes in {DATA} (generated once, reused) …", flush=True)
    folders = national.write_communes(DATA, args.communes)
    print(f"  ready in {time.perf_counter() - started:.0f} s", flush=True)
    rows = [run(folders, int(count), args.address) for count in args.workers.split(",")]
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; {len(folders)} communes × 1 month, packs {', '.join(PACKS)}")
    print(f"{'workers':>7} {'start s':>8} {'run s':>8} {'communes/s':>11} {'worker·s/commune':>17} "
          f"{'peak MiB/worker':>16} {'client MiB':>11}")
    for row in rows:
        print(f"{row['workers']:7d} {row['startup']:8.1f} {row['seconds']:8.1f} {row['per_second']:11.2f} "
              f"{row['worker_seconds']:17.3f} {row['peak_min']:7.0f}–{row['peak_max']:<8.0f} {row['client_peak']:11.0f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
