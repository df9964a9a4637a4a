"""Copies of one record: the same record id twice in one commune's data is one record (REFERENCE §3).

Ids are compared as read (trimmed, NFC) but ignoring case: one-stop codes such as
`000.00.21.H12-261005-0001` are case-insensitive, and a register retyped by hand writes `hs001`
for the system's `HS001`. Of the copies of one id the most advanced is kept, as the dataset's
`most_advanced` steps rank them (datasets.yaml), ties going to the later row — rows come in
file, sheet and row order, so the later file, sheet and row. Rows without an id are never merged.
Everything runs on whole columns; only the repeated rows are ranked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..datasets import DATE_TYPES, CopyOrder, DatasetSpec

#: the reason copies left out are counted under in a sheet's `rows_left_out`
DUPLICATE = "duplicate"


def id_key(values: pd.Series) -> pd.Series:
    """The record id as compared: upper case (ids are already trimmed and NFC)."""
    return values.str.upper()


def record_key(frame: pd.DataFrame, spec: DatasetSpec) -> pd.Series:
    """What names one record: its id, and the year of `id_per_year_of` for ids that restart
    every year (blank where the id is blank)."""
    key = id_key(frame[spec.record_id])
    year_of = spec.id_per_year_of
    if year_of is not None and year_of in frame.columns:
        years = pd.to_datetime(frame[year_of], errors="coerce").dt.year.astype("Int64").astype("str")
        key = key + "|" + years.fillna("")
    return key


def repeated(key: pd.Series) -> np.ndarray:
    """Rows whose id occurs more than once (rows without an id excluded)."""
    return (key.duplicated(keep=False) & key.notna()).to_numpy()


def _rank(values: pd.Series, spec: DatasetSpec, step: CopyOrder) -> np.ndarray:
    """A sort key per row, higher is more advanced; blank is lowest."""
    field_type = spec.fields[step.field].type
    if field_type in DATE_TYPES:
        moments = pd.to_datetime(values, errors="coerce").to_numpy("datetime64[ns]")
        return moments.view(np.int64)  # NaT is the smallest int64: a date beats a blank
    if field_type == "bool":
        return values.to_numpy(dtype=bool, na_value=False).astype(np.int64)
    if field_type == "number":
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        return np.where(np.isnan(numbers), -np.inf, numbers)
    # as object: a Categorical would map its categories and refuse a fill value outside them
    return values.astype(object).map(step.ranks()).fillna(0).to_numpy(dtype=np.int64)


def copies_left_out(frame: pd.DataFrame, spec: DatasetSpec, key: pd.Series, candidates: np.ndarray) -> np.ndarray:
    """Boolean per row of `frame`: the copies left out, so that each id among the `candidates`
    rows (those whose id repeats) keeps exactly its most advanced copy."""
    rows = np.flatnonzero(candidates)
    out = np.zeros(len(frame), dtype=bool)
    if len(rows) == 0:
        return out
    codes, _ = pd.factorize(key.iloc[rows])
    sub = frame.iloc[rows]
    # np.lexsort sorts by its last key first: the id, then the steps in order, then the row
    keys = [rows]
    for step in reversed(spec.most_advanced):
        if step.field in sub.columns:
            keys.append(_rank(sub[step.field], spec, step))
    keys.append(codes)
    order = np.lexsort(keys)
    sorted_codes = codes[order]
    kept = np.ones(len(order), dtype=bool)
    kept[:-1] = sorted_codes[1:] != sorted_codes[:-1]  # the last of each id is the most advanced
    out[rows[order[~kept]]] = True
    return out


def with_duplicates(left_out: dict[str, int], count: int) -> dict[str, int]:
    """A sheet's `rows_left_out` with `count` more copies left out, keys kept in name order."""
    if not count:
        return dict(left_out)
    merged = dict(left_out)
    merged[DUPLICATE] = merged.get(DUPLICATE, 0) + count
    return dict(sorted(merged.items()))
