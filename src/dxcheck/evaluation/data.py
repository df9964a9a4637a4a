"""Gather one commune's loaded sheets into one frame per dataset, keeping where every row came
from; a record found in several sheets or files is kept once (REFERENCE §3)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..datasets import DATE_TYPES, dataset
from ..load.duplicates import copies_left_out, record_key, repeated, with_duplicates
from ..results import DataWarning, InputReport

# Bookkeeping columns every dataset frame carries besides its canonical fields.
PATH, SHEET, ROW = "_path", "_sheet", "_row"
#: in the cross-sheet duplicate warning: sets of sheets named, example ids, rows listed
MAX_PLACES_LISTED = 10
MAX_EXAMPLES = 5
MAX_ROWS_LISTED = 50


@dataclass(frozen=True)
class Origin:
    """Where one sheet of a dataset came from: the file's and sheet's index and names."""

    file: int
    sheet: int
    path: str
    sheet_name: str
    #: the sheet has a record-id column
    has_id: bool

    @property
    def label(self) -> str:
        return f"{self.path} › {self.sheet_name}"


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
    #: (file index, sheet index) -> copies of records left out there, found in another sheet too
    duplicates: dict[tuple[int, int], int] = field(default_factory=dict)
    #: what the cross-sheet duplicate check found or could not do
    warnings: list[DataWarning] = field(default_factory=list)
    #: looked-up dataset -> (per row, the matched row there or -1; that dataset), see `join`
    lookup_rows: dict = field(default_factory=dict)
    #: `thu_tuc.<field>` columns computed from `lookup_rows`, on first use
    joined: dict = field(default_factory=dict)


def rows_by_sheet(frame: pd.DataFrame, mask: np.ndarray, *columns: str):
    """The rows of `frame` under `mask`, sheet by sheet: (path, sheet, those rows with `columns`,
    their first MAX_ROWS_LISTED row numbers) — what a warning that names rows needs."""
    picked = frame.loc[np.asarray(mask, bool), [PATH, SHEET, ROW, *columns]]
    for (path, sheet), rows in picked.groupby([PATH, SHEET], observed=True, sort=False):
        yield str(path), str(sheet), rows, [int(row) for row in rows[ROW].tolist()[:MAX_ROWS_LISTED]]


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
        elif field_spec.type == "category" and not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = as_category(frame[column], list(field_spec.values))
    return frame


def as_category(values: pd.Series, vocabulary: list[str]) -> pd.Series:
    """A category field's column as a Categorical again after concatenation fell back to object
    (a sheet without the column, or one whose compound spellings added a code): the field's
    vocabulary first, then any other value found, so that no value is lost."""
    found = pd.unique(values.dropna().astype(object).to_numpy())
    if not all(isinstance(value, str) for value in found):
        return values  # not codes: left as they are
    known = set(vocabulary)
    extra = sorted(value for value in found if value not in known)
    return pd.Series(pd.Categorical(values.astype(object), categories=[*vocabulary, *extra]), index=values.index)


def collect(files: list) -> dict[str, DatasetData]:
    """One DatasetData per dataset found across `files` (LoadedFile objects, one commune's), rows
    in file order; a record found in several sheets or files is kept once (`cross_sheet_copies`)."""
    parts: dict[str, list[pd.DataFrame]] = {}
    origins: dict[str, list[Origin]] = {}
    result: dict[str, DatasetData] = {}
    for file_index, loaded in enumerate(files):
        for sheet_index, sheet in enumerate(loaded.sheets):
            name = sheet.report.dataset
            if name is None or sheet.data is None:
                continue
            frame = sheet.data.copy(deep=False)
            # same rows: the Categorical instead of the object column (a sheet built by other
            # means than the loader has only `data`: `_typed` makes its categories)
            for column, values in getattr(sheet, "category_columns", {}).items():
                frame[column] = values.array
            parts.setdefault(name, []).append(frame)
            origins.setdefault(name, []).append(Origin(file_index, sheet_index, loaded.path, sheet.report.sheet,
                                                             dataset(name).record_id in frame.columns))
            entry = result.setdefault(name, DatasetData(name=name, frame=pd.DataFrame()))
            entry.present |= {column for column in frame.columns if not column.startswith("_")}
            entry.sources.append(f"{loaded.path} › {sheet.report.sheet}")
            entry.unmatched += [(loaded.path, sheet.report.sheet, header) for header in sheet.report.unmatched_headers]
            for name_of_field in sheet.doubtful_dates:
                header = sheet.report.fields.get(name_of_field, name_of_field)
                entry.doubtful.setdefault(name_of_field, []).append(f"{loaded.path} › {sheet.report.sheet} › {header}")
    for name, frames in parts.items():
        result[name].warnings += _sheets_without_a_column(dataset(name), frames, origins[name], files)
        _with_origin(frames, origins[name])
        combined = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True, sort=False)
        combined = combined.reset_index(drop=True)
        combined = _typed(combined, name)
        if len(frames) > 1:
            combined = cross_sheet_copies(result[name], combined, [len(frame) for frame in frames], origins[name])
        result[name].frame = combined
    from .join import join_lookups  # here: join reads DatasetData

    join_lookups(result)
    return result


def _with_origin(frames: list[pd.DataFrame], origins: list[Origin]) -> None:
    """Give each sheet's rows their file and sheet, in place: as Categoricals of sorted names
    shared by every sheet, made from codes, so that concatenation keeps them and no million
    copies of a file name are hashed."""
    for column, names in ((PATH, [origin.path for origin in origins]),
                          (SHEET, [origin.sheet_name for origin in origins])):
        categories = sorted(set(names))
        for frame, own in zip(frames, names, strict=True):
            codes = np.full(len(frame), categories.index(own), dtype=np.int32)
            frame[column] = pd.Categorical.from_codes(codes, categories=categories)


def cross_sheet_copies(data: DatasetData, combined: pd.DataFrame, lengths: list[int],
                       origins: list[Origin]) -> pd.DataFrame:
    """`combined` (sheets of `lengths` rows one after the other, each sheet already free of
    repeats) with each record id found in two or more sheets kept once, as its most advanced copy;
    `data` learns how many copies were left out where, and gets the warning that says so (or the
    one saying the check could not run for sheets without an id column)."""
    spec = dataset(data.name)
    if not spec.unique_id:
        return combined
    without = [k for k, origin in enumerate(origins) if not origin.has_id]
    if without:
        data.warnings.append(_unchecked_warning(spec, origins, without))
    if len(origins) - len(without) < 2:
        return combined
    part = np.repeat(np.arange(len(lengths)), lengths)
    key = record_key(combined, spec)
    candidates = repeated(key)
    if not candidates.any():
        return combined
    dropped = copies_left_out(combined, spec, key, candidates)
    counts = np.bincount(part[dropped], minlength=len(lengths))
    data.duplicates = {(origins[k].file, origins[k].sheet): int(counts[k]) for k in np.flatnonzero(counts)}
    data.warnings.append(_across_warning(spec, combined, key, candidates, dropped, part, origins))
    return combined.loc[~dropped].reset_index(drop=True)


def _across_warning(spec, combined: pd.DataFrame, key: pd.Series, candidates: np.ndarray, dropped: np.ndarray,
                    part: np.ndarray, origins: list[Origin]) -> DataWarning:
    rows = np.flatnonzero(candidates)
    copies = pd.DataFrame({"key": key.iloc[rows].to_numpy(), "part": part[rows], "at": rows})
    first_of = copies.groupby("key", sort=False)["at"].min().sort_values()
    # which sheets share ids: each set of sheets an id was found in, with how many ids
    shared = copies.drop_duplicates(["key", "part"]).groupby("key", sort=False)["part"].agg(tuple)
    where = [origin.label for origin in origins]
    sets = sorted(shared.value_counts().items(), key=lambda item: (-item[1], item[0]))
    places = "; ".join(f"{' + '.join(where[k] for k in parts)}: {count}" for parts, count in sets[:MAX_PLACES_LISTED])
    if len(sets) > MAX_PLACES_LISTED:
        places += f"; … +{len(sets) - MAX_PLACES_LISTED}"
    examples = []
    by_key = copies.set_index("key")
    for value_key in first_of.index[:MAX_EXAMPLES]:
        found = by_key.loc[[value_key], "at"].to_numpy()
        value = combined[spec.record_id].iat[found[0]]
        spots = ", ".join(f"{where[part[at]]}: {int(combined[ROW].iat[at])}" for at in found[:5])
        examples.append(f"“{value}” ({spots}{', …' if len(found) > 5 else ''})")
    if len(first_of) > MAX_EXAMPLES:
        examples.append(f"… +{len(first_of) - MAX_EXAMPLES}")
    first = int(part[np.flatnonzero(dropped)[0]])
    mine = np.flatnonzero(dropped & (part == first))
    listed = sorted(int(r) for r in combined[ROW].to_numpy()[mine])
    return DataWarning(
        path=origins[first].path, sheet=origins[first].sheet_name, field=spec.record_id,
        rows=listed[:MAX_ROWS_LISTED], code="load.duplicate_ids_across",
        params={"count": len(first_of), "field": spec.record_id, "places": places, "dropped": int(dropped.sum()),
                "values": "; ".join(examples)},
    )


def _sheets_without_a_column(spec, frames: list[pd.DataFrame], origins: list[Origin], files: list) -> list[DataWarning]:
    """A field some sheets of the dataset have and another lacks. That sheet reads as if every
    cell of the column were blank, as an optional column's absence does: a category whose blank
    means something (a blank channel is in person, a blank rating `chua_danh_gia`) gets that
    meaning on its rows (left without a value they matched every `!=` test: unrated dossiers
    counted as rated and not satisfied); any other field has no value there. The data cannot say
    whether the export left the column out: each such sheet is named (in place: the frames get
    the blank meaning), with the heading the other sheets use, so that it can be mapped or
    exported. The record id has its own warning (`load.duplicates_unchecked`)."""
    warnings = []
    for f, field_spec in spec.fields.items():
        having = [k for k, frame in enumerate(frames) if f in frame.columns]
        if field_spec.optional or f == spec.record_id or not having or len(having) == len(frames):
            continue
        # only category fields have a blank meaning in datasets.yaml (`hinh_thuc_nop`, `danh_gia`)
        blank = field_spec.blank if field_spec.type == "category" else None
        first = origins[having[0]]
        header = files[first.file].sheets[first.sheet].report.fields.get(f, f)
        for k, frame in enumerate(frames):
            if f in frame.columns:
                continue
            if blank is not None:
                frame[f] = np.full(len(frame), blank, dtype=object)
            if len(frame):
                warnings.append(DataWarning(
                    path=origins[k].path, sheet=origins[k].sheet_name, field=f,
                    code="load.field_missing_in_sheet" + ("_read_as_blank" if blank is not None else ""),
                    params={"field": f, "header": header, "count": len(frame), "other": first.label,
                            **({"blank": blank} if blank is not None else {})}))
    return warnings


def _unchecked_warning(spec, origins: list[Origin], without: list[int]) -> DataWarning:
    first = origins[without[0]]
    return DataWarning(
        path=first.path, sheet=first.sheet_name, field=spec.record_id, rows=[], code="load.duplicates_unchecked",
        params={"count": len(origins), "dataset": spec.name, "field": spec.record_id,
                "sheets": ", ".join(origins[k].label for k in without)},
    )


def input_reports(files: list, datasets: dict[str, DatasetData]) -> list[InputReport]:
    """Each file's report, its sheets' row accounting counting the copies `collect` left out."""
    left: dict[tuple[int, int], int] = {}
    for data in datasets.values():
        for place, count in data.duplicates.items():
            left[place] = left.get(place, 0) + count
    reports = []
    for file_index, loaded in enumerate(files):
        report = loaded.report()
        if any(file_index == place[0] for place in left):
            sheets = []
            for sheet_index, sheet in enumerate(report.sheets):
                count = left.get((file_index, sheet_index), 0)
                if count:
                    sheet = sheet.model_copy(update={"rows_used": sheet.rows_used - count,
                                                     "rows_left_out": with_duplicates(sheet.rows_left_out, count)})
                sheets.append(sheet)
            report = report.model_copy(update={"sheets": sheets})
        reports.append(report)
    return reports


def date_range(datasets: dict[str, DatasetData]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Earliest and latest event date in the data (deadlines excluded: they lie in the future;
    dates whose day and month look swapped too: they may lie anywhere in the year)."""
    lows, highs = [], []
    for name, data in datasets.items():
        spec = dataset(name)
        for column, field_spec in spec.fields.items():
            if (field_spec.type == "date" and field_spec.infers_period and column in data.frame.columns
                    and column not in data.doubtful):
                values = data.frame[column]
                if values.notna().any():
                    lows.append(values.min())
                    highs.append(values.max())
    return (min(lows) if lows else None, max(highs) if highs else None)


def dates_outside_period(datasets: dict[str, DatasetData], period) -> list[DataWarning]:
    """A dataset with event dates none of which falls in the period asked for: a wrong month
    given, or last month's export dropped in (its rules then count nothing). Say so per dataset."""
    warnings = []
    for name, data in datasets.items():
        spec = dataset(name)
        lows, highs, inside = [], [], False
        for column, field_spec in spec.fields.items():
            if (field_spec.type == "date" and field_spec.infers_period and column in data.frame.columns
                    and column not in data.doubtful):
                values = data.frame[column].dropna()
                if len(values):
                    lows.append(values.min())
                    highs.append(values.max())
                    inside = inside or bool(((values >= period.start) & (values <= period.end)).any())
        if lows and not inside:
            path, _, sheet = (data.sources[0] if data.sources else "").partition(" › ")
            warnings.append(DataWarning(path=path, sheet=sheet or None, code="period.no_dates_in_period",
                                        params={"dataset": name, "period": period.label,
                                                "first": min(lows).date().isoformat(),
                                                "last": max(highs).date().isoformat()}))
    return warnings


@dataclass
class UnitSplit:
    """Rows of a unit-per-row sheet (a province portal's statistics page) split by unit."""

    units: list[tuple[str, dict[str, DatasetData]]]
    #: datasets that name no unit, so belong to none of them (left out, and said so)
    unattributed: list[DatasetData]
    #: (dataset, rows) of rows whose unit cell is blank
    blank_rows: list[tuple[DatasetData, np.ndarray]]

    def warnings(self, lang: str) -> list[DataWarning]:
        """Rows that name no unit, per sheet, and datasets that belong to no unit."""
        out = []
        for data, positions in self.blank_rows:
            rows = data.frame.iloc[positions]
            for (path, sheet), part in rows.groupby([PATH, SHEET], observed=True, sort=True):
                out.append(DataWarning(path=str(path), sheet=str(sheet), field=dataset(data.name).unit_field,
                                       rows=[int(row) for row in part[ROW].head(MAX_ROWS_LISTED)],
                                       code="load.unit_blank", params={"count": len(part)}))
        for data in self.unattributed:
            first = data.frame.iloc[0] if len(data.frame) else None
            out.append(DataWarning(
                path=str(first[PATH]) if first is not None else "",
                sheet=str(first[SHEET]) if first is not None else None, field=None, rows=[],
                code="load.unit_unattributed",
                params={"dataset": data.name, "title": dataset(data.name).title.get(lang), "rows": len(data.frame)}))
        return out


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
