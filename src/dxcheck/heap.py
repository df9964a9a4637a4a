"""Giving freed memory back to the operating system (issue 17: a million-row workbook's peak).

The spreadsheet reader underneath (calamine) allocates each cell's text separately with the C
allocator and frees it all once the columns are in Arrow. glibc keeps such freed small blocks in
its heap instead of returning them: a 1,000,000-row sheet read lazily left ~620 MiB of freed
memory counted in the process's resident size through field typing. `malloc_trim(0)` returns it
(a few tens of ms). Elsewhere (macOS, Windows, musl) nothing is done.
"""

from __future__ import annotations

import ctypes
from functools import cache


@cache
def _malloc_trim():
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError, TypeError):  # not glibc (TypeError: Windows has no CDLL(None))
        return None


def give_back() -> None:
    """Return the C heap's free memory to the operating system, where the C library can."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
