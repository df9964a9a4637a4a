"""Readers that get cells one by one (web pages, Excel 2003 XML): the parser fed in pieces, and the
sheet laid out by column once."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from ..errors import InputError
from ..parallel import threaded_map
from .formats import RawSheet, _reason, column_letter
from .text import STR, clean_text_arrow

#: bytes handed to an lxml parser at a time: its target sees cells as they come, no tree is built
FEED_BYTES = 1 << 20


def feed(parser, data: bytes | memoryview, path: str) -> None:
    """Run an lxml `parser` (with a target) over `data`; what it cannot parse is a damaged file.
    An `InputError` its target raises (a cap passed) goes through as it is."""
    from lxml import etree

    try:
        for start in range(0, len(data), FEED_BYTES):
            parser.feed(data[start:start + FEED_BYTES])
        parser.close()
    except InputError:
        raise
    except (etree.LxmlError, ValueError) as exc:
        raise InputError("load.damaged", path=path, reason=_reason(exc)) from None


def sheet_from_cells(sheet_name: str, rows: Sequence[int], cols: Sequence[int], texts: Sequence[str | None],
                     numbers: Sequence[bool], stored: Sequence[bool] | None = None,
                     check: Callable[[int, int], None] | None = None) -> RawSheet:
    """`numbers`: cells stored as numbers (tells 1.234 from the text "1.234" = 1234); `stored`:
    cells that are no text (numbers and real dates), for the swapped-dates evidence. `check`
    gets (height, width) before any column is built. A cell written twice at one place (a
    writer's mistake) keeps the last value, as Excel does."""
    row_index = np.asarray(rows, dtype=np.int64)
    col_index = np.asarray(cols, dtype=np.int64)
    height = int(row_index.max()) + 1 if len(row_index) else 0
    width = int(col_index.max()) + 1 if len(col_index) else 0
    if check is not None:
        check(height, width)
    values = np.asarray(texts, dtype=object)
    numeric = np.asarray(numbers, dtype=bool)
    kept = np.asarray(stored, dtype=bool) if stored is not None else None
    order = np.lexsort((row_index, col_index))
    row_index, col_index, values, numeric = row_index[order], col_index[order], values[order], numeric[order]
    kept = kept[order] if kept is not None else None
    bounds = np.searchsorted(col_index, np.arange(width + 1))

    def column(j: int) -> pd.Series:
        cells = np.full(height, None, dtype=object)
        part = slice(bounds[j], bounds[j + 1])
        cells[row_index[part]] = values[part]
        return pd.Series(clean_text_arrow(pa.array(cells, type=pa.string())), dtype=STR)

    def cells_where(flags: np.ndarray) -> Callable[[int], np.ndarray]:
        def mask(position: int) -> np.ndarray:
            out = np.zeros(height, dtype=bool)
            part = slice(bounds[position], bounds[position + 1])
            out[row_index[part][flags[part]]] = True
            return out
        return mask

    return RawSheet(
        name=sheet_name,
        columns=threaded_map(column, range(width), height),
        row_numbers=np.arange(1, height + 1, dtype=np.int64),
        numeric_cells=cells_where(numeric) if numeric.any() else None,
        date_cells=cells_where(kept) if kept is not None else None,
        column_names=[column_letter(j) for j in range(width)],
    )
