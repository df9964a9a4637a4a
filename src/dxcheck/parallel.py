"""Column-wise (and rule-wise) work on a few threads, for big sheets.

Arrow kernels and most numpy/pandas column operations release the GIL, so independent columns
(cleaning the raw grid, parsing each field) run side by side on a second core. Small sheets stay
on one thread: starting threads would cost more than it saves. Results keep the input order, so
output is the same whichever thread finished first.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: below this many rows a sheet's columns are handled on the calling thread
THREADED_ROWS = 50_000


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers() -> int:
    """Threads to use: the cores this process may run on (DXCHECK_THREADS overrides), at most 4."""
    wanted = os.environ.get("DXCHECK_THREADS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return max(1, min(cores(), 4))


def threaded_map(function: Callable[[T], R], items: Iterable[T], rows: int) -> list[R]:
    """`[function(item) for item in items]`, on threads when the sheet has `rows` ≥ THREADED_ROWS."""
    items = list(items)
    count = workers()
    if rows < THREADED_ROWS or count == 1 or len(items) < 2:
        return [function(item) for item in items]
    # each task runs in a copy of the caller's context: the report language is a context variable
    contexts = [contextvars.copy_context() for _ in items]
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda pair: pair[0].run(function, pair[1]), zip(contexts, items)))
