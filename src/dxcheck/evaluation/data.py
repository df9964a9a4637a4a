"""Gather loaded sheets into one frame per dataset, keeping where every row came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..datasets import DATE_TYPES, dataset

# Bookkeeping columns every dataset frame carries besides its canonical fields.
PATH, SHEET, ROW, GROUP = "_path", "_sheet", "_row", "_group"


@dataclass
class DatasetData:
    name: str
    frame: pd.DataFrame
    present: set[str] = field(default_factory=set)
    sources: list[str] = field(default_factory=list)
    #: (path, sheet, header) of the columns of its sheets that no field was read from
    unmatched: list[tuple[str, str, str]] = field(default_factory=list)
    #: factorised grouping columns, filled on first use by the breakdowns
    groups: dict = field(default_factory=dict)
    #: factorised text columns, shared by the expression frames of every pack
    codes: dict = field(default_factory=dict)
    #: date field -> where (`path › sheet › header`) its day and month look swapped and were left
    #: as read: the rules that use it give no figure (`load.date_order`)
    doubtful: dict[str, list[str]] = field(default_factory=dict)


def _typed(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Restore each field's dtype after concatenation filled absent columns with NaN."""
    spec = dataset(name)
    for column in frame.columns:
        field_spec = spec.fields.get(column)
        if field_spec is None:
            continue
        if field_spec.type == "bool" and frame[column].dtype != bool:
            frame[column] = frame[column].fillna(field_spec.blank == "yes").astype(bool)
        elif field_spec.type in DATE_TYPES and not pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = pd.to_datetime(frame[column], errors="coerce")
        elif field_spec.type == "number" and frame[column].dtype != np.float64:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def collect(files: list) -> dict[str, DatasetData]:
    """One DatasetData per dataset found across `files` (LoadedFile objects), rows in file order."""
    parts: dict[str, list[pd.DataFrame]] = {}
    result: dict[str, DatasetData] = {}
    for loaded in files:
        for sheet in loaded.sheets:
            name = sheet.report.dataset
            if name is None or sheet.data is None:
                continue
            frame = sheet.data.copy(deep=False)
            frame[PATH] = loaded.path
            frame[SHEET] = sheet.report.sheet
            if GROUP not in frame.columns:
                frame[GROUP] = None
            parts.setdefault(name, []).append(frame)
            entry = result.setdefault(name, DatasetData(name=name, frame=pd.DataFrame()))
            entry.present |= {column for column in frame.columns if not column.startswith("_")}
            entry.sources.append(f"{loaded.path} › {sheet.report.sheet}")
            entry.unmatched += [(loaded.path, sheet.report.sheet, header) for header in sheet.report.unmatched_headers]
            for name_of_field in sheet.doubtful_dates:
                header = sheet.report.fields.get(name_of_field, name_of_field)
                entry.doubtful.setdefault(name_of_field, []).append(f"{loaded.path} › {sheet.report.sheet} › {header}")
    for name, frames in parts.items():
        combined = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True, sort=False)
        combined = combined.reset_index(drop=True)
        for column in (PATH, SHEET):
            combined[column] = combined[column].astype("category")
        result[name].frame = _typed(combined, name)
    return result


def date_range(datasets: dict[str, DatasetData]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Earliest and latest event date in the data (deadlines excluded: they lie in the future;
    dates whose day and month look swapped too: they may lie anywhere in the year)."""
    lows, highs = [], []
    for name, data in datasets.items():
        spec = dataset(name)
        for column, field_spec in spec.fields.items():
            if field_spec.type == "date" and column in data.frame.columns and column not in data.doubtful:
                values = data.frame[column]
                if values.notna().any():
                    lows.append(values.min())
                    highs.append(values.max())
    return (min(lows) if lows else None, max(highs) if highs else None)


@dataclass
class UnitSplit:
    """Rows of a unit-per-row sheet (a province portal's statistics page) split by unit."""

    units: list[tuple[str, dict[str, DatasetData]]]
    #: datasets that name no unit, so belong to none of them (left out, and said so)
    unattributed: list[DatasetData]
    #: (dataset, rows) of rows whose unit cell is blank
    blank_rows: list[tuple[DatasetData, np.ndarray]]


def split_units(datasets: dict[str, DatasetData]) -> UnitSplit | None:
    """One set of datasets per unit when a dataset has rows for two or more units (REFERENCE
    §3.2: a `thong_ke` sheet whose rows are communes gives one result per commune, rolled up
    exactly as several communes are); None when no dataset is split."""
    by_unit: dict[str, dict[str, DatasetData]] = {}
    blank_rows = []
    split_names = []
    for name, data in datasets.items():
        column = dataset(name).unit_field
        if not column or column not in data.frame.columns:
            continue
        values = data.frame[column]
        names = values.dropna().astype(str).unique()
        if len(names) < 2:
            continue
        split_names.append(name)
        blank = values.isna().to_numpy()
        if blank.any():
            blank_rows.append((data, np.flatnonzero(blank)))
        for unit in sorted(names):
            rows = data.frame.loc[(values == unit).to_numpy()].reset_index(drop=True)
            by_unit.setdefault(unit, {})[name] = DatasetData(name=name, frame=rows, present=set(data.present),
                                                             sources=list(data.sources), unmatched=list(data.unmatched))
    if not split_names:
        return None
    unattributed = [data for name, data in datasets.items() if name not in split_names]
    return UnitSplit(units=sorted(by_unit.items()), unattributed=unattributed, blank_rows=blank_rows)
