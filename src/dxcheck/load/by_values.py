"""Columns whose header names a field another column already holds, placed by their cells.

OpenCPS lists `Ngày hẹn trả` (the deadline) and `Hạn xử lý`, which by its header is a deadline
too but holds the system's progress words (`Sớm hạn`, `Đúng hạn`, `Còn 2.5 ngày`). When the
cells of such a column are the words of a category field the sheet lacks, the column is that
field; when the column that took the header's field holds those words instead, the two swap.
"""

from __future__ import annotations

import numpy as np

from ..datasets import DatasetSpec
from ..textnorm import fold
from .formats import RawSheet
from .headers import HeaderChoice, column_hits, shared_leaves
from .rows import RowPlan
from .text import fold_series
from .values import parse_categories, parse_dates, parse_numbers

#: cells looked at per column
SAMPLE_ROWS = 2000
#: share of a column's filled cells that must be the field's words (or its no-verdict spellings)
MIN_SHARE = 0.8


def _words_of(sheet: RawSheet, position: int, start: int, spec: DatasetSpec, field: str) -> bool:
    cells = sheet.columns[position].iloc[start : start + SAMPLE_ROWS].dropna()
    # words, not the numbering row's `(7)` nor dates: a column of dates has no words at all
    wordy = fold_series(cells.astype(str)).str.contains(r"[a-z]", regex=True).to_numpy(dtype=bool)
    if wordy.sum() < 3 or wordy.mean() < 0.5:
        return False
    result = parse_categories(cells[wordy].reset_index(drop=True), spec.fields[field], {})
    known = result.codes.notna().to_numpy() | result.blank
    return bool(result.codes.notna().any()) and known.mean() >= MIN_SHARE


def claim_by_values(sheet: RawSheet, choice: HeaderChoice, spec: DatasetSpec) -> None:
    best = choice.best
    free = [name for name, field in spec.fields.items() if field.type == "category" and name not in best.fields]
    if not free or not best.conflicts:
        return
    start = choice.last_row + 1
    shared = shared_leaves(choice.columns)
    for position in best.conflicts:
        column = choice.columns[position]
        leaf_alone = len(column.levels) == 1 or fold(column.leaf) not in shared
        named = {entry.field for entry, _ in column_hits(tuple(column.levels), leaf_alone).get(spec.name, ())}
        for field in list(free):
            if _words_of(sheet, position, start, spec, field):
                best.fields[field] = position
                free.remove(field)
                break
            holders = [name for name in named if best.fields.get(name) not in (None, position)]
            holder = next((name for name in holders if _words_of(sheet, best.fields[name], start, spec, field)), None)
            if holder is not None:
                best.fields[field] = best.fields[holder]
                best.fields[holder] = position
                free.remove(field)
                break
    order = list(spec.fields)
    best.fields = dict(sorted(best.fields.items(), key=lambda item: order.index(item[0])))


def _holds(sheet: RawSheet, position: int, rows: np.ndarray, ftype: str) -> bool:
    """Whether the records' cells of a column hold values of the field's type (a date column
    dates, not the times of a `Giờ` column beside it)."""
    cells = sheet.columns[position].iloc[rows].dropna().iloc[:SAMPLE_ROWS].reset_index(drop=True)
    if cells.empty:
        return False
    if ftype in ("date", "deadline"):
        return bool(parse_dates(cells)[0].notna().any())
    if ftype == "number":
        return bool(parse_numbers(cells)[0].notna().any())
    return True


def settle_group_choices(sheet: RawSheet, choice: HeaderChoice, plan: RowPlan,
                         spec: DatasetSpec) -> list[tuple[str, list[int]]]:
    """A field named only by a group over sub-headers that name nothing (`Ngày tiếp nhận` over
    `Lần 1 | Lần 2`) is read from the one column under it whose records' cells hold its values;
    when several do, from the first, and the (field, those columns) are returned to be warned
    about: the header does not say which column is meant, and the data cannot settle it."""
    best = choice.best
    rows = plan.start + np.flatnonzero(plan.data_mask)
    unsettled = []
    for fname, positions in best.group_choices.items():
        taken = best.fields.get(fname)
        if taken not in positions:
            continue  # placed elsewhere by its cells (claim_by_values)
        others = set(best.fields.values()) - {taken}
        ftype = spec.fields[fname].type
        filled = [p for p in positions if p not in others and _holds(sheet, p, rows, ftype)]
        if filled:
            best.fields[fname] = filled[0]
        if len(filled) > 1:
            unsettled.append((fname, filled))
    return unsettled
