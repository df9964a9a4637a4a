"""Caps on what one input may cost, checked before a file is read (docs/limits-and-safety.md).

A workbook of a few kilobytes can ask for billions of cells (one value in A1, another in
XFD1048576) or unpack to gigabytes (a zip bomb). The readers underneath (calamine through
fastexcel, pandas, pyarrow) would try, and a process that runs out of memory dies without a
message. So every input is measured first — the zip directory, each sheet's extent, the CSV's
width, the Parquet footer — and refused with a clear `InputError` when it is over a cap.

Each cap comes, first found: from `LoadOptions`, from an environment variable, from the default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..errors import UsageError

#: name -> (environment variable, default)
DEFAULTS: dict[str, tuple[str, int]] = {
    # bytes of the file itself
    "max_file_bytes": ("DXCHECK_MAX_FILE_BYTES", 2 * 1024**3),
    # bytes a workbook (xlsx/xlsm/xlsb/ods: a zip) unpacks to, and a Parquet file decodes to
    "max_unzipped_bytes": ("DXCHECK_MAX_UNZIPPED_BYTES", 2 * 1024**3),
    # rows of one sheet (Excel itself stops at 1,048,576)
    "max_rows": ("DXCHECK_MAX_ROWS", 2_000_000),
    # columns of one sheet
    "max_columns": ("DXCHECK_MAX_COLUMNS", 2_000),
    # rows × columns of the used area of one sheet, and of all the sheets of a workbook together
    # (what a reader has to hold in memory)
    "max_cells": ("DXCHECK_MAX_CELLS", 50_000_000),
}

_NUMBER = re.compile(r"^\s*(\d[\d_]*)\s*([kmg]?)\s*$", re.IGNORECASE)
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_unzipped_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int

    @staticmethod
    def env_name(name: str) -> str:
        return DEFAULTS[name][0]


def parse_limit(text: str, source: str) -> int:
    """`2000000`, `2_000_000`, `2M`, `500k`, `2G` (k/M/G: thousand, million, billion)."""
    match = _NUMBER.match(str(text))
    if not match:
        raise UsageError("load.bad_limit", source=source, value=str(text))
    value = int(match.group(1).replace("_", "")) * _SCALE[match.group(2).lower()]
    if value <= 0:
        raise UsageError("load.bad_limit", source=source, value=str(text))
    return value


def resolve_limits(given: dict[str, int | None] | None = None) -> Limits:
    """The caps in force: a value given (LoadOptions) beats the environment, which beats the default."""
    given = given or {}
    values = {}
    for name, (env, default) in DEFAULTS.items():
        value = given.get(name)
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise UsageError("load.bad_limit", source=name, value=str(value))
            values[name] = value
            continue
        raw = os.environ.get(env)
        values[name] = parse_limit(raw, env) if raw not in (None, "") else default
    return Limits(**values)
