"""Where communes are evaluated: in local processes (`--jobs`) or on a dask.distributed cluster.

A run of many communes is a map of one job per commune (`api._unit_job`, which calls
`evaluate_file`) and a fold of the parts with `merge`; this module only chooses who runs the map.
`distributed` is an optional extra (`pip install 'dxcheck[dask]'`), imported only when a cluster
is asked for. Nothing here opens a network connection unless the caller names a cluster address;
`"dask"` starts a throw-away cluster on this machine, listening on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable
from typing import Any

from .errors import UsageError

LOCAL = "local"
LOCAL_CLUSTER = "dask"
#: `dask://HOST:PORT` (the CLI's spelling) or dask's own `tcp://HOST:PORT`
_ADDRESS = re.compile(r"^(?:dask|tcp)://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(?P<port>\d{1,5})$")


def parse(value: str | None) -> str | None:
    """The executor a user wrote, checked: None for local processes, "dask" for a cluster on this
    machine, or a scheduler address as dask spells it (tcp://HOST:PORT)."""
    if value is None or value == LOCAL:
        return None
    match = _ADDRESS.match(value.strip())
    if value == LOCAL_CLUSTER or (match and 0 < int(match["port"]) < 65536):
        _distributed()  # a missing extra is said now, before any file is read
        return value if value == LOCAL_CLUSTER else f"tcp://{match['host']}:{match['port']}"
    from .load.closest import closest_names

    raise UsageError("executor.bad_value", value=value,
                     suggestions=closest_names(value, [LOCAL, LOCAL_CLUSTER, "dask://HOST:PORT"]))


def _distributed():
    try:
        import distributed
    except ImportError:
        raise UsageError("executor.needs_dask") from None
    return distributed


def local_cluster_options(workers: int) -> dict:
    """A cluster on this machine: processes, one thread each (evaluation holds the GIL in places),
    listening on loopback only, no dashboard, workers keep their logs (a failing commune is
    reported once, by the caller, with no traceback); the scheduler's health page (always served) takes a
    free loopback port rather than 8787, which another cluster may hold."""
    return {"n_workers": workers, "threads_per_worker": 1, "processes": True, "host": "127.0.0.1",
            "dashboard_address": None, "silence_logs": logging.CRITICAL, "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"}}


@contextlib.contextmanager
def _workers_ignore_interrupts():
    """Ctrl-C is for the caller, which cancels the tasks and stops the cluster: the terminal sends
    SIGINT to the whole process group, and a worker would print its own KeyboardInterrupt
    traceback. Worker processes are spawned while the cluster starts and keep an ignored SIGINT
    through exec (asyncio then installs no handler of its own), so it is ignored for that moment."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _client(executor: Any, workers: int):
    """(client, things to close afterwards) for a Client, an address, or "dask" (a local cluster)."""
    if not isinstance(executor, str):  # a dask Client the caller made and keeps
        return executor, []
    distributed = _distributed()
    chosen = parse(executor)
    if chosen == LOCAL_CLUSTER:
        with _workers_ignore_interrupts():
            cluster = distributed.LocalCluster(**local_cluster_options(workers))
        client = distributed.Client(cluster)
        return client, [client, cluster]
    try:
        client = distributed.Client(chosen, timeout=30)
    except (OSError, TimeoutError) as error:
        raise UsageError("executor.unreachable", address=executor, error=str(error)) from None
    return client, [client]


def local_workers(jobs: int) -> int:
    """Workers of a cluster started here: `jobs` when given, else the cores this process may use."""
    if jobs > 1:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cluster_map(executor: Any, function: Callable, work: list, jobs: int = 1) -> list:
    """`[function(item) for item in work]` on a dask cluster, in `work`'s order.

    The first failing item in that order raises its own exception here (an `InputError` travels
    back pickled, so the user sees the same message and exit code as in a local run); on any
    error or Ctrl-C the remaining tasks are cancelled and a cluster started here is shut down.
    """
    client, owned = _client(executor, local_workers(jobs))
    futures, stopped = [], False
    try:
        # pure=False: two communes with equal arguments are still two tasks, never deduplicated
        futures = client.map(function, work, pure=False)
        return [future.result() for future in futures]
    except BaseException:
        stopped = True
        if futures:
            client.cancel(futures)
        raise
    finally:
        for thing in owned:
            # stopped: a worker still in a commune's task is not waited for (Ctrl-C returns at once)
            thing.close(timeout=2) if stopped else thing.close()
