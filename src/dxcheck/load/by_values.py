"""Columns whose header names a field another column already holds, placed by their cells.

OpenCPS lists `Ngày hẹn trả` (the deadline) and `Hạn xử lý`, which by its header is a deadline
too but holds the system's progress words (`Sớm hạn`, `Đúng hạn`, `Còn 2.5 ngày`). When the
cells of such a column are the words of a category field the sheet lacks, the column is that
field; when the column that took the header's field holds those words instead, the two swap.
"""

from __future__ import annotations

from ..datasets import DatasetSpec
from ..textnorm import fold
from .formats import RawSheet
from .headers import HeaderChoice, column_hits, shared_leaves
from .text import fold_series
from .values import parse_categories

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
