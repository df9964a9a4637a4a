"""Inputs at the edges: checks that turn what would hang, crash or silently lose rows into a
clear `InputError` / `UsageError` (docs/limits-and-safety.md, "Edge inputs").

- `--sep` and `--encoding` are validated before any file is read;
- only regular files are read: a FIFO or a device would block or never end, a broken link
  is named as such;
- a CSV quote never closed would make the rest of the file one cell: refused, naming the line;
- a cell longer than `MAX_CELL_CHARS` is refused, naming file, sheet, row and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import stat
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.arrays import ArrowStringArray

from ..errors import InputError, UsageError

#: the longest cell read, in characters: Excel keeps at most 32,767, so a cell 32 times that
#: is no export but damage (an unclosed quote, a file that is not a table)
MAX_CELL_CHARS = 1024 * 1024

# the csv module's own cap (131,072 characters) would raise mid-read, before a cell can be named;
# the length check below names it instead, and the file size cap bounds memory
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_TAB_NAMES = ("\\t", "tab", "TAB", "Tab")


def normalise_sep(value: str | None) -> str | None:
    """`--sep` as the one character the CSV readers take (`tab`/`\\t` for a tab)."""
    if value is None:
        return None
    sep = "\t" if value in _TAB_NAMES else value
    if len(sep) != 1 or sep in ('"', "\r", "\n"):
        raise UsageError("load.bad_sep", value=value)
    return sep


def check_encoding(value: str | None) -> str | None:
    """`--encoding` if Python knows it as a text encoding (not `rot13`, `base64`…)."""
    if value is None:
        return None
    try:
        info = codecs.lookup(value)
    except (LookupError, TypeError, ValueError):
        raise UsageError("load.bad_encoding", value=value) from None
    if not getattr(info, "_is_text_encoding", True):
        raise UsageError("load.bad_encoding", value=value)
    return value


def check_regular_file(path: Path) -> None:
    """Refuse at once, without opening it, anything but a regular file (or a link to one):
    opening a FIFO blocks until a writer comes, and `/dev/zero` never ends."""
    name = str(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError("load.broken_link", path=name, target=os.readlink(path)) from None
        return  # missing: the caller says so
    except OSError:
        return  # the caller's read reports it
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return
    if stat.S_ISFIFO(mode):
        what = "FIFO (named pipe)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "device"
    elif stat.S_ISSOCK(mode):
        what = "socket"
    else:
        what = "special file"
    raise InputError("load.not_regular_file", path=name, what=what)


def check_closed_quotes(path: str, data: bytes | memoryview, sep: str) -> None:
    """Raise when a quoted field is still open at the end of the file.

    Each quote outside a field's text toggles the quoted state (a doubled quote toggles twice),
    so an odd number of quotes is the cheap sign; only then is the file parsed to find where the
    open field starts. (A stray quote inside an unquoted field is literal text: it can make the
    count odd with every field closed, which the parse then clears.)"""
    if isinstance(data, memoryview):  # the file after its BOM: count without copying it
        quotes = data.obj.count(b'"', len(data.obj) - len(data))
    else:
        quotes = data.count(b'"')
    if quotes % 2 == 0:
        return
    text = bytes(data).decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=False)
    start = 1
    last_row: list[str] = []
    for row in reader:
        last_row, last_start = row, start
        start = reader.line_num + 1
    if not last_row:
        return
    # the last record's parse ran to the end of the file; it did so inside quotes only if a
    # strict parse of that record alone fails for the same reason
    lines = io.StringIO(text, newline="").readlines()  # the line breaks the csv module counts
    tail = "".join(lines[last_start - 1:])
    try:
        list(csv.reader(io.StringIO(tail, newline=""), delimiter=sep, strict=True))
        return
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return
    # the open field is the record's last; the fields before it may span lines themselves
    line = last_start + sum(field.count("\n") for field in last_row[:-1])
    last = len(lines)
    raise InputError("load.csv_unterminated_quote", path=path, line=line, lines=last - line + 1, last=last)


def check_cell_lengths(path: str, sheet: str, columns: list, row_numbers: np.ndarray,
                       column_names: list[str]) -> None:
    """Raise for the first cell (by column) longer than `MAX_CELL_CHARS`."""
    for j, column in enumerate(columns):
        lengths = _lengths(column)
        if lengths is None or not len(lengths):
            continue
        over = np.flatnonzero(lengths > MAX_CELL_CHARS)
        if len(over):
            i = int(over[0])
            name = column_names[j] if j < len(column_names) else str(j + 1)
            row = int(row_numbers[i]) if i < len(row_numbers) else i + 1
            raise InputError("load.cell_too_long", path=path, sheet=sheet, row=row, column=name,
                             size=int(lengths[i]), limit=MAX_CELL_CHARS)


def _lengths(column) -> np.ndarray | None:
    if isinstance(column, (pa.Array, pa.ChunkedArray)):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            return None
        # a character takes at least one byte: when no cell has more bytes than the limit allows
        # characters (the offsets alone tell), no cell can be too long
        longest = pc.max(pc.binary_length(column)).as_py()
        if longest is None or longest <= MAX_CELL_CHARS:
            return None
        return pc.utf8_length(column).fill_null(0).to_numpy(zero_copy_only=False)
    if isinstance(column, pd.Series):
        if pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_datetime64_any_dtype(column.dtype):
            return None
        if isinstance(column.array, ArrowStringArray):  # Arrow text: the byte check above first
            return _lengths(column.array.__arrow_array__())
        return column.map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy(dtype=np.int64) \
            if column.dtype == object else column.str.len().fillna(0).to_numpy(dtype=np.int64)
    return None


def utf8_name(name: str) -> bool:
    """Whether a file name is valid UTF-8 (no surrogate escapes from undecodable bytes)."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def shown_name(name: str) -> str:
    """A file name as it can be printed and stored in any report: bytes that are not UTF-8
    (Python keeps them as surrogate escapes) written as `\\xe5`, the rest unchanged."""
    if utf8_name(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def check_parquet_schema(path: str, schema: pa.Schema) -> None:
    """Raise, naming the column and its type, for a Parquet column that is no spreadsheet cell:
    lists, structures, maps, unions, raw bytes (checked from the footer, before decoding)."""
    for field in schema:
        value_type = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
        if pa.types.is_nested(value_type) or pa.types.is_union(value_type) or pa.types.is_binary(value_type) \
                or pa.types.is_large_binary(value_type) or pa.types.is_fixed_size_binary(value_type) \
                or pa.types.is_binary_view(value_type):
            raise InputError("load.parquet_unsupported_type", path=path, column=str(field.name), type=str(field.type))


#: what a pandas date (nanoseconds since 1970, 64 bits) holds, in nanoseconds
_NS_LOW, _NS_HIGH = pd.Timestamp.min.value, pd.Timestamp.max.value
_NS_PER = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def _date_unit(kind: pa.DataType) -> int | None:
    """Nanoseconds per stored unit of a date or timestamp type; None for other types."""
    if pa.types.is_timestamp(kind):
        return _NS_PER[kind.unit]
    if pa.types.is_date32(kind):
        return 86_400 * 10**9
    if pa.types.is_date64(kind):
        return 10**6
    return None


def _check_date_bound(path: str, name: str, kind: pa.DataType, raw: int | None) -> None:
    per = _date_unit(kind)
    if raw is not None and per is not None and not _NS_LOW // per < raw < _NS_HIGH // per:
        raise InputError("load.parquet_date_out_of_range", path=path, column=name, type=str(kind),
                         value=_shown_date(pa.scalar(raw, pa.int32() if pa.types.is_date32(kind) else pa.int64()), kind))


def check_parquet_footer_dates(path: str, meta, schema: pa.Schema) -> bool:
    """`check_parquet_dates` from the footer's statistics, before decoding a page (exiting while
    Arrow's readers wind down can abort the process). False when a statistic is missing."""
    kinds = {field.name: field.type for field in schema if _date_unit(field.type) is not None}
    complete = True
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for c in range(group.num_columns):
            column = group.column(c)
            kind = kinds.get(column.path_in_schema)
            if kind is None:
                continue
            stats = column.statistics
            if stats is None or not stats.has_min_max:
                complete = False
                continue
            for raw in (stats.min_raw, stats.max_raw):
                _check_date_bound(path, column.path_in_schema, kind, raw)
    return complete


def check_parquet_dates(path: str, table: pa.Table) -> None:
    """Raise, naming the column and a value, for dates outside what a pandas date holds
    (1677-09-21 to 2262-04-11), which would otherwise fail mid-conversion. The bounds are
    compared as integers: no Arrow cast is made to fail."""
    for name, column in zip(table.column_names, table.columns):
        if _date_unit(column.type) is None:
            continue
        storage = pa.int32() if pa.types.is_date32(column.type) else pa.int64()
        bounds = pc.min_max(column.cast(storage))
        for key in ("min", "max"):
            _check_date_bound(path, str(name), column.type, bounds[key].as_py())


def _shown_date(raw: pa.Scalar, kind: pa.DataType) -> str:
    try:
        return str(raw.cast(kind).as_py())
    except (ValueError, OverflowError, pa.ArrowException):  # beyond Python's datetime (year 9999)
        return f"{raw.as_py()} ({kind})"
