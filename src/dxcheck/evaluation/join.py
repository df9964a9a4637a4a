"""Look up each record's counterpart in another dataset: a dossier's procedure in the catalogue.

REFERENCE §4: a dossier's procedure is found in `thu_tuc` by `ma_thu_tuc`, else by its name
(`ten_thu_tuc`, compared folded: case, diacritics, spacing and punctuation ignored). Rules read
the procedure's fields as `thu_tuc.<field>`. Dossiers that match no procedure are counted and
reported, never silently dropped: they read as blank, and the rules that need the answer treat
them as unknown (evaluated at both bounds, `engine`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..datasets import FOUND, dataset
from ..results import DataWarning
from ..textnorm import fold
from .data import DatasetData, rows_by_sheet

#: procedure names shown in the warning
MAX_NAMES_SHOWN = 5


def _code_key(text: object) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    return "".join(text.split()).casefold()


def _name_key(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    return fold(text) or None


def _keys(column: pd.Series, key) -> tuple[np.ndarray, list[str | None]]:
    """Per row, an index into the distinct keys (computed once per distinct value)."""
    codes, uniques = pd.factorize(column.astype("object"), use_na_sentinel=True)
    return codes, [key(value) for value in uniques]


def _matches(records: pd.DataFrame, catalogue: pd.DataFrame, field: str, key) -> np.ndarray:
    """Per record, the catalogue row whose `field` has the same key (the first such), else -1."""
    out = np.full(len(records), -1, dtype=np.int64)
    if field not in records.columns or field not in catalogue.columns:
        return out
    position: dict[str, int] = {}
    for row, value in enumerate(catalogue[field].tolist()):
        k = key(value)
        if k is not None and k not in position:
            position[k] = row
    codes, keys = _keys(records[field], key)
    found = np.array([position.get(k, -1) if k is not None else -1 for k in keys] + [-1], dtype=np.int64)
    return found[codes]  # code -1 (blank) reads the appended -1


def join_lookups(datasets: dict[str, DatasetData]) -> None:
    """Give every dataset that looks another up (ho_so → thu_tuc) the matched rows, in place."""
    for data in datasets.values():
        lookup = dataset(data.name).lookup
        if lookup is None or lookup.dataset not in datasets:
            continue
        other = datasets[lookup.dataset]
        rows = np.full(len(data.frame), -1, dtype=np.int64)
        for field in lookup.by:
            keyer = _code_key if dataset(lookup.dataset).fields[field].type == "id" else _name_key
            open_ = rows < 0
            if open_.any():
                found = _matches(data.frame.loc[open_], other.frame, field, keyer)
                rows[np.flatnonzero(open_)] = found
        data.lookup_rows[lookup.dataset] = (rows, other)
        data.present |= {f"{lookup.dataset}.{name}" for name in other.present} | {f"{lookup.dataset}.{FOUND}"}
        if (rows < 0).any():
            data.warnings.extend(_unmatched_warnings(data, lookup.dataset, rows < 0))


def joined_column(data: DatasetData, name: str) -> pd.Series | None:
    """`thu_tuc.<field>` for every record (blank where nothing matched); None when the looked-up
    dataset was not given or lacks that column."""
    if name in data.joined:
        return data.joined[name]
    target, _, field = name.partition(".")
    if target not in data.lookup_rows:
        return None
    rows, other = data.lookup_rows[target]
    matched = rows >= 0
    if field == FOUND:
        column = pd.Series(matched, index=data.frame.index, dtype="boolean")
    elif field in other.frame.columns:
        source = other.frame[field]
        picked = source.iloc[np.where(matched, rows, 0)].reset_index(drop=True) if len(source) else None
        if picked is None:
            column = pd.Series(pd.NA, index=data.frame.index, dtype="object")
        else:
            if source.dtype == bool:
                picked = picked.astype("boolean")
            column = picked.where(pd.Series(matched), other=pd.NA if picked.dtype != "float64" else np.nan)
            column.index = data.frame.index
    else:
        return None
    data.joined[name] = column
    return column


def _unmatched_warnings(data: DatasetData, target: str, unmatched: np.ndarray) -> list[DataWarning]:
    """One warning per sheet: how many records matched nothing in `target`, which names, which rows."""
    frame = data.frame
    spec = dataset(data.name)
    name_field = next((field for field in reversed(spec.lookup.by) if field in frame.columns), None)
    warnings = []
    for path, sheet, rows, listed in rows_by_sheet(frame, unmatched, *([name_field] if name_field else [])):
        names = []
        if name_field:
            names = [str(value) for value in rows[name_field].dropna().astype(str).unique()[:MAX_NAMES_SHOWN]]
        warnings.append(DataWarning(path=path, sheet=sheet, field=name_field, rows=listed, code="join.unmatched",
                                    params={"count": len(rows), "dataset": target, "names": "; ".join(names) or "—"}))
    return warnings
